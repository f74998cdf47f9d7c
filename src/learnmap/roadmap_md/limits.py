"""The limits a roadmap must stay within, so that linting, importing and serving it stay cheap.

Every one of them is far above what a real roadmap needs (the figures in brackets are the
largest seen in ``content/`` and the awesome-list corpus) and keeps the work of one file small
and linear in its size, whoever sent it:

``MAX_BYTES`` (5 MiB)
    The file's size; :func:`~learnmap.roadmap_md.source.load` refuses a larger file unread.
``MAX_LINES`` (150,000 lines) [1,183]
    markdown-it keeps several Python objects per line and per block, about 1-2 KB for a line
    that starts a block: 5 MB of blank lines or of ``- x`` cost ~1 GB and 10-40 s unbounded.
``MAX_LINE_CHARS`` (20,000 characters) [473]
    One line, its line ending excluded.
``MAX_NESTING`` (20 levels) [3]
    Lists and block quotes inside each other. markdown-it stops parsing, silently, at a
    nesting it cannot afford; this limit makes that an error instead of a lost tail.
``MAX_RESOURCES`` (100,000 resources) [about 700]
    Above the 85,000 of the catalog's scale test.

A text over ``MAX_LINES``, ``MAX_LINE_CHARS`` or ``MAX_NESTING`` is not parsed further:
:func:`~learnmap.roadmap_md.parser.parse` gives a document without structure (the whole text
as its preamble, so it still renders back byte for byte) whose ``limits`` say which limit, on
which line; :func:`~learnmap.roadmap_md.lint.lint` reports it as an error. ``MAX_RESOURCES`` is
checked by lint on the parsed document.
"""

from __future__ import annotations

import re

from .model import Issue

__all__ = [
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MAX_NESTING",
    "MAX_RESOURCES",
    "check_text",
    "line_count",
    "line_of",
    "too_deep",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 150_000
MAX_LINE_CHARS = 20_000
MAX_NESTING = 20
MAX_RESOURCES = 100_000

# Only at a line's start (after \n, \r or at 0), so the search stays linear in the text.
_LONG_LINE_RE = re.compile(rf"(?:^|(?<=[\r\n]))[^\r\n]{{{MAX_LINE_CHARS + 1}}}")
_LINE_END_RE = re.compile(r"[\r\n]")


def line_count(text: str) -> int:
    """Lines as the parser counts them (``\\r\\n``, ``\\r`` and ``\\n`` each end one)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (1 if text and text[-1] not in "\r\n" else 0)


def line_of(text: str, offset: int, *, start: int = 0) -> int:
    """The 1-based line of the character at ``offset``, counting from ``start`` (a character
    that is not the ``\n`` of a ``\r\n``) as line 1."""
    return (
        text.count("\n", start, offset)
        + text.count("\r", start, offset)
        - text.count("\r\n", start, offset)
        + 1
    )


def check_text(text: str) -> Issue | None:
    """The first of ``MAX_LINES`` and ``MAX_LINE_CHARS`` that ``text`` exceeds, as an error.

    Counts without splitting the text, so a hostile file costs no more than a scan of it.
    """
    lines = line_count(text)
    if lines > MAX_LINES:
        return Issue(
            MAX_LINES + 1,
            "error",
            "too-many-lines",
            f"the roadmap has {lines:,} lines; a roadmap may have at most {MAX_LINES:,} "
            "(split it into several roadmaps)",
        )
    long_line = _LONG_LINE_RE.search(text)
    if long_line is not None:
        start = long_line.start()
        end = _LINE_END_RE.search(text, long_line.end())
        length = (end.start() if end else len(text)) - start
        return Issue(
            line_of(text, start),
            "error",
            "line-too-long",
            f"the line has {length:,} characters; a roadmap line may have at most "
            f"{MAX_LINE_CHARS:,}",
        )
    return None


def too_deep(line: int) -> Issue:
    """The error for a list or block quote nested deeper than ``MAX_NESTING`` on ``line``."""
    return Issue(
        line,
        "error",
        "too-deeply-nested",
        f"lists and block quotes are nested more than {MAX_NESTING} levels deep here; "
        f"a roadmap may nest them at most {MAX_NESTING} levels",
    )
