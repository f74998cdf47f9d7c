"""Matching what a re-import parses to what the catalog already holds.

Identity is what keeps a learner's progress attached when a maintainer edits the Markdown:
reordering, retitling a section or a resource, moving a resource, tidying a link or adding
lines must update the existing rows in place. Plain data in, a mapping out (each pairing with
the name of the rule that made it, which the dry run shows): no database here.

Nodes (sections and topics) match, each rule only among what the rules before it left:
  1. ``pinned``: a pairing the maintainer asked for ("Old title=New title", ``--rename``);
  2. ``slug``: the same type and the same slug (the heading text did not change);
  3. ``urls``: the same type and mostly the same resource links (compared by ``url_key``);
     a section's links include its topics' (a section whose resources live in its topics);
  4. ``children``: a section most of whose matched topics were the topics of one stored
     section;
  5. ``title-words``: the same type and the words of one title mostly in the other ("Caching"
     / "Caching Strategies"; ``identity.word_overlap``), the best pairs first;
  6. ``title-similar``: the same type and a similar spelling (a typo fixed);
  7. ``neighbours``: the only unmatched node (of its type, under the same parent) between two
     matched ones whose stored counterparts have exactly one unmatched node between them.
Resources match by (the link compared as written first, then by ``url_key``):
  1. ``pinned``;
  2. ``same``: the same link in the same (matched) node with the same title, the same other
     fields first (one link may be listed twice, under two titles or for two levels: removing
     or editing one must not hand its row to the other);
  3. ``link``: the same link in the same node (the title changed);
  4. ``moved``: the same link anywhere (the resource moved), the same title first;
  5. ``tidied-link``: rules 2 to 4 again with links compared by ``url_key`` (a trailing slash,
     ``www.``, ``utm_*`` added or dropped, with or without a new title);
  6. ``title``: the same title in the same node (the link changed).
Retired rows take part too, so an item that comes back is restored rather than duplicated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from learnmap.catalog.identity import WORD_OVERLAP_MIN, url_key, word_overlap

URL_OVERLAP_MIN = 0.5
TITLE_SIMILARITY_MIN = 0.6

# new ref -> (old ref, the rule that paired them)
Matches = dict[Hashable, tuple[Hashable, str]]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    ref: Hashable  # a row id (stored) or an index (parsed)
    node_type: str
    slug: str
    title: str
    urls: frozenset[str]  # its links as written (and, for a section, its topics' links)
    retired: bool = False
    parent: Hashable | None = None  # the parent's ref (a topic's section)


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
    matches: Matches,
    taken: set[Hashable],
    new: Iterable,
    old_by_key: dict[Hashable, list],
    key,
    rule: str,
) -> None:
    """Pair unmatched new records with unmatched old ones sharing ``key``, first come first."""
    for record in new:
        if record.ref in matches:
            continue
        for candidate in old_by_key.get(key(record), ()):
            if candidate.ref not in taken:
                matches[record.ref] = (candidate.ref, rule)
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


def _pair_best(
    matches: Matches,
    taken: set[Hashable],
    new: Sequence[NodeRecord],
    old: Sequence[NodeRecord],
    score: Callable[[NodeRecord, NodeRecord], float],
    minimum: float,
    rule: str,
) -> None:
    """Pair unmatched nodes of one type by ``score`` (at least ``minimum``), best pairs first,
    an active stored node before a retired one."""
    scored = []
    for n in new:
        if n.ref in matches:
            continue
        for o in old:
            if o.ref in taken or o.node_type != n.node_type:
                continue
            value = score(n, o)
            if value >= minimum:
                scored.append((value, o.retired is False, n.ref, o.ref))
    for _, _, n_ref, o_ref in sorted(scored, key=lambda s: (s[0], s[1]), reverse=True):
        if n_ref not in matches and o_ref not in taken:
            matches[n_ref] = (o_ref, rule)
            taken.add(o_ref)


def _url_overlap(keyed: dict[int, frozenset[str]]) -> Callable[[NodeRecord, NodeRecord], float]:
    """The share of links two nodes have in common, the links compared by ``url_key``."""

    def overlap(n: NodeRecord, o: NodeRecord) -> float:
        a, b = keyed[id(n)], keyed[id(o)]
        if not a or not b:
            return 0.0
        return len(a & b) / len(a | b)

    return overlap


def _title_similarity(n: NodeRecord, o: NodeRecord) -> float:
    return SequenceMatcher(None, _norm(n.title), _norm(o.title)).ratio()


def _by_children(matches: Matches, taken: set, new: Sequence[NodeRecord], old) -> None:
    """A section most of whose matched topics were one unmatched stored section's topics."""
    old_by_ref = {o.ref: o for o in old}
    parents: dict[Hashable, Counter] = defaultdict(Counter)
    for n in new:
        if n.parent is not None and n.ref in matches:
            parents[n.parent][old_by_ref[matches[n.ref][0]].parent] += 1
    for n in new:
        if n.ref in matches or not parents.get(n.ref):
            continue
        (o_ref, votes), total = parents[n.ref].most_common(1)[0], parents[n.ref].total()
        o = old_by_ref.get(o_ref)
        usable = o is not None and o_ref not in taken and o.node_type == n.node_type
        if usable and votes * 2 > total:  # most of its matched topics
            matches[n.ref] = (o_ref, "children")
            taken.add(o_ref)


