"""The search index of a roadmap: its searchable fields, raw and normalised, built once per
import revision and kept in Django's cache (and in a small per-process memo in front of it), so
a search costs one query (which revision is current) whatever the roadmaps' size.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from learnmap.catalog import cache
from learnmap.catalog.search.normalise import normalise
from learnmap.roadmap_md.description import description_plain

# The index's shape and normalisation are these files': their hash is part of the cache key, so
# an index cached by another version of the code is never read back.
INDEX_VERSION = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in ("normalise.py", "index.py"))
).hexdigest()[:12]

INDEX_CACHE_SECONDS = 24 * 60 * 60
MEMO_SIZE = 16  # indexes kept in each process, in front of the shared cache

# The fields a document is searched by (``rank.WEIGHTS`` says what a match in each is worth).
TITLE, TOPIC, AUTHOR, DESCRIPTION = "title", "topic", "author", "description"


class Document(NamedTuple):
    """One searchable item: a resource or a node (section or topic). Indexes keep them as
    plain tuples of strings (a 10,000-resource index then unpickles from the shared cache in
    C, several times faster than objects); hits are made ``Document``s."""

    kind: str  # "resource" | "node"
    key: str  # the resource's or node's stable key (a UUID, as text)
    roadmap_slug: str
    roadmap_title: str
    node_slug: str  # the node the item is, or is listed under
    node_title: str
    fields: tuple[tuple[str, str, str], ...]  # (field name, raw text, normalised text)
    url: str = ""  # a resource's link
    section_title: str = ""  # a topic's section, for context


# Where ``kind`` and ``fields`` are in a document kept as a plain tuple.
KIND_AT, FIELDS_AT = Document._fields.index("kind"), Document._fields.index("fields")


@dataclass(frozen=True)
class RoadmapIndex:
    roadmap_id: int
    revision_stamp: str
    documents: tuple[tuple, ...]  # ``Document``s as plain tuples (see ``Document``)
    # Every document's normalised text in one string (NUL between documents) and where each
    # starts: a query's first word is found in it at C speed, and only the documents it occurs
    # in are scored, so a search costs what it finds rather than what the catalog holds.
    text: str = field(init=False, repr=False)
    starts: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts: list[int] = []
        texts: list[str] = []
        at = 0
        for document in self.documents:
            starts.append(at)
            texts.append(" ".join(normalised for _name, _raw, normalised in document[FIELDS_AT]))
            at += len(texts[-1]) + 1
        object.__setattr__(self, "text", "\0".join(texts))
        object.__setattr__(self, "starts", tuple(starts))

    def containing(self, word: str) -> Iterator[tuple]:
        """The documents whose normalised fields hold ``word`` (a ``tokenize`` word, which
        cannot span two fields or documents), in index order."""
        text, starts, documents = self.text, self.starts, self.documents
        at = text.find(word)
        while at != -1:
            number = bisect_right(starts, at) - 1
            yield documents[number]
            if number + 1 == len(starts):
                return
            at = text.find(word, starts[number + 1])


def index_build(*, roadmap, nodes: Iterable[dict], resources: Iterable[dict]) -> RoadmapIndex:
    """The index of one roadmap from its active node and resource rows (plain dicts)."""
    nodes = list(nodes)
    by_id = {n["id"]: n for n in nodes}
    documents: list[Document] = []

    def fields(*pairs: tuple[str, str]) -> tuple[tuple[str, str, str], ...]:
        # A description is matched by what a reader sees of it (its Markdown's plain text).
        return tuple(
            (name, raw, normalise(description_plain(raw) if name == DESCRIPTION else raw))
            for name, raw in pairs
            if raw
        )

    for node in nodes:
        parent = by_id.get(node["parent_id"]) if node["parent_id"] else None
        documents.append(
            Document(
                kind="node",
                key=str(node["key"]),
                roadmap_slug=roadmap.slug,
                roadmap_title=roadmap.title,
                node_slug=node["slug"],
                node_title=node["title"],
                fields=fields((TITLE, node["title"])),
                section_title=parent["title"] if parent else "",
            )
        )
    for row in resources:
        node = by_id.get(row["node_id"])
        if node is None:
            continue  # listed under a retired node: not searchable
        documents.append(
            Document(
                kind="resource",
                key=str(row["key"]),
                roadmap_slug=roadmap.slug,
                roadmap_title=roadmap.title,
                node_slug=node["slug"],
                node_title=node["title"],
                fields=fields(
                    (TITLE, row["title"]),
                    (TOPIC, node["title"]),
                    (AUTHOR, row["author"]),
                    (DESCRIPTION, row["description"]),
                ),
                url=row["url"],
            )
        )
    return RoadmapIndex(
        roadmap_id=roadmap.pk,
        revision_stamp=cache.revision_stamp(roadmap),
        documents=tuple(tuple(document) for document in documents),
    )


def index_cache_key(roadmap) -> str:
    return cache.revision_key("search-index", INDEX_VERSION, roadmap)


_memo = cache.Memo(MEMO_SIZE)


def indexes_get(*, roadmaps: Sequence, load) -> list[RoadmapIndex]:
    """The index of each roadmap: from this process's memo, the shared cache, or ``load``
    (called once with the roadmaps whose index is missing; returns {roadmap id: index})."""
    keys = {index_cache_key(r): r for r in roadmaps}

    def build(missing: list) -> dict[str, RoadmapIndex]:
        built = load(missing)
        return {index_cache_key(r): built[r.pk] for r in missing}

    found = cache.cached_many(
        keys, build, expect=RoadmapIndex, memo=_memo, timeout=INDEX_CACHE_SECONDS
    )
    return [found[k] for k in keys]
