"""Reading the first paragraph of a list item: is it a label, a resource link, or prose?

markdown-it-py finds the blocks (its inline pass is switched off for speed); this module scans
the few inline constructs a roadmap item starts with: ``[text](url)``, ``[text][ref]``,
``**Label**``, and the ``(English) (Paid) - description`` tail after a link. Positions are
offsets in the paragraph's content, so edits can replace exactly one part of an item.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocab
from .names import is_names

_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPE_RE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_REFDEF_RE = re.compile(
    r"^ {0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)(?:[ \t]+.*)?$"
)
_TAGS_RE = re.compile(r"(?:[ \t]*\([^()\[\]\n]*\))*")
_TRAILING_TAG_RE = re.compile(r"[ \t]*\(([^()\[\]\n]*)\)[ \t]*$")
# HTML comments ending an item (``<!-- noqa: LM301 -->``): invisible on GitHub, so neither
# description nor tag; kept as ``ResourceParts.comment`` for edits to write back.
_TRAILING_COMMENT_RE = re.compile(r"(?:[ \t\n]*<!--.*?-->)+[ \t\n]*$", re.DOTALL)
_SEPARATOR_RE = re.compile(r"[ \t\n]+[-\u2013\u2014][ \t\n]+|[ \t\n]*:[ \t\n]+")
_BOLD_RE = re.compile(r"^(\*\*|__)(?!\s)((?:(?!\1).)+?)(?<!\s)\1$")
_AUTHOR_PAREN_RE = re.compile(r"^(?P<title>.*?)\s*\(\s*by\s+(?P<author>[^()]+?)\s*\)$", re.I | re.S)
_AUTHOR_RE = re.compile(r"^(?P<title>.*\S)\s+by\s+(?P<author>\S.*)$", re.S)
_WS_NEWLINE_RE = re.compile(r"[ \t]*\n[ \t]*")


def unescape(text: str) -> str:
    """Backslash escapes and HTML entities resolved, as CommonMark does in a link destination."""
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def normalize_label(label: str) -> str:
    return " ".join(unescape(label).split()).casefold()


def reference_definitions(content: str) -> list[tuple[str, str]]:
    """``[label]: url`` definitions at the start of a paragraph's content."""
    found = []
    for line in content.split("\n"):
        match = _REFDEF_RE.match(line)
        if not match:
            break
        url = match.group(2)
        if url.startswith("<"):
            url = url[1:-1]
        found.append((normalize_label(match.group(1)), unescape(url)))
    return found


@dataclass(frozen=True, slots=True)
class Link:
    """``[text](url)`` at the start of a string; offsets into that string."""

    text_start: int
    text_end: int  # the ``]``
    url: str
    url_start: int  # -1 for a reference link
    url_end: int
    end: int  # just after the link

    def text(self, source: str) -> str:
        return source[self.text_start : self.text_end]


def _skip_code_span(s: str, i: int) -> int:
    run = i
    while run < len(s) and s[run] == "`":
        run += 1
    width = run - i
    j = run
    while True:
        j = s.find("`" * width, j)
        if j < 0:
            return run  # no closing run: the backticks are literal
        k = j + width
        if k < len(s) and s[k] == "`":
            while k < len(s) and s[k] == "`":
                k += 1
            j = k
            continue
        if j > 0 and s[j - 1] == "`":
            j = k
            continue
        return k


def _match_bracket(s: str, i: int) -> int:
    """Index of the ``]`` that closes the ``[`` at ``i``, or -1."""
    depth = 0
    n = len(s)
    while i < n:
        char = s[i]
        if char == "\\" and i + 1 < n:
            i += 2
            continue
        if char == "`":
            i = _skip_code_span(s, i)
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _skip_space(s: str, i: int) -> int:
    newlines = 0
    while i < len(s) and s[i] in " \t\n":
        if s[i] == "\n":
            newlines += 1
            if newlines > 1:
                return -1
        i += 1
    return i


def _destination(s: str, i: int) -> tuple[int, int, int] | None:
    """(start, end, next) of a link destination starting at ``i``; ``<...>`` or raw."""
    n = len(s)
    if i < n and s[i] == "<":
        j = i + 1
        while j < n:
            char = s[j]
            if char in "\n<":
                return None
            if char == "\\" and j + 1 < n:
                j += 2
                continue
            if char == ">":
                return i + 1, j, j + 1
            j += 1
        return None
    depth = 0
    j = i
    while j < n:
        char = s[j]
        if char == " " or ord(char) < 0x20 or char == "\x7f":
            break
        if char == "\\" and j + 1 < n and s[j + 1] in _ESCAPABLE:
            j += 2
            continue
        if char == "(":
            depth += 1
            if depth > 32:
                return None
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    if depth:
        return None
    return i, j, j