def _by_neighbours(matches: Matches, taken: set, new: Sequence[NodeRecord], old) -> None:
    """The only unmatched node between two matched siblings, paired with the only unmatched
    active stored node between their counterparts; repeated while it pairs some."""
    old_index = {o.ref: o for o in old}
    while True:
        paired = False
        old_siblings: dict[Hashable, list[NodeRecord]] = defaultdict(list)
        for o in old:  # in stored order
            if not o.retired:
                old_siblings[(o.node_type, o.parent)].append(o)
        old_position = {
            o.ref: i for siblings in old_siblings.values() for i, o in enumerate(siblings)
        }
        new_siblings: dict[Hashable, list[NodeRecord]] = defaultdict(list)
        for n in new:
            new_siblings[(n.node_type, n.parent)].append(n)
        for (node_type, parent), siblings in new_siblings.items():
            if parent is not None and parent not in matches:
                continue
            old_parent = matches[parent][0] if parent is not None else None
            stored = old_siblings.get((node_type, old_parent), [])
            for i in range(1, len(siblings) - 1):
                before, node, after = siblings[i - 1], siblings[i], siblings[i + 1]
                if node.ref in matches or before.ref not in matches or after.ref not in matches:
                    continue
                a = old_position.get(matches[before.ref][0])
                b = old_position.get(matches[after.ref][0])
                if a is None or b is None or b - a != 2:
                    continue
                candidate = stored[a + 1]
                if candidate.ref not in taken and old_index[candidate.ref].node_type == node_type:
                    matches[node.ref] = (candidate.ref, "neighbours")
                    taken.add(candidate.ref)
                    paired = True
        if not paired:
            return


def match_nodes(
    new: Sequence[NodeRecord],
    old: Sequence[NodeRecord],
    pinned: dict[Hashable, Hashable] | None = None,
) -> Matches:
    """Map each parsed node's ref to the stored node's ref it continues, where one does, and
    the rule that paired them (the module docstring lists them in order). ``old`` in stored
    order (by position); ``pinned``: parsed ref -> stored ref, paired first."""
    matches: Matches = {n: (o, "pinned") for n, o in (pinned or {}).items()}
    taken: set[Hashable] = {o for o, _ in matches.values()}

    def by_slug(r: NodeRecord):
        return (r.node_type, r.slug)

    _pair_in_order(matches, taken, new, _bucket(old, by_slug), by_slug, "slug")
    if len(matches) == len(new):
        return matches  # every heading kept its text (the usual edit): nothing to guess
    # Links compared by url_key, worked out only now (most imports return above).
    keyed = {id(r): frozenset(map(url_key, r.urls)) for records in (new, old) for r in records}
    _pair_best(matches, taken, new, old, _url_overlap(keyed), URL_OVERLAP_MIN, "urls")
    _by_children(matches, taken, new, old)
    _pair_best(
        matches,
        taken,
        new,
        old,
        lambda n, o: word_overlap(n.title, o.title),
        WORD_OVERLAP_MIN,
        "title-words",
    )
    _pair_best(matches, taken, new, old, _title_similarity, TITLE_SIMILARITY_MIN, "title-similar")
    _by_neighbours(matches, taken, new, old)
    return matches


def match_resources(
    new: Sequence[ResourceRecord],
    old: Sequence[ResourceRecord],
    pinned: dict[Hashable, Hashable] | None = None,
) -> Matches:
    """Map each parsed resource's ref to the stored resource's ref it continues, and the rule
    that paired them (the module docstring lists them in order)."""
    matches: Matches = {n: (o, "pinned") for n, o in (pinned or {}).items()}
    taken: set[Hashable] = {o for o, _ in matches.values()}
    titles = {id(r): _norm(r.title) for records in (new, old) for r in records}

    def link_rules(link):
        return (
            ("same", lambda r: (r.node, link(r), titles[id(r)], r.detail)),
            ("same", lambda r: (r.node, link(r), titles[id(r)])),
            ("link", lambda r: (r.node, link(r))),
            ("moved", lambda r: (link(r), titles[id(r)])),
            ("moved", lambda r: link(r)),
        )

    keys = (
        *link_rules(lambda r: r.url),
        *(("tidied-link", key) for _, key in link_rules(lambda r: url_key(r.url))),
        ("title", lambda r: (r.node, titles[id(r)])),
    )
    for rule, key in keys:
        # Each rule only looks at what the rules before it left unpaired (after an edit,
        # usually a handful of the thousands of rows).
        new = [r for r in new if r.ref not in matches]
        old = [r for r in old if r.ref not in taken]
        if not new or not old:
            break
        _pair_in_order(matches, taken, new, _bucket(old, key), key, rule)
    return matches
