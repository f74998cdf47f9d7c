"""The pages across roadmaps: home (every roadmap, its size, the learner's progress) and
My progress (roadmaps with progress, recent activity)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.models import Roadmap
from learnmap.learning import selectors
from learnmap.learning.figures import RoadmapFigures, progress_figures
from learnmap.learning.learners import Learner, SessionData, SessionLearner
from learnmap.learning.pages.outline import learner_touches_roadmap
from learnmap.learning.retired_marks import retired_marks_for_view
from learnmap.learning.selectors import Activity


@dataclass(frozen=True)
class RoadmapCard:
    roadmap: Roadmap  # with its stored section_count, topic_count and resource_count
    figures: RoadmapFigures | None  # the learner's, when they did anything on it


def home_is_shared(*, learner: Learner) -> bool:
    """Whether the learner sees the home page every visitor without progress sees (the one
    page the cache shares): an anonymous visitor who has tracked nothing."""
    return isinstance(learner, SessionLearner) and SessionData(learner.session).is_empty


def home_page_build(*, learner: Learner) -> list[RoadmapCard]:
    """Every roadmap with its size (stored by the import) and the learner's figures.

    One query (the roadmaps) for a visitor who has tracked nothing, whatever the roadmaps
    hold; a learner's figures add their state (one query when signed in) and the structures
    of the roadmaps they worked on (cached per revision; two queries when cold)."""
    roadmaps = list(catalog_selectors.roadmap_list())
    if isinstance(learner, SessionLearner):
        figures = {}
        if not SessionData(learner.session).is_empty:  # a session's state is not per roadmap
            structures = selectors.roadmap_structures_get(roadmaps=roadmaps)
            for roadmap in roadmaps:
                structure = structures[roadmap.pk]
                state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
                figures[roadmap.pk] = progress_figures(structure=structure, state=state)
    else:
        figures = {p.roadmap.pk: p.figures for p in selectors.progress_overview(user=learner.user)}
    cards = []
    for roadmap in roadmaps:
        own = figures.get(roadmap.pk)
        touched = own is not None and bool(
            own.overall.done or own.overall.in_progress or own.electives_chosen
        )
        cards.append(RoadmapCard(roadmap=roadmap, figures=own if touched else None))
    return cards


@dataclass(frozen=True)
class ProgressEntry:
    roadmap: Roadmap
    figures: RoadmapFigures
    last_activity: datetime | None = None
    removed: int = 0  # marked items removed from the roadmap, notice not cleared (signed in)


@dataclass(frozen=True)
class ProgressPage:
    entries: list[ProgressEntry]
    activity: list[Activity] = field(default_factory=list)
    anonymous: bool = False


def progress_page_build(*, learner: Learner) -> ProgressPage:
    """Every roadmap the learner has progress on (most recent first for a signed-in learner),
    and their recent activity (signed-in learners only: a session keeps no history)."""
    if isinstance(learner, SessionLearner):
        if SessionData(learner.session).is_empty:  # nothing tracked: no roadmap to look at
            return ProgressPage(entries=[], anonymous=True)
        roadmaps = list(catalog_selectors.roadmap_list())
        structures = selectors.roadmap_structures_get(roadmaps=roadmaps)
        entries = []
        for roadmap in roadmaps:
            state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
            if learner_touches_roadmap(state=state, structure=structures[roadmap.pk]):
                figures = progress_figures(structure=structures[roadmap.pk], state=state)
                entries.append(ProgressEntry(roadmap=roadmap, figures=figures))
        return ProgressPage(entries=entries, anonymous=True)
    return ProgressPage(
        entries=[
            ProgressEntry(
                roadmap=p.roadmap,
                figures=p.figures,
                last_activity=p.last_activity,
                removed=len(
                    retired_marks_for_view(learner=learner, roadmap=p.roadmap, state=p.state)
                ),
            )
            for p in selectors.progress_overview(user=learner.user)
        ],
        activity=selectors.activity_recent(user=learner.user),
    )
