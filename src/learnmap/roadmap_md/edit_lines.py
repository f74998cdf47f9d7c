"""The source lines an edit touches, and the file's own style for new ones (pure).

Where a section's, topic's or label's own content ends (``own_extent``, ``last_content_line``),
which indentation and bullet (or next number) a new list item takes inside a node
(``child_prefix``, ``nested_indent``), each line's ending, and a block of lines inserted so the
file keeps (or keeps lacking) its final newline. ``edit`` builds on these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Document, LabelGroup, Node, Resource, Section, Topic
from .parser import ListItem, list_item_at, split_lines
from .render import iter_pieces

ITEM_RE = re.compile(r"^(\ufeff?)([ \t]*)([-*+]|(\d{1,9})([.)]))([ \t]+)(?=\S)")
BLANK_RE = re.compile(r"^[ \t]*(?:\r\n|\r|\n)?$")


def _line_count(pieces: Iterable[str]) -> int:
    return len(split_lines("".join(pieces)))


def own_extent(node: Section | Topic | LabelGroup) -> tuple[int, int]:
    """0-based [start, stop) of the lines where content of ``node`` itself can go."""
    start = node.line - 1
    if isinstance(node, Section):
        for child in node.body:
            if isinstance(child, Topic) and not ITEM_RE.match(child.head):
                return start, child.line - 1
        return start, node.end_line
    if isinstance(node, Topic):
        return start, node.end_line
    return start, start + _line_count([node.head, *iter_pieces(node.body)])


def last_content_line(lines: list[str], start: int, stop: int) -> int:
    index = min(stop, len(lines)) - 1
    while index > start and BLANK_RE.match(lines[index]):
        index -= 1
    return index


def item_parts(line: str) -> tuple[str, str, str] | None:
    """(indentation, marker, spacing) of a list item line."""
    match = ITEM_RE.match(line)
    if not match:
        return None
    return match.group(2), match.group(3), match.group(6)


def nested_indent(doc: Document, bullet: str) -> str:
    unit = doc.indent if doc.indent.strip() == "" and doc.indent else "  "
    need = len(bullet) + 1
    return unit if len(unit.expandtabs(4)) >= need else " " * need


def child_prefix(
    node: Section | Topic | LabelGroup, doc: Document, lines: list[str], *, want_labels: bool
) -> tuple[str, str]:
    """(indentation, bullet) for a new list item directly inside ``node``."""
    siblings: list[Node] = [
        child for child in node.body if isinstance(child, LabelGroup if want_labels else Resource)
    ]
    if siblings:
        parts = item_parts(lines[siblings[-1].line - 1])
        if parts:
            indentation, marker, _spacing = parts
            if marker[0].isdigit():
                number = int(re.match(r"\d+", marker).group(0))  # type: ignore[union-attr]
                marker = f"{number + 1}{marker[-1]}"
            return indentation, marker
    head = lines[node.line - 1]
    parts = item_parts(head)
    if parts is None:  # a heading: the list starts at the margin
        return "", doc.bullet
    indentation, marker, spacing = parts
    content_offset = len(marker) + len(spacing.expandtabs(4))
    unit = nested_indent(doc, marker)
    if len(unit.expandtabs(4)) < content_offset:
        unit = " " * content_offset
    return indentation + unit, doc.bullet


def line_ending(line: str) -> str:
    """The line's own ending ("\\r\\n", "\\n", "\\r"), or "" for a last line without one."""
    if line.endswith("\r\n"):
        return "\r\n"
    if line.endswith(("\n", "\r")):
        return line[-1]
    return ""


def insert_block(lines: list[str], index: int, block: list[str], newline: str) -> str:
    """The text with ``block`` inserted before line ``index``; at the end of a file without a
    final newline, the file still ends without one."""
    lines = list(lines)
    if index >= len(lines) and lines and not line_ending(lines[-1]):
        lines[-1] += newline
        block = [*block[:-1], block[-1].removesuffix(newline)]
    lines[index:index] = block
    return "".join(lines)


def item_at(doc: Document, text: str, line: int) -> ListItem | None:
    """The list item on ``line`` (1-based) of ``text`` (``render(doc)``), markdown-it run over
    its section only where that reads the same (:func:`.parser.list_item_at`)."""
    for section in doc.sections:
        if section.line <= line <= section.end_line:
            return list_item_at(text, line - 1, within=(section.line - 1, section.end_line))
    return list_item_at(text, line - 1)
