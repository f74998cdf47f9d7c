"""Ranking the documents of search indexes against a query (pure).

A match in a title (a resource's, or a topic's own name) beats one in the name of the topic a
resource is listed under, which beats an author, which beats a description; a whole-word match
beats a prefix, which beats a match inside a word; a title that is exactly the query, or holds
it as a phrase, gets a bonus. Every query word must match somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from learnmap.catalog.search.index import (
    AUTHOR,
    DESCRIPTION,
    FIELDS_AT,
    KIND_AT,
    TITLE,
    TOPIC,
    Document,
    RoadmapIndex,
)
from learnmap.catalog.search.normalise import WORD_RE, tokenize

QUERY_MAX_CHARS = 200
QUERY_MAX_WORDS = 8
RESULTS_MAX = 50

# Field weights: where a word matches says how relevant the item is.
# Each field weighs twice the next, and the kind of match scales it by less than that, so the
# field decides first (a title matched inside a word still beats a topic name matched whole).
WEIGHTS = {TITLE: 16.0, TOPIC: 8.0, AUTHOR: 4.0, DESCRIPTION: 2.0}
WHOLE_WORD, PREFIX, INSIDE = 1.0, 0.75, 0.55
PHRASE_BONUS = 8.0  # the whole query, as typed, inside the title
EXACT_BONUS = 4.0  # the title is the query (a topic named "Django" for "django")


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


def _score(document: tuple, query: Query) -> tuple[float, tuple[str, ...]]:
    total = 0.0
    matched: set[str] = set()
    for word, (whole, prefix) in zip(query.words, query.patterns, strict=True):
        best = 0.0
        for name, _raw, text in document[FIELDS_AT]:
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
    fields = document[FIELDS_AT]
    title = fields[0][2] if fields else ""
    if len(query.words) > 1 and query.phrase in title:
        total += PHRASE_BONUS
    if " ".join(WORD_RE.findall(title)) == query.phrase:
        total += EXACT_BONUS
    if document[KIND_AT] == "node":
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
