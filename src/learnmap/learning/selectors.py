"""Reading a learner's progress: per roadmap (for its page), across roadmaps (My progress).

Query budget: a roadmap's structure comes from the cache (two queries when it is cold), a
signed-in learner's state on it is one query, an anonymous learner's state none (their
session). Nothing here grows with the size of a roadmap or the amount of progress.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import CharField, F, Value
from django.utils.safestring import SafeString

from learnmap.catalog import cache as catalog_cache
from learnmap.catalog import structure as catalog_structure
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning.figures import LearnerState, RoadmapFigures, RoadmapStructure
from learnmap.learning.figures import progress_figures as figures_compute
from learnmap.learning.learners import Learner, SessionData, SessionLearner, parse_time
from learnmap.learning.models import (
    ElectiveChoice,
    LearnerPreferences,
    NodeProgress,
    Note,
    ResourceProgress,
    RoadmapVisit,
)
from learnmap.learning.notes import note_render

ACTIVITY_LIMIT = 20


# --- a roadmap's structure and header: the catalog's reads (cached there) ---------------------

# What every page of a roadmap asks first (its header, by slug) and its structure; the catalog
# keeps both in the shared cache (``catalog.cache``) and forgets a header when its roadmap
# changes, on every process at once.
roadmap_structure_get = catalog_structure.roadmap_structure_get
roadmap_structures_get = catalog_structure.roadmap_structures_get


def roadmap_header_get(*, slug: str) -> Roadmap | None:
    """The roadmap a learner's page is about (without its Markdown source; a copy of its
    own), or None."""
    return catalog_structure.roadmap_header_find(slug=slug)


# --- one learner's state ------------------------------------------------------------------------


def _state_rows(user, **filters):
    """(tag, node or resource key, value, roadmap id, updated_at) for everything the user did,
    as one UNION ALL query."""

    def rows(model, tag: str, path: str, value):
        return (
            model.objects.filter(user=user, **{f"{path}__{k}": v for k, v in filters.items()})
            .annotate(
                t=Value(tag, output_field=CharField()),
                k=F(f"{path}__key"),
                v=value,
                r=F(f"{path}__roadmap_id"),
                at=F("updated_at"),
            )
            .values_list("t", "k", "v", "r", "at")
            .order_by()
        )

    blank = Value("", output_field=CharField())
    return rows(NodeProgress, "node", "node", F("state")).union(
        rows(ResourceProgress, "resource", "resource", blank),
        rows(ElectiveChoice, "elective", "node", blank),
        rows(Note, "note", "node", blank),
        all=True,
    )


def _state_from_rows(rows) -> LearnerState:
    states: dict[UUID, str] = {}
    resources, electives, notes = set(), set(), set()
    for tag, key, value, _roadmap_id, _at in rows:
        if tag == "node":
            states[key] = value
        elif tag == "resource":
            resources.add(key)
        elif tag == "elective":
            electives.add(key)
        else:
            notes.add(key)
    return LearnerState(
        node_states=states,
        resources_done=frozenset(resources),
        electives=frozenset(electives),
        notes=frozenset(notes),
    )


def _session_state(learner: SessionLearner) -> LearnerState:
    data = SessionData(learner.session)
    return LearnerState(
        node_states=data.node_states(),
        resources_done=frozenset(UUID(k) for k in data.resources),
        electives=frozenset(UUID(k) for k in data.electives),
        notes=frozenset(UUID(k) for k in data.notes),
    )


@functools.cache
def _roadmap_state_sql() -> str:
    """``_state_rows(user, roadmap_id=...)`` written out once: (tag, key, value) of what a user
    did on one roadmap, as one UNION ALL. Every signed-in roadmap page asks for it, and
    building that query with the ORM takes ~1.2 ms, forty times as long as running it (~0.03
    ms, the seed roadmap on SQLite, 2026-12): a test checks both read the same rows."""
    quote = connection.ops.quote_name

    def rows(model, tag: str, target, via: str, value: str) -> str:
        mine, theirs = model._meta, target._meta
        # Names from the models and constant tags; the user and roadmap are parameters.
        return (
            f"SELECT '{tag}', t.{quote(theirs.get_field('key').column)}, {value} "  # noqa: S608
            f"FROM {quote(mine.db_table)} p JOIN {quote(theirs.db_table)} t "
            f"ON t.{quote(theirs.pk.column)} = p.{quote(mine.get_field(via).column)} "
            f"WHERE p.{quote(mine.get_field('user').column)} = %s "
            f"AND t.{quote(theirs.get_field('roadmap').column)} = %s"
        )

    state = f"p.{quote(NodeProgress._meta.get_field('state').column)}"
    return " UNION ALL ".join(
        (
            rows(NodeProgress, "node", Node, "node", state),
            rows(ResourceProgress, "resource", Resource, "resource", "''"),
            rows(ElectiveChoice, "elective", Node, "node", "''"),
            rows(Note, "note", Node, "node", "''"),
        )
    )


def learner_state_for_roadmap(*, learner: Learner, roadmap: Roadmap) -> LearnerState:
    """All of a learner's node states, resources done, chosen electives and which nodes have a
    note, on one roadmap (retired nodes included): one query, none for an anonymous learner."""
    if isinstance(learner, SessionLearner):
        return _session_state(learner)
    with connection.cursor() as cursor:
        cursor.execute(_roadmap_state_sql(), [learner.user.pk, roadmap.pk] * 4)
        rows = cursor.fetchall()
    # UUIDs come back as text from SQLite and as UUIDs from PostgreSQL.
    return _state_from_rows(
        (tag, key if isinstance(key, UUID) else UUID(key), value, roadmap.pk, None)
        for tag, key, value in rows
    )


@dataclass(frozen=True)
class RoadmapProgress:
    roadmap: Roadmap
    structure: RoadmapStructure
    state: LearnerState
    figures: RoadmapFigures
    last_activity: datetime | None = None


def roadmap_progress_get(
    *, learner: Learner, roadmap: Roadmap, state: LearnerState | None = None
) -> RoadmapProgress:
    """Structure, learner state and figures for a roadmap page: one query when the structure
    is cached (three when cold), whatever the roadmap's size; none more when the caller
    already has the learner's ``state`` (``learner_state_for_roadmap``)."""
    structure = roadmap_structure_get(roadmap=roadmap)
    if state is None:
        state = learner_state_for_roadmap(learner=learner, roadmap=roadmap)
    if state.is_empty:  # the same for every learner who has tracked nothing: kept
        key = catalog_cache.revision_key("blank-figures", 1, roadmap)
        figures = _blank_figures.get(key)
        if figures is None:
            figures = _blank_figures.put(key, figures_compute(structure=structure, state=state))
    else:
        figures = figures_compute(structure=structure, state=state)
    return RoadmapProgress(roadmap=roadmap, structure=structure, state=state, figures=figures)


