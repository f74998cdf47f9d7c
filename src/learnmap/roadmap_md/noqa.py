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
from collections.abc import Iterable
from dataclasses import dataclass, field

from .limits import line_of
from .lint_codes import BY_CODE, BY_NAME, Rule
from .model import Issue

__all__ = ["check_ignore", "switch_off"]

_NOQA_RE = re.compile(
    r"<!--[ \t]*(?P<file>learnmap[ \t]*:[ \t]*)?noqa\b(?P<codes>[^\r\n]*?)-->", re.IGNORECASE
)
_SEPARATORS_RE = re.compile(r"[\s,]+")
_FENCE_RE = re.compile(r"^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)*(`{3,}|~{3,})")
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


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
    :func:`check_ignore` gives them) switch off, plus the findings about the comments."""
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
    unused = BY_NAME["unused-noqa"].code
    for switch in (*lines.values(), whole):
        for code, line in switch.codes.items():
            if code in switch.used or code == unused:
                continue
            here = lines.get(line)
            if unused in ignore or unused in whole.codes or (here and unused in here.codes):
                continue
            where = "in the file" if switch is whole else "on this line"
            kept.append(
                Issue(
                    line,
                    "warning",
                    "unused-noqa",
                    f"the noqa comment switches {code} ({BY_CODE[code].name}) off, but there is "
                    f"no such finding {where}; remove it from the comment",
                )
            )
    return kept


def _read_comments(text: str, lines: dict[int, _Switch], whole: _Switch) -> list[Issue]:
    """Fill ``lines`` and ``whole`` with the codes the comments name; the findings about them."""
    issues: list[Issue] = []
    fenced: set[int] | None = None
    counted, line = 0, 1
    for match in _NOQA_RE.finditer(text):
        start = match.start()
        line += line_of(text, start, start=counted) - 1
        counted = start
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        if text.count("`", line_start, start) % 2:
            continue  # in a code span: shown as text
        if fenced is None:
            fenced = _fenced_lines(text)
        if line in fenced:
            continue
        is_file = match.group("file") is not None
        switch = whole if is_file else lines.setdefault(line, _Switch())
        names = [name for name in _SEPARATORS_RE.split(match.group("codes").lstrip(" \t:")) if name]
        form = "<!-- learnmap: noqa: ... -->" if is_file else "<!-- noqa: ... -->"
        if not names:
            issues.append(
                Issue(
                    line,
                    "warning",
                    "blanket-noqa",
                    f"the noqa comment names no code, so it switches nothing off: name the codes "
                    f"to switch off, as in {form.replace('...', 'LM101, LM301')}",
                )
            )
        for name in names:
            rule = BY_CODE.get(name.upper())
            if rule is None:
                issues.append(Issue(line, "warning", "unknown-noqa-code", _unknown(name)))
            elif not rule.switchable:
                issues.append(Issue(line, "warning", "error-noqa", _not_switchable(rule)))
            else:
                switch.codes.setdefault(rule.code, line)
    return issues


def _unknown(name: str) -> str:
    return (
        f"the noqa comment names {name!r}, which is no lint code{_did_you_mean(name)}; it "
        "switches nothing off"
    )


def _not_switchable(rule: Rule) -> str:
    return (
        f"the noqa comment names {rule.code} ({rule.name}), an error: errors cannot be "
        "switched off, fix it instead"
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