def _inline_link_tail(s: str, i: int) -> tuple[int, int, int] | None:
    """After ``](`` at ``i``: (url_start, url_end, end) for ``url [title])``."""
    i = _skip_space(s, i)
    if i < 0:
        return None
    if i < len(s) and s[i] == ")":
        return i, i, i + 1
    dest = _destination(s, i)
    if dest is None:
        return None
    url_start, url_end, j = dest
    k = _skip_space(s, j)
    if k < 0:
        return None
    if k < len(s) and k > j and s[k] in "\"'(":
        closer = ")" if s[k] == "(" else s[k]
        m = k + 1
        while m < len(s) and s[m] != closer:
            if s[m] == "\\":
                m += 1
            elif s[m] == "(" and closer == ")":
                return None
            m += 1
        if m >= len(s):
            return None
        k = _skip_space(s, m + 1)
        if k < 0:
            return None
    if k < len(s) and s[k] == ")":
        return url_start, url_end, k + 1
    return None


# A whole item that is ``[text](url) (tag) (tag)`` with nothing unusual in it: one match.
FAST_RESOURCE_RE = re.compile(
    r"\[([^\[\]\\`\n]*)\]\(((?:[^\s()<>\\&]|&(?![#A-Za-z0-9]{1,32};))*)\)"
    r"((?:[ \t]*\([^()\[\]\n]*\))*)$"
)
TAG_CONTENT_RE = re.compile(r"\(([^()\[\]\n]*)\)")
_SIMPLE_LINK_RE = re.compile(r"\[([^\[\]\\`\n]*)\]\(((?:[^\s()<>\\&]|&(?![#A-Za-z0-9]{1,32};))*)\)")


def scan_link(s: str, references: dict[str, str] | None = None) -> Link | None:
    """The link ``s`` starts with: ``[t](u)``, or a reference ``[t][r]``, ``[t][]``, ``[t]``."""
    simple = _SIMPLE_LINK_RE.match(s)
    if simple is not None:  # no nesting, escapes, entities or code: the common case, fast
        return Link(1, simple.end(1), simple.group(2), simple.start(2), simple.end(2), simple.end())
    if not s.startswith("["):
        return None
    close = _match_bracket(s, 0)
    if close < 0:
        return None
    after = close + 1
    if after < len(s) and s[after] == "(":
        tail = _inline_link_tail(s, after + 1)
        if tail is not None:
            url_start, url_end, end = tail
            raw = s[url_start:url_end]
            return Link(1, close, unescape(raw), url_start, url_end, end)
    if not references:
        return None
    label = s[1:close]
    end = after
    if after < len(s) and s[after] == "[":
        ref_close = _match_bracket(s, after)
        if ref_close > after + 1:
            label = s[after + 1 : ref_close]
        end = ref_close + 1 if ref_close > 0 else after
    url = references.get(normalize_label(label))
    if url is None:
        return None
    return Link(1, close, url, -1, -1, end)


def bold_label(content: str) -> str | None:
    """``**Book**`` -> ``Book`` when the whole content is bold text and not a link."""
    match = _BOLD_RE.match(content)
    if not match or "\n" in content:
        return None
    label = match.group(2)
    if "](" in label or label.startswith("["):
        return None
    return label


def is_anchor_url(url: str) -> bool:
    return url.startswith("#")


@dataclass(frozen=True, slots=True)
class ResourceParts:
    """Everything a resource item's first paragraph says, with offsets for editing."""

    link: Link
    link_text: str
    title: str
    author: str | None
    tags: tuple[str, ...]
    languages: tuple[str, ...]
    cost: str | None
    description: str | None
    tags_end: int  # offset just after the tags written right after the link
    leading_tags: int  # how many of ``tags`` are written right after the link
    separator: str  # "" when there is no description
    comment: str = ""  # trailing HTML comment(s) with the space before them, as written


