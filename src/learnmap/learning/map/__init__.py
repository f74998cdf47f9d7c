"""The roadmap map: a server-rendered SVG diagram of a roadmap, laid out top to bottom.

Layout (``map_layout``, pure): the ordered steps are stations on one vertical line (the path),
in order, each step's topics hanging off it; where the roadmap says the electives start (the
"Hands-on Experience" marker, ``Roadmap.electives_start``) the path ends in a hub from which
the electives branch into a grid of cards below; extras (podcasts, conferences) sit aside in a
grid of their own. The diagram is 360 units wide, so it fits a phone at full size and grows a
little on a desktop; it is only ever as tall as the roadmap needs.

Rendering (``map_svg``, pure): every node is an ``<a>`` (a link to its page, reachable by
keyboard, its ``aria-label`` saying the state), its state shown by colour *and* an icon
(hollow, half-filled, check mark, slash); "(In Progress)" and empty nodes are hatched and say
"needs resources". For a right-to-left language the drawing is mirrored (every x becomes
``width - x``) and text anchors follow each label's own direction. Everything from the Markdown
is escaped.

The layout depends only on the roadmap's import revision, so ``roadmap_map_get`` caches it
(one query when cold); a learner's states are applied at render time.
"""

from __future__ import annotations

from learnmap.catalog import cache
from learnmap.catalog import selectors as catalog_selectors
from learnmap.learning.map.layout import (
    WIDTH,
    Layout,
    MapItem,
    RoadmapMap,
    Shape,
    map_build,
    map_layout,
)
from learnmap.learning.map.svg import NodeMark, map_svg
from learnmap.learning.map.text import text_width, wrap
from learnmap.learning.page_cache import code_fingerprint

__all__ = [
    "WIDTH",
    "Layout",
    "MapItem",
    "NodeMark",
    "RoadmapMap",
    "Shape",
    "map_build",
    "map_layout",
    "map_svg",
    "roadmap_map_get",
    "text_width",
    "wrap",
]

MAP_VERSION = 2  # 2: compact (sections only) for many topics
MAP_CACHE_SECONDS = 24 * 60 * 60


# --- the cached map of a roadmap ------------------------------------------------------------------


def _cache_key(roadmap) -> str:
    return cache.revision_key("map", MAP_VERSION, roadmap, code_fingerprint())


def roadmap_map_get(*, roadmap) -> RoadmapMap:
    """The roadmap's map (groups and layout), cached per import revision: one query when
    cold, none when warm."""

    def build() -> RoadmapMap:
        return map_build(
            rows=catalog_selectors.node_outline(roadmap=roadmap),
            electives_start=roadmap.electives_start,
        )

    return cache.cached(_cache_key(roadmap), build, expect=RoadmapMap, timeout=MAP_CACHE_SECONDS)
