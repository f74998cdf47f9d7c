"""Switching lint findings off, the way ruff's ``noqa`` works, in HTML comments (GitHub does not
show them, and they are text like any other: the file still renders back byte for byte):

- ``<!-- learnmap: noqa: LM101, LM402 -->`` anywhere in the file switches those codes off in
  the whole file;
- ``<!-- noqa: LM301 -->`` on a line (at its end) switches them off on that line only: the line
  a finding names;
- ``[lint] ignore = ["LM301"]`` in the ``.learnmap.toml`` beside the file (read by
  :mod:`.declared`) switches them off for every roadmap of the folder.

A comment names its codes (upper or lower case, separated by commas or spaces); one that names
none switches nothing off (``LM902``: a blanket switch would also hide what is found later,
with nobody having chosen to). Errors cannot be switched off (see :mod:`.lint_codes`): a
comment naming one gets ``LM903``, an unknown code ``LM901``, and a code with nothing to switch
off ``LM904``. A comment in code (a fenced block or a code span) is shown as text, not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .limits import line_of
from .lint_codes import BY_CODE, BY_NAME
from .model import Issue

__all__ = ["COMMENTS_SHOWN", "check_ignore", "switch_off"]

COMMENTS_SHOWN = 100  # findings of each kind about comments one by one, then one for the rest

_NOQA_RE = re.compile(
    r"<!--[ \t]*(?P<file>learnmap[ \t]*:[ \t]*)?noqa\b(?P<codes>[^\r\n]*?)-->", re.IGNORECASE
)
_SEPARATORS_RE = re.compile(r"[\s,]+")
_FENCE_RE = re.compile(r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)*(`{3,}|~{3,})")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_LINE_END_RE = re.compile(r"[\r\n]")
_ABOUT_COMMENTS = frozenset({"unknown-noqa-code", "blanket-noqa", "error-noqa"})


@dataclass(slots=True)
class _Switch:
    """The codes one line's comments (or the file's) switch off, and those that did."""

    codes: dict[str, int] = field(default_factory=dict)  # code: the line naming it
    used: set[str] = field(default_factory=set)


def check_ignore(codes: Iterable[str]) -> frozenset[str]:
    """``codes`` upper-cased; ValueError naming the first that is unknown or an error's."""
    found: set[str] = set()
    for code in codes:
        rule = BY_CODE.get(code.strip().upper())
        if rule is None:
            raise ValueError(f"unknown lint code {code!r}{_did_you_mean(code)}")
        if not rule.switchable:
            raise ValueError(f"{rule.code} ({rule.name}) is an error and cannot be switched off")
        found.add(rule.code)
    return frozenset(found)


def switch_off(issues: list[Issue], text: str, *, ignore: frozenset[str]) -> list[Issue]:
    """``issues`` without those the text's ``noqa`` comments and ``ignore`` (codes, as
    :func:`check_ignore` gives them) switch off, plus the findings about the comments (each
    kind of them one by one on ``COMMENTS_SHOWN`` lines, then one for the rest)."""
    if not ignore and _NOQA_RE.search(text) is None:
        return issues
    lines: dict[int, _Switch] = {}
    whole = _Switch()
    found = [*issues, *_read_comments(text, lines, whole)]
    kept: list[Issue] = []
    for issue in found:
        rule = BY_NAME[issue.code]
        if rule.switchable:
            here = lines.get(issue.line)
            if here is not None and rule.code in here.codes:
                here.used.add(rule.code)
                continue
            if rule.code in whole.codes:
                whole.used.add(rule.code)
                continue
            if rule.code in ignore:
                continue
        kept.append(issue)
    kept = _capped(kept)
    unused = BY_NAME["unused-noqa"].code
    if unused not in ignore and unused not in whole.codes:
        kept.extend(_unused(lines, whole, unused))
    return kept


def _unused(lines: dict[int, _Switch], whole: _Switch, unused: str) -> list[Issue]:
    """One warning per comment line naming the codes it switches off with nothing to (on
    ``COMMENTS_SHOWN`` lines, then one for the rest)."""
    found: dict[tuple[int, bool], list[str]] = {}
    for switch in (*lines.values(), whole):
        for code, line in switch.codes.items():
            here = lines.get(line)
            if code in switch.used or code == unused or (here and unused in here.codes):
                continue
            found.setdefault((line, switch is whole), []).append(code)
    ordered = sorted(found)
    issues = [
        Issue(
            line,
            "warning",
            "unused-noqa",
            f"the noqa comment switches {_listed(found[line, is_file], named=True)} off, but "
            f"there is no such finding {'in the file' if is_file else 'on this line'}; remove "
            f"{'it' if len(found[line, is_file]) == 1 else 'them'} from the comment",
        )
        for line, is_file in ordered[: COMMENTS_SHOWN + 1]
    ]
    return _capped(issues, codes=("unused-noqa",), more=len(ordered) - COMMENTS_SHOWN)


def _capped(
    issues: list[Issue], *, codes: Iterable[str] = _ABOUT_COMMENTS, more: int = 0
) -> list[Issue]:
    """``issues`` with those of ``codes`` cut to ``COMMENTS_SHOWN`` lines of each code, and
    one more warning of that code for the rest (``more`` of them when the caller cut them)."""
    shown: dict[str, int] = {}
    rest: dict[str, list[Issue]] = {}
    kept: list[Issue] = []
    for issue in sorted(issues, key=lambda issue: issue.line):
        if issue.code in codes:
            if shown.get(issue.code, 0) == COMMENTS_SHOWN:
                rest.setdefault(issue.code, []).append(issue)
                continue
            shown[issue.code] = shown.get(issue.code, 0) + 1
        kept.append(issue)
    kept.extend(
        replace(
            cut[0],
            message=f"{max(more, len(cut)):,} more noqa comments from here on are {cut[0].rule} "
            f"({cut[0].code}) too (the first {COMMENTS_SHOWN} are listed one by one)",
        )
        for cut in rest.values()
    )
    return kept