def split_author(link_text: str) -> tuple[str, str | None]:
    """``"Fluent Python by Luciano Ramalho"`` -> ``("Fluent Python", "Luciano Ramalho")``.

    Only when what follows "by" reads as a name or a list of names (see :func:`is_names`):
    ``"Learning Go by examples"`` and ``"Go by Example"`` have no author; or when it is in
    parentheses closing the text: ``"The Go Book (by the Go team)"``.
    Backslash escapes and entities are resolved: ``\\[draft\\]`` reads as ``[draft]``.
    """
    if link_text.startswith("@") or link_text[:1].isspace():
        link_text = _ROADMAP_SH_TYPE_RE.sub("", link_text, count=1)
    if "by" in link_text or "By" in link_text or "BY" in link_text:
        # "(by X)" closing the text says outright that X is who made it: X is the author
        # whatever it reads like ("(by the Go team)"). A bare trailing "by X" must read as names.
        explicit = _AUTHOR_PAREN_RE.match(link_text)
        match = explicit or _AUTHOR_RE.match(link_text)
        if match and match.group("title").strip():
            author = _plain(match.group("author"))
            if (explicit and author) or is_names(author):
                return _plain(match.group("title")), author
    return _plain(link_text), None


_ROADMAP_SH_TYPE_RE = re.compile(r"^\s*@([a-z]+)@\s*")


def link_kind(link_text: str) -> str | None:
    """The kind a roadmap.sh topic file gives a link: ``@video@Title`` -> ``"Video"``."""
    if "@" not in link_text[:3]:
        return None
    match = _ROADMAP_SH_TYPE_RE.match(link_text)
    return vocab.ROADMAP_SH_TYPES.get(match.group(1)) if match else None


def _plain(text: str) -> str:
    text = unescape(text) if ("\\" in text or "&" in text) else text
    return " ".join(text.split()) if "\n" in text else text.strip()


@lru_cache(maxsize=4096)
def tag_facts(tags: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """(languages, cost) that a resource's tags say."""
    languages: list[str] = []
    cost = None
    for tag in tags:
        languages.extend(vocab.split_languages(tag))
        cost = cost or vocab.tag_cost(tag)
    return tuple(languages), cost


def resource_parts(content: str, link: Link) -> ResourceParts:
    link_text = link.text(content)
    title, author = split_author(link_text)
    pos = link.end
    tags_end = _TAGS_RE.match(content, pos).end()  # type: ignore[union-attr]
    tags = TAG_CONTENT_RE.findall(content, pos, tags_end) if tags_end > pos else []
    leading = len(tags)
    separator = ""
    description: str | None = None
    end = len(content)
    comment = ""
    if "<!--" in content and (found := _TRAILING_COMMENT_RE.search(content, tags_end)):
        end = found.start()
        comment = content[end:].rstrip()
    if tags_end < end and not content[tags_end:end].isspace():
        rest = content[tags_end:end]
        sep = _SEPARATOR_RE.match(rest)
        if sep:
            separator = sep.group(0)
            rest = rest[sep.end() :]
        text = _WS_NEWLINE_RE.sub(" ", rest).strip() if "\n" in rest else rest.strip()
        if text.endswith(")"):
            trailing: list[str] = []
            while (match := _TRAILING_TAG_RE.search(text)) and is_recognised_tag(match.group(1)):
                trailing.append(match.group(1))
                text = text[: match.start()].rstrip()
            tags.extend(reversed(trailing))
        description = text or None
    languages, cost = tag_facts(tuple(tags))
    return ResourceParts(
        link=link,
        link_text=link_text,
        title=title,
        author=author,
        tags=tuple(tags),
        languages=languages,
        cost=cost,
        description=description,
        tags_end=tags_end,
        leading_tags=leading,
        separator=separator,
        comment=comment,
    )


def is_known_tag(tag: str) -> bool:
    """A language (``English``, ``English, Persian``) or price (``Free``, ``Paid``) tag: the
    tags a resource's fields are written as (an edit rewrites them; it keeps all others)."""
    return bool(vocab.split_languages(tag) or vocab.tag_cost(tag))


@lru_cache(maxsize=4096)
def tag_meaning(tag: str) -> str | None:
    """What a tag says: ``"language"``, ``"price"``, ``"format"`` (``PDF``, ``EPUB``...),
    ``"kind"`` (``Video``, ``Podcast``...), or ``None`` for a tag Learnmap does not know,
    which is kept and shown as written."""
    if vocab.split_languages(tag):
        return "language"
    if vocab.tag_cost(tag):
        return "price"
    if vocab.tag_formats(tag):
        return "format"
    if vocab.tag_kinds(tag):
        return "kind"
    return None


def is_recognised_tag(tag: str) -> bool:
    """A tag with a meaning Learnmap knows (see :func:`tag_meaning`)."""
    return tag_meaning(tag) is not None
