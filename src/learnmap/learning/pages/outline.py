"""The roadmap page: its outline (with the map's marks) for one learner.

Each section's outline row is filled in from a skeleton shared by every learner
(``skeleton.outline_rows``), so the page costs the same whatever the roadmap's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi, gettext, ngettext

from learnmap.catalog.models import Roadmap
from learnmap.learning import selectors
from learnmap.learning.figures import Figures, LearnerState, RoadmapFigures
from learnmap.learning.learners import Learner
from learnmap.learning.map import MapItem, NodeMark, RoadmapMap, map_svg, roadmap_map_get
from learnmap.learning.news import NO_NEWS, RoadmapNews
from learnmap.learning.pages.labels import (
    STATES,
    NodeUrls,
    node_key_url,
    state_icon_html,
    state_label,
)
from learnmap.learning.selectors import RoadmapProgress

# --- the roadmap page -----------------------------------------------------------------------------


@dataclass
class OutlineNode:
    """A section or topic as the outline and the map show it to this learner."""

    item: MapItem
    url: str
    state: str  # the learner's own state on it
    shown: str  # what the page shows: for a section with topics, where its topics are
    chosen: bool = False  # an elective section the learner chose
    has_note: bool = False
    new: bool = False  # changed since the learner's last visit (``news``)
    figures: Figures | None = None  # a section's figures
    topics: list[OutlineNode] = field(default_factory=list)
    row_html: SafeString = field(default=SafeString(""))  # a section's row in the outline

    @property
    def key(self) -> UUID:
        return self.item.key

    @property
    def slug(self) -> str:
        return self.item.slug

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def needs_resources(self) -> bool:
        return self.item.needs_resources

    @property
    def is_elective_section(self) -> bool:
        return self.item.is_section and self.item.kind == "elective"

    @property
    def state_label(self) -> str:
        return state_label(self.shown)

    @property
    def v(self) -> dict[str, SafeString]:
        """What depends on the learner, ready for a page (see ``row_values``)."""
        return row_values(self)


def row_values(node: OutlineNode) -> dict[str, SafeString]:
    """Everything of a node's outline row that depends on the learner, as escaped HTML:
    what fills an outline skeleton's slots (``outline_row.html``)."""
    badges = []
    if node.is_elective_section and node.chosen:
        badges.append(format_html('<span class="badge badge--accent">{}</span>', gettext("Chosen")))
    if node.has_note:
        badges.append(format_html('<span class="badge badge--muted">{}</span>', gettext("Note")))
    if node.new:
        badges.append(new_badge_html())
    values = {
        "icon": state_icon_html(node.shown),
        "state_label": escape(node.state_label),
        "row_class": SafeString(" is-chosen" if node.chosen else ""),
        "badges": SafeString("".join(f" {badge}" for badge in badges)),
        "oob": SafeString(""),
    }
    for state in STATES:
        values[f"p_{state}"] = SafeString("true" if node.state == state else "false")
    figures = node.figures
    if node.topics and figures is not None:
        values["fig_class"] = SafeString(" progress--success" if figures.complete else "")
        values["fig_done"] = SafeString(str(figures.done))
        values["fig_max"] = SafeString(str(figures.denominator or 1))
        values["fig_text"] = escape(
            gettext("%(done)s of %(total)s done")
            % {"done": figures.done, "total": figures.denominator}
        )
    if node.is_elective_section:
        if node.chosen:
            label = gettext("Drop “%(title)s” from my progress") % {"title": node.title}
        else:
            label = gettext("Choose “%(title)s”: count it in my progress") % {"title": node.title}
        values["el_value"] = SafeString("0" if node.chosen else "1")
        values["el_class"] = SafeString("" if node.chosen else " btn--primary")
        values["el_label"] = escape(label)
        values["el_text"] = escape(gettext("Drop") if node.chosen else gettext("Choose"))
    return values


