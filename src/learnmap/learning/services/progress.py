"""Changing a learner's progress, elective choices, notes and preferences.

Every service takes a ``learner`` (``learners.UserLearner`` or ``learners.SessionLearner``) and
behaves the same for both. Setting something to what it already is changes nothing; resetting
(``not_started``, ``done=False``, ``chosen=False``, an empty note) removes the row.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from learnmap.catalog import structure as catalog_structure
from learnmap.catalog.models import Node, Resource
from learnmap.core.errors import ApplicationError
from learnmap.learning.learners import Learner, SessionData, SessionLearner, now_iso
from learnmap.learning.models import (
    ElectiveChoice,
    LearnerPreferences,
    NodeProgress,
    NodeState,
    Note,
    ResourceProgress,
)
from learnmap.learning.notes import note_text_clean

STATES = frozenset(NodeState.values)
FILTER_NAMES = ("language", "price", "kind", "level", "format")
FILTER_PRICES = frozenset({"free", "paid"})
FILTER_VALUE_MAX_CHARS = 100
FILTER_VALUES_MAX = 20


def _checked_state(state: str) -> str:
    if state not in STATES:
        choices = ", ".join(f"{label.lower()} ({value})" for value, label in NodeState.choices)
        raise ApplicationError(
            f"{state!r} is not a progress state; use one of: {choices}.",
            code="invalid_state",
        )
    return state


def _refuse_if_retired(item: Node | Resource, what: str) -> None:
    if item.retired_at is not None:
        raise ApplicationError(
            f"“{item.title}” was removed from the roadmap: the progress you had on it is kept, "
            f"but it can no longer be {what}.",
            code="retired",
        )


@transaction.atomic
def progress_set(*, learner: Learner, node: Node, state: str) -> str:
    """Set the learner's state on a section or topic; returns the state now stored.

    ``not_started`` removes the row. Starting or finishing something in an elective section
    also chooses that elective, so it counts in the learner's figures.
    A retired node's progress is kept and may be cleared, but not changed otherwise.
    """
    state = _checked_state(state)
    if state != NodeState.NOT_STARTED:
        _refuse_if_retired(node, "marked")
    if isinstance(learner, SessionLearner):
        value = None if state == NodeState.NOT_STARTED else [state, now_iso()]
        SessionData(learner.session).put("nodes", node.key, value)
    elif state == NodeState.NOT_STARTED:
        NodeProgress.objects.filter(user=learner.user, node=node).delete()
    else:
        row, created = NodeProgress.objects.get_or_create(
            user=learner.user, node=node, defaults={"state": state}
        )
        if not created and row.state != state:
            row.state = state
            row.save(update_fields=["state", "updated_at"])
    if state in (NodeState.IN_PROGRESS, NodeState.DONE):
        section = _elective_section(node)
        if section is not None:
            _elective_store(learner, section, chosen=True)
    return state


def _elective_section(node: Node) -> Node | None:
    """The elective section a node belongs to (itself for a section), if any."""
    if node.kind != "elective":
        return None
    if node.parent_id is None:
        return node if node.node_type == "section" else None
    parent = catalog_structure.node_by_id(node_id=node.parent_id)
    if parent is None or parent.kind != "elective" or parent.retired_at is not None:
        return None
    return parent


@transaction.atomic
def resource_progress_set(*, learner: Learner, resource: Resource, done: bool) -> bool:
    """Mark a resource done or not; returns ``done``. A retired resource can only be unmarked."""
    if done:
        _refuse_if_retired(resource, "marked done")
    if isinstance(learner, SessionLearner):
        SessionData(learner.session).put("resources", resource.key, now_iso() if done else None)
    elif done:
        ResourceProgress.objects.get_or_create(user=learner.user, resource=resource)
    else:
        ResourceProgress.objects.filter(user=learner.user, resource=resource).delete()
    return done


def _check_elective(node: Node) -> None:
    """Refuse anything but an elective section: electives are chosen section by section."""
    if node.node_type != "section" or node.kind != "elective":
        raise ApplicationError(
            f"“{node.title}” is not an elective section: only the elective sections of a "
            "roadmap (the topics you choose to learn) can be chosen.",
            code="not_elective",
        )


def elective_set(*, learner: Learner, node: Node, chosen: bool) -> bool:
    """Choose an elective section (it then counts in the learner's figures) or drop it.

    Only elective *sections* can be chosen; their topics count when the section is chosen.
    Dropping an elective keeps the progress made in it. Returns ``chosen``.
    """
    _check_elective(node)
    if chosen:
        _refuse_if_retired(node, "chosen")
    _elective_store(learner, node, chosen=chosen)
    return chosen


def _elective_store(learner: Learner, node: Node, *, chosen: bool) -> None:
    if isinstance(learner, SessionLearner):
        SessionData(learner.session).put("electives", node.key, now_iso() if chosen else None)
    elif chosen:
        ElectiveChoice.objects.get_or_create(user=learner.user, node=node)
    else:
        ElectiveChoice.objects.filter(user=learner.user, node=node).delete()


@transaction.atomic
def note_save(*, learner: Learner, node: Node, text: str) -> str:
    """Save the learner's private Markdown note on a node; returns the text stored.

    An empty note deletes it. Overlong notes are refused (``notes.NOTE_MAX_CHARS``) and nothing
    is saved. Anonymous learners keep notes in their session, within
    ``learners.SESSION_NOTES_MAX_CHARS`` in all, until they sign in.
    """
    text = note_text_clean(text)
    if isinstance(learner, SessionLearner):
        SessionData(learner.session).put("notes", node.key, [text, now_iso()] if text else None)
    elif not text:
        Note.objects.filter(user=learner.user, node=node).delete()
    else:
        row, created = Note.objects.get_or_create(
            user=learner.user, node=node, defaults={"text": text}
        )
        if not created and row.text != text:
            row.text = text
            row.save(update_fields=["text", "updated_at"])
    return text


# --- preferences ------------------------------------------------------------------------------


def filters_clean(filters: dict[str, Any]) -> dict[str, str | list[str]]:
    """Validated default filters: known names only, short string values (or lists of them);
    empty values are dropped."""
    if not isinstance(filters, dict):
        raise ApplicationError(
            "Filters must be a mapping of names to values.", code="invalid_filters"
        )
    unknown = sorted(set(filters) - set(FILTER_NAMES))
    if unknown:
        raise ApplicationError(
            f"Unknown filter {unknown[0]!r}: the filters are {', '.join(FILTER_NAMES)}.",
            code="invalid_filters",
        )
    cleaned: dict[str, str | list[str]] = {}
    for name in FILTER_NAMES:
        value = filters.get(name)
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > FILTER_VALUES_MAX or not all(
            v is None or (isinstance(v, str) and len(v) <= FILTER_VALUE_MAX_CHARS) for v in values
        ):
            raise ApplicationError(
                f"The {name} filter must be text of at most {FILTER_VALUE_MAX_CHARS} characters "
                f"(or a list of at most {FILTER_VALUES_MAX} such values).",
                code="invalid_filters",
            )
        kept = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        if name == "price" and not set(kept) <= FILTER_PRICES:
            raise ApplicationError("The price filter is “free” or “paid”.", code="invalid_filters")
        if kept:
            cleaned[name] = kept if isinstance(value, list | tuple) else kept[0]
    return cleaned


def preferences_filters_set(*, user, filters: dict[str, Any]) -> dict[str, str | list[str]]:
    """Remember a signed-in learner's default resource filters (language, price, kind, level);
    returns what was stored. An empty mapping forgets them."""
    cleaned = filters_clean(filters)
    LearnerPreferences.objects.update_or_create(user=user, defaults={"default_filters": cleaned})
    return cleaned
