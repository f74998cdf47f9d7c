"""Document -> Markdown text: the source pieces concatenated, and new resource lines."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import authors, inline, vocab
from .model import Document, LabelGroup, Node, Resource, Section, Text, Topic
from .tag_words import TagWords

__all__ = ["render", "render_label_line", "render_link_text", "render_resource_line", "render_url"]


def render(doc: Document) -> str:
    """The document's Markdown; byte-identical to the parsed input when nothing was changed."""
    out: list[str] = [text.raw for text in doc.preamble]
    for section in doc.sections:
        _emit(section, out)
    return "".join(out)


def _emit(node: Node | Section, out: list[str]) -> None:
    if isinstance(node, Text | Resource):
        out.append(node.raw)
        return
    out.append(node.head)
    for child in node.body:
        _emit(child, out)


def iter_pieces(nodes: Iterable[Node]) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, Text | Resource):
            yield node.raw
        elif isinstance(node, LabelGroup | Topic):
            yield node.head
            yield from iter_pieces(node.body)


_TEXT_SPECIAL_RE = re.compile(r"([\\\[\]`])")
_URL_NEEDS_BRACKETS_RE = re.compile(r"[\s<>]|^$")


def render_link_text(title: str, author: str | None = None, *, paren_author: bool = False) -> str:
    """``Fluent Python by Luciano Ramalho``; brackets and backslashes in the title escaped.
    An author that would not read back as names after a bare "by" ("the Go team", a handle
    the parser cannot tell from a word) is written in parentheses: ``Title (by the Go team)``.
    """
    text = _TEXT_SPECIAL_RE.sub(r"\\\1", title)
    if author:
        paren_author = paren_author or not inline.is_names(author)
        author = _TEXT_SPECIAL_RE.sub(r"\\\1", author)
        text = f"{text} (by {author})" if paren_author else f"{text} by {author}"
    return text


def render_url(url: str) -> str:
    """A link destination that reads back as ``url``."""
    escaped = url.replace("\\", "\\\\")
    depth = 0
    balanced = True
    for char in url:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                balanced = False
    if _URL_NEEDS_BRACKETS_RE.search(url) or not balanced or depth:
        return "<" + escaped.replace("<", "\\<").replace(">", "\\>") + ">"
    return escaped.replace("&", "&amp;") if re.search(r"&[#A-Za-z0-9]+;", url) else escaped


def render_tags(
    languages: Iterable[str] = (),
    cost: str | None = None,
    extra_tags: Iterable[str] = (),
    *,
    words: TagWords | None = None,
) -> str:
    """`` (English) (Free)``; with ``words`` (:func:`.tag_words.tag_words` of the file) each
    language and the price in the words the file already uses (`` (فارسی) (رایگان)``)."""
    tags = [words.language(name) for name in languages] if words else [*languages]
    if cost:
        tags.append(words.cost(cost) if words else vocab.cost_tag(cost))
    tags.extend(extra_tags)
    return "".join(f" ({tag})" for tag in tags)


def render_resource_line(
    *,
    title: str,
    url: str,
    author: str | None = None,
    languages: Iterable[str] = (),
    cost: str | None = None,
    description: str | None = None,
    extra_tags: Iterable[str] = (),
    bullet: str = "-",
    prefix: str = "",
    newline: str = "\n",
    separator: str = " - ",
    author_style: str | None = None,
    words: TagWords | None = None,
) -> str:
    """One resource list item in the roadmap's own style, newline included::

    - [Fluent Python by Luciano Ramalho](https://example.com/fp) (English) (Paid)

    ``author_style``: the style the list writes its authors in (``authors.STYLES``:
    ``- [Clean Code](url) - Robert C. Martin``...); the author is written so when it reads
    back so, and with "by" otherwise (a description beside a ``dash`` author, a name that
    does not read as one alone).
    """
    tags = render_tags(languages, cost, extra_tags, words=words)
    destination = f"({render_url(url)})"
    styled = _styled(title, author, destination, tags, author_style, description)
    if styled is None:
        link = f"[{render_link_text(title, author)}]{destination}"
        styled = link + tags + (f"{separator}{description}" if description else "")
    return f"{prefix}{bullet} {styled}{newline}"


def render_styled_item(
    *,
    content: str,
    link: inline.Link,
    resource: Resource,
    style: str,
    title: str,
    url: str,
    author: str | None,
    languages: tuple[str, ...],
    cost: str | None,
    description: str | None,
    words: TagWords | None = None,
) -> str:
    """An edited item's first paragraph (``content``, whose ``link`` starts it) for a resource
    whose author its list writes in ``style`` (``authors.author_style_of``): rewritten in
    that style, its other tags kept; with "by" when the style cannot hold it (see
    :func:`render_resource_line`), so that the rest of the list keeps reading the same."""
    parts = inline.resource_parts(content, link)
    destination = content[link.text_end + 1 : link.end]
    if url != resource.url:
        destination = f"({render_url(url)})"
    elif link.url_start < 0 and not destination:
        destination = f"[{parts.link_text}]"  # keep a shortcut reference working
    others = [t for t in parts.tags if not inline.is_known_tag(t) and t != resource.author]
    tags = render_tags(languages, cost, others, words=words)
    styled = _styled(title, author, destination, tags, style, description)
    if styled is None:
        styled = f"[{render_link_text(title, author)}]{destination}{tags}"
        styled += f" - {description}" if description else ""
    return styled


def _styled(
    title: str,
    author: str | None,
    destination: str,
    tags: str,
    style: str | None,
    description: str | None,
) -> str | None:
    """The item written with its author in ``style``, when it reads back so; else None."""
    if not author or style not in authors.STYLES or (style == "dash" and description):
        return None
    text, name = _TEXT_SPECIAL_RE.sub(r"\\\1", title), _TEXT_SPECIAL_RE.sub(r"\\\1", author)
    before = after = ""
    if style == "dash-text":
        text = f"{text} - {name}"
    elif style == "paren-text":
        text = f"{text} ({name})"
    elif style == "paren":
        before = f" ({author})"
    else:
        after = f" - {author}"
    item = f"[{text}]{destination}{before}{tags}{after}"
    if description:
        item += f" - {description}"
    return item if authors.reads_back(item, style, title=title, author=author) else None


def render_label_line(
    label: str, *, bullet: str = "-", prefix: str = "", newline: str = "\n"
) -> str:
    return f"{prefix}{bullet} **{label}**{newline}"
