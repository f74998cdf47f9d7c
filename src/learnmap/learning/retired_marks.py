"""What a learner had marked on a roadmap that a re-import removed: the notice "3 items you
had marked were removed from this roadmap".

A re-import retires (never deletes) a node or a resource a learner's row points to, and puts
it back under the same key when it comes back (``catalog.services.sync``). The learner's marks
on it stay in their tables throughout; they no longer count in the figures and the map no
longer shows them. This module finds the marked items (a state, a note or an elective choice
on a node; a resource done) whose rows are retired and whose notice the learner has not
cleared (``models.RetiredMarkSeen``: cleared for one retirement, so a later one shows again).

Signed-in learners only, like what is new since the last visit (``news``): an anonymous
learner's page may be the shared one. Reading costs no query for a learner with no mark on a
retired item (the roadmap's structure, cached, says which items are retired), and four when
they have some.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.urls import reverse

from learnmap.catalog import cache as catalog_cache
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning import selectors
from learnmap.learning.figures import LearnerState
from learnmap.learning.learners import Learner, UserLearner
from learnmap.learning.models import NodeState, Note, RetiredMarkSeen

logger = logging.getLogger(__name__)

RETIRED_KEYS_VERSION = 1
NOTE_EXCERPT_CHARS = 120


@dataclass(frozen=True)
class RetiredMark:
    """One marked item gone from the roadmap, with what the learner had on it."""

    key: UUID
    kind: str  # "section", "topic" or "resource"
    title: str
    where: str  # the section of a topic, the node of a resource ("" for a section)
    retired_at: datetime
    url: str  # the node's permanent page (a resource's node), where the marks are kept
    state: str = NodeState.NOT_STARTED  # a node's state
    done: bool = False  # a resource marked done
    chosen: bool = False  # an elective section chosen
    note: str = ""  # the start of the learner's note on a node

    @property
    def note_excerpt(self) -> str:
        text = " ".join(self.note.split())
        if len(text) <= NOTE_EXCERPT_CHARS:
            return text
        return text[: NOTE_EXCERPT_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class RetiredMarks:
    """The items of the notice, most recently removed first (empty: no notice)."""

    items: tuple[RetiredMark, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    @property
    def digest(self) -> str:
        """Stands for the notice in the key of a learner's own cached page ("" when none): a
        cleared notice is a page of its own."""
        if not self.items:
            return ""
        text = repr(sorted((str(m.key), m.retired_at.isoformat()) for m in self.items))
        return "gone:" + hashlib.sha256(text.encode()).hexdigest()[:16]


NO_RETIRED_MARKS = RetiredMarks()

# The keys of a roadmap's retired nodes and resources, per revision (the structure walked once).
_retired_keys = catalog_cache.Memo(16)


def _retired_keys_get(roadmap: Roadmap) -> tuple[frozenset[UUID], frozenset[UUID]]:
    key = catalog_cache.revision_key("retired-keys", RETIRED_KEYS_VERSION, roadmap)
    found = _retired_keys.get(key)
    if found is None:
        structure = selectors.roadmap_structure_get(roadmap=roadmap)
        found = _retired_keys.put(
            key,
            (
                frozenset(n.key for n in structure.nodes if n.retired),
                frozenset(r.key for r in structure.resources if r.retired),
            ),
        )
    return found


def retired_marks_get(
    *, learner: Learner, roadmap: Roadmap, state: LearnerState | None = None
) -> RetiredMarks:
    """The marked items of ``roadmap`` that are retired and whose notice ``learner`` has not
    cleared (nothing for an anonymous learner). ``state``: the learner's state on the roadmap
    when the caller has it (``selectors.learner_state_for_roadmap``)."""
    if not isinstance(learner, UserLearner):
        return NO_RETIRED_MARKS
    retired_nodes, retired_resources = _retired_keys_get(roadmap)
    if not retired_nodes and not retired_resources:
        return NO_RETIRED_MARKS
    if state is None:
        state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
    node_keys = retired_nodes & (set(state.node_states) | state.electives | state.notes)
    resource_keys = retired_resources & state.resources_done
    if not node_keys and not resource_keys:
        return NO_RETIRED_MARKS
    return _marks_read(learner.user, roadmap, state, node_keys, resource_keys)


def _node_url(key: UUID) -> str:
    return reverse("learning:node-key", args=[key])


def _marks_read(user, roadmap, state, node_keys, resource_keys) -> RetiredMarks:
    seen = dict(
        RetiredMarkSeen.objects.filter(user=user, roadmap=roadmap).values_list("key", "retired_at")
    )
    marks: list[RetiredMark] = []
    nodes = Node.objects.filter(
        roadmap=roadmap, key__in=node_keys, retired_at__isnull=False
    ).values_list("key", "title", "node_type", "retired_at", "parent__title")
    notes = {}
    if node_keys & state.notes:
        notes = dict(
            Note.objects.filter(
                user=user, node__roadmap=roadmap, node__key__in=node_keys & state.notes
            ).values_list("node__key", "text")
        )
    for key, title, node_type, retired_at, section in nodes:
        if seen.get(key) == retired_at:
            continue
        marks.append(
            RetiredMark(
                key=key,
                kind=node_type,
                title=title,
                where=section or "",
                retired_at=retired_at,
                url=_node_url(key),
                state=state.state_of(key),
                chosen=key in state.electives,
                note=notes.get(key, ""),
            )
        )
    resources = Resource.objects.filter(
        roadmap=roadmap, key__in=resource_keys, retired_at__isnull=False
    ).values_list("key", "title", "retired_at", "node__title", "node__key")
    for key, title, retired_at, node_title, node_key in resources:
        if seen.get(key) == retired_at:
            continue
        marks.append(
            RetiredMark(
                key=key,
                kind="resource",
                title=title,
                where=node_title,
                retired_at=retired_at,
                url=_node_url(node_key),
                done=True,
            )
        )
    marks.sort(key=lambda m: (-m.retired_at.timestamp(), m.title))
    return RetiredMarks(items=tuple(marks))


def retired_marks_for_view(
    *, learner: Learner, roadmap: Roadmap, state: LearnerState | None = None
) -> RetiredMarks:
    """``retired_marks_get`` for a page: a failure is logged and the page shown without the
    notice, never an error."""
    try:
        return retired_marks_get(learner=learner, roadmap=roadmap, state=state)
    except Exception:
        logger.exception("Could not find the removed items marked on %s.", roadmap.slug)
        return NO_RETIRED_MARKS