def new_badge_html() -> SafeString:
    """The "New" marker of a node changed since the learner's last visit: a word (not a
    colour alone), and for screen readers what it means."""
    return format_html(
        '<span class="badge badge--new">{}<span class="visually-hidden"> ({})</span></span>',
        gettext("New"),
        gettext("changed since your last visit"),
    )


@dataclass(frozen=True)
class RetiredNode:
    """A node gone from the Markdown that the learner has progress on."""

    key: UUID
    title: str
    state: str
    url: str

    @property
    def state_label(self) -> str:
        return state_label(self.state)


@dataclass
class RoadmapPage:
    roadmap: Roadmap
    progress: RoadmapProgress
    roadmap_map: RoadmapMap
    steps: list[OutlineNode]
    hub: OutlineNode | None
    electives: list[OutlineNode]
    extras: list[OutlineNode]
    others: list[OutlineNode]
    retired: list[RetiredNode]
    by_id: dict[int, OutlineNode]
    news: RoadmapNews = NO_NEWS

    @property
    def new_sections(self) -> int:
        """How many sections on the page changed since the learner's last visit."""
        return sum(1 for n in self.by_id.values() if n.new and n.item.is_section)

    @property
    def figures(self) -> RoadmapFigures:
        return self.progress.figures

    @property
    def overall(self) -> Figures:
        return self.progress.figures.overall

    def node(self, key: UUID) -> OutlineNode | None:
        return next((n for n in self.by_id.values() if n.key == key), None)

    def section_of(self, node: OutlineNode) -> OutlineNode:
        parent = node.item.parent_id
        return self.by_id[parent] if parent is not None else node

    def svg(self) -> SafeString:
        return map_svg(
            roadmap_map=self.roadmap_map,
            marks=self._marks(),
            rtl=get_language_bidi(),
            title=gettext("Map of %(title)s") % {"title": self.roadmap.title},
            group_labels={
                "electives": gettext("Electives: choose the ones you want"),
                "extras": gettext("Extras"),
            },
            describedby="outline-title",
            new_word=gettext("New"),
        )

    def _marks(self) -> dict[int, NodeMark]:
        marks = {}
        for node in self.by_id.values():
            marks[node.item.id] = NodeMark(
                state=node.shown,
                url=node.url,
                label=_aria_label(node, node.item.id == (self.hub.item.id if self.hub else None)),
                meta=self._meta(node),
                chosen=node.chosen,
                new=node.new,
            )
        return marks

    def _meta(self, node: OutlineNode) -> tuple[tuple[str, str], ...]:
        """The small lines under a node's title on the map: (text, tone)."""
        item = node.item
        needs = (gettext("Needs resources"), "needs")
        if item.needs_resources and item.total_resources:
            # "(In Progress)" with its first resources: how many, and that more are welcome.
            count = ngettext("%(count)s resource", "%(count)s resources", item.total_resources)
            needs = (count % {"count": item.total_resources} + " · " + needs[0], "needs")
        if self.hub is not None and node is self.hub:
            text = gettext("%(chosen)s of %(total)s electives chosen") % {
                "chosen": self.figures.electives_chosen,
                "total": self.figures.electives_available,
            }
            return ((text, ""),)
        if not item.is_section:
            return (needs,) if item.needs_resources else ()
        if item.kind == "elective":
            chosen = (gettext("✓ Chosen"), "chosen") if node.chosen else (gettext("Not chosen"), "")
            return (chosen, needs) if item.needs_resources else (chosen,)
        if item.needs_resources:
            return (needs,)
        if item.children and node.figures is not None:
            text = gettext("%(done)s of %(total)s done") % {
                "done": node.figures.done,
                "total": node.figures.denominator,
            }
            return ((text, ""),)
        count = item.total_resources
        text = ngettext("%(count)s resource", "%(count)s resources", count) % {"count": count}
        return ((text, ""),)


