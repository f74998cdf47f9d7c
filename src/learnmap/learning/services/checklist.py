"""A learner's progress on one roadmap as a Markdown checklist (``- [x] Title``), to download."""

from __future__ import annotations

from learnmap.catalog.models import Roadmap
from learnmap.learning import selectors
from learnmap.learning.figures import LearnerState, RoadmapStructure, progress_figures
from learnmap.learning.learners import Learner
from learnmap.learning.models import NodeState


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|~" else c for c in text)


def _line(depth: int, checked: bool, title: str, suffix: str = "") -> str:
    return f"{'  ' * depth}- [{'x' if checked else ' '}] {title}{suffix}"


def _suffix(state: str, *, retired: bool = False) -> str:
    parts = []
    if state == NodeState.IN_PROGRESS:
        parts.append("in progress")
    elif state == NodeState.SKIPPED:
        parts.append("skipped")
    if retired:
        parts.append("retired: no longer in the roadmap")
    return f" *({', '.join(parts)})*" if parts else ""


def checklist_render(*, structure: RoadmapStructure, state: LearnerState) -> str:
    """The roadmap as a Markdown checklist of the learner's progress (pure)."""
    figures = progress_figures(structure=structure, state=state)
    overall = figures.overall
    out = [
        f"# {_md_escape(structure.title)}",
        "",
        f"My progress: {overall.done} of {overall.denominator} done ({overall.percent}%)"
        + (f", {overall.skipped} skipped" if overall.skipped else "")
        + ".",
        "",
    ]
    by_section = {s.key: s for s in figures.sections}

    def resource_lines(node_id: int, depth: int) -> None:
        for rid in structure.resources_by_node.get(node_id, ()):
            resource = structure.resources_by_id[rid]
            if resource.retired and resource.key not in state.resources_done:
                continue
            title = f"[{_md_escape(resource.title)}](<{resource.url}>)"
            out.append(
                _line(
                    depth,
                    resource.key in state.resources_done,
                    title,
                    " *(retired)*" if resource.retired else "",
                )
            )

    for section in structure.sections:
        node_state = state.state_of(section.key)
        if node_state == NodeState.NOT_STARTED and (
            section.retired or (section.kind == "text" and section.id not in structure.children)
        ):
            continue  # gone from the roadmap, or prose with nothing to check off
        info = by_section.get(section.key)
        labels = []
        if section.kind == "elective":
            labels.append(
                "elective, chosen" if section.key in state.electives else "elective, not chosen"
            )
        elif section.kind != "step":
            labels.append(section.kind)
        topics = [structure.by_id[i] for i in structure.children.get(section.id, ())]
        has_topics = any(not topic.retired for topic in topics)
        checked = node_state == NodeState.DONE or bool(
            has_topics and info is not None and info.figures.complete
        )
        suffix = _suffix(node_state, retired=section.retired)
        if labels:
            suffix += f" — {', '.join(labels)}"
        out.append(_line(0, checked, _md_escape(section.title), suffix))
        resource_lines(section.id, 1)
        for topic in topics:
            topic_state = state.state_of(topic.key)
            if topic.retired and topic_state == NodeState.NOT_STARTED:
                continue
            out.append(
                _line(
                    1,
                    topic_state == NodeState.DONE,
                    _md_escape(topic.title),
                    _suffix(topic_state, retired=topic.retired),
                )
            )
            resource_lines(topic.id, 2)
    return "\n".join(out) + "\n"


def progress_checklist_markdown(*, learner: Learner, roadmap: Roadmap) -> str:
    """The roadmap as a Markdown checklist (``- [x] Title``) of the learner's progress:
    sections and topics with their states, resources under them, electives marked chosen or
    not, retired items the learner had progress on flagged as retired."""
    structure = selectors.roadmap_structure_get(roadmap=roadmap)
    state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
    return checklist_render(structure=structure, state=state)
