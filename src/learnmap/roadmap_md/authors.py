"""Authors a list writes without "by": ``Title - Author`` and ``Title (Author)``, decided per list.

A *list* is the resources written directly in one section, topic or label group (``**Books**``):
the items one reader sees together. The trailing "by Name" of one link is read item by item
(:func:`inline.split_author`); these other styles are not, since the same places hold the
descriptions and tags of awesome lists (``[Django](...) - The web framework...``, ``(MIT)``).
A list is read in one of them only when it uses it consistently:

- at least 3 items have the style's shape, and (nearly) all of its items (80%) either have it
  or already name their author with "by" (such an item's description stays a description);
- every item of that shape reads as people's names (:func:`names.is_person_names`: no
  sentence, lowercase word, acronym, number, handle, common title word, known tag...): **one
  item that does not is enough for none of the list to get an author**;
- at least half of them are full names or several names ("Robert C. Martin", "Abelson,
  Sussman"), not single words ("Golang").

The four styles (``STYLES``): ``dash`` (``[Clean Code](url) - Robert C. Martin``),
``dash-text`` (``[Clean Code - Robert C. Martin](url)``), ``paren`` (``[SICP](url) (Abelson,
Sussman)``), ``paren-text`` (``[SICP (Abelson, Sussman)](url)``). The title then excludes the
author, as does the description (``dash``) or the tags (``paren``). A list where two styles
qualify equally is unsure: no author. When unsure, no author.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import inline, vocab
from .model import Node, Resource
from .names import is_full_names, is_person_names

__all__ = [
    "STYLES",
    "author_style_of",
    "list_author_style",
    "reads_as_people",
    "reads_back",
    "with_list_authors",
]

STYLES = ("dash", "dash-text", "paren", "paren-text")
_MIN_ITEMS = 3
_NEARLY_ALL = 0.8

_ITEM_LINK_RE = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[")
_TEXT_DASH_RE = re.compile(r"^(?P<title>.*\S)\s+[-\u2013\u2014]\s+(?P<author>\S.*)$", re.S)
_TEXT_PAREN_RE = re.compile(r"^(?P<title>.*\S)\s*\((?P<author>[^()]+)\)$", re.S)
_NAME_WORD_SPLIT_RE = re.compile(r"[\s,&+;]+")

# (title, author, description, tags) an item has in a style; None: not of that shape.
_Reading = tuple[str, str, "str | None", tuple[str, ...]]


def _starts_with_link(resource: Resource) -> bool:
    match = _ITEM_LINK_RE.match(resource.raw)
    return bool(match) and resource.raw.startswith(resource.link_text, match.end())


def _candidate(resource: Resource, style: str) -> _Reading | None:
    title, description, tags = resource.title, resource.description, resource.tags
    if style == "dash":
        if not description:
            return None
        # Written after a dash, not a colon: "[X](url) - Robert C. Martin".
        dash = re.search(r"[ \t][-\u2013\u2014][ \t]+" + re.escape(description), resource.raw)
        return (title, description if dash else "", None, tags)
    if style == "paren":
        unknown = [tag for tag in tags if not inline.is_recognised_tag(tag)]
        if not unknown:
            return None
        others = tuple(tag for tag in tags if tag != unknown[0])
        return (title, unknown[0] if len(unknown) == 1 else "", description, others)
    match = (_TEXT_DASH_RE if style == "dash-text" else _TEXT_PAREN_RE).match(title)
    if match is None:
        return None
    author = match.group("author").strip()
    if style == "paren-text" and inline.is_recognised_tag(author):
        return None  # "[Go (PDF)](url)": a tag, not an author
    return (match.group("title").strip(), author, description, tags)


def reads_as_people(text: str) -> bool:
    """Whether ``text``, written alone after a title, reads as people's names (and no tag)."""
    if not is_person_names(text) or inline.tag_meaning(text) is not None:
        return False
    words = [word for word in _NAME_WORD_SPLIT_RE.split(text) if word[:1].isupper()]
    return not any(
        inline.tag_meaning(word) is not None or vocab.normalize_level(word) for word in words
    )