def _kind_label(node: OutlineNode, is_hub: bool) -> str:
    item = node.item
    if is_hub:
        return gettext("where the electives start")
    if not item.is_section:
        return gettext("topic")
    return {
        "step": gettext("ordered step"),
        "elective": gettext("elective"),
        "extra": gettext("extra"),
    }.get(item.kind, gettext("section"))


def _aria_label(node: OutlineNode, is_hub: bool) -> str:
    parts = [_kind_label(node, is_hub)]
    if not is_hub:
        parts.append(state_label(node.shown).lower())
    if node.needs_resources:
        parts.append(gettext("needs resources"))
    if node.is_elective_section:
        parts.append(gettext("chosen") if node.chosen else gettext("not chosen"))
    if node.new:
        parts.append(gettext("new since your last visit"))
    return f"{node.title}: " + ", ".join(parts)


def shown_state(own: str, figures: Figures | None, has_topics: bool) -> str:
    """What a node shows: its own state, or for a section with topics where its topics are."""
    if not has_topics or figures is None or figures.total == 0:
        return own
    if figures.skipped == figures.total:
        return "skipped"
    if figures.complete:
        return "done"
    if figures.done or figures.in_progress:
        return "in_progress"
    return own


def roadmap_page_build(
    *, roadmap: Roadmap, learner: Learner, news: RoadmapNews = NO_NEWS
) -> RoadmapPage:
    """Everything the roadmap page shows: one query for a signed-in learner when the
    roadmap's structure and map are cached, none for an anonymous one."""
    progress = selectors.roadmap_progress_get(learner=learner, roadmap=roadmap)
    return roadmap_page_from(roadmap=roadmap, progress=progress, news=news)


def roadmap_page_from(
    *, roadmap: Roadmap, progress: RoadmapProgress, news: RoadmapNews = NO_NEWS
) -> RoadmapPage:
    """The page from the learner's progress and ``news`` (the nodes changed since their last
    visit, each marked "New")."""
    roadmap_map = roadmap_map_get(roadmap=roadmap)
    state: LearnerState = progress.state
    figures_by_key = {s.key: s.figures for s in progress.figures.sections}
    url = NodeUrls(roadmap.slug)
    by_id: dict[int, OutlineNode] = {}
    for item in roadmap_map.items:
        own = state.state_of(item.key)
        figures = figures_by_key.get(item.key) if item.is_section else None
        node = OutlineNode(
            item=item,
            url=url(item.slug),
            state=own,
            shown=shown_state(own, figures, bool(item.children)),
            chosen=item.key in state.electives,
            has_note=item.key in state.notes,
            new=news.is_new(item.key),
            figures=figures,
        )
        by_id[item.id] = node
    for node in by_id.values():
        node.topics = [by_id[i] for i in node.item.children]

    structure = progress.structure
    retired = []
    for key in progress.figures.retired_with_progress:
        info = structure.by_key.get(key)
        if info is not None:
            retired.append(
                RetiredNode(
                    key=key, title=info.title, state=state.state_of(key), url=node_key_url(key)
                )
            )
    return RoadmapPage(
        roadmap=roadmap,
        progress=progress,
        roadmap_map=roadmap_map,
        steps=[by_id[i] for i in roadmap_map.steps],
        hub=by_id[roadmap_map.hub] if roadmap_map.hub is not None else None,
        electives=[by_id[i] for i in roadmap_map.electives],
        extras=[by_id[i] for i in roadmap_map.extras],
        others=[by_id[i] for i in roadmap_map.others],
        retired=retired,
        by_id=by_id,
        news=news,
    )


def learner_touches_roadmap(*, state: LearnerState, structure) -> bool:
    """Whether an (anonymous) learner's state says anything about this roadmap."""
    keys = structure.by_key
    return any(
        key in keys
        for group in (state.node_states, state.resources_done, state.electives, state.notes)
        for key in group
    )