# The figures of a learner who has tracked nothing, per structure: they walk every resource of
# the roadmap (~25 ms a node page at 85,000 resources, bench/scale), for the same answer.
_blank_figures = catalog_cache.Memo(8)


def node_state_get(*, learner: Learner, node: Node) -> str:
    """The learner's state on one node (``not_started`` when nothing was recorded)."""
    if isinstance(learner, SessionLearner):
        return _session_state(learner).state_of(node.key)
    state = (
        NodeProgress.objects.filter(user=learner.user, node=node)
        .values_list("state", flat=True)
        .first()
    )
    return state or "not_started"


# --- visits -------------------------------------------------------------------------------------


def visit_since_get(*, learner: Learner, roadmap: Roadmap) -> datetime | None:
    """The time after which changes to ``roadmap`` are new to ``learner`` (the end of their
    previous visit, ``services.visits``), without recording a view: None for a first visit or
    an anonymous learner. One query."""
    if isinstance(learner, SessionLearner):
        return None
    return (
        RoadmapVisit.objects.filter(user=learner.user, roadmap=roadmap)
        .values_list("news_since", flat=True)
        .first()
    )


# --- notes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteView:
    text: str  # the Markdown as the learner wrote it
    updated_at: datetime | None

    @property
    def html(self) -> SafeString:
        """Rendered and sanitised: safe to put in a page as is."""
        return note_render(text=self.text)


