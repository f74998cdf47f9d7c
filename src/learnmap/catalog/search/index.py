"""Searching every roadmap: resource titles, authors and descriptions, and node (topic) names.

Portable across SQLite and PostgreSQL because the database only hands over rows: matching
happens in Python on *normalised* text, the same way for English and Persian.

- ``normalise`` folds case, strips diacritics (Latin accents, Arabic tashkeel), unifies the
  Arabic and Persian forms of letters (Arabic yeh and kaf to their Persian forms, teh
  marbuta to heh, hamza-carrying alefs to alef...), drops the tatweel, turns the
  zero-width non-joiner into a space and every decimal digit (۱۲۳, ١٢٣) into ASCII.
- An *index* of a roadmap (its searchable fields, raw and normalised) is built once per import
  revision and kept in Django's cache (and in a small per-process memo in front of it), so a
  search costs one query (which revision is current) whatever the roadmaps' size.
- Ranking: a match in a title (a resource's, or a topic's own name) beats one in the name of
  the topic a resource is listed under, which beats an author, which beats a description; a
  whole-word match beats a prefix, which beats a match inside a word; a title that is exactly
  the query, or holds it as a phrase, gets a bonus. Every query word must match somewhere.
- ``highlight`` wraps the matches in ``<mark>``: the text is escaped first, then wrapped, so
  nothing from a Markdown file is ever trusted.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learnmap.catalog import cache

# The index's shape and normalisation are this file's: its hash is part of the cache key, so
# an index cached by another version of the code is never read back.
INDEX_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
logger = logging.getLogger(__name__)

INDEX_CACHE_SECONDS = 24 * 60 * 60
MEMO_SIZE = 16  # indexes kept in each process, in front of the shared cache
QUERY_MAX_CHARS = 200
QUERY_MAX_WORDS = 8
RESULTS_MAX = 50

# Field weights: where a word matches says how relevant the item is.
TITLE, TOPIC, AUTHOR, DESCRIPTION = "title", "topic", "author", "description"
# Each field weighs twice the next, and the kind of match scales it by less than that, so the
# field decides first (a title matched inside a word still beats a topic name matched whole).
WEIGHTS = {TITLE: 16.0, TOPIC: 8.0, AUTHOR: 4.0, DESCRIPTION: 2.0}
WHOLE_WORD, PREFIX, INSIDE = 1.0, 0.75, 0.55
PHRASE_BONUS = 8.0  # the whole query, as typed, inside the title
EXACT_BONUS = 4.0  # the title is the query (a topic named "Django" for "django")

# --- normalisation ------------------------------------------------------------------------------

_LETTERS = {
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> ARABIC LETTER FARSI YEH
    "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    "\u0626": "\u06cc",  # YEH WITH HAMZA ABOVE -> FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH (the Persian kaf)
    "\u0629": "\u0647",  # TEH MARBUTA -> HEH
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE -> HEH
    "\u06d5": "\u0647",  # AE -> HEH
    "\u06c1": "\u0647",  # HEH GOAL -> HEH
    "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    "\u0622": "\u0627",  # ALEF WITH MADDA ABOVE -> ALEF
    "\u0671": "\u0627",  # ALEF WASLA -> ALEF
    "\u0624": "\u0648",  # WAW WITH HAMZA ABOVE -> WAW
    "\u0640": "",  # TATWEEL (kashida)
    "\u200c": " ",  # ZERO WIDTH NON-JOINER: a word boundary for searching
    "\u200d": "",  # ZERO WIDTH JOINER
    "\u200e": "",  # LEFT-TO-RIGHT MARK
    "\u200f": "",  # RIGHT-TO-LEFT MARK
    "\u00a0": " ",  # NO-BREAK SPACE
}


class _FoldTable(dict):
    """A ``str.translate`` table that works out (and remembers) each character's folding."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_char(chr(codepoint))
        return folded


def _fold_char(char: str) -> str:
    if char in _LETTERS:
        return _LETTERS[char]
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if unicodedata.category(char) == "Mn":
        return ""  # a combining mark on its own: a diacritic or tashkeel
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.category(part) == "Mn":
            continue  # accents, harakat, the hamza or madda above a letter
        out.append(_LETTERS.get(part, part))
    return "".join(out).casefold()


_TABLE = _FoldTable()


