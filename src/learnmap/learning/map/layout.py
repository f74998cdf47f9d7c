"""Laying a roadmap out as a map (pure): where every node, line and frame goes.

See ``learning.map`` for the picture. Labels are wrapped to at most two or three lines by
``learning.map.text`` (widths estimated: the server has no fonts); this module groups the nodes
(``map_build``) and places them (``map_layout``). The layout depends only on the roadmap, so it
is computed once per import revision and cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from uuid import UUID

from learnmap.learning.map.text import wrap

# Geometry (SVG user units; 1 unit is 1 CSS pixel when the map is shown at its natural size).
WIDTH = 360
PAD = 12
SPINE_X = 26
STEP_R = 13
STEP_LABEL_X = 50
TOPIC_R = 7
TOPIC_X = 62
TOPIC_LABEL_X = 76
CARD_GAP = 8
CARD_PAD = 8
CARD_R = 8
CARD_TOPIC_R = 5

# Fonts: size, line height, bold.
STEP_FONT = (15, 19, True)
TOPIC_FONT = (13, 17, False)
CARD_FONT = (13, 17, True)
CARD_TOPIC_FONT = (12, 15, False)
META_FONT = (11, 15, False)

# --- what the map shows ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapItem:
    """A node of the roadmap as the map and the outline know it."""

    id: int
    key: UUID
    slug: str
    title: str
    node_type: str  # "section" | "topic"
    kind: str  # "step" | "elective" | "extra" | "text"
    step: int | None
    in_progress: bool  # marked "(In Progress)" in the Markdown
    resource_count: int  # its own resources
    total_resources: int  # its own and its topics'
    parent_id: int | None
    children: tuple[int, ...] = ()

    @property
    def needs_resources(self) -> bool:
        """An "(In Progress)" node or one with nothing to learn from yet."""
        if self.kind == "text" and self.node_type == "section":
            return False
        return self.in_progress or self.total_resources == 0

    @property
    def is_section(self) -> bool:
        return self.node_type == "section"


@dataclass(frozen=True, slots=True)
class Shape:
    """Where one node is drawn. ``x``/``y`` is its marker's centre."""

    item_id: int
    variant: str  # "station" (a step), "stop" (a topic), "hub", "card", "card-stop"
    x: float
    y: float
    r: float
    label_x: float
    label_ys: tuple[float, ...]  # one baseline per line
    lines: tuple[str, ...]
    truncated: bool
    font: str  # "step" | "topic" | "card" | "card-topic"
    meta_ys: tuple[float, ...]  # baselines of the small lines under the label
    hit: tuple[float, float, float, float]  # x, y, width, height of the link's area
    card: tuple[float, float, float, float] | None = None  # a card's frame


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of line: part of the path (``after`` = the station it leaves) or a branch."""

    x1: float
    y1: float
    x2: float
    y2: float
    after: int | None = None  # the path segment is "walked" once this node is done
    kind: str = "path"  # "path" | "branch"


@dataclass(frozen=True, slots=True)
class Frame:
    """A group's frame and title: the electives, the extras."""

    group: str  # "electives" | "extras"
    x: float
    y: float
    width: float
    height: float
    label_y: float


@dataclass(frozen=True)
class Layout:
    width: int
    height: float
    shapes: tuple[Shape, ...]  # in reading (and keyboard) order
    segments: tuple[Segment, ...]
    frames: tuple[Frame, ...]


@dataclass(frozen=True)
class RoadmapMap:
    """A roadmap's nodes grouped the way the map draws them, and the map's layout."""

    items: tuple[MapItem, ...]  # document order
    steps: tuple[int, ...]
    hub: int | None  # the text section that marks where the electives start
    electives: tuple[int, ...]
    extras: tuple[int, ...]
    others: tuple[int, ...]  # other text sections (prose): in the outline only
    layout: Layout
    by_id: Mapping[int, MapItem] = field(repr=False)
    # More than ``TOPICS_SHOWN_MAX`` topics: the map and the outline show the sections only
    # (each says how far its topics are done); a section's page lists its topics.
    compact: bool = False

    def item(self, item_id: int) -> MapItem:
        return self.by_id[item_id]

    def topics(self, item_id: int) -> tuple[MapItem, ...]:
        return tuple(self.by_id[i] for i in self.by_id[item_id].children)


# Up to this many topics, the map draws them and the outline lists each with its state buttons
# (~2.2 KB of HTML a topic, so ~140 KB at the limit); beyond, both show the sections only.
TOPICS_SHOWN_MAX = 50


