"""Outline skeletons: a section's outline row rendered once per roadmap revision and language
(``learning/outline_row.html`` with slots where the learner's state goes) and kept in the
cache; each request fills the slots (``outline_rows``), so the roadmap page costs the same
whatever the roadmap's size and no template renders per node.

A skeleton is shared by every learner, so its template sees a node only through
``SkeletonNode``: the fields on ``SKELETON_FIELDS`` and slots for the rest.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from learnmap.catalog import cache
from learnmap.learning.page_cache import code_fingerprint
from learnmap.learning.pages.outline import OutlineNode, row_values

if TYPE_CHECKING:
    from learnmap.learning.pages.outline import RoadmapPage

# --- outline skeletons: rendered once per roadmap revision and language, filled per learner ------

OUTLINE_VERSION = 4
OUTLINE_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Skeleton:
    """A section's outline row cut at its slots: ``texts[0]``, the value of ``slots[0]``,
    ``texts[1]``, ... ``texts[-1]``; a slot is (node id, value name) (see ``row_values``)."""

    texts: tuple[str, ...]
    slots: tuple[tuple[int, str], ...]


class Slots:
    """Stands for a node's learner-specific values while a skeleton renders: ``v.icon`` is a
    marker that ``skeleton_cut`` turns into the slot (node id, "icon").

    The markers carry a secret drawn for that rendering (``nonce``), so nothing a roadmap holds
    can look like one: a title with any characters at all is text of the skeleton."""

    def __init__(self, node_id: int, nonce: str):
        self.node_id = node_id
        self.nonce = nonce

    def __getitem__(self, name: str) -> SafeString:
        return SafeString(f"{_slot_marker(self.nonce)}{self.node_id}.{name}.")


def _slot_marker(nonce: str) -> str:
    return f"[learnmap-slot-{nonce}:"


# What a skeleton (shared by every learner) may read of a node: what the roadmap says. The
# learner's state, figures, choices and notes are slots (``v``), filled per request.
SKELETON_FIELDS = frozenset(
    {"item", "key", "slug", "title", "url", "needs_resources", "is_elective_section"}
)


class SkeletonFieldError(Exception):
    """A skeleton's template asked for a field not on ``SKELETON_FIELDS``. Not an
    AttributeError, which templates would swallow into an empty string."""


class SkeletonNode:
    """An ``OutlineNode`` as a skeleton sees it: the fields on ``SKELETON_FIELDS``, slots for
    the rest (``v``); asking for anything else is an error, never the learner's value."""

    __slots__ = ("_node", "topics", "v")

    def __init__(self, node: OutlineNode, nonce: str):
        self._node = node
        self.v = Slots(node.item.id, nonce)
        self.topics = [SkeletonNode(topic, nonce) for topic in node.topics]

    def __getattr__(self, name: str):
        if name in SKELETON_FIELDS:
            return getattr(self._node, name)
        if name.startswith("__"):
            raise AttributeError(name)
        raise SkeletonFieldError(
            f"An outline skeleton may not read {name!r} of a node (it is shared by every "
            f"learner): use a slot (section.v.{name}) or add it to SKELETON_FIELDS."
        )


def skeleton_cut(rendered: str, nonce: str) -> Skeleton:
    parts = re.split(rf"{re.escape(_slot_marker(nonce))}(\d+)\.(\w+)\.", rendered)
    return Skeleton(
        texts=tuple(parts[0::3]),
        slots=tuple(zip(map(int, parts[1::3]), parts[2::3], strict=True)),
    )


def _outline_skeletons(page: RoadmapPage) -> dict[int, Skeleton]:
    """Each section's outline row cut at its slots, from the cache (rendered when missing)."""
    key = cache.revision_key(
        "outline", OUTLINE_VERSION, page.roadmap, code_fingerprint(), get_language()
    )

    def build() -> dict[int, Skeleton]:
        template = get_template("learning/outline_row.html")
        compact = page.roadmap_map.compact  # topics summarised: see ``map.TOPICS_SHOWN_MAX``
        nonce = secrets.token_hex(16)
        return {
            section.item.id: skeleton_cut(
                template.render({"section": SkeletonNode(section, nonce), "compact": compact}),
                nonce,
            )
            for section in (*page.steps, *page.electives, *page.extras)
        }

    return cache.cached(key, build, expect=_are_skeletons, timeout=OUTLINE_CACHE_SECONDS)


def _are_skeletons(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, int) and isinstance(v, Skeleton) for k, v in value.items()
    )


def outline_fill(skeleton: Skeleton, values: Mapping[int, Mapping[str, str]]) -> str:
    """A skeleton with every slot replaced by the learner's value (already escaped)."""
    parts = [skeleton.texts[0]]
    for (node_id, name), text in zip(skeleton.slots, skeleton.texts[1:], strict=True):
        parts += (values[node_id][name], text)
    return "".join(parts)


def outline_rows(page: RoadmapPage, *, only: int | None = None, oob: bool = False) -> None:
    """Set ``row_html`` on the page's sections (or only on section ``only``); ``oob``: marked
    for htmx to swap in out of band (a change's answer)."""
    skeletons = _outline_skeletons(page)
    sections = [page.by_id[only]] if only is not None else list(page.by_id.values())
    for section in sections:
        skeleton = skeletons.get(section.item.id)
        if skeleton is None:
            continue
        nodes = [section, *section.topics]
        values = {node.item.id: row_values(node) for node in nodes}
        if oob:
            values[section.item.id]["oob"] = SafeString(' hx-swap-oob="true"')
        section.row_html = mark_safe(  # noqa: S308  # the skeleton is a rendered template,
            outline_fill(skeleton, values)  # the values are escaped HTML
        )
