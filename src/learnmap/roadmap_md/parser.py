"""Markdown text -> :class:`~learnmap.roadmap_md.model.Document`, losing nothing.

How it works:

1. markdown-it-py finds the blocks (headings, list items, paragraphs, HTML, code) and the
   line range of each. Its inline pass is off (2.5x faster), and it is given a folded copy
   of the text in which one-line link items are shortened or blanked (see ``_Folded``):
   a roadmap is mostly such lines, and markdown-it's cost is per line.
2. Each structural block becomes an *event* at its first line: an H2 (section), an H3
   (topic, standalone or as ``- ### Name``), a bold list item (label), a list item starting
   with a link (resource), or other text. Every source line belongs to the event at or
   before it, so the pieces concatenate back to the input byte for byte.
3. Events are nested into sections, topics and label groups by the extent of their list
   items, and the derived fields (titles, slugs, kinds, tags) are computed from the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import authors, inline, item_links, limits, vocab
from .model import Document, Issue, LabelGroup, Node, Resource, Section, Text, Topic
from .slug import Slugger, slugify

__all__ = ["ListItem", "list_item_at", "parse", "split_lines"]

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_IN_PROGRESS_RE = re.compile(r"\s*\(\s*in[ -]progress\s*\)\s*", re.IGNORECASE)
_FRONT_KEY_RE = re.compile(r"^([A-Za-z0-9_][\w .-]*?)\s*:(?:\s+(.*?))?\s*$")
_SETEXT_RE = re.compile(r"\n[ \t]*(=+|-+)[ \t]*(?:\n|$)")
_DASH_LINE_RE = re.compile(r"^[ \t]*-+[ \t]*$")
_MARKER_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])")
_PLAIN_HEADING_RE = re.compile(r"^(?:[^\\`*_\[\]<&]|&(?![#A-Za-z0-9]{1,32};))*$")
# An HTML heading alone on its line: <h2 id="css">CSS/HTML</h2>
_HTML_HEADING_RE = re.compile(
    r"^ {0,3}<h([1-6])((?:\s[^<>]*)?)>(.*?)</h\1\s*>[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE
)
_ID_ATTRIBUTE_RE = re.compile(
    r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)
BOM = "\ufeff"


def split_lines(text: str) -> list[str]:
    """Lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``), as markdown-it counts them."""
    return _LINE_RE.findall(text)


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    # Inline parsing, reference definitions and setext headings are done here, cheaper.
    # A list level is two of markdown-it's levels (list, item): room for MAX_NESTING of them
    # and one more, so that a file nested too deep is seen (and refused) before markdown-it
    # stops parsing it silently.
    options = {"maxNesting": 2 * limits.MAX_NESTING + 2}
    return MarkdownIt("commonmark", options).disable(
        ["inline", "text_join", "reference", "lheading"]
    )


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def block_tokens(text: str) -> list[Token]:
    return _block_parser().parse(text)


# --- events -------------------------------------------------------------------------------

H2, H3, LABEL, RESOURCE, TEXT = "h2", "h3", "label", "resource", "text"
# A heading of any level, before the file's section and topic levels are known (then it
# becomes an H2 event (a section), an H3 event (a topic), text, or nothing).
HEADING = "heading"


@dataclass(slots=True)
class _Event:
    line: int  # 0-based
    kind: str
    item_end: int | None = None  # 0-based exclusive end of the list item, for items
    content: str = ""  # heading text or the item's first paragraph
    slug: str = ""
    plain: str = ""  # heading as plain text
    level: int = 0  # a heading's level (1-6)
    text_ok: bool = True  # a standalone heading that is no node: its own text event
    html: bool = False  # an HTML heading (<h2>...</h2>): its slug is made unique later


@dataclass(slots=True)
class _Scan:
    events: list[_Event] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)
    bullets: Counter[str] = field(default_factory=Counter)
    indents: Counter[str] = field(default_factory=Counter)
    h1: str | None = None
    exceeded: Issue | None = None  # a limit of limits.py: the events are to be ignored
    levels: Counter[int] = field(default_factory=Counter)  # headings outside quotes, by level


def _heading_plain(content: str) -> str:
    if _PLAIN_HEADING_RE.match(content):
        return content
    tokens = _inline_parser().parseInline(content)
    out: list[str] = []
    for token in tokens[0].children or ():
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


# "- [" or "- **x" (not "* **", which is a thematic break), or a link after text that starts
# a paragraph whatever follows it: "![", a letter (any script), a number that is no list
# marker ("- 2024 [x](...)", not "- 1. x"), a code span (not a fence).
_RUN_ITEM_RE = re.compile(
    r"( *)([-*+]) (?=\[|\*\*[^*\s]|(?:!\[|`(?!``)|[^\W\d_]|\d+(?![\d.)]))[^\r\n]*\]\()"
)
_ANY_ITEM_RE = re.compile(r"( *)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class _Run:
    """Lines ``first + 1 .. stop - 1`` are sibling one-line items markdown-it does not see."""

    stop: int
    indentation: str
    marker: str
    first_item_end: int  # where markdown-it must end the first item for the guess to hold
    children: bool = False  # the lines are the items of the first one (a ``**Label**``)


@dataclass(slots=True)
class _Folded:
    """The text markdown-it is given, smaller than the source but with the same blocks.

    A line like ``    - [Title](https://...) (English) (Paid)`` is, *if* markdown-it finds a
    list item there, a one-paragraph item whose text cannot change the block structure:
    markdown-it is given ``    - x`` instead and the text is put back afterwards (``stubs``).
    In a run of such lines with the same indentation and bullet, every line after the first
    is a sibling item of it (a list item interrupts a paragraph; a line indented less than an
    item's content does not belong to it), so markdown-it sees the first one only, and the
    last one too when what follows the run might continue it (``runs``). Likewise the run
    of items right under a ``- **Label**`` line, when what follows ends the label too.
    Whether the guesses held is checked against markdown-it's tokens; if one did not, the
    text is parsed as is.
    """

    text: str
    runs: dict[int, _Run]
    stubs: dict[int, int]  # line -> width of "indentation, bullet, space"
    past_budget: int | None = None  # the first line markdown-it would be given past the limit


def _past_budget(lines: list[str], start: int = 0) -> int | None:
    """The first of ``lines`` past ``limits.MAX_PARSED_LINES`` lines that are not blank.

    markdown-it's cost is ~2 KB and ~40 us for each such line (a heading, a paragraph's line,
    a list item), against ~0.1 KB for a blank one; it is given no more than that many.
    """
    budget = limits.MAX_PARSED_LINES
    if len(lines) - start <= budget:
        return None
    for index in range(start, len(lines)):
        if lines[index].strip(" \t\r\n"):
            budget -= 1
            if budget < 0:
                return index
    return None


def _run_end(lines: list[str], after: int, indentation: int) -> int | None:
    """Where the last item of a run ends if nothing after it can belong to it, else None."""
    total = len(lines)
    line = after
    while line < total and not lines[line].strip():
        line += 1
    if line == total:
        return total
    text = lines[line]
    if text.startswith("\t"):
        return None
    if line == after:  # no blank line between: only a new item or a heading ends the run
        item = _ANY_ITEM_RE.match(text)
        if (item and len(item.group(1)) <= indentation) or text.startswith("#"):
            return line
        return None
    # After a blank line, anything indented less than the item's content is outside it.
    return line if len(text) - len(text.lstrip(" ")) < indentation + 2 else None


def _fold(lines: list[str], start: int) -> _Folded:
    out = ["\n"] * start
    out.extend(lines[start:])
    runs: dict[int, _Run] = {}
    stubs: dict[int, int] = {}
    match = _RUN_ITEM_RE.match
    index = start
    total = len(lines)
    while index < total:
        found = match(lines[index])
        if found is None:
            index += 1
            continue
        head = found.group(0)
        last = index + 1
        while (
            last < total
            and lines[last].startswith(head)
            and _RUN_ITEM_RE.match(lines[last]) is not None
        ):
            last += 1
        width = len(head)
        indentation = len(found.group(1))
        label = index - 1
        if label in stubs and label not in runs:  # a run of items right under a label?
            above = match(lines[label])
            if above and lines[label].startswith("**", above.end()):
                outer = len(above.group(1))
                end = _run_end(lines, last, outer)
                if outer + 2 <= indentation <= outer + 5 and end is not None:
                    runs[label] = _Run(last, found.group(1), found.group(2), end, children=True)
                    for blank in range(index, last):
                        out[blank] = "\n"
                    index = last
                    continue
        stub = head + "x\n"
        out[index] = stub
        stubs[index] = width
        end = _run_end(lines, last, indentation) if last - index >= 2 else None
        if end is not None:  # the last item ends the run: markdown-it sees the first only
            runs[index] = _Run(last, found.group(1), found.group(2), end)
            for blank in range(index + 1, last):
                out[blank] = "\n"
        elif last - index >= 3:
            runs[index] = _Run(last - 1, found.group(1), found.group(2), last - 1)
            for blank in range(index + 1, last - 1):
                out[blank] = "\n"
            out[last - 1] = stub
            stubs[last - 1] = width
        else:
            for other in range(index + 1, last):
                out[other] = stub
                stubs[other] = width
        index = last
    return _Folded("".join(out), runs, stubs, _past_budget(out, start))


def _scan(text: str, lines: list[str], front_lines: int = 0) -> _Scan:
    folded = _fold(lines, front_lines)
    if folded.stubs:
        if folded.past_budget is not None:
            return _Scan(exceeded=limits.too_many_parsed(folded.past_budget + 1))
        scan = _scan_tokens(block_tokens(folded.text), lines, folded)
        if scan is not None:
            return scan
    past_budget = _past_budget(lines, front_lines)
    if past_budget is not None:
        return _Scan(exceeded=limits.too_many_parsed(past_budget + 1))
    scan = _scan_tokens(block_tokens(text), lines, None)
    assert scan is not None
    return scan


def _scan_tokens(tokens: list[Token], lines: list[str], folded: _Folded | None) -> _Scan | None:
    """Events from the block tokens; ``None`` when a folded line was not a list item after all."""
    scan = _Scan()
    slugger = Slugger()
    runs = folded.runs if folded else {}
    stubs = folded.stubs if folded else {}
    pending = set(stubs)
    events = scan.events
    # Innermost enclosing list item kinds and their marker indentation.
    items: list[tuple[str, str]] = []
    quote = 0
    n = len(tokens)
    i = 0

    def add(event: _Event) -> None:
        if events and events[-1].line >= event.line:
            if events[-1].line == event.line:
                events[-1] = event
            return
        events.append(event)

    def heading(level: int, content: str, line: int, item_end: int | None) -> _Event | None:
        plain = _heading_plain(content).strip()
        slug = slugger.slug(plain)
        scan.anchors.append(slug)
        if level == 1 and scan.h1 is None:
            scan.h1 = plain
        if quote:
            return None
        scan.levels[level] += 1
        return _Event(line, HEADING, item_end, content, slug, plain, level)

    def html_heading(line: int) -> _Event | None:
        match = _HTML_HEADING_RE.match(lines[line])
        if match is None:
            return None
        level, attributes, content = int(match.group(1)), match.group(2), match.group(3)
        plain = item_links.plain_html(content)
        found = _ID_ATTRIBUTE_RE.search(attributes) if attributes else None
        anchor = next((part for part in found.groups() if part is not None), "") if found else ""
        if anchor:
            scan.anchors.append(anchor)
        if level == 1 and scan.h1 is None:
            scan.h1 = plain
        scan.levels[level] += 1
        return _Event(line, HEADING, None, content, anchor or plain, plain, level, html=True)

    def paragraph_heading(j: int) -> tuple[int, str, int] | None:
        """A setext heading made of the paragraph at ``j``: (level, content, tokens used)."""
        content = tokens[j + 1].content
        if "\n" in content:
            match = _SETEXT_RE.search(content)
            if match and match.start() > 0:
                return (1 if match.group(1)[0] == "=" else 2), content[: match.start()], 3
        after = j + 3
        if (
            after < n
            and tokens[after].type == "hr"
            and tokens[after].map
            and tokens[j].map
            and tokens[after].map[0] == tokens[j].map[1]
            and _DASH_LINE_RE.match(lines[tokens[after].map[0]].rstrip("\r\n"))
        ):
            return 2, content, 4
        return None

    def text_allowed() -> bool:
        return not quote and (not items or items[-1][0] not in (RESOURCE,))

    while i < n:
        token = tokens[i]
        kind = token.type
        if kind == "list_item_open":
            start, end = token.map or (0, 0)
            marker_ws = _MARKER_RE.match(lines[start])
            ws = marker_ws.group(1) if marker_ws else ""
            if not quote and marker_ws and token.markup in "-*+":
                scan.bullets[token.markup] += 1
                if items and ws.startswith(items[-1][1]) and len(ws) > len(items[-1][1]):
                    scan.indents[ws[len(items[-1][1]) :]] += 1
            depth = len(items) + quote + 1
            run = runs.get(start)
            if run is not None and run.children:
                depth += 1  # the run's items, one level under this one
            if depth > limits.MAX_NESTING:
                deepest = start if len(items) + quote + 1 > limits.MAX_NESTING else start + 1
                scan.exceeded = limits.too_deep(deepest + 1)
                return scan
            first = tokens[i + 1] if i + 1 < n else None
            if start in pending:
                if quote or first is None or first.type != "paragraph_open":
                    return None
                pending.discard(start)
                paragraph = tokens[i + 2]
                real = lines[start][stubs[start] :].rstrip("\r\n") + paragraph.content[1:]
                paragraph.content = real.replace("\0", "\ufffd").strip()
            event = _Event(start, TEXT, end)
            used = 1
            if first is not None and first.type == "heading_open":
                made = heading(int(first.tag[1]), tokens[i + 2].content, start, end)
                if made is not None:
                    event = made
                used = 4
            elif first is not None and first.type == "paragraph_open":
                setext = paragraph_heading(i + 1)
                if setext is not None:
                    level, content, used_tokens = setext
                    made = heading(level, content, start, end)
                    if made is not None:
                        event = made
                    used = 1 + used_tokens
                else:
                    content = tokens[i + 2].content
                    event = _classify_item(content, start, end, scan.references)
                    used = 4
            if run is not None:
                if end != run.first_item_end:
                    return None
                if not run.children:
                    event.item_end = start + 1  # the next line is a sibling it did not see
            if not quote:
                add(event)
            if run is not None:
                _unfold(start, run, lines, scan, add, ws, items)
            items.append((event.kind, ws))
            i += used
            continue
        if kind == "list_item_close":
            items.pop()
        elif kind == "blockquote_open":
            if text_allowed() and token.map:
                add(_Event(token.map[0], TEXT))
            quote += 1
            if len(items) + quote > limits.MAX_NESTING:
                scan.exceeded = limits.too_deep((token.map[0] if token.map else 0) + 1)
                return scan
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            made = heading(int(token.tag[1]), tokens[i + 1].content, token.map[0], None)  # type: ignore[index]
            if made is not None:
                made.text_ok = text_allowed()
                add(made)
            elif text_allowed():
                add(_Event(token.map[0], TEXT))  # type: ignore[index]
            i += 3
            continue
        elif kind == "paragraph_open":
            setext = paragraph_heading(i)
            if setext is not None:
                level, content, used_tokens = setext
                made = heading(level, content, token.map[0], None)  # type: ignore[index]
                if made is not None:
                    made.text_ok = text_allowed()
                    add(made)
                elif text_allowed():
                    add(_Event(token.map[0], TEXT))  # type: ignore[index]
                i += used_tokens
                continue
            content = tokens[i + 1].content
            if content.startswith("[") and "]:" in content:
                for label, url in inline.reference_definitions(content):
                    scan.references.setdefault(label, url)
            if text_allowed():
                add(_Event(token.map[0], TEXT))  # type: ignore[index]
            i += 3
            continue
        elif kind == "html_block" and not items and not quote and token.map:
            add(html_heading(token.map[0]) or _Event(token.map[0], TEXT))
        elif kind in ("html_block", "code_block", "fence", "hr") and text_allowed() and token.map:
            add(_Event(token.map[0], TEXT))
        if kind == "fence" and pending and token.map:
            # Folded lines in fenced code (an example of the list's format) are its text: a
            # fence ends at a fence line or with its container, which folding leaves as is.
            for line in range(*token.map):
                pending.discard(line)
        i += 1
    return None if pending else scan


def _unfold(
    first: int,
    run: _Run,
    lines: list[str],
    scan: _Scan,
    add,
    ws: str,
    items: list[tuple[str, str]],
) -> None:
    """The events of the lines of a run that markdown-it did not see."""
    unit = ""
    if run.children:
        if run.indentation.startswith(ws):
            unit = run.indentation[len(ws) :]
    elif items and ws.startswith(items[-1][1]) and len(ws) > len(items[-1][1]):
        unit = ws[len(items[-1][1]) :]
    width = len(run.indentation) + 2
    for line in range(first + 1, run.stop):
        content = lines[line][width:].strip()
        if "\0" in content:
            content = content.replace("\0", "\ufffd")
        add(_classify_item(content, line, line + 1, scan.references))
    count = run.stop - first - 1
    scan.bullets[run.marker] += count
    if unit:
        scan.indents[unit] += count


def _classify_item(content: str, start: int, end: int, references: dict[str, str]) -> _Event:
    if content.startswith("["):
        if "]:" in content and inline.reference_definitions(content):
            for label, url in inline.reference_definitions(content):
                references.setdefault(label, url)
            return _Event(start, TEXT, end)
        return _Event(start, RESOURCE, end, content)
    if content.startswith(("**", "__")) and inline.bold_label(content) is not None:
        return _Event(start, LABEL, end, content)
    if "[" in content or "<a" in content or "<A" in content:
        # Text before a link ("- Type checking: [mypy](...)"): a resource if the link is one.
        return _Event(start, RESOURCE, end, content)
    return _Event(start, TEXT, end)


def _resolve_levels(scan: _Scan) -> tuple[int, int]:
    """Headings become sections and topics at the levels this file uses.

    A lone ``#`` heading among deeper ones is the title (no node); alone, with a list under
    it, it is the one section. The first other heading gives the section level (``##`` in
    most roadmaps, ``###`` in a list whose headings start there), and shallower headings are
    sections too, so that nothing after the first section is outside one; the next deeper
    level present is the topic level. Deeper headings are their node's text, as any paragraph.
    """
    levels = sorted(scan.levels)
    if not levels:
        return 0, 0
    title = 0
    section_level = topic_level = 0
    if levels[0] == 1 and scan.levels[1] == 1 and len(levels) > 1:
        title = 1
    lone_title = levels == [1] and scan.levels[1] == 1
    if not lone_title or any(event.kind in (RESOURCE, LABEL) for event in scan.events):
        section_level = next(
            event.level for event in scan.events if event.kind == HEADING and event.level != title
        )
        topic_level = next((level for level in levels if level > section_level), 0)
    events = scan.events
    dropped = False
    used: set[str] = set()
    html: list[_Event] = []
    for event in events:
        if event.kind != HEADING:
            continue
        if event.level <= section_level and event.level != title:
            event.kind = H2
        elif event.level == topic_level:
            event.kind = H3
        elif event.item_end is not None or event.text_ok:
            event.kind = TEXT
            continue
        else:
            dropped = True
            continue
        if event.html:
            html.append(event)
        else:
            used.add(event.slug)
    if dropped:
        scan.events = [event for event in events if event.kind != HEADING]
    for event in html:  # an HTML heading's node slug: its id, or its text's; unique
        base = slug = slugify(event.slug) or "section"
        number = 0
        while slug in used:
            number += 1
            slug = f"{base}-{number}"
        used.add(slug)
        event.slug = slug
    return section_level, topic_level


# --- tree ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    kind: str  # "section" | "topic" | "label"
    line: int  # 0-based
    head: str
    end: float  # 0-based exclusive line where the container stops taking events
    event: _Event
    body: list = field(default_factory=list)
    label: str = ""
    category: str = "kind"
    # kind and level of a resource directly inside (from this and the enclosing labels)
    resource_kind: str | None = None
    resource_level: str | None = None
    own: list[Resource] = field(default_factory=list)  # a section's or topic's heading links


def _front_matter(lines: list[str]) -> tuple[int, tuple[tuple[str, str], ...]]:
    """(number of lines, pairs) of a ``---`` block at the very top; (0, ()) when there is none."""
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return 0, ()
    pairs: list[tuple[str, str]] = []
    block: list[str] = []
    for index in range(1, min(len(lines), 200)):
        line = lines[index].rstrip("\r\n")
        if line.rstrip() in ("---", "..."):
            if block and pairs:
                pairs[-1] = (pairs[-1][0], "\n".join(block))
            return index + 1, tuple(pairs)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            if not pairs:
                return 0, ()
            if not pairs[-1][1]:
                block.append(line.strip())
            continue
        match = _FRONT_KEY_RE.match(line)
        if not match:
            return 0, ()
        if block and pairs:
            pairs[-1] = (pairs[-1][0], "\n".join(block))
        block = []
        pairs.append((match.group(1), (match.group(2) or "").strip()))
    return 0, ()


def _prepare(text: str) -> tuple[str, list[str], list[int], int, tuple[tuple[str, str], ...]]:
    """(text for markdown-it, lines, line offsets, front matter lines, front matter pairs)."""
    lines = split_lines(text)
    offsets = [0, *accumulate(map(len, lines))]
    front_lines, front_pairs = _front_matter(lines)
    md_text = "\n" * front_lines + text[offsets[front_lines] :] if front_lines else text
    return md_text, lines, offsets, front_lines, front_pairs


@dataclass(frozen=True, slots=True)
class ListItem:
    """Where a list item and its first paragraph are (0-based lines, end exclusive)."""

    start: int
    end: int
    paragraph_start: int
    paragraph_end: int
    content: str  # the first paragraph's text, as markdown-it sees it
    references: dict[str, str]


def list_item_at(text: str, line: int, *, within: tuple[int, int] | None = None) -> ListItem | None:
    """The list item starting on ``line`` (0-based) whose first block is a paragraph.

    ``within``: the 0-based lines ``[first, stop)`` of the section holding it, from the
    parsed document. When ``first`` is an ATX heading (a block boundary nothing before it can
    reach across) and the file has no link reference definition (they count file-wide),
    only those lines are tokenised: an edit of a 3,000-resource list does not run markdown-it
    over the whole file again.
    """
    md_text, lines, _offsets, _front, _pairs = _prepare(text.removeprefix(BOM))
    shift = 0
    if (
        within is not None
        and "]:" not in md_text
        and within[0] <= line < within[1] <= len(lines)
        and lines[within[0]].startswith("#")
    ):
        shift = within[0]
        md_text = "".join(lines[within[0] : within[1]])
        line -= shift
    item = _item_in(block_tokens(md_text), line)
    if item is None or not shift:
        return item
    return ListItem(
        item.start + shift,
        item.end + shift,
        item.paragraph_start + shift,
        item.paragraph_end + shift,
        item.content,
        item.references,
    )


def _item_in(tokens: list[Token], line: int) -> ListItem | None:
    references: dict[str, str] = {}
    found = None
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.content.startswith("[") and "]:" in token.content:
            for label, url in inline.reference_definitions(token.content):
                references.setdefault(label, url)
        if (
            found is None
            and token.type == "list_item_open"
            and token.map
            and token.map[0] == line
            and tokens[index + 1].type == "paragraph_open"
        ):
            found = (token.map, tokens[index + 1].map, tokens[index + 2].content)
    if found is None:
        return None
    (start, end), (p_start, p_end), content = found
    return ListItem(start, end, p_start, p_end, content, references)


def parse(text: str) -> Document:
    """Parse a roadmap. ``render(parse(text)) == text`` for any string.

    A text over one of the limits of :mod:`.limits` is not parsed further: the document is
    the whole text as its preamble, and its ``limits`` name the limit and the line.
    """
    exceeded = limits.check_text(text)
    if exceeded is not None:
        return _unparsed(text, exceeded)
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    md_text, lines, offsets, front_lines, front_pairs = _prepare(text)
    scan = _scan(md_text, lines, front_lines)
    if scan.exceeded is not None:
        return _unparsed(BOM + text if bom else text, scan.exceeded)
    heading_levels = _resolve_levels(scan)
    events = scan.events
    total = len(lines)

    def piece(start: int, stop: int) -> str:
        return text[offsets[start] : offsets[stop]]

    starts = [e.line for e in events if e.line >= front_lines]
    events = [e for e in events if e.line >= front_lines]
    preamble: list[_TextParts] = []
    if front_lines:
        preamble.append(_TextParts(1, [piece(0, front_lines)]))
    first = starts[0] if starts else total
    if first > front_lines:
        preamble.append(_TextParts(front_lines + 1, [piece(front_lines, first)]))

    sections: list[Section] = []
    stack: list[_Builder] = []  # stack[0] is the current section
    kinds = _SectionKinds(front_pairs)

    def close(builder: _Builder, stop: int) -> None:
        node = _freeze(builder, stop, kinds)
        if len(stack) > 0:
            stack[-1].body.append(node)
        else:
            sections.append(node)  # type: ignore[arg-type]

    def close_to(depth: int, stop: int) -> None:
        while len(stack) > depth:
            builder = stack.pop()
            close(builder, stop)

    for index, event in enumerate(events):
        start = event.line
        stop = starts[index + 1] if index + 1 < len(starts) else total
        raw = piece(start, stop)
        if event.kind == H2:
            close_to(0, start)
            builder = _Builder("section", start, raw, float("inf"), event)
            builder.own = _heading_resources(event, scan.references)
            stack.append(builder)
            continue
        if not stack:
            if preamble and preamble[-1].line > front_lines:
                preamble[-1].parts.append(raw)
            else:
                preamble.append(_TextParts(start + 1, [raw]))
            continue
        if event.kind == H3:
            close_to(1, start)
            end = event.item_end if event.item_end is not None else float("inf")
            builder = _Builder("topic", start, raw, end, event)
            builder.own = _heading_resources(event, scan.references)
            stack.append(builder)
            continue
        while len(stack) > 1 and stack[-1].end <= start:
            close(stack.pop(), start)
        if event.kind == LABEL:
            label = inline.bold_label(event.content) or ""
            level = vocab.normalize_level(label)
            parent = stack[-1]
            stack.append(
                _Builder(
                    "label",
                    start,
                    raw,
                    event.item_end if event.item_end is not None else float("inf"),
                    event,
                    label=label,
                    category="level" if level else "kind",
                    resource_kind=parent.resource_kind if level else vocab.normalize_kind(label),
                    resource_level=level or parent.resource_level,
                )
            )
            continue
        if event.kind == RESOURCE:
            nodes = _resources(event, raw, stack[-1], scan.references)
            if nodes:
                stack[-1].body.extend(nodes)
                continue
        body = stack[-1].body
        if body and isinstance(body[-1], _TextParts):
            body[-1].parts.append(raw)  # consecutive text is one node, joined once at the end
        else:
            body.append(_TextParts(start + 1, [raw]))
    close_to(0, total)

    newline = _dominant_newline(text)
    preamble_tuple = _nodes(preamble)
    if bom:
        preamble_tuple, sections = _with_bom(preamble_tuple, sections)
    return Document(
        title=scan.h1,
        preamble=preamble_tuple,
        sections=tuple(sections),
        front_matter=front_pairs,
        newline=newline,
        bullet=scan.bullets.most_common(1)[0][0] if scan.bullets else "-",
        indent=scan.indents.most_common(1)[0][0] if scan.indents else "  ",
        electives_start=kinds.electives_start,
        elective_intro=kinds.elective_intro,
        anchors=tuple(scan.anchors),
        heading_levels=heading_levels,
    )


def _unparsed(text: str, exceeded: Issue) -> Document:
    """A text over a limit, kept whole (it renders back as is) without its structure."""
    return Document(
        title=None,
        preamble=(Text(text, 1),) if text else (),
        sections=(),
        newline=_dominant_newline(text),
        limits=(exceeded,),
    )


def _resources(
    event: _Event, raw: str, context: _Builder, references: dict[str, str]
) -> list[Resource]:
    """The resources of a list item: one when it starts with its link (the usual item),
    those of ``item_links`` otherwise; none when it has no link to read."""
    content = event.content
    fast = inline.FAST_RESOURCE_RE.match(content)
    if fast is not None:  # link and tags only: the usual roadmap item
        link_text, url, tags_source = fast.groups()
        if url.startswith("#"):
            return []
        tags = tuple(inline.TAG_CONTENT_RE.findall(tags_source)) if tags_source else ()
        title, author = inline.split_author(link_text)
        languages, cost = inline.tag_facts(tags)
        description = None
    else:
        link = inline.scan_link(content, references) if content.startswith("[") else None
        if link is not None and inline.is_anchor_url(link.url):
            return []  # a table of contents entry
        if link is None or link.text(content).lstrip().startswith("!["):
            found = item_links.read_links(content, references)
            return _read(found, raw, event.line + 1, context)
        link_text = link.text(content)
        parts = inline.resource_parts(content, link)
        url, title, author, tags = link.url, parts.title, parts.author, parts.tags
        languages, cost, description = parts.languages, parts.cost, parts.description
    return [
        Resource(
            raw=raw,
            line=event.line + 1,
            link_text=link_text,
            url=url,
            title=title,
            author=author,
            languages=languages,
            cost=cost,  # type: ignore[arg-type]
            kind=inline.link_kind(link_text) or context.resource_kind,
            level=context.resource_level,
            description=description,
            tags=tags,
        )
    ]


def _read(
    found: list[item_links.ItemLink], raw: str, line: int, context: _Builder | None
) -> list[Resource]:
    """Resources of ``found``: the first holds the source text, the others none (``raw``
    is ``""``: they are read from the same line)."""
    return [
        Resource(
            raw=raw if index == 0 else "",
            line=line,
            link_text=link.link_text,
            url=link.url,
            title=link.title,
            author=link.author,
            languages=link.languages,
            cost=link.cost,  # type: ignore[arg-type]
            kind=inline.link_kind(link.link_text) or (context.resource_kind if context else None),
            level=context.resource_level if context else None,
            description=link.description,
            tags=link.tags,
        )
        for index, link in enumerate(found)
    ]


def _heading_resources(event: _Event, references: dict[str, str]) -> list[Resource]:
    """A heading that links to an http(s) URL is its node's resource too (``raw`` is ``""``:
    the heading's text holds it)."""
    content = event.content
    if "[" not in content and "<a" not in content and "<A" not in content:
        return []
    resources = _read(item_links.read_links(content, references), "", event.line + 1, None)
    return resources


@dataclass(slots=True)
class _TextParts:
    """A Text node being built from consecutive pieces."""

    line: int
    parts: list[str]


def _nodes(items: list) -> tuple:
    return tuple(
        Text("".join(item.parts), item.line) if isinstance(item, _TextParts) else item
        for item in items
    )


def _freeze(builder: _Builder, stop: int, kinds: _SectionKinds):
    body = authors.with_list_authors(_nodes(builder.body))  # "Title - Author" lists
    if builder.own:  # after the introduction, before the first list: where the catalog shows it
        at = next((i for i, node in enumerate(body) if not isinstance(node, Text)), len(body))
        body = (*body[:at], *builder.own, *body[at:])
    if builder.kind == "label":
        return LabelGroup(
            head=builder.head,
            line=builder.line + 1,
            label=builder.label,
            category=builder.category,  # type: ignore[arg-type]
            body=body,
        )
    event = builder.event
    title, marked = _strip_in_progress(event.plain)
    in_progress = marked or _own_text_in_progress(body)
    if builder.kind == "topic":
        return Topic(
            head=builder.head,
            line=builder.line + 1,
            end_line=stop,
            title=title,
            slug=event.slug,
            in_progress=in_progress,
            body=body,
        )
    kind, step = kinds.classify(title, event.slug, in_progress, body)
    return Section(
        head=builder.head,
        line=builder.line + 1,
        end_line=stop,
        title=title,
        slug=event.slug,
        kind=kind,  # type: ignore[arg-type]
        in_progress=in_progress,
        step=step,
        body=body,
    )


def _strip_in_progress(title: str) -> tuple[str, bool]:
    if "progress" not in title.lower():
        return title.strip(), False
    stripped, count = _IN_PROGRESS_RE.subn(" ", title)
    return (" ".join(stripped.split()) if count else title.strip()), bool(count)


def _own_text_in_progress(body: tuple) -> bool:
    """The node's own text starts with an "(In Progress)" paragraph (alone, or followed by an
    introduction written later)."""
    own = "".join(node.raw for node in body if isinstance(node, Text))
    if "progress" not in own.lower():
        return False
    return in_progress_paragraph(own) is not None


_PARAGRAPH_BREAK_RE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


def in_progress_paragraph(text: str) -> str | None:
    """What follows ``text``'s first paragraph when that paragraph is an "(In Progress)"
    marker (``*(In Progress)*`` too), "" when nothing does; None when it is no marker."""
    first, *rest = _PARAGRAPH_BREAK_RE.split(text.strip(), maxsplit=1)
    if first.strip().strip("*_").strip().lower() not in ("(in progress)", "(in-progress)"):
        return None
    return rest[0].strip() if rest else ""


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else "\n"


def _with_bom(
    preamble: tuple[Text, ...], sections: list[Section]
) -> tuple[tuple[Text, ...], list[Section]]:
    if preamble:
        first = preamble[0]
        return (replace(first, raw=BOM + first.raw), *preamble[1:]), sections
    if sections:
        first_section = sections[0]
        return preamble, [replace(first_section, head=BOM + first_section.head), *sections[1:]]
    return (Text(BOM, 1),), sections


# --- section kinds ------------------------------------------------------------------------


class _SectionKinds:
    """Decides each section's kind as it is closed, and where the electives start."""

    def __init__(self, front_matter: tuple[tuple[str, str], ...]) -> None:
        self.overrides, electives = _front_matter_kinds(front_matter)
        self.electives_key = electives.lower() if electives else None
        self.electives_start: str | None = None
        self.elective_intro: str | None = None

    def classify(
        self, title: str, slug: str, in_progress: bool, body: tuple[Node, ...]
    ) -> tuple[str, int | None]:
        fact = _SectionFacts.of(title, body)
        if self.electives_key is not None:
            is_marker = self.electives_key in (title.lower(), slug)
        else:
            is_marker = fact.is_electives_marker
        is_marker = is_marker and self.electives_start is None
        if is_marker:
            self.electives_start = slug
            self.elective_intro = fact.prose.strip() or None
        kind, step = _section_kind(title, in_progress, fact, is_marker)
        override = self.overrides.get(title.lower()) or self.overrides.get(slug)
        if override is not None:
            return override, (step if override == "step" else None)
        return kind, step


def _front_matter_kinds(
    pairs: tuple[tuple[str, str], ...],
) -> tuple[dict[str, str], str | None]:
    overrides: dict[str, str] = {}
    electives = None
    for key, value in pairs:
        if key == "kinds":
            for line in value.split("\n"):
                title, sep, kind = line.rpartition(":")
                kind = kind.strip().lower()
                if sep and kind in ("step", "elective", "extra", "text"):
                    overrides[title.strip().strip("\"'").lower()] = kind
        elif key == "electives_start" and value:
            electives = value.strip().strip("\"'")
    return overrides, electives


def _has_resource(body: tuple[Node, ...]) -> bool:
    for node in body:
        if isinstance(node, Resource):
            return True
        if isinstance(node, LabelGroup | Topic) and _has_resource(node.body):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _SectionFacts:
    has_resources: bool
    has_topics: bool
    has_prose: bool
    prose: str
    is_electives_marker: bool

    @classmethod
    def of(cls, title: str, body: tuple[Node, ...]) -> _SectionFacts:
        has_topics = any(isinstance(n, Topic) for n in body)
        has_resources = _has_resource(body)
        prose = "".join(n.raw for n in body if isinstance(n, Text))
        has_prose = bool(prose.strip())
        key = vocab.heading_key(title)
        marker = False
        if not has_resources and not has_topics:
            marker = bool(
                vocab.ELECTIVES_TEXT_RE.search(prose) or vocab.ELECTIVES_HEADING_RE.search(key)
            )
        elif vocab.ELECTIVES_HEADING_RE.fullmatch(key):
            marker = True
        return cls(has_resources, has_topics, has_prose, prose, marker)


def _section_kind(
    title: str, in_progress: bool, fact: _SectionFacts, is_marker: bool
) -> tuple[str, int | None]:
    step = vocab.STEP_RE.match(title)
    if step:
        return "step", int(step.group(1))
    key = vocab.heading_key(title)
    if vocab.TEXT_SECTION_RE.match(key):
        return "text", None
    if is_marker:
        return ("elective" if fact.has_resources or fact.has_topics else "text"), None
    if vocab.EXTRA_SECTION_RE.search(key):
        return "extra", None
    if fact.has_prose and not fact.has_resources and not fact.has_topics and not in_progress:
        return "text", None
    return "elective", None