def normalise(text: str) -> str:
    """Text folded for matching (see the module docstring). Not for display."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


def _normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the index it came from in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _TABLE[ord(char)] if not char.isascii() else char.lower()
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


_WORD_RE = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """The normalised words of a text, each once, in order."""
    return list(dict.fromkeys(_WORD_RE.findall(normalise(text))))


# --- the index ----------------------------------------------------------------------------------


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
            texts.append(" ".join(normalised for _name, _raw, normalised in document[_FIELDS]))
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
        return tuple((name, raw, normalise(raw)) for name, raw in pairs if raw)

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


# --- searching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str  # as typed (trimmed, shortened)
    words: tuple[str, ...]  # normalised
    phrase: str  # normalised, whole
    patterns: tuple[tuple[re.Pattern, re.Pattern], ...] = field(repr=False)  # (whole, prefix)

    @classmethod
    def parse(cls, text: str) -> Query:
        text = " ".join(text.split())[:QUERY_MAX_CHARS]
        words = tuple(tokenize(text)[:QUERY_MAX_WORDS])
        patterns = tuple(
            (
                re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"),
                re.compile(rf"(?<!\w){re.escape(word)}"),
            )
            for word in words
        )
        return cls(text=text, words=words, phrase=" ".join(words), patterns=patterns)

    @property
    def is_empty(self) -> bool:
        return not self.words


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float
    matched: tuple[str, ...]  # names of the fields that matched

    def field(self, name: str) -> str:
        return next((raw for f, raw, _n in self.document.fields if f == name), "")


@dataclass(frozen=True)
class SearchResults:
    query: Query
    hits: tuple[Hit, ...]  # best first, at most ``limit``
    total: int  # how many matched in all


_KIND, _FIELDS = Document._fields.index("kind"), Document._fields.index("fields")


def _score(document: tuple, query: Query) -> tuple[float, tuple[str, ...]]:
    total = 0.0
    matched: set[str] = set()
    for word, (whole, prefix) in zip(query.words, query.patterns, strict=True):
        best = 0.0
        for name, _raw, text in document[_FIELDS]:
            if word not in text:
                continue
            if whole.search(text):
                quality = WHOLE_WORD
            elif prefix.search(text):
                quality = PREFIX
            else:
                quality = INSIDE
            score = WEIGHTS[name] * quality
            matched.add(name)
            best = max(best, score)
        if not best:
            return 0.0, ()  # every word must match somewhere
        total += best
    fields = document[_FIELDS]
    title = fields[0][2] if fields else ""
    if len(query.words) > 1 and query.phrase in title:
        total += PHRASE_BONUS
    if " ".join(_WORD_RE.findall(title)) == query.phrase:
        total += EXACT_BONUS
    if document[_KIND] == "node":
        total += 0.5  # a topic before a resource that matches as well
    return total, tuple(name for name in WEIGHTS if name in matched)


def search_indexes(
    *, indexes: Iterable[RoadmapIndex], query: Query, limit: int = RESULTS_MAX
) -> SearchResults:
    """Rank every document of these indexes against the query (pure)."""
    if query.is_empty:
        return SearchResults(query=query, hits=(), total=0)
    hits: list[Hit] = []
    first_word = query.words[0]
    for index in indexes:
        for document in index.containing(first_word):  # it must occur in some field
            score, matched = _score(document, query)
            if score:
                hits.append(Hit(document=Document._make(document), score=score, matched=matched))
    hits.sort(key=lambda h: (-h.score, h.document.roadmap_title, h.document.node_title))
    return SearchResults(query=query, hits=tuple(hits[:limit]), total=len(hits))


# --- highlighting --------------------------------------------------------------------------------


def highlight(text: str, query: Query) -> SafeString:
    """``text`` escaped, with every match of a query word wrapped in ``<mark>``."""
    if not text:
        return mark_safe("")
    if query.is_empty:
        return escape(text)
    folded, origin = _normalise_mapped(text)
    spans: list[tuple[int, int]] = []
    for word in query.words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(word, end)
    if not spans:
        return escape(text)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    cursor = 0
    for start, end in merged:
        # Take along combining marks that follow the match (they folded to nothing).
        while end < len(text) and unicodedata.category(text[end]) == "Mn":
            end += 1
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308  # every piece of text is escaped above
