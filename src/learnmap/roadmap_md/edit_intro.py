"""A section's or topic's introduction: the prose right under its heading, before its first
list, label or topic. ``intro_text`` reads it; ``update_intro`` rewrites only its lines, in the
file's line ending, and refuses text that would change anything else in the roadmap (a
heading, a list item, a fence: Markdown that is structure, not prose)."""

from __future__ import annotations

import re
import textwrap

from .edit import _container
from .edit_lines import BLANK_RE
from .errors import InvalidResourceError, RoadmapEditError
from .model import Document, Section, Text, Topic
from .parser import in_progress_paragraph, parse, split_lines
from .render import render

__all__ = ["INTRO_MAX_CHARS", "intro_text", "node_intro", "update_intro", "without_in_progress"]

INTRO_MAX_CHARS = 3000

# Lines a Markdown reader takes for structure rather than prose: headings, list items, code
# fences, thematic breaks or setext underlines, tables, and link reference definitions.
_STRUCTURE = (
    (re.compile(r"^ {0,3}#{1,6}(?:\s|$)"), "a heading"),
    (re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:\s|$)"), "a list item"),
    (re.compile(r"^ {0,3}(?:`{3,}|~{3,})"), "a code fence"),
    (re.compile(r"^ {0,3}(?:(?:[-*_=])\s*){3,}$"), "a horizontal rule"),
    (re.compile(r"^ {0,3}(?:-+|=+)\s*$"), "a heading underline"),
    (re.compile(r"^ {0,3}\|"), "a table"),
    (re.compile(r"^ {0,3}\[[^\]]+\]:"), "a link definition"),
)


_LIST_ITEM_HEAD_RE = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?=#)")


def _leading_text(container: Section | Topic) -> list[Text]:
    leading: list[Text] = []
    for item in container.body:
        if not isinstance(item, Text):
            break
        leading.append(item)
    return leading


def without_in_progress(text: str) -> str:
    """``text`` without a first paragraph that is an "(In Progress)" marker, stripped."""
    rest = in_progress_paragraph(text)
    return text.strip() if rest is None else rest


def node_intro(doc: Document, *, section: str, topic: str | None = None) -> str:
    """``intro_text`` of the section (or topic) with these slugs."""
    return intro_text(_container(doc, section, topic))


def intro_text(container: Section | Topic) -> str:
    """The introduction as written (its lines, without the blank ones around them and without
    an "(In Progress)" marker paragraph before them), or "" when there is none."""
    raw = "".join(item.raw for item in _leading_text(container))
    return without_in_progress(textwrap.dedent(raw))


def _normalized(text: str) -> list[str]:
    """The new introduction's lines: trailing spaces dropped, runs of blank lines made one."""
    lines = [line.rstrip() for line in re.split(r"\r\n|\r|\n", (text or "").strip())]
    if not lines[0]:
        return []  # no introduction: its lines are removed
    if len("\n".join(lines)) > INTRO_MAX_CHARS:
        raise InvalidResourceError(f"the introduction is longer than {INTRO_MAX_CHARS} characters")
    kept: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line and kept and not kept[-1]:
            continue
        for pattern, what in _STRUCTURE:
            if pattern.match(line):
                raise InvalidResourceError(
                    f"line {number} of the introduction would be read as {what}, not prose: "
                    f"{line.strip()[:60]!r}"
                )
        kept.append(line)
    return kept


def update_intro(doc: Document, *, section: str, topic: str | None = None, text: str) -> Document:
    """A new document whose section (or topic, by slug) has ``text`` as its introduction: the
    prose lines under its heading replaced, or new ones written after the heading (and after an
    "(In Progress)" line) with a blank line on each side; an empty ``text`` removes them.
    Nothing else changes."""
    container = _container(doc, section, topic)
    wanted = _normalized(text)
    source = render(doc)
    lines = split_lines(source)
    newline = doc.newline
    leading = _leading_text(container)
    if leading:
        start = leading[0].line - 1
        stop = leading[-1].line - 1 + len(split_lines(leading[-1].raw))
    else:
        start = stop = container.line - 1 + len(split_lines(container.head))
    content = [i for i in range(start, stop) if not BLANK_RE.match(lines[i])]
    # An "(In Progress)" paragraph first stays: the introduction is what comes after it.
    run = 1
    while run < len(content) and content[run] == content[0] + run:
        run += 1
    if content and in_progress_paragraph("".join(lines[i] for i in content[:run])) == "":
        start = content[run - 1] + 1
        content = content[run:]
    # A topic written as a list item ("- ### Django") holds its text indented under the item.
    item = _LIST_ITEM_HEAD_RE.match(container.head)
    indent = " " * len(item.group(0)) if item else ""
    new_lines = [(indent + line if line else "") + newline for line in wanted]
    if content and not wanted:
        first, stop = content[0], content[-1] + 1
        # The blank line after the text goes with it when one is left before it.
        blank_before = first > 0 and BLANK_RE.match(lines[first - 1])
        if blank_before and stop < len(lines) and BLANK_RE.match(lines[stop]):
            stop += 1
        del lines[first:stop]
    elif not wanted:
        return doc  # no introduction, and none wanted
    elif content:
        first, last = content[0], content[-1]
        ending = lines[last][len(lines[last].rstrip("\r\n")) :]
        new_lines[-1] = new_lines[-1][: -len(newline)] + ending
        lines[first : last + 1] = new_lines
    else:
        at = start
        block = [*new_lines]
        if at > 0 and not BLANK_RE.match(lines[at - 1]):
            if not lines[at - 1].endswith(("\n", "\r")):
                lines[at - 1] += newline  # the heading ended the file, without a line ending
            block.insert(0, newline)
        if at < len(lines) and not BLANK_RE.match(lines[at]):
            block.append(newline)
        lines[at:at] = block
    result = parse("".join(lines))
    _check(doc, result, section, topic, "\n".join(wanted))
    return result


def _shape(doc: Document) -> list[tuple]:
    """Everything but the introductions and line numbers: headings and resources in order."""
    shape: list[tuple] = []
    for section in doc.sections:
        shape.append(("section", section.slug, section.title, section.kind, section.in_progress))
        shape.extend(("topic", t.slug, t.title, t.in_progress) for t in section.topics)
        shape.extend(
            (r.url, r.title, r.author, r.languages, r.cost, r.kind, r.level, r.description)
            for r in section.all_resources
        )
    return shape


def _check(before: Document, after: Document, section: str, topic: str | None, text: str) -> None:
    found = _container(after, section, topic)
    if intro_text(found).replace("\r\n", "\n").replace("\r", "\n") != text:
        raise RoadmapEditError(
            "the introduction does not read back as written: it may run into what follows it"
        )
    if _shape(after) != _shape(before) or after.title != before.title:
        raise InvalidResourceError(
            "the introduction would change the roadmap's headings or resources: write it as "
            "plain paragraphs"
        )
