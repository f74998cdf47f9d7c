"""The words a roadmap already uses for its language and price tags.

What Learnmap writes into a file (an accepted proposal, a fix) takes canonical values: the
English name of a language, ``free`` / ``paid``. A list that writes ``(فارسی)`` and
``(رایگان)`` should get those words back, not ``(Persian)`` and ``(Free)``: for each value,
the spelling the file uses most often (the first seen on a tie). A name the file already
writes as given stays so (a list with both (Farsi) and (Persian) keeps each); a value the
file never spells is written as given (languages) or in English (prices).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import vocab
from .model import Document

__all__ = ["TagWords", "tag_words"]


@dataclass(frozen=True, slots=True)
class TagWords:
    languages: dict[str, str] = field(default_factory=dict)  # canonical name -> as written
    costs: dict[str, str] = field(default_factory=dict)  # "free" / "paid" -> as written
    written: frozenset[str] = frozenset()  # every language spelling the file uses

    def language(self, name: str) -> str:
        """``name`` as this file writes that language (``Persian`` -> ``فارسی``)."""
        if name in self.written:
            return name
        return self.languages.get(vocab.canonical_language(name) or name, name)

    def cost(self, cost: str) -> str:
        """The price tag for ``cost`` as this file writes it (``free`` -> ``رایگان``)."""
        return self.costs.get(cost) or vocab.cost_tag(cost)


def tag_words(doc: Document) -> TagWords:
    """The most used spelling of each language and price in ``doc``'s tags."""
    languages: dict[str, Counter[str]] = {}
    costs: dict[str, Counter[str]] = {}
    for resource in doc.resources:
        for written in resource.languages:
            canonical = vocab.canonical_language(written)
            if canonical:
                languages.setdefault(canonical, Counter())[written] += 1
        for tag in resource.tags:
            cost = vocab.tag_cost(tag)
            if cost:
                costs.setdefault(cost, Counter())[tag.strip()] += 1
    return TagWords(
        languages={name: words.most_common(1)[0][0] for name, words in languages.items()},
        costs={cost: words.most_common(1)[0][0] for cost, words in costs.items()},
        written=frozenset(name for words in languages.values() for name in words),
    )