def map_build(*, rows: list[dict], electives_start: str = "") -> RoadmapMap:
    """Group a roadmap's active nodes (``catalog.selectors.node_outline`` rows) and lay them
    out (pure); over ``TOPICS_SHOWN_MAX`` topics, without them (``RoadmapMap.compact``)."""
    children: dict[int, list[int]] = {}
    for row in rows:
        if row["parent_id"] is not None:
            children.setdefault(row["parent_id"], []).append(row["id"])
    own = {row["id"]: row["resource_count"] for row in rows}
    items = tuple(
        MapItem(
            id=row["id"],
            key=row["key"],
            slug=row["slug"],
            title=row["title"],
            node_type=row["node_type"],
            kind=row["kind"],
            step=row["step"],
            in_progress=row["in_progress"],
            resource_count=row["resource_count"],
            total_resources=row["resource_count"]
            + sum(own.get(i, 0) for i in children.get(row["id"], ())),
            parent_id=row["parent_id"],
            children=tuple(children.get(row["id"], ())),
        )
        for row in rows
    )
    sections = [i for i in items if i.parent_id is None]
    hub = next((s.id for s in sections if s.slug == electives_start and s.kind == "text"), None)
    groups: dict[str, list[int]] = {"step": [], "elective": [], "extra": [], "text": []}
    for section in sections:
        if section.id != hub:
            groups.setdefault(section.kind, []).append(section.id)
    by_id = {i.id: i for i in items}
    steps, electives, extras = groups["step"], groups["elective"], groups["extra"]
    compact = len(items) - len(sections) > TOPICS_SHOWN_MAX
    drawn = {i: replace(item, children=()) for i, item in by_id.items()} if compact else by_id
    return RoadmapMap(
        items=items,
        steps=tuple(steps),
        hub=hub,
        electives=tuple(electives),
        extras=tuple(extras),
        others=tuple(groups["text"]),
        layout=map_layout(by_id=drawn, steps=steps, hub=hub, electives=electives, extras=extras),
        by_id=by_id,
        compact=compact,
    )


# --- layout ---------------------------------------------------------------------------------------


def _label(text: str, x: float, first_baseline: float, width: float, font, max_lines: int):
    size, height, bold = font
    lines, truncated = wrap(text, width, size, bold, max_lines)
    return tuple(lines), truncated, tuple(first_baseline + i * height for i in range(len(lines)))


def map_layout(
    *,
    by_id: Mapping[int, MapItem],
    steps: list[int],
    hub: int | None,
    electives: list[int],
    extras: list[int],
) -> Layout:
    """Place every node (pure): see the module docstring."""
    shapes: list[Shape] = []
    segments: list[Segment] = []
    frames: list[Frame] = []
    y = PAD + 4.0
    previous: tuple[int, float] | None = None  # (station id, its bottom)

    def join_path(station_id: int, top: float) -> None:
        nonlocal previous
        if previous is not None:
            segments.append(Segment(SPINE_X, previous[1], SPINE_X, top, after=previous[0]))

    for step_id in steps:
        item = by_id[step_id]
        station, bottom = _station(item, y, "station")
        join_path(step_id, station.y - STEP_R)
        shapes.append(station)
        y = bottom + 10
        for topic_id in item.children:
            topic = by_id[topic_id]
            ty = y + TOPIC_R + 1
            lines, truncated, ys = _label(
                topic.title, TOPIC_LABEL_X, ty + 4.5, WIDTH - TOPIC_LABEL_X - PAD, TOPIC_FONT, 2
            )
            meta_y = ys[-1] + META_FONT[1] if topic.needs_resources else None
            tbottom = max(ty + TOPIC_R, (meta_y or ys[-1]) + 4)
            segments.append(Segment(SPINE_X, ty, TOPIC_X - TOPIC_R, ty, kind="branch"))
            shapes.append(
                Shape(
                    item_id=topic_id,
                    variant="stop",
                    x=TOPIC_X,
                    y=ty,
                    r=TOPIC_R,
                    label_x=TOPIC_LABEL_X,
                    label_ys=ys,
                    lines=lines,
                    truncated=truncated,
                    font="topic",
                    meta_ys=(meta_y,) if meta_y else (),
                    hit=(
                        TOPIC_X - TOPIC_R - 4,
                        y - 3,
                        WIDTH - PAD - TOPIC_X + TOPIC_R + 8,
                        tbottom - y + 6,
                    ),
                )
            )
            y = tbottom + 7
        previous = (step_id, station.y + STEP_R)
        y += 10

    branch_from: tuple[float, float] | None = (SPINE_X, previous[1]) if previous else None
    if hub is not None:
        station, bottom = _station(by_id[hub], y, "hub")
        join_path(hub, station.y - STEP_R)
        shapes.append(station)
        branch_from = (SPINE_X, station.y + STEP_R)
        y = bottom + 12

    for group, ids in (("electives", electives), ("extras", extras)):
        if not ids:
            continue
        top = y + (14 if group == "electives" else 10)
        if group == "electives" and branch_from is not None:
            segments.append(Segment(*branch_from, SPINE_X, top, kind="branch"))
        y = _grid(by_id, ids, group, top, shapes, frames)

    return Layout(
        width=WIDTH,
        height=round(y + PAD),
        shapes=tuple(shapes),
        segments=tuple(segments),
        frames=tuple(frames),
    )


