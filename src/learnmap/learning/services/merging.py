"""Bringing progress from elsewhere into an account without losing any of it.

Used for an anonymous learner's session when they sign in or sign up
(``progress_merge_session``) and for importing an exported file (``portability``).

The rules, the same for both, so that nothing is ever silently dropped:

- Node states: the more advanced state wins, ``done > in_progress > skipped``. Finished or
  started work is evidence of learning; a skip is only a choice, and starting something shows
  the learner changed their mind about skipping it.
- Resources done and chosen electives: the union.
- Notes: identical texts stay as they are; if one text contains the other the longer is kept;
  otherwise the newer text is kept first and the older one is appended below a rule (``---``).
  A merged note may be longer than what one can type in one go (``NOTE_MAX_CHARS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone

from learnmap.catalog import structure as catalog_structure
from learnmap.learning.learners import SessionData, parse_time
from learnmap.learning.models import (
    ElectiveChoice,
    NodeProgress,
    NodeState,
    Note,
    ResourceProgress,
)

STATE_RANK = {
    NodeState.NOT_STARTED: 0,
    NodeState.SKIPPED: 1,
    NodeState.IN_PROGRESS: 2,
    NodeState.DONE: 3,
}
NOTE_SEPARATOR = "\n\n---\n\n"


@dataclass
class Incoming:
    """Progress to bring into an account, by catalog row id."""

    node_states: dict[int, str] = field(default_factory=dict)
    resources: set[int] = field(default_factory=set)
    electives: set[int] = field(default_factory=set)
    notes: dict[int, tuple[str, datetime | None]] = field(default_factory=dict)


@dataclass
class MergeCounts:
    added: int = 0  # rows the account did not have
    updated: int = 0  # rows changed (a more advanced state, a merged note)
    unchanged: int = 0  # the account already had it (or something more advanced)

    def __add__(self, other: MergeCounts) -> MergeCounts:
        return MergeCounts(
            self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged
        )


@dataclass
class MergeSummary:
    nodes: MergeCounts = field(default_factory=MergeCounts)
    resources: MergeCounts = field(default_factory=MergeCounts)
    electives: MergeCounts = field(default_factory=MergeCounts)
    notes: MergeCounts = field(default_factory=MergeCounts)
    kept_in_session: int = 0  # entries whose node or resource no longer exists: left in place

    @property
    def total(self) -> MergeCounts:
        return self.nodes + self.resources + self.electives + self.notes

    @property
    def changed(self) -> bool:
        return bool(self.total.added or self.total.updated)


def note_texts_merge(
    kept: str, kept_at: datetime | None, incoming: str, incoming_at: datetime | None
) -> str:
    """One text holding both notes (see the module docstring); ``kept`` wins ties on time."""
    if incoming == kept or incoming in kept:
        return kept
    if kept in incoming:
        return incoming
    incoming_newer = incoming_at is not None and kept_at is not None and incoming_at > kept_at
    newer, older = (incoming, kept) if incoming_newer else (kept, incoming)
    return newer + NOTE_SEPARATOR + older


def _chunks(ids: list[int]) -> list[list[int]]:
    return [
        ids[i : i + catalog_structure.CHUNK] for i in range(0, len(ids), catalog_structure.CHUNK)
    ]


def _existing(model, user, column: str, ids) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for chunk in _chunks(sorted(ids)):
        found.update(
            (getattr(row, column), row)
            for row in model.objects.filter(user=user, **{f"{column}__in": chunk})
        )
    return found


def progress_apply(*, user, incoming: Incoming) -> MergeSummary:
    """Merge ``incoming`` into the user's rows by the rules above; a constant number of
    queries per 500 rows. Callers wrap it in a transaction."""
    now = timezone.now()
    summary = MergeSummary()

    existing = _existing(NodeProgress, user, "node_id", incoming.node_states)
    creates, updates = [], []
    for node_id, state in incoming.node_states.items():
        row = existing.get(node_id)
        if row is None:
            creates.append(NodeProgress(user=user, node_id=node_id, state=state))
        elif STATE_RANK[state] > STATE_RANK[row.state]:
            row.state, row.updated_at = state, now
            updates.append(row)
        else:
            summary.nodes.unchanged += 1
    NodeProgress.objects.bulk_create(creates, batch_size=500)
    NodeProgress.objects.bulk_update(updates, ["state", "updated_at"], batch_size=500)
    summary.nodes.added, summary.nodes.updated = len(creates), len(updates)

    for model, column, ids, counts in (
        (ResourceProgress, "resource_id", incoming.resources, summary.resources),
        (ElectiveChoice, "node_id", incoming.electives, summary.electives),
    ):
        have = _existing(model, user, column, ids)
        model.objects.bulk_create(
            [model(user=user, **{column: i}) for i in ids if i not in have], batch_size=500
        )
        counts.added, counts.unchanged = len(set(ids) - set(have)), len(set(ids) & set(have))

    existing = _existing(Note, user, "node_id", incoming.notes)
    creates, updates = [], []
    for node_id, (text, at) in incoming.notes.items():
        row = existing.get(node_id)
        if row is None:
            creates.append(Note(user=user, node_id=node_id, text=text))
            continue
        merged = note_texts_merge(row.text, row.updated_at, text, at)
        if merged == row.text:
            summary.notes.unchanged += 1
        else:
            row.text, row.updated_at = merged, now
            updates.append(row)
    Note.objects.bulk_create(creates, batch_size=500)
    Note.objects.bulk_update(updates, ["text", "updated_at"], batch_size=500)
    summary.notes.added, summary.notes.updated = len(creates), len(updates)
    return summary


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


@transaction.atomic
def progress_merge_session(*, request_session: SessionBase, user) -> MergeSummary:
    """Move an anonymous learner's session progress into ``user``'s account.

    Called on sign-in and sign-up (``receivers``). Everything that refers to a node or a
    resource still in the catalog (retired ones included) is merged by the module's rules and
    leaves the session; anything else stays in the session, counted in ``kept_in_session``.
    Running it again merges nothing new.
    """
    data = SessionData(request_session)
    summary = MergeSummary()
    if data.is_empty:
        return summary
    node_keys = {_uuid(k) for k in (*data.nodes, *data.electives, *data.notes)} - {None}
    nodes = catalog_structure.nodes_by_key(keys=node_keys)
    resources = catalog_structure.resources_by_key(keys={_uuid(k) for k in data.resources} - {None})

    incoming = Incoming()
    left: dict[str, dict] = {"nodes": {}, "resources": {}, "electives": {}, "notes": {}}
    for key, value in data.nodes.items():
        node = nodes.get(_uuid(key))
        state = value[0] if isinstance(value, list) and value else None
        if node is None or state not in STATE_RANK or state == NodeState.NOT_STARTED:
            left["nodes"][key] = value
        else:
            incoming.node_states[node["id"]] = state
    for key, value in data.resources.items():
        resource = resources.get(_uuid(key))
        if resource is None:
            left["resources"][key] = value
        else:
            incoming.resources.add(resource["id"])
    for key, value in data.electives.items():
        node = nodes.get(_uuid(key))
        if node is None or (node["node_type"], node["kind"]) != ("section", "elective"):
            left["electives"][key] = value
        else:
            incoming.electives.add(node["id"])
    for key, value in data.notes.items():
        node = nodes.get(_uuid(key))
        if node is None or not isinstance(value, list) or not value or not value[0]:
            left["notes"][key] = value
        else:
            incoming.notes[node["id"]] = (
                value[0],
                parse_time(value[1] if len(value) > 1 else None),
            )

    summary = progress_apply(user=user, incoming=incoming)
    summary.kept_in_session = sum(len(v) for v in left.values())
    data.replace(left)
    return summary