def _read_comments(text: str, lines: dict[int, _Switch], whole: _Switch) -> list[Issue]:
    """Fill ``lines`` and ``whole`` with the codes the comments name; the findings about them,
    one of each kind per line.

    Read a line at a time (the comments of a line in one ``findall``), and every search starts
    where the last one stopped: many comments on a line, or a file of ``\\r`` line ends (no
    ``\\n`` at all), cost no more than one pass over the text.
    """
    issues: list[Issue] = []
    fenced: set[int] | None = None
    search, end_of_line = _NOQA_RE.search, _LINE_END_RE.search
    position, counted, line = 0, 0, 1
    while (match := search(text, position)) is not None:
        start = match.start()
        line += line_of(text, start, start=counted) - 1
        counted = start
        # ``position`` is the previous line's end (or 0): the search back stops there.
        line_start = max(text.rfind("\n", position, start), text.rfind("\r", position, start)) + 1
        found_end = end_of_line(text, start)
        position = found_end.start() if found_end else len(text)
        if fenced is None:
            fenced = _fenced_lines(text)
        if line in fenced:
            continue
        if "`" in text[line_start:position]:  # skip those in code spans: shown as text
            comments, ticks, counted_to = [], 0, line_start
            for comment in _NOQA_RE.finditer(text, start, position):
                ticks += text.count("`", counted_to, comment.start())
                counted_to = comment.start()
                if not ticks % 2:
                    comments.append(comment.group("file", "codes"))
        else:
            comments = _NOQA_RE.findall(text, start, position)
        issues.extend(_read_line(line, comments, lines, whole))
    return issues


def _read_line(
    line: int, comments: list[tuple[str, str]], lines: dict[int, _Switch], whole: _Switch
) -> list[Issue]:
    """Record what the ``(file, codes)`` comments of ``line`` switch off; the findings."""
    issues: list[Issue] = []
    unknown: dict[str, None] = {}  # in the order written, once each
    errors: dict[str, None] = {}
    for is_file, codes in dict.fromkeys(comments):
        switch = whole if is_file else lines.setdefault(line, _Switch())
        named = _named(codes)
        if named is None:
            form = "<!-- learnmap: noqa: LM101, LM301 -->" if is_file else "<!-- noqa: LM301 -->"
            issues.append(
                Issue(
                    line,
                    "warning",
                    "blanket-noqa",
                    "the noqa comment names no code, so it switches nothing off: name the codes "
                    f"to switch off, as in {form}",
                )
            )
            continue
        for code in named[0]:
            switch.codes.setdefault(code, line)
        unknown.update(dict.fromkeys(named[1]))
        errors.update(dict.fromkeys(named[2]))
    if unknown:
        issues.append(Issue(line, "warning", "unknown-noqa-code", _unknown(tuple(unknown))))
    if errors:
        issues.append(Issue(line, "warning", "error-noqa", _not_switchable(tuple(errors))))
    return issues


@lru_cache(maxsize=256)
def _named(codes: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """(codes switched off, unknown names, errors' codes) a comment names; None for none."""
    names = [name for name in _SEPARATORS_RE.split(codes.lstrip(" \t:")) if name]
    if not names:
        return None
    rules = [(name, BY_CODE.get(name.upper())) for name in names]
    return (
        tuple(rule.code for _name, rule in rules if rule and rule.switchable),
        tuple(name for name, rule in rules if rule is None),
        tuple(rule.code for _name, rule in rules if rule and not rule.switchable),
    )


def _listed(names: Sequence[str], *, named: bool = False) -> str:
    """The first few of ``names``, quoted (or with their rule's name), "and N more"."""
    shown = [f"{name} ({BY_CODE[name].name})" if named else repr(name) for name in names[:5]]
    if len(names) > 5:
        return ", ".join(shown) + f" and {len(names) - 5:,} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


@lru_cache(maxsize=64)  # a file repeating one comment builds its message once
def _unknown(names: tuple[str, ...]) -> str:
    meant = [
        f"{BY_NAME[name.lower()].code} for {name}" for name in names if name.lower() in BY_NAME
    ]
    hint = f" (did you mean {', '.join(meant[:5])}?)" if meant else " (codes are LM101, ...)"
    which = "which is no lint code" if len(names) == 1 else "which are no lint codes"
    return f"the noqa comment names {_listed(names)}, {which}{hint}; it switches nothing off"


@lru_cache(maxsize=64)
def _not_switchable(codes: tuple[str, ...]) -> str:
    one = len(codes) == 1
    return (
        f"the noqa comment names {_listed(codes, named=True)}, {'an error' if one else 'errors'}"
        f": errors cannot be switched off; fix {'it' if one else 'them'} instead"
    )


def _did_you_mean(name: str) -> str:
    rule = BY_NAME.get(name.strip().lower())
    return f" (did you mean {rule.code}, {rule.name}?)" if rule else " (codes are LM101, ...)"


def _fenced_lines(text: str) -> set[int]:
    """The lines of fenced code blocks, their fences included."""
    found: set[int] = set()
    fence: str | None = None
    for number, line in enumerate(_LINE_RE.findall(text), start=1):
        if "`" not in line and "~" not in line and fence is None:
            continue
        opened = _FENCE_RE.match(line)
        if fence is not None:
            found.add(number)
            marker = opened.group(1) if opened else ""
            if marker[:1] == fence[:1] and len(marker) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
            found.add(number)
    return found