def _station(item: MapItem, y: float, variant: str) -> tuple[Shape, float]:
    """A step (or the electives' hub) on the path, its top at ``y``; and its bottom."""
    cy = y + STEP_R
    lines, truncated, ys = _label(
        item.title, STEP_LABEL_X, cy + 5, WIDTH - STEP_LABEL_X - PAD, STEP_FONT, 2
    )
    meta_y = ys[-1] + META_FONT[1] + 1
    bottom = max(cy + STEP_R, meta_y + 4)
    shape = Shape(
        item_id=item.id,
        variant=variant,
        x=SPINE_X,
        y=cy,
        r=STEP_R,
        label_x=STEP_LABEL_X,
        label_ys=ys,
        lines=lines,
        truncated=truncated,
        font="step",
        meta_ys=(meta_y,),
        hit=(PAD - 4, y - 4, WIDTH - 2 * PAD + 8, bottom - y + 8),
    )
    return shape, bottom


def _grid(by_id, ids, group: str, top: float, shapes: list[Shape], frames: list[Frame]) -> float:
    """Cards in two columns inside a titled frame; returns the y below the frame."""
    columns = 2
    frame_x, frame_w = PAD, WIDTH - 2 * PAD
    cell_w = (frame_w - 2 * CARD_PAD - (columns - 1) * CARD_GAP) / columns
    label_y = top + 20
    y = top + 30
    for start in range(0, len(ids), columns):
        row = ids[start : start + columns]
        cards: list[tuple[Shape, list[Shape], float]] = []
        for column, item_id in enumerate(row):
            x = frame_x + CARD_PAD + column * (cell_w + CARD_GAP)
            cards.append(_card(by_id, item_id, x, y, cell_w, group))
        height = max(bottom for _s, _t, bottom in cards) - y
        for card, topics, _bottom in cards:
            x = card.card[0]
            shapes.append(_replace_card(card, (x, y, cell_w, height)))
            shapes.extend(topics)
        y += height + CARD_GAP
    bottom = y - CARD_GAP + CARD_PAD
    frames.append(Frame(group, frame_x, top, frame_w, bottom - top, label_y))
    return bottom + 6


def _replace_card(card: Shape, frame: tuple[float, float, float, float]) -> Shape:
    x, y, w, _h = card.hit
    return Shape(
        **{name: getattr(card, name) for name in Shape.__slots__ if name not in ("hit", "card")},
        hit=(x, y, w, frame[3]),
        card=frame,
    )


def _card(by_id, item_id: int, x: float, y: float, width: float, group: str):
    item = by_id[item_id]
    cx, cy = x + 16, y + 17
    label_x = x + 30
    lines, truncated, ys = _label(item.title, label_x, y + 21, width - 38, CARD_FONT, 3)
    meta_lines = 2 if group == "electives" and item.needs_resources else 1
    meta_ys = tuple(ys[-1] + META_FONT[1] * (i + 1) for i in range(meta_lines))
    bottom = meta_ys[-1] + 6
    card = Shape(
        item_id=item_id,
        variant="card",
        x=cx,
        y=cy,
        r=CARD_R,
        label_x=label_x,
        label_ys=ys,
        lines=lines,
        truncated=truncated,
        font="card",
        meta_ys=meta_ys,
        hit=(x, y, width, 0),
        card=(x, y, width, 0),
    )
    topics: list[Shape] = []
    for topic_id in item.children:
        topic = by_id[topic_id]
        ty = bottom + CARD_TOPIC_R + 2
        t_lines, t_truncated, t_ys = _label(
            topic.title, x + 27, ty + 4, width - 35, CARD_TOPIC_FONT, 2
        )
        meta_y = t_ys[-1] + META_FONT[1] - 1 if topic.needs_resources else None
        t_bottom = max(ty + CARD_TOPIC_R, (meta_y or t_ys[-1]) + 4)
        topics.append(
            Shape(
                item_id=topic_id,
                variant="card-stop",
                x=cx,
                y=ty,
                r=CARD_TOPIC_R,
                label_x=x + 27,
                label_ys=t_ys,
                lines=t_lines,
                truncated=t_truncated,
                font="card-topic",
                meta_ys=(meta_y,) if meta_y else (),
                hit=(x + 4, bottom - 1, width - 8, t_bottom - bottom + 3),
            )
        )
        bottom = t_bottom + 3
    return card, topics, bottom + 6
