"""The links of a list item or heading that does not simply start with its link.

A roadmap item is usually ``- [Title](url) (tags) - description``; ``parser`` reads those
itself. Real lists also write, and a reader counts as resources:

- ``- Type checking: [mypy](https://...), [Pydantic](https://...)``: text before the links,
  several links that are each a resource (separated by ``,`` ``/`` ``|`` ``;`` ``、`` ``،``
  ``and``...): one resource per link;
- `` - `MIT` - [Name](https://...) - A thing.``, ``- MySQL - [awesome-mysql](https://...)``:
  a prefix (a licence, a badge, a category) before the one link;
- ``- **[Name](https://...)** - A thing.``, ``- [![CI](badge.svg)](https://ci) [Name](...)``;
- ``### [ACID](https://...)``, ``<h3><a href="https://...">ACID</a></h3>``: a heading.

The text before the first link is kept as the start of the description; when an item is one
resource, what follows its link is the description as usual (other links included).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import inline

__all__ = ["ItemLink", "plain_html", "read_links"]

_HTTP_RE = re.compile(r"^[ \t]*https?://", re.IGNORECASE)
# Separators between links that are each a resource, the spaces around them included.
_LINK_SEPARATOR_RE = re.compile(
    r"[ \t]*(?:[,/|;\u3001\uff0c\u060c\u061b\u00b7\u2022]"
    r"|(?<=[ \t])(?:and|or|&|и|или|و|یا|和|或)(?=[ \t]))[ \t]*",
    re.IGNORECASE,
)
_LEAD_STRIP = " \t\n-\u2013\u2014:|,;\u060c\u3001\uff0c\uff1a"
_EMPHASIS = ("**", "__", "*", "_")
_HTML_LINK_RE = re.compile(
    r"<a\s[^<>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)')[^<>]*>(.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
# Images and badges (an image as a link's text) before the link: decoration, not text.
_IMAGE_RE = re.compile(r"\[?!\[[^\[\]]*\]\([^()\s]*\)(?:\]\([^()\s]*\))?")
_TAG_RE = re.compile(r"<[^<>]*>")
_SPECIAL_RE = re.compile(r"[\\`<\[]")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ItemLink:
    """One resource read from an item or heading."""

    link_text: str
    url: str
    title: str
    author: str | None
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    cost: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    text: str  # the link text as written
    url: str
    html: bool = False


def _links(content: str, references: dict[str, str]) -> list[_Found]:
    """The links of ``content`` to http(s) URLs, in order; images and badge links skipped."""
    found: list[_Found] = []
    n = len(content)
    i = 0
    special = _SPECIAL_RE.search
    while i < n:
        jump = special(content, i)
        if jump is None:
            break
        i = jump.start()
        char = content[i]
        if char == "\\":
            i += 2
            continue
        if char == "`":
            i = inline._skip_code_span(content, i)
            continue
        if char == "<" and content.startswith(("<a", "<A"), i):
            match = _HTML_LINK_RE.match(content, i)
            if match:
                url = html.unescape(match.group(1) or match.group(2) or "")
                text = match.group(3)
                if _HTTP_RE.match(url) and plain_html(text):
                    found.append(_Found(i, match.end(), text, url.strip(), html=True))
                i = match.end()
                continue
        if char == "[":
            link = inline.scan_link(content[i:], references)
            if link is not None:
                end = i + link.end
                text = link.text(content[i:])
                image = i > 0 and content[i - 1] == "!"
                badge = text.lstrip().startswith("![")
                if not image and not badge and text.strip() and _HTTP_RE.match(link.url):
                    found.append(_Found(i, end, text, link.url.strip()))
                i = end
                continue
        i += 1
    return found


def plain_html(text: str) -> str:
    return html.unescape(_SPACE_RE.sub(" ", _TAG_RE.sub("", text))).strip()


def _clean_lead(lead: str) -> str:
    """``"**Type checking:** "`` -> ``"Type checking"``; ``"`MIT` - "`` -> ``"`MIT`"``."""
    if not lead:
        return lead
    previous = None
    while lead != previous:
        previous = lead
        lead = lead.strip(_LEAD_STRIP)
        for marker in _EMPHASIS:
            if len(lead) > 2 * len(marker) and lead.startswith(marker) and lead.endswith(marker):
                lead = lead[len(marker) : -len(marker)]
                break
    return " ".join(lead.split())


def _joined(lead: str, rest: str | None) -> str | None:
    if lead and rest:
        return f"{lead} - {rest}"
    return lead or rest or None


_PLACEHOLDER = "[x]()"
_PLACEHOLDER_LINK = inline.scan_link(_PLACEHOLDER)


_NOTHING = inline.resource_parts(_PLACEHOLDER, _PLACEHOLDER_LINK)  # type: ignore[arg-type]


def _tail(text: str) -> inline.ResourceParts:
    """Tags and description of what follows a link."""
    if not text or text.isspace():
        return _NOTHING
    return inline.resource_parts(_PLACEHOLDER + text, _PLACEHOLDER_LINK)  # type: ignore[arg-type]


def _item(found: _Found, tail: inline.ResourceParts, description: str | None) -> ItemLink:
    text = plain_html(found.text) if found.html else found.text
    title, author = inline.split_author(text)
    return ItemLink(
        link_text=found.text,
        url=found.url,
        title=title,
        author=author,
        tags=tail.tags,
        languages=tail.languages,
        cost=tail.cost,
        description=description,
    )


def read_links(content: str, references: dict[str, str] | None = None) -> list[ItemLink]:
    """The resources of a list item's first paragraph (or a heading's text), in order.

    ``[]`` when it has no link to an http(s) URL (an image or a badge is no such link).
    """
    found = _links(content, references or {})
    if not found:
        return []
    first = found[0]
    lead = content[: first.start]
    after = first.end
    # A link in emphasis, "**[Name](url)**": the markers around it are no text of the item.
    if lead and lead[-1] in "*_ \t":
        stripped = lead.rstrip()
        for marker in _EMPHASIS:
            if stripped.endswith(marker) and content.startswith(marker, after):
                lead = stripped[: -len(marker)]
                after += len(marker)
                break
    lead_text = _IMAGE_RE.sub("", lead).rstrip()
    in_sentence = bool(lead_text) and lead_text[-1].isalnum()
    lead = _clean_lead(lead_text)
    # Links separated only by "," "/" "and"... (each with its tags): separate resources.
    run = [first]
    tags_ends = [inline._TAGS_RE.match(content, after).end()]  # type: ignore[union-attr]
    while len(run) < len(found):
        separator = _LINK_SEPARATOR_RE.match(content, tags_ends[-1])
        following = found[len(run)]
        if separator is None or separator.end() != following.start:
            break
        run.append(following)
        tags_ends.append(inline._TAGS_RE.match(content, following.end).end())  # type: ignore[union-attr]
    if len(run) == 1:
        tail = _tail(content[after:])
        if in_sentence and not tail.separator:
            # The link is inside a sentence ("See [the guide](url) for more"): keep it whole.
            text = plain_html(first.text) if first.html else first.text
            sentence = " ".join((lead, text, tail.description or "")).strip()
            return [_item(first, tail, sentence)]
        return [_item(first, tail, _joined(lead, tail.description))]
    # What follows the run is said of every link in it.
    shared = _tail(content[tags_ends[-1] :])
    description = _joined(lead, shared.description)
    out = []
    for link, tags_end in zip(run, tags_ends, strict=True):
        own = _tail(content[link.end : tags_end])
        tags = own.tags + shared.tags
        languages, cost = inline.tag_facts(tags)
        item = _item(link, own, description)
        out.append(
            ItemLink(
                link_text=item.link_text,
                url=item.url,
                title=item.title,
                author=item.author,
                tags=tags,
                languages=languages,
                cost=cost,
                description=description,
            )
        )
    return out
