"""Drawing a laid-out map as an inline SVG for one learner (pure; every text escaped).

Every node is an ``<a>`` (keyboard-reachable, its ``aria-label`` saying the state); states
show by colour and by an icon; a right-to-left page gets the drawing mirrored (every x becomes
``width - x``) with each label anchored by its own direction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learnmap.learning.map.layout import (
    META_FONT,
    SPINE_X,
    TOPIC_R,
    TOPIC_X,
    RoadmapMap,
    Shape,
)
from learnmap.learning.map.text import text_width

# --- rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeMark:
    """How one node looks for one learner."""

    state: str  # what the map shows: the node's own state, or its topics' for a section
    url: str
    label: str  # the link's accessible name (title, kind, state...)
    meta: tuple[tuple[str, str], ...] = ()  # the small lines under the title: (text, tone)
    chosen: bool = False  # an elective the learner chose
    new: bool = False  # changed since the learner's last visit: a "New" tag by the title


def _bidi(text: str) -> str:
    """ "rtl" if the text's first strong character is right-to-left, else "ltr"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def _n(value: float) -> str:
    """A coordinate, short: 12 or 12.5."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


class _Canvas:
    """Coordinates and text anchors, mirrored for a right-to-left page."""

    def __init__(self, width: float, rtl: bool):
        self.width = width
        self.rtl = rtl

    def x(self, x: float) -> str:
        return _n(self.width - x if self.rtl else x)

    def rect_x(self, x: float, w: float) -> str:
        return _n(self.width - x - w if self.rtl else x)

    def text(self, lines, x: float, ys, css: str, *, title: str = "") -> str:
        """A (multi-line) label whose start is at ``x`` on the page's reading side."""
        direction = _bidi(title or "".join(lines))
        page = "rtl" if self.rtl else "ltr"
        anchor = "start" if direction == page else "end"
        tspans = "".join(
            f'<tspan x="{self.x(x)}" y="{_n(y)}">{escape(line)}</tspan>'
            for line, y in zip(lines, ys, strict=True)
        )
        return f'<text class="{css}" direction="{direction}" text-anchor="{anchor}">{tspans}</text>'


def _marker(c: _Canvas, shape: Shape, state: str, hatched: bool) -> str:
    x, y, r = c.x(shape.x), _n(shape.y), shape.r
    classes = f"map-dot map-dot--{state}" + (" map-dot--empty" if hatched else "")
    if shape.variant == "hub":
        d = r + 1
        body = (
            f'<path class="map-dot map-dot--hub" d="M{x} {_n(shape.y - d)}l{_n(d)} {_n(d)}'
            f'l{_n(-d)} {_n(d)}l{_n(-d)} {_n(-d)}z"/>'
        )
        return body
    parts = [f'<circle class="{classes}" cx="{x}" cy="{y}" r="{_n(r)}"/>']
    k = r * 0.5
    cx = c.width - shape.x if c.rtl else shape.x
    if state == "done":
        # A check mark, drawn the same way in both directions (it is a symbol, not text).
        parts.append(
            f'<path class="map-icon" d="M{_n(cx - k)} {_n(shape.y)}l{_n(k * 0.7)} {_n(k * 0.7)}'
            f'l{_n(k * 1.3)} {_n(-k * 1.4)}"/>'
        )
    elif state == "in_progress":
        # The start half filled: the left one, or the right one on a right-to-left page.
        inner = max(r - 3.5, 2)
        sweep = 1 if c.rtl else 0
        parts.append(
            f'<path class="map-half" d="M{_n(cx)} {_n(shape.y - inner)}a{_n(inner)} {_n(inner)} '
            f'0 0 {sweep} 0 {_n(2 * inner)}z"/>'
        )
    elif state == "skipped":
        parts.append(
            f'<path class="map-icon map-icon--skip" d="M{_n(cx - k)} {_n(shape.y + k)}'
            f'l{_n(2 * k)} {_n(-2 * k)}"/>'
        )
    return "".join(parts)


_LABEL_FONTS = {"step": (15, True), "topic": (13, False), "card": (13, True)}
_LABEL_FONTS["card-topic"] = (12, False)
NEW_FONT = 9  # the "New" tag's text (bold)
NEW_HEIGHT = 13


def _after(x: float, text: str, size: float, bold: bool) -> float:
    """Where a tag may start after ``text`` drawn from ``x``: its estimated width with a margin
    (fonts differ: Vazirmatn, a system sans), and a gap."""
    return x + text_width(text, size, bold) * 1.15 + 8


