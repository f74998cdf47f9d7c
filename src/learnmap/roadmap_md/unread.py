"""Lint: the lines that carry an http(s) link but are not read as a resource, and why.

Every line of a document belongs to exactly one piece of it (``parser``): a resource's list
item, a heading, or text. A link in a resource's item is read (as the resource, or in its
description when it is on the item's first paragraph); a link in a heading is read when the
heading is a section or topic (it is that node's resource). Any other line with a link gives
one ``unread-link`` warning naming the line, the link, and where it is (before the first
section, in a table, a heading that is no section or topic, a block quote, HTML, prose...).

Links are what GitHub shows as links: ``[text](https://...)``, ``<https://...>``, bare
``https://...`` addresses and ``<a href="https://...">``; an image's address, a link
reference definition and anything in code (spans, fences) are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Document, Issue, LabelGroup, Node, Resource, Section, Text, Topic
from .parser import split_lines

__all__ = ["UNREAD_LINES_SHOWN", "lines_of", "link_url", "read_lines", "unread_link_issues"]

UNREAD_LINES_SHOWN = 200  # one warning per line up to this many, then one for the rest

_URL_RE = re.compile(r"https?://[^\s<>\"'()\[\]`]+", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_IMAGE_RE = re.compile(
    r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s[^()]*)?\)"
)
_SRC_RE = re.compile(r"\b(?:src|srcset|poster)\s*=\s*(?:\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE)
_DEFINITION_RE = re.compile(r"^ {0,3}\[(?:[^\[\]\\]|\\.)+\]:")
_FENCE_RE = re.compile(r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)*(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t]{0,3}(#{1,6})(?:[ \t]|$)")
_HTML_HEADING_RE = re.compile(r"^[ \t]{0,3}<h([1-6])\b", re.IGNORECASE)
_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTE_RE = re.compile(r"^[ \t]{0,3}>")
_TABLE_RE = re.compile(r"^[ \t]*\|| \| |\|[ \t]*$")
_SETEXT_TITLE_RE = re.compile(r"^ {0,3}=+[ \t]*$")
_MD_LINK_RE = re.compile(r"\]\(\s*<?https?://", re.IGNORECASE)
_LINE_END = "\r\n"


def link_url(line: str) -> str | None:
    """The first http(s) address ``line`` links to, as GitHub shows it; None when none."""
    lowered = line.lower()
    if "http" not in lowered:
        return None
    if "`" in line:
        line = _CODE_SPAN_RE.sub("", line)
    if "![" in line:
        line = _IMAGE_RE.sub("", line)
    if "=" in line:
        line = _SRC_RE.sub("", line)
    if _DEFINITION_RE.match(line):
        return None
    found = _URL_RE.search(line)
    return found.group(0).rstrip(".,;:!?*_~") if found else None


def lines_of(raw: str) -> list[str]:
    """The lines of ``raw`` as the parser counts them, without their line endings."""
    return [line.rstrip("\r\n") for line in split_lines(raw)]


def _pieces(doc: Document) -> Iterator[tuple[str, int, str, Node | Section | None, int]]:
    """(where, first line, text, node, lines to skip) of every piece that may hold an unread
    link: ``where`` is "preamble", "head", "text" or "nested"."""
    for text in doc.preamble:
        yield "preamble", text.line, text.raw, None, 0
    for section in doc.sections:
        yield from _node_pieces(section)


def _node_pieces(node: Section | Topic | LabelGroup) -> Iterator:
    read_head = any(
        isinstance(child, Resource) and not child.raw and child.line == node.line
        for child in node.body
    )
    yield "head", node.line, node.head, node, 1 if read_head else 0
    for child in node.body:
        if isinstance(child, Text):
            yield "text", child.line, child.raw, node, 0
        elif isinstance(child, Resource):
            raw = child.raw
            first_end = raw.find("\n")
            if first_end < 0 or first_end >= len(raw) - 2 or "http" not in raw[first_end:].lower():
                continue
            # Lines after the item's first paragraph (a nested paragraph, code...) are not
            # read: the description is the first paragraph.
            lines = lines_of(raw)
            skip = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
            yield "nested", child.line, raw, child, skip
        else:
            yield from _node_pieces(child)


def _reason(where: str, offset: int, line: str, node, doc: Document, is_title: bool) -> str:
    section_level, topic_level = doc.heading_levels
    heading = _ATX_RE.match(line)
    html_heading = _HTML_HEADING_RE.match(line)
    if is_title:
        return "it is in the title heading (the roadmap's name, not a section)"
    if where == "head" and offset == 0 and not isinstance(node, LabelGroup):
        kind = "section" if isinstance(node, Section) else "topic"
        return (
            f"it is in the heading of the {kind} {node.title!r} but is no [title](https://...) "
            "link (an image, a badge or a bare address)"
        )
    if heading or html_heading:
        level = len(heading.group(1)) if heading else int(html_heading.group(1))  # type: ignore[union-attr]
        levels = (
            f"sections are level {section_level}"
            + (f" and topics level {topic_level}" if topic_level else "")
            + " headings in this file"
            if section_level
            else "this file has no section headings"
        )
        return (
            f"it is in a level {level} heading, which is no section or topic ({levels}; a "
            "deeper heading is its topic's text)"
        )
    if where == "preamble":
        place = "before the first section heading, outside any section (a section heading above "
        place += "it would read it)"
    elif where == "nested":
        place = f"under the resource {node.title!r} but after its first paragraph"
    else:
        kind = "section" if isinstance(node, Section) else "topic"
        if isinstance(node, LabelGroup):
            kind = "label"
        place = f"in the {kind} {getattr(node, 'title', None) or getattr(node, 'label', '')!r}"
    if _QUOTE_RE.match(line):
        what, hint = "a block quote", "quoted lines are not read"
    elif _TABLE_RE.search(line) and line.count("|") >= 2:
        what, hint = "a table row", "tables are not read"
    elif _ITEM_RE.match(line):
        if _MD_LINK_RE.search(line):
            what = "a list item whose link is not read"
            hint = "an image, a badge or an anchor link first"
        else:
            what, hint = "a list item with a bare address", "write it as [title](https://...)"
    elif line.lstrip().startswith("<"):
        what, hint = "HTML", "HTML is not read, except a heading <h1> to <h6> alone on its line"
    else:
        what, hint = "a paragraph of text", "shown as text"
    if where != "preamble" and "list item" not in what:
        hint += "; a list item '- [title](https://...)' is a resource"
    return f"it is in {what}, {place} ({hint})"


def unread_link_issues(doc: Document) -> Iterator[Issue]:
    """One warning per line with an http(s) link that no resource reads; past
    ``UNREAD_LINES_SHOWN`` lines, one more warning for the rest."""
    shown = 0
    more = 0
    more_from = 0
    title_line = _title_line(doc)
    for where, first, raw, node, skip in _pieces(doc):
        if "http" not in raw.lower():
            continue
        fence: str | None = None
        comment = False
        for offset, line in enumerate(lines_of(raw)):
            if comment or "<!--" in line:  # an HTML comment is not shown
                line, comment = _without_comments(line, comment)
            fenced = _FENCE_RE.match(line)
            if fence is not None:
                if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                    fence = None
                continue
            if fenced:
                fence = fenced.group(1)
                continue
            if offset < skip:
                continue
            url = link_url(line)
            if url is None:
                continue
            number = first + offset
            if shown >= UNREAD_LINES_SHOWN:
                more += 1
                more_from = more_from or number
                continue
            shown += 1
            reason = _reason(where, offset, line, node, doc, number == title_line)
            yield Issue(
                number,
                "warning",
                "unread-link",
                f"the link to {url} is not read as a resource: {reason}",
            )
    if more:
        yield Issue(
            more_from,
            "warning",
            "unread-link",
            f"links on {more:,} more lines from here on are not read as resources (the first "
            f"{UNREAD_LINES_SHOWN} are listed one by one)",
        )


def _without_comments(line: str, inside: bool) -> tuple[str, bool]:
    """``line`` without its HTML comments, and whether a comment is still open after it."""
    kept = []
    position = 0
    while position < len(line):
        if inside:
            end = line.find("-->", position)
            if end < 0:
                return "".join(kept), True
            position, inside = end + 3, False
        else:
            start = line.find("<!--", position)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            position, inside = start + 4, True
    return "".join(kept), inside


def _title_line(doc: Document) -> int:
    """The line of the title heading when it is no section (0 when there is none)."""
    if doc.title is None or doc.heading_levels[0] == 1:
        return 0
    for text in doc.preamble:
        lines = lines_of(text.raw)
        for offset, line in enumerate(lines):
            stripped = line.lstrip("\ufeff")
            heading = _ATX_RE.match(stripped) or _HTML_HEADING_RE.match(stripped)
            if heading and heading.group(1) in ("#", "1") and not _ITEM_RE.match(stripped):
                return text.line + offset
            underline = lines[offset + 1] if offset + 1 < len(lines) else ""
            if stripped.strip() and _SETEXT_TITLE_RE.match(underline):
                return text.line + offset
    return 0


def read_lines(doc: Document) -> list[int]:
    """Lines read as resources (for tests): every line of a resource's first paragraph."""
    lines: list[int] = []
    for resource in doc.resources:
        if not resource.raw:
            lines.append(resource.line)
            continue
        for offset, line in enumerate(lines_of(resource.raw)):
            if not line.strip():
                break
            lines.append(resource.line + offset)
    return lines