def _decide(resources: list[Resource], style: str) -> dict[int, _Reading] | None:
    """The readings of the list's items in ``style`` when the list uses it consistently."""
    readings: dict[int, _Reading] = {}
    with_author = strong = 0
    for index, resource in enumerate(resources):
        if resource.author is not None:  # "Title by Author": its description is one
            with_author += 1
            continue
        may_be = _MAY_BE[style](resource) and _starts_with_link(resource)
        reading = _candidate(resource, style) if may_be else None
        if reading is not None:
            if not reads_as_people(reading[1]):
                return None  # one item of the shape that is no name: none of the list
            readings[index] = reading
            strong += is_full_names(reading[1])
            with_author += 1
    shaped = len(readings)
    if shaped < _MIN_ITEMS or with_author < _NEARLY_ALL * len(resources):
        return None
    return readings if 2 * strong >= shaped else None


# Whether an item may be of a style's shape (cheap: most lists are none).
_MAY_BE = {
    "dash": lambda r: bool(r.description),
    "dash-text": lambda r: " - " in r.title or " \u2013 " in r.title or " \u2014 " in r.title,
    "paren": lambda r: any(not inline.is_recognised_tag(tag) for tag in r.tags),
    "paren-text": lambda r: r.title.endswith(")"),
}


def _best(resources: list[Resource]) -> tuple[str, dict[int, _Reading]] | None:
    styles = [
        style
        for style, may_be in _MAY_BE.items()
        if sum(1 for r in resources if r.author is None and may_be(r)) >= _MIN_ITEMS
    ]
    found = [(style, r) for style in styles if (r := _decide(resources, style)) is not None]
    found.sort(key=lambda pair: len(pair[1]), reverse=True)
    if not found or (len(found) > 1 and len(found[0][1]) == len(found[1][1])):
        return None
    return found[0]


def _list(body: tuple[Node, ...]) -> list[Resource]:
    # ``raw == ""``: a heading's link, or another link of one item: not items of the list.
    return [node for node in body if isinstance(node, Resource) and node.raw]


def list_author_style(body: tuple[Node, ...]) -> str | None:
    """The style (one of ``STYLES``) in which the parsed list of ``body`` writes its authors:
    the one that at least 3 of its items' authors were read in; None for "by" or none."""
    counts = dict.fromkeys(STYLES, 0)
    for resource in _list(body):
        style = author_style_of(resource)
        if style is not None:
            counts[style] += 1
    style = max(STYLES, key=counts.__getitem__)
    return style if counts[style] >= _MIN_ITEMS else None


def author_style_of(resource: Resource) -> str | None:
    """The style (one of ``STYLES``) its list's author was read in, or None ("by", none)."""
    author = resource.author
    if not author or inline.split_author(resource.link_text)[1] is not None:
        return None  # no author, or written "Title by Author"
    text = inline.split_author(resource.link_text)[0]  # the link text, plain
    for style, pattern in (("dash-text", _TEXT_DASH_RE), ("paren-text", _TEXT_PAREN_RE)):
        match = pattern.match(text)
        if match and match.group("author").strip() == author:
            return style
    if author in text:
        return None
    if f"({author})" in resource.raw:
        return "paren"
    return "dash" if resource.description is None else None


def with_list_authors(body: tuple[Node, ...]) -> tuple[Node, ...]:
    """``body`` with the authors its list writes in one of ``STYLES`` read (see the module)."""
    resources = _list(body)
    if len(resources) < _MIN_ITEMS:
        return body
    best = _best(resources)
    if best is None:
        return body
    readings = {id(resources[index]): reading for index, reading in best[1].items()}
    out = []
    for node in body:
        reading = readings.get(id(node))
        if reading is not None:
            title, author, description, tags = reading
            node = replace(node, title=title, author=author, description=description, tags=tags)  # type: ignore[arg-type]
        out.append(node)
    return tuple(out)


def reads_back(item: str, style: str, *, title: str, author: str) -> bool:
    """Whether a new item ``item`` (``[text](url)...``, no bullet) written in ``style`` reads
    back as ``title`` by ``author`` in a list of that style."""
    link = inline.scan_link(item)
    if link is None or not reads_as_people(author):
        return False
    parts = inline.resource_parts(item, link)
    if parts.author is not None:
        return False  # it would read as "Title by Author"
    resource = Resource(
        raw=f"- {item}\n",
        line=1,
        link_text=parts.link_text,
        url=link.url,
        title=parts.title,
        author=None,
        languages=parts.languages,
        cost=parts.cost,  # type: ignore[arg-type]
        kind=None,
        level=None,
        description=parts.description,
        tags=parts.tags,
    )
    reading = _candidate(resource, style)
    return reading is not None and reading[:2] == (title, author)