def _new_tag(c: _Canvas, shape: Shape, mark: NodeMark, word: str) -> str:
    """The "New" tag of a node changed since the learner's last visit: a pill with the word,
    after the first small line under the title if it fits, else after the title's last line;
    for a topic with neither room, on its branch before its dot. (The link's accessible name
    says it too.)"""
    width = text_width(word, NEW_FONT, True) * 1.15 + 8
    right = shape.hit[0] + shape.hit[2] - 4
    size, bold = _LABEL_FONTS.get(shape.font, (13, False))
    places = []  # (where the tag would start, its line's baseline), the best first
    if mark.meta and shape.meta_ys:  # a short small line: the most room, the surest width
        places.append(
            (_after(shape.label_x, mark.meta[0][0], META_FONT[0], False), shape.meta_ys[0])
        )
    places.append((_after(shape.label_x, shape.lines[-1], size, bold), shape.label_ys[-1]))
    x, baseline = next(((x, y) for x, y in places if x + width <= right), (None, None))
    if x is None:
        baseline = shape.label_ys[0]
        if shape.variant == "stop" and width <= TOPIC_X - TOPIC_R - SPINE_X - 2:
            x = SPINE_X + 1 + (TOPIC_X - TOPIC_R - SPINE_X - 2 - width) / 2
            baseline = shape.y + 3.5
        else:  # over the end of the title (which the link's tooltip and name still give)
            x = right - width
    top = baseline - NEW_HEIGHT + 3
    return (
        f'<g class="map-new" aria-hidden="true"><rect x="{c.rect_x(x, width)}" y="{_n(top)}" '
        f'width="{_n(width)}" height="{NEW_HEIGHT}" rx="6.5"/>'
        f'<text x="{c.x(x + width / 2)}" y="{_n(top + NEW_HEIGHT - 3.5)}" '
        f'text-anchor="middle">{escape(word)}</text></g>'
    )


def map_svg(
    *,
    roadmap_map: RoadmapMap,
    marks: Mapping[int, NodeMark],
    rtl: bool,
    title: str,
    group_labels: Mapping[str, str],
    describedby: str = "",
    new_word: str = "New",
) -> SafeString:
    """The map as an inline ``<svg>`` for one learner (pure; every text is escaped);
    ``new_word`` tags the nodes changed since their last visit (``NodeMark.new``)."""
    layout = roadmap_map.layout
    c = _Canvas(layout.width, rtl)
    out: list[str] = [
        f'<svg class="map" id="roadmap-map-svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {layout.width} {_n(layout.height)}" width="{layout.width}" '
        f'height="{_n(layout.height)}" role="group" aria-label="{escape(title)}"'
        + (f' aria-describedby="{escape(describedby)}"' if describedby else "")
        + f' direction="{"rtl" if rtl else "ltr"}">',
        '<defs><pattern id="map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="map-hatch-bg" width="6" height="6"/>'
        '<line class="map-hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>',
    ]
    for frame in layout.frames:
        out.append(
            f'<g class="map-frame map-frame--{frame.group}">'
            f'<rect x="{c.rect_x(frame.x, frame.width)}" y="{_n(frame.y)}" '
            f'width="{_n(frame.width)}" height="{_n(frame.height)}" rx="10"/>'
            + c.text(
                [group_labels.get(frame.group, "")],
                frame.x + 10,
                [frame.label_y],
                "map-group",
            )
            + "</g>"
        )
    for seg in layout.segments:
        walked = seg.after is not None and marks.get(seg.after, None) is not None
        walked = walked and marks[seg.after].state == "done"
        css = f"map-line map-line--{seg.kind}" + (" map-line--walked" if walked else "")
        out.append(
            f'<line class="{css}" x1="{c.x(seg.x1)}" y1="{_n(seg.y1)}" '
            f'x2="{c.x(seg.x2)}" y2="{_n(seg.y2)}"/>'
        )
    for shape in layout.shapes:
        item = roadmap_map.item(shape.item_id)
        mark = marks.get(shape.item_id)
        if mark is None:
            continue
        hatched = item.needs_resources
        classes = [
            "map-node",
            f"map-node--{shape.variant}",
            f"map-node--{mark.state}",
        ]
        if hatched:
            classes.append("map-node--needs-resources")
        if mark.chosen:
            classes.append("map-node--chosen")
        if mark.new:
            classes.append("map-node--new")
        hx, hy, hw, hh = shape.hit
        parts = [
            f'<a class="{" ".join(classes)}" id="map-{escape(item.slug)}" '
            f'href="{escape(mark.url)}" aria-label="{escape(mark.label)}">'
        ]
        if shape.truncated:
            parts.append(f"<title>{escape(item.title)}</title>")
        if shape.card is not None:
            x, y, w, h = shape.card
            parts.append(
                f'<rect class="map-card" x="{c.rect_x(x, w)}" y="{_n(y)}" width="{_n(w)}" '
                f'height="{_n(h)}" rx="8"/>'
            )
            if hatched:
                parts.append(
                    f'<rect class="map-card-hatch" x="{c.rect_x(x, w)}" y="{_n(y)}" '
                    f'width="{_n(w)}" height="{_n(h)}" rx="8"/>'
                )
        parts.append(
            f'<rect class="map-hit" x="{c.rect_x(hx, hw)}" y="{_n(hy)}" width="{_n(hw)}" '
            f'height="{_n(hh)}" rx="6"/>'
        )
        parts.append(_marker(c, shape, mark.state, hatched))
        parts.append(
            c.text(
                shape.lines,
                shape.label_x,
                shape.label_ys,
                f"map-label map-label--{shape.font}",
                title=item.title,
            )
        )
        for (meta, tone), meta_y in zip(mark.meta, shape.meta_ys, strict=False):
            css = f"map-meta map-meta--{tone}" if tone else "map-meta"
            parts.append(c.text([meta], shape.label_x, [meta_y], css))
        if mark.new:
            parts.append(_new_tag(c, shape, mark, new_word))
        parts.append("</a>")
        out.append("".join(parts))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  # built from escaped text and numbers
