"""The limits a roadmap must stay within, so that linting, importing and serving it stay cheap.

Each is far above what a real roadmap needs (in brackets: the most seen in ``content/``, the
awesome-list corpus and the catalog's 85,000-resource scale test) and bounds the work one file
can cause, whoever wrote it. Unbounded, 5 MB of blank lines took ~0.8 GB and 8 s to lint, and
5 MB of ``- x`` or ``## x`` lines ~1.5 GB and 40 s: markdown-it-py keeps five Python lists of
numbers per line and about five ~0.4 KB tokens per block, and the parser a few objects more.

``MAX_BYTES`` (5 MiB)
    The file's size; :func:`~learnmap.roadmap_md.source.load` refuses a larger file unread.
``MAX_LINES`` (150,000 lines) [98,811]
    Counted before anything else, without splitting the text.
``MAX_LINE_CHARS`` (20,000 characters) [473]
    One line, its line ending excluded.
``MAX_NESTING`` (20 levels) [3]
    Lists and block quotes inside each other. markdown-it stops parsing at a nesting it cannot
    afford and drops the rest of the file, silently: past this limit it is an error instead.
``MAX_PARSED_LINES`` (30,000 lines) [10,306]
    The lines markdown-it is given: every line that is not blank, except the one-line
    resource and label items of a list, which the parser reads itself (see ``parser._Folded``).
    A heading, a paragraph's line or another list item costs markdown-it ~2 KB and ~40 us.
``MAX_RESOURCES`` (100,000 resources) [85,000]

A text over ``MAX_LINES``, ``MAX_LINE_CHARS``, ``MAX_NESTING`` or ``MAX_PARSED_LINES`` is not
parsed further: :func:`~learnmap.roadmap_md.parser.parse` gives a document without structure
(the whole text as its preamble, so that it still renders back byte for byte) whose ``limits``
name the limit and the line, and :func:`~learnmap.roadmap_md.lint.lint` reports it as its only
error. ``MAX_RESOURCES`` is checked by lint on the parsed document.
"""

from __future__ import annotations

import re

from .model import Issue

__all__ = [
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MAX_NESTING",
    "MAX_PARSED_LINES",
    "MAX_RESOURCES",
    "check_text",
    "line_count",
    "line_of",
    "too_deep",
    "too_many_parsed",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 150_000
MAX_LINE_CHARS = 20_000
MAX_NESTING = 20
MAX_RESOURCES = 100_000
MAX_PARSED_LINES = 30_000

# Searched in the text with "\r" made "\n" (same offsets), each from a line's start only.
_LONG_LINE_RE = re.compile(rf"(?m)^[^\n]{{{MAX_LINE_CHARS + 1}}}")
_LINE_END_RE = re.compile(r"[\r\n]")
# More than MAX_NESTING block quote or list markers opening one line ("> > - > ..."), a
# thematic break such as "- - - -" excepted. Found before markdown-it, whose work on such a
# line grows with its depth (and with every line a block quote continues on).
_NESTED_ON_A_LINE_RE = re.compile(
    r"(?m)^"
    r"(?![ \t]*+([-*_])(?:[ \t]*+\1)*+[ \t]*+$)"
    rf"(?:[ \t]*+(?:>|(?:[-*+]|\d{{1,9}}[.)])(?=[ \t]))){{{MAX_NESTING + 1}}}"
)


def line_count(text: str) -> int:
    """Lines as the parser counts them (``\\r\\n``, ``\\r`` and ``\\n`` each end one)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (1 if text and text[-1] not in "\r\n" else 0)


def line_of(text: str, offset: int, *, start: int = 0) -> int:
    """The 1-based line of the character at ``offset``, counting from ``start`` (a character
    that is not the ``\\n`` of a ``\\r\\n``) as line 1."""
    return (
        text.count("\n", start, offset)
        + text.count("\r", start, offset)
        - text.count("\r\n", start, offset)
        + 1
    )


def check_text(text: str) -> Issue | None:
    """The first of ``MAX_LINES``, ``MAX_LINE_CHARS`` and ``MAX_NESTING`` (on one line) that
    ``text`` exceeds, as an error; ``None`` when it is within them.

    Counts without splitting the text, so a hostile file costs no more than a scan of it.
    Nesting across lines (by indentation) is found as the parser meets it.
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
    # A "\r\n" becomes two line ends, the second ending an empty line: nothing to find there.
    searched = text.replace("\r", "\n") if "\r" in text else text
    long_line = _LONG_LINE_RE.search(searched)
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
    nested = _NESTED_ON_A_LINE_RE.search(searched)
    if nested is not None:
        return too_deep(line_of(text, nested.start()))
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


def too_many_parsed(line: int) -> Issue:
    """The error for the line past ``MAX_PARSED_LINES``."""
    return Issue(
        line,
        "error",
        "too-many-parsed-lines",
        f"the roadmap has more than {MAX_PARSED_LINES:,} lines of headings, prose, labels and "
        "list items other than one-line resource links; a roadmap may have at most "
        f"{MAX_PARSED_LINES:,} (split it into several roadmaps)",
    )
