"""Matching what a re-import parses to what the catalog already holds.

Identity is what keeps a learner's progress attached when a maintainer edits the Markdown:
reordering, retitling a section or a resource, moving a resource, or adding lines must update
the existing rows in place. Plain data in, a mapping out: no database here.

Nodes (sections and topics) match, in order of confidence:
  1. the same type and the same slug (the heading text did not change);
  2. the same type and mostly the same resource URLs (the heading was retitled);
  3. the same type and a similar title (a retitled node with no resources to go by).
Resources match by:
  1. the same URL in the same (matched) node, with the same title and the same other fields
     first, then the same title (a list may hold one URL twice, under two titles or for two
     levels: removing or editing one must not hand its row to the other);
  2. the same URL anywhere (the resource moved), the same title first;
  3. the same title in the same node (the URL was changed).
Retired rows take part too, so an item that comes back is restored rather than duplicated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

URL_OVERLAP_MIN = 0.5
TITLE_SIMILARITY_MIN = 0.6


@dataclass(frozen=True, slots=True)
class NodeRecord:
    ref: Hashable  # a row id (stored) or an index (parsed)
    node_type: str
    slug: str
    title: str
    urls: frozenset[str]
    retired: bool = False


@dataclass(frozen=True, slots=True)
class ResourceRecord:
    ref: Hashable
    node: Hashable  # the stored node id (for parsed resources: the node it maps to, or None)
    url: str
    title: str
    retired: bool = False
    # The rest of what the item says (author, tags, labels...): two items with one link and
    # one title in one node (the same book listed for two levels) are told apart by it.
    detail: tuple = ()


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _pair_in_order(
    mapping: dict[Hashable, Hashable],
    taken: set[Hashable],
    new: Iterable,
    old_by_key: dict[Hashable, list],
    key,
) -> None:
    """Pair unmatched new records with unmatched old ones sharing ``key``, first come first."""
    for record in new:
        if record.ref in mapping:
            continue
        for candidate in old_by_key.get(key(record), ()):
            if candidate.ref not in taken:
                mapping[record.ref] = candidate.ref
                taken.add(candidate.ref)
                break


def _bucket(records: Iterable, key) -> dict[Hashable, list]:
    buckets: dict[Hashable, list] = defaultdict(list)
    for record in records:
        # Active rows are preferred to retired ones when both share a key.
        buckets[key(record)].append(record)
    for rows in buckets.values():
        rows.sort(key=lambda r: r.retired)
    return buckets


def match_nodes(new: Sequence[NodeRecord], old: Sequence[NodeRecord]) -> dict[Hashable, Hashable]:
    """Map each parsed node's ref to the stored node's ref it continues, where one does."""
    mapping: dict[Hashable, Hashable] = {}
    taken: set[Hashable] = set()

    def by_slug(r: NodeRecord):
        return (r.node_type, r.slug)

    _pair_in_order(mapping, taken, new, _bucket(old, by_slug), by_slug)

    # Retitled nodes: the best resource-URL overlap wins, strongest pairs first.
    scored = []
    for n in new:
        if n.ref in mapping or not n.urls:
            continue
        for o in old:
            if o.ref in taken or o.node_type != n.node_type or not o.urls:
                continue
            overlap = len(n.urls & o.urls) / len(n.urls | o.urls)
            if overlap >= URL_OVERLAP_MIN:
                scored.append((overlap, o.retired is False, n.ref, o.ref))
    for _, _, n_ref, o_ref in sorted(scored, key=lambda s: (s[0], s[1]), reverse=True):
        if n_ref not in mapping and o_ref not in taken:
            mapping[n_ref] = o_ref
            taken.add(o_ref)

    # Retitled nodes without resources: a similar title of the same type.
    scored = []
    for n in new:
        if n.ref in mapping:
            continue
        for o in old:
            if o.ref in taken or o.node_type != n.node_type:
                continue
            ratio = SequenceMatcher(None, _norm(n.title), _norm(o.title)).ratio()
            if ratio >= TITLE_SIMILARITY_MIN:
                scored.append((ratio, o.retired is False, n.ref, o.ref))
    for _, _, n_ref, o_ref in sorted(scored, key=lambda s: (s[0], s[1]), reverse=True):
        if n_ref not in mapping and o_ref not in taken:
            mapping[n_ref] = o_ref
            taken.add(o_ref)
    return mapping


def match_resources(
    new: Sequence[ResourceRecord], old: Sequence[ResourceRecord]
) -> dict[Hashable, Hashable]:
    """Map each parsed resource's ref to the stored resource's ref it continues."""
    mapping: dict[Hashable, Hashable] = {}
    taken: set[Hashable] = set()
    titles = {id(r): _norm(r.title) for records in (new, old) for r in records}
    keys = (
        lambda r: (r.node, r.url, titles[id(r)], r.detail),
        lambda r: (r.node, r.url, titles[id(r)]),
        lambda r: (r.node, r.url),
        lambda r: (r.url, titles[id(r)]),
        lambda r: r.url,
        lambda r: (r.node, titles[id(r)]),
    )
    for key in keys:
        # Each rule only looks at what the rules before it left unpaired (after an edit,
        # usually a handful of the thousands of rows).
        new = [r for r in new if r.ref not in mapping]
        old = [r for r in old if r.ref not in taken]
        if not new or not old:
            break
        _pair_in_order(mapping, taken, new, _bucket(old, key), key)
    return mapping