def note_get(*, learner: Learner, node: Node) -> NoteView | None:
    """The learner's note on a node, if they wrote one."""
    if isinstance(learner, SessionLearner):
        entry = SessionData(learner.session).notes.get(str(node.key))
        if not entry:
            return None
        return NoteView(text=entry[0], updated_at=parse_time(entry[1]))
    row = Note.objects.filter(user=learner.user, node=node).only("text", "updated_at").first()
    return NoteView(text=row.text, updated_at=row.updated_at) if row else None


# --- preferences --------------------------------------------------------------------------------


def preferences_filters_get(*, learner: Learner) -> dict[str, Any]:
    """The learner's saved default filters ({} for anonymous learners or none saved)."""
    if isinstance(learner, SessionLearner):
        return {}
    filters = (
        LearnerPreferences.objects.filter(user=learner.user)
        .values_list("default_filters", flat=True)
        .first()
    )
    return dict(filters or {})


# --- My progress --------------------------------------------------------------------------------


def progress_overview(*, user) -> list[RoadmapProgress]:
    """Every roadmap the user has any progress on (states, resources, electives, notes), with
    figures, most recently active first. Two queries, plus two when structures are cold."""
    rows = list(_state_rows(user))
    by_roadmap: dict[int, list] = {}
    for row in rows:
        by_roadmap.setdefault(row[3], []).append(row)
    roadmaps = catalog_structure.roadmaps_with_ids(ids=by_roadmap)
    structures = roadmap_structures_get(roadmaps=roadmaps)
    overview = []
    for roadmap in roadmaps:
        state = _state_from_rows(by_roadmap[roadmap.pk])
        structure = structures[roadmap.pk]
        overview.append(
            RoadmapProgress(
                roadmap=roadmap,
                structure=structure,
                state=state,
                figures=figures_compute(structure=structure, state=state),
                last_activity=max(row[4] for row in by_roadmap[roadmap.pk]),
            )
        )
    overview.sort(key=lambda p: p.last_activity, reverse=True)
    return overview


@dataclass(frozen=True)
class Activity:
    kind: str  # "node" (a state), "resource" (marked done), "elective" (chosen), "note"
    at: datetime
    title: str  # the node's or the resource's title
    roadmap_slug: str
    roadmap_title: str
    node_key: UUID  # the node, or the node a resource is listed under (for links)
    node_title: str
    state: str = ""  # for kind "node"
    retired: bool = False


def activity_recent(*, user, limit: int = ACTIVITY_LIMIT) -> list[Activity]:
    """The user's latest changes across roadmaps, newest first: one query.

    Resets are not activity (a reset removes its row)."""

    def rows(model, kind: str, path: str, node_path: str, state):
        return (
            model.objects.filter(user=user)
            .annotate(
                a_kind=Value(kind, output_field=CharField()),
                a_at=F("updated_at"),
                a_title=F(f"{path}__title"),
                a_slug=F(f"{path}__roadmap__slug"),
                a_roadmap=F(f"{path}__roadmap__title"),
                a_node=F(f"{node_path}__key"),
                a_node_title=F(f"{node_path}__title"),
                a_state=state,
                a_retired=F(f"{path}__retired_at"),
            )
            .values_list(
                "a_kind",
                "a_at",
                "a_title",
                "a_slug",
                "a_roadmap",
                "a_node",
                "a_node_title",
                "a_state",
                "a_retired",
            )
            .order_by()
        )

    blank = Value("", output_field=CharField())
    union = (
        rows(NodeProgress, "node", "node", "node", F("state"))
        .union(
            rows(ResourceProgress, "resource", "resource", "resource__node", blank),
            rows(ElectiveChoice, "elective", "node", "node", blank),
            rows(Note, "note", "node", "node", blank),
            all=True,
        )
        .order_by("-a_at")[:limit]
    )
    return [
        Activity(
            kind=kind,
            at=at,
            title=title,
            roadmap_slug=slug,
            roadmap_title=roadmap_title,
            node_key=node_key,
            node_title=node_title,
            state=state,
            retired=retired_at is not None,
        )
        for kind, at, title, slug, roadmap_title, node_key, node_title, state, retired_at in union
    ]
