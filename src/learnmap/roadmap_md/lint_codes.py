"""Every lint finding's stable code: the one table of them (the README's "Lint codes" table
is checked against it by the tests).

A code is ``LM`` and three digits, grouped by what the finding is about; once given, a code is
never renumbered or reused (a retired finding keeps its number, unused):

- ``LM1xx`` structure and lost content: what of the file is not read as the roadmap;
- ``LM2xx`` links of resources;
- ``LM3xx`` tags;
- ``LM4xx`` the table of contents;
- ``LM5xx`` the limits of :mod:`.limits`;
- ``LM6xx`` characters;
- ``LM9xx`` the ``noqa`` comments themselves (see :mod:`.noqa`).

Errors cannot be switched off (:attr:`Rule.switchable`): an error means Learnmap will not
publish the file as it is (an unsafe, empty or relative link, no section or resource to build,
a limit that bounds what one file may cost the server), so hiding it would only hide why the
import is refused. Every warning can be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["BY_CODE", "BY_NAME", "RULES", "Rule", "markdown_table", "rule_named"]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str  # "LM101"
    name: str  # the Issue's ``code``: "unread-link"
    severity: Literal["error", "warning"]
    meaning: str  # one line: what was found
    fix: str  # one line: what to do about it

    @property
    def switchable(self) -> bool:
        """Whether a ``noqa`` comment or ``.learnmap.toml`` may switch it off."""
        return self.severity == "warning"


RULES: tuple[Rule, ...] = (
    # LM1xx: structure and lost content
    Rule(
        "LM101",
        "unread-link",
        "warning",
        "A line with an http(s) link that is not read as a resource (in a table, a paragraph, "
        "a heading that is no section or topic, before the first section...).",
        "Make it a list item `- [title](https://...)` under a section, or switch LM101 off "
        "where the link is meant as text.",
    ),
    Rule(
        "LM102",
        "no-sections",
        "error",
        "No section can be built from the file (it says how many links are left unread).",
        "Add a section heading such as `## Step 1: Python` with resources under it.",
    ),
    Rule(
        "LM103",
        "no-resources",
        "error",
        "The file has sections but not one resource.",
        "Add a list item with a link under a section: `- [Python docs](https://docs.python.org)`.",
    ),
    Rule(
        "LM104",
        "empty-section",
        "warning",
        "A section with no resources, topics or text.",
        "Add resources, or mark it `(In Progress)`.",
    ),
    Rule(
        "LM105",
        "empty-topic",
        "warning",
        "A topic with no resources or text.",
        "Add resources, or mark it `(In Progress)`.",
    ),
    # LM2xx: links
    Rule(
        "LM201",
        "unsafe-url",
        "error",
        "A resource links to a `javascript:`, `data:`, `vbscript:` or `file:` URL, which can "
        "run code or open local files.",
        "Link to an http(s) address.",
    ),
    Rule(
        "LM202",
        "empty-url",
        "error",
        "A resource's link has no address: `[title]()`.",
        "Fill in the address.",
    ),
    Rule(
        "LM203",
        "relative-url",
        "error",
        "A resource links to a relative path, which means nothing outside the repository.",
        "Use an absolute URL such as `https://...`.",
    ),
    Rule(
        "LM204",
        "duplicate-url",
        "warning",
        "The same URL as an earlier resource (it names that resource's line).",
        "Remove one of them, or switch LM204 off on the line when listing it twice is meant.",
    ),
    # LM3xx: tags
    Rule(
        "LM301",
        "unknown-tag",
        "warning",
        "A tag that is no known language, price, level, format or kind; it is kept as written.",
        "Fix its spelling, or declare it (`tags:` in the front matter, or `.learnmap.toml`).",
    ),
    Rule(
        "LM302",
        "missing-language",
        "warning",
        "Other resources have a language tag and this one has none.",
        "Add its language: `(English)`, `(فارسی)`, `(fa)`...",
    ),
    Rule(
        "LM303",
        "missing-price",
        "warning",
        "Other resources have a price tag and this one has none.",
        "Add `(Free)` or `(Paid)`.",
    ),
    # LM4xx: table of contents
    Rule(
        "LM401",
        "toc-broken-anchor",
        "warning",
        "A table-of-contents link to an anchor no heading of the file has on GitHub.",
        "Use the heading's anchor (the message names it when the heading is found).",
    ),
    Rule(
        "LM402",
        "toc-missing-heading",
        "warning",
        "A heading the table of contents leaves out while it lists its neighbours.",
        "Add the heading to the table of contents.",
    ),
    # LM5xx: limits
    Rule(
        "LM501",
        "too-many-lines",
        "error",
        "The file has more than 150,000 lines.",
        "Split it into several roadmaps.",
    ),
    Rule(
        "LM502",
        "line-too-long",
        "error",
        "A line has more than 20,000 characters.",
        "Break the line.",
    ),
    Rule(
        "LM503",
        "too-deeply-nested",
        "error",
        "Lists and block quotes nested more than 20 levels deep.",
        "Nest them less deeply.",
    ),
    Rule(
        "LM504",
        "too-many-parsed-lines",
        "error",
        "More than 30,000 lines of headings, prose, labels and list items other than one-line "
        "resources.",
        "Split it into several roadmaps.",
    ),
    Rule(
        "LM505",
        "too-many-resources",
        "error",
        "More than 100,000 resources.",
        "Split it into several roadmaps.",
    ),
    # LM6xx: characters
    Rule(
        "LM601",
        "private-use-character",
        "warning",
        "A private-use character (U+E000 to U+F8FF, ...): most readers see nothing or a box.",
        "Remove it or use a real character.",
    ),
    # LM9xx: noqa comments
    Rule(
        "LM901",
        "unknown-noqa-code",
        "warning",
        "A `noqa` comment names a code that is not in this table; it switches nothing off.",
        "Write the code as listed here (`LM101`, not `unread-link`).",
    ),
    Rule(
        "LM902",
        "blanket-noqa",
        "warning",
        "A `noqa` comment names no code; it switches nothing off.",
        "Name the codes to switch off: `<!-- noqa: LM301 -->`.",
    ),
    Rule(
        "LM903",
        "error-noqa",
        "warning",
        "A `noqa` comment names an error's code; errors cannot be switched off.",
        "Fix the error, and remove the code from the comment.",
    ),
    Rule(
        "LM904",
        "unused-noqa",
        "warning",
        "A `noqa` comment names a code with no finding to switch off (on its line, or in the "
        "file for `learnmap: noqa`).",
        "Remove the code (put a line's comment at the end of the line it is for).",
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def rule_named(name: str) -> Rule:
    """The rule of an Issue's ``code`` (its name, such as ``unread-link``)."""
    return BY_NAME[name]


def markdown_table() -> str:
    """The README's "Lint codes" table (a test checks the README holds it as it is)."""
    rows = [
        "| Code | Name | Severity | What it means | How to fix it |",
        "|------|------|----------|---------------|---------------|",
    ]
    rows.extend(
        f"| {rule.code} | `{rule.name}` | {rule.severity} | {rule.meaning} | {rule.fix} |"
        for rule in RULES
    )
    return "\n".join(rows) + "\n"
