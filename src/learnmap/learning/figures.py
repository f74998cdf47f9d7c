"""Progress figures: pure functions over a roadmap's structure and one learner's state.

No database, no request: the roadmap's structure comes from a cache (``selectors``) and the
learner's state from one query (or their session), and this module turns the two into the
numbers the pages show.

What counts
-----------
- A *unit* of progress is a leaf of the roadmap: an active topic, or an active section that has
  no active topic. A section with topics is measured through its topics.
- The overall figures count the units of ordered-step sections plus those of the elective
  sections the learner chose. Extra and text sections get their own figures but never count
  in the overall ones.
- A skipped unit leaves the denominator (it is not on the learner's path):
  ``percent = done / (total - skipped)``.
- Retired units (gone from the Markdown) never count; the ones the learner has progress on are
  reported separately (``retired``) so the page can show them as "retired".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, dataclass, field, replace
from uuid import UUID

from learnmap.catalog.structure import NodeInfo, RoadmapStructure

STEP = "step"
ELECTIVE = "elective"
DONE = "done"
IN_PROGRESS = "in_progress"
SKIPPED = "skipped"
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class LearnerState:
    """Everything one learner did on a roadmap, keyed by the catalog's stable ``key`` UUIDs.

    For an anonymous learner it may also hold keys of other roadmaps: look things up by the
    keys of the roadmap at hand rather than iterating.
    """

    node_states: Mapping[UUID, str] = field(default_factory=dict)  # never "not_started"
    resources_done: frozenset[UUID] = frozenset()
    electives: frozenset[UUID] = frozenset()
    notes: frozenset[UUID] = frozenset()  # nodes that have a note

    def state_of(self, key: UUID) -> str:
        return self.node_states.get(key, NOT_STARTED)

    @property
    def is_empty(self) -> bool:
        return not (self.node_states or self.resources_done or self.electives or self.notes)


@dataclass(frozen=True, slots=True)
class Figures:
    total: int = 0  # units counted (retired ones never are)
    done: int = 0
    in_progress: int = 0
    skipped: int = 0
    retired: int = 0  # retired units the learner has progress on, reported apart
    resources_total: int = 0  # active resources of the counted units
    resources_done: int = 0

    @property
    def denominator(self) -> int:
        return self.total - self.skipped

    @property
    def remaining(self) -> int:
        return self.denominator - self.done

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down (100 only when nothing is left)."""
        if self.denominator <= 0:
            return 100 if self.total else 0
        return self.done * 100 // self.denominator

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.remaining == 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True, slots=True)
class SectionFigures:
    key: UUID
    title: str
    kind: str
    counted: bool  # part of the overall figures (a step, or an elective the learner chose)
    chosen: bool  # an elective the learner chose (False for every other kind)
    figures: Figures


@dataclass(frozen=True)
class RoadmapFigures:
    overall: Figures
    sections: tuple[SectionFigures, ...]  # every active section, in document order
    electives_available: int
    electives_chosen: int
    retired_with_progress: tuple[UUID, ...]  # keys of retired nodes the learner has a state on

    def section(self, key: UUID) -> SectionFigures | None:
        return next((s for s in self.sections if s.key == key), None)


def _section_figures(
    section: NodeInfo, structure: RoadmapStructure, state: LearnerState
) -> Figures:
    counts = {DONE: 0, IN_PROGRESS: 0, SKIPPED: 0}
    units = structure.units(section)
    for unit in units:
        node_state = state.state_of(unit.key)
        if node_state in counts:
            counts[node_state] += 1
    # Resources: those listed under the section itself and under its active topics.
    holders = {section.id, *(unit.id for unit in units)}
    resources = [
        structure.resources_by_id[i]
        for holder in holders
        for i in structure.resources_by_node.get(holder, ())
    ]
    active = [r for r in resources if not r.retired]
    retired = sum(
        1
        for i in structure.children.get(section.id, ())
        if structure.by_id[i].retired and structure.by_id[i].key in state.node_states
    )
    return Figures(
        total=len(units),
        done=counts[DONE],
        in_progress=counts[IN_PROGRESS],
        skipped=counts[SKIPPED],
        retired=retired,
        resources_total=len(active),
        resources_done=sum(r.key in state.resources_done for r in active),
    )


def progress_figures(*, structure: RoadmapStructure, state: LearnerState) -> RoadmapFigures:
    """The learner's figures for the whole roadmap and per section (see the module docstring)."""
    sections: list[SectionFigures] = []
    overall = Figures()
    available = chosen_count = 0
    for section in structure.sections:
        if section.retired:
            continue
        is_elective = section.kind == ELECTIVE
        chosen = is_elective and section.key in state.electives
        available += is_elective
        chosen_count += chosen
        counted = section.kind == STEP or chosen
        figures = _section_figures(section, structure, state)
        sections.append(
            SectionFigures(
                key=section.key,
                title=section.title,
                kind=section.kind,
                counted=counted,
                chosen=chosen,
                figures=figures,
            )
        )
        if counted:
            overall = overall + figures
    retired_keys = tuple(n.key for n in structure.nodes if n.retired and n.key in state.node_states)
    overall = replace(overall, retired=len(retired_keys))
    return RoadmapFigures(
        overall=overall,
        sections=tuple(sections),
        electives_available=available,
        electives_chosen=chosen_count,
        retired_with_progress=retired_keys,
    )
