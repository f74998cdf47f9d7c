"""Lint codes (LM101...): one table, every finding in it, shown wherever findings are; and
switching warnings off the way ruff's noqa works: in the file, on a line, beside the file."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from learnmap.roadmap_md import limits, lint, parse, render, update_resource
from learnmap.roadmap_md.cli import main
from learnmap.roadmap_md.lint_codes import BY_CODE, BY_NAME, RULES, markdown_table
from learnmap.roadmap_md.noqa import COMMENTS_SHOWN

from .conftest import CORPUS, CORPUS_FILES, REPO, read_exact, seed_path

CORE = REPO / "src" / "learnmap" / "roadmap_md"
STYLES = Path(__file__).parent / "fixtures_styles"
TAGGED = "- [Ok](https://ok.example) (English) (Free)\n"

# Small roadmaps that between them give every finding (the limits are lowered for them).
CASES = {
    "no-sections": "# T\n\nSee https://a.example\n",
    "no-resources": "# T\n\n## Step 1: A\n\nProse.\n",
    "unread-link": f"## Step 1: A\n\n{TAGGED}\n| [T](https://t.example) | x |\n",
    "empty-section": f"## Step 1: A\n\n{TAGGED}\n## Step 2: B\n",
    "empty-topic": f"## Step 1: A\n\n{TAGGED}\n### Empty\n",
    "unsafe-url": f"## Step 1: A\n\n{TAGGED}- [J](javascript:alert(1)) (English) (Free)\n",
    "empty-url": f"## Step 1: A\n\n{TAGGED}- [E]() (English) (Free)\n",
    "relative-url": f"## Step 1: A\n\n{TAGGED}- [R](docs/a.md) (English) (Free)\n",
    "duplicate-url": f"## Step 1: A\n\n{TAGGED}{TAGGED}",
    "unknown-tag": "## Step 1: A\n\n- [U](https://u.example) (English) (Free) (Weird)\n",
    "missing-language": f"## Step 1: A\n\n{TAGGED}- [M](https://m.example) (Free)\n",
    "missing-price": f"## Step 1: A\n\n{TAGGED}- [M](https://m.example) (English)\n",
    "toc-broken-anchor": f"# T\n\n- [A](#nowhere)\n- [B](#step-1-a)\n\n## Step 1: A\n\n{TAGGED}",
    "toc-missing-heading": (
        f"- [A](#step-1-a)\n- [B](#step-2-b)\n\n## Step 1: A\n\n{TAGGED}\n## Step 2: B\n\n"
        f"- [B](https://b.example) (English) (Free)\n\n## Step 3: C\n\n"
        "- [C](https://c.example) (English) (Free)\n"
    ),
    "too-many-lines": "\r" * (limits.MAX_LINES + 1),
    "line-too-long": "x" * (limits.MAX_LINE_CHARS + 1),
    "too-deeply-nested": "> " * (limits.MAX_NESTING + 1) + "x\n",
    "too-many-parsed-lines": "## h\n" * 12,
    "too-many-resources": f"## Step 1: A\n\n{TAGGED}- [B](https://b.example) (English) (Free)\n",
    "private-use-character": f"## Step 1: A\n\n{TAGGED}\nA \ue000 box.\n",
    "unknown-noqa-code": f"## Step 1: A\n\n{TAGGED}<!-- noqa: LM999 -->\n",
    "blanket-noqa": f"<!-- learnmap: noqa -->\n## Step 1: A\n\n{TAGGED}",
    "error-noqa": "## Step 1: A\n\n- [J](javascript:x) (English) (Free) <!-- noqa: LM201 -->\n",
    "unused-noqa": f"<!-- learnmap: noqa: LM601 -->\n## Step 1: A\n\n{TAGGED}",
}


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PARSED_LINES", 10)
    monkeypatch.setattr(limits, "MAX_RESOURCES", 1)


def findings(text: str, **options) -> list[tuple[int, str, str]]:
    return [(i.line, i.rule, i.code) for i in lint(parse(text), **options)]


# --- the table --------------------------------------------------------------------------------


def test_the_table_has_one_row_per_code_and_per_name_grouped_by_hundreds() -> None:
    assert len(BY_CODE) == len(RULES) and len(BY_NAME) == len(RULES)
    assert all(re.fullmatch(r"LM[1-9]\d\d", rule.code) for rule in RULES)
    assert [rule.code for rule in RULES] == sorted(rule.code for rule in RULES)
    groups = {
        "LM1": {"unread-link", "no-sections", "no-resources", "empty-section", "empty-topic"},
        "LM5": {"too-many-lines", "line-too-long", "too-deeply-nested", "too-many-parsed-lines"}
        | {"too-many-resources"},
        "LM4": {"toc-broken-anchor", "toc-missing-heading"},
    }
    for prefix, names in groups.items():
        assert {rule.name for rule in RULES if rule.code.startswith(prefix)} == names
    assert all(rule.meaning and rule.fix for rule in RULES)


def test_codes_never_move() -> None:
    """A code, once given, is never renumbered: files and CI configs name them."""
    assert {name: BY_NAME[name].code for name in ("unread-link", "unsafe-url", "unknown-tag")} == {
        "unread-link": "LM101",
        "unsafe-url": "LM201",
        "unknown-tag": "LM301",
    }


def test_every_issue_the_core_can_make_is_in_the_table_with_its_severity() -> None:
    """Every ``Issue(line, severity, code, ...)`` in the core's source names a code of the table,
    with the table's severity (a new finding without a code fails here, not in production)."""
    seen: set[str] = set()
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Issue":
                severity, code = node.args[1], node.args[2]
                assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: a literal code"
                assert code.value in BY_NAME, f"{path.name}:{node.lineno}: {code.value}"
                if isinstance(severity, ast.Constant):
                    assert BY_NAME[code.value].severity == severity.value, code.value
                seen.add(code.value)
    assert seen <= set(BY_NAME)
    assert len(seen) >= 15


@pytest.mark.usefixtures("low_limits")
def test_every_code_is_produced_by_a_case_with_the_tables_severity() -> None:
    produced: dict[str, str] = {}
    for name, text in CASES.items():
        issues = lint(parse(text))
        assert name in {i.code for i in issues}, (name, issues)
        produced.update((i.code, i.severity) for i in issues)
    assert produced == {rule.name: rule.severity for rule in RULES}


def test_the_fixtures_and_the_corpus_give_only_codes_of_the_table() -> None:
    paths = [*STYLES.glob("*.md"), seed_path(), *(CORPUS / name for name in CORPUS_FILES)]
    for path in (p for p in paths if p.is_file()):
        for issue in lint(parse(read_exact(path))):
            assert BY_NAME[issue.code].severity == issue.severity
            assert issue.format(path.name).endswith(f" [{issue.rule} {issue.code}]")


def test_the_readme_lists_every_code_as_the_table_says() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "### Lint codes" in readme
    assert markdown_table() in readme
    for rule in RULES:
        assert f"| {rule.code} | `{rule.name}` | {rule.severity} |" in readme


def test_the_limits_in_the_table_are_the_limits() -> None:
    assert f"{limits.MAX_LINES:,} lines" in BY_NAME["too-many-lines"].meaning
    assert f"{limits.MAX_LINE_CHARS:,} characters" in BY_NAME["line-too-long"].meaning
    assert f"{limits.MAX_NESTING} levels" in BY_NAME["too-deeply-nested"].meaning
    assert f"{limits.MAX_PARSED_LINES:,} lines" in BY_NAME["too-many-parsed-lines"].meaning
    assert f"{limits.MAX_RESOURCES:,} resources" in BY_NAME["too-many-resources"].meaning


# --- shown wherever findings are --------------------------------------------------------------


def test_a_finding_reads_file_line_severity_message_then_code() -> None:
    [issue] = lint(parse(CASES["unknown-tag"]))
    assert issue.rule == "LM301"
    line = issue.format("roadmap.md")
    assert line.startswith("roadmap.md:3: warning: resource 'U' has an unknown tag (Weird)")
    assert line.endswith(" [LM301 unknown-tag]")


def test_the_cli_shows_codes_in_text_and_json(tmp_path: Path, capsys) -> None:
    roadmap = tmp_path / "r.md"
    roadmap.write_text(CASES["unknown-tag"], encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 0
    assert capsys.readouterr().out.rstrip("\n").endswith("[LM301 unknown-tag]")
    assert main(["lint", "--format", "json", str(roadmap)]) == 0
    [issue] = json.loads(capsys.readouterr().out)["issues"]
    assert (issue["rule"], issue["code"], issue["line"]) == ("LM301", "unknown-tag", 3)


# --- switching warnings off -------------------------------------------------------------------

TWO_WARNINGS = (
    "# T\n\n## Step 1: A\n\n"
    "- [U](https://u.example) (English) (Free) (Weird)\n"  # line 5: unknown-tag
    "- [V](https://v.example) (English) (Free) (Odd)\n"  # line 6: unknown-tag
    "\nSee https://w.example\n"  # line 8: unread-link
)


def test_a_file_comment_switches_its_codes_off_in_the_whole_file_only() -> None:
    assert findings(TWO_WARNINGS) == [
        (5, "LM301", "unknown-tag"),
        (6, "LM301", "unknown-tag"),
        (8, "LM101", "unread-link"),
    ]
    for comment in ("<!-- learnmap: noqa: LM301 -->", "<!--learnmap:noqa:lm301-->"):
        text = comment + "\n" + TWO_WARNINGS
        assert findings(text) == [(9, "LM101", "unread-link")]
    at_the_end = TWO_WARNINGS + "\n<!-- learnmap: noqa: LM101, LM301 -->\n"
    assert findings(at_the_end) == []


def test_a_line_comment_switches_its_codes_off_on_that_line_only() -> None:
    text = TWO_WARNINGS.replace("https://w.example", "https://w.example <!-- noqa: LM101 -->")
    assert findings(text) == [(5, "LM301", "unknown-tag"), (6, "LM301", "unknown-tag")]
    # The same code on another line switches nothing off: said so, on the comment's line.
    text = TWO_WARNINGS.replace("https://w.example", "https://w.example <!-- noqa: LM301 -->")
    assert findings(text) == [
        (5, "LM301", "unknown-tag"),
        (6, "LM301", "unknown-tag"),
        (8, "LM101", "unread-link"),
        (8, "LM904", "unused-noqa"),
    ]


def test_learnmap_toml_switches_codes_off_for_the_folder(tmp_path: Path, capsys) -> None:
    roadmap = tmp_path / "r.md"
    roadmap.write_text(TWO_WARNINGS, encoding="utf-8")
    (tmp_path / ".learnmap.toml").write_text('[lint]\nignore = ["LM301"]\n', encoding="utf-8")
    assert main(["lint", "--strict", str(roadmap)]) == 1
    out = capsys.readouterr().out
    assert "[LM101 unread-link]" in out and "LM301" not in out
    (tmp_path / ".learnmap.toml").write_text('[lint]\nignore = ["lm301", "LM101"]\n')
    assert main(["lint", "--strict", str(roadmap)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ('[lint]\nignore = ["LM999"]\n', ":2: [lint] ignore: unknown lint code 'LM999'"),
        ('[lint]\nignore = ["unread-link"]\n', "did you mean LM101, unread-link?"),
        ('[lint]\nignore = ["LM201"]\n', "LM201 (unsafe-url) is an error and cannot be switched"),
        ('[lint]\nignore = "LM301"\n', 'ignore = ["LM301", ...], a list of lint codes'),
    ],
)
def test_a_bad_ignore_in_learnmap_toml_is_refused_naming_the_file(
    tmp_path: Path, capsys, toml: str, said: str
) -> None:
    roadmap = tmp_path / "r.md"
    roadmap.write_text(TWO_WARNINGS, encoding="utf-8")
    (tmp_path / ".learnmap.toml").write_text(toml, encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 2
    err = capsys.readouterr().err
    assert ".learnmap.toml" in err and said in err


def test_an_unknown_code_in_a_comment_is_a_warning_naming_its_line() -> None:
    text = TWO_WARNINGS.replace("(Odd)\n", "(Odd) <!-- noqa: LM301, LM999, unread-link -->\n")
    found = lint(parse(text))
    assert [(i.line, i.code) for i in found] == [
        (5, "unknown-tag"),
        (6, "unknown-noqa-code"),
        (8, "unread-link"),
    ]
    assert "names 'LM999' and 'unread-link', which are no lint codes" in found[1].message
    assert "did you mean LM101 for unread-link?" in found[1].message


def test_a_comment_naming_no_code_switches_nothing_off() -> None:
    for comment in ("<!-- learnmap: noqa -->", "<!-- learnmap: noqa: -->"):
        assert findings(comment + "\n" + TWO_WARNINGS) == [
            (1, "LM902", "blanket-noqa"),
            (6, "LM301", "unknown-tag"),
            (7, "LM301", "unknown-tag"),
            (9, "LM101", "unread-link"),
        ]
    text = TWO_WARNINGS.replace("https://w.example", "https://w.example <!-- NOQA -->")
    assert (8, "LM101", "unread-link") in findings(text)


def test_errors_cannot_be_switched_off() -> None:
    for text in (
        CASES["error-noqa"],
        "<!-- learnmap: noqa: LM201 -->\n" + CASES["unsafe-url"],
    ):
        found = lint(parse(text))
        assert "unsafe-url" in {i.code for i in found}
        [said] = [i for i in found if i.code == "error-noqa"]
        assert "LM201 (unsafe-url), an error: errors cannot be switched off" in said.message
    with pytest.raises(ValueError, match="LM505"):
        lint(parse(CASES["unknown-tag"]), ignore=frozenset({"LM505"}))
    too_long = "<!-- learnmap: noqa: LM502 -->\n" + CASES["line-too-long"]
    assert findings(too_long) == [(2, "LM502", "line-too-long")]


def test_comments_in_code_are_text_not_switches() -> None:
    fenced = "```markdown\n<!-- learnmap: noqa: LM301 -->\n```\n"
    span = "Write `<!-- learnmap: noqa: LM301 -->` at the top.\n"
    for example in (fenced, span):
        text = TWO_WARNINGS + "\n" + example
        assert [code for _line, code, _name in findings(text)] == ["LM301", "LM301", "LM101"]


def test_a_comment_only_topic_is_still_empty() -> None:
    text = f"## Step 1: A\n\n{TAGGED}\n### Empty\n\n<!-- learnmap: noqa: LM301 -->\n"
    assert (5, "LM105", "empty-topic") in findings(text)


def test_comments_keep_the_round_trip_and_change_no_resource() -> None:
    with_comments = "<!-- learnmap: noqa: LM301 -->\r\n" + TWO_WARNINGS.replace(
        "\n", "\r\n"
    ).replace("See https://w.example", "See https://w.example <!-- noqa: LM101 -->")
    doc, plain = parse(with_comments), parse(TWO_WARNINGS)
    assert render(doc) == with_comments
    assert [(r.title, r.url, r.tags) for r in doc.resources] == [
        (r.title, r.url, r.tags) for r in plain.resources
    ]
    assert [(s.title, s.slug) for s in doc.sections] == [(s.title, s.slug) for s in plain.sections]
    assert findings(with_comments) == []


def test_a_comment_at_the_end_of_a_resource_line_changes_nothing_of_the_resource() -> None:
    line = "- [U](https://u.example) - A book. (English) (Free) (Weird)"
    plain = parse(f"## Step 1: A\n\n{line}\n").resources[0]
    commented = parse(f"## Step 1: A\n\n{line} <!-- noqa: LM301 -->\n").resources[0]
    assert (commented.description, commented.tags) == (plain.description, plain.tags)
    # Tags right after the link, and an edit of the resource keeps the comment where it was.
    doc = parse(
        "## Step 1: A\n\n- [U](https://u.example) (English) (Free) - A book. <!-- noqa: LM301 -->\n"
    )
    assert [(r.description, r.cost) for r in doc.resources] == [("A book.", "free")]
    edited = render(update_resource(doc, line=3, description="A better book.", cost="paid"))
    assert edited.endswith(
        "- [U](https://u.example) (English) (Paid) - A better book. <!-- noqa: LM301 -->\n"
    )


def test_a_file_full_of_bad_comments_gets_a_bounded_list(tmp_path: Path) -> None:
    """Findings about comments are listed one by one on COMMENTS_SHOWN lines, then summed up:
    a 5 MiB file of them cannot make millions of findings."""
    bad = "<!-- noqa: " + " ".join(f"X{i}" for i in range(40)) + " LM201 LM301 -->\n"
    lines = 20_000
    found = lint(parse(CASES["duplicate-url"] + bad * lines))
    by_code: dict[str, list[str]] = {}
    for issue in found:
        by_code.setdefault(issue.code, []).append(issue.message)
    assert {code: len(messages) for code, messages in by_code.items()} == {
        "duplicate-url": 1,
        "unknown-noqa-code": COMMENTS_SHOWN + 1,
        "error-noqa": COMMENTS_SHOWN + 1,
        "unused-noqa": COMMENTS_SHOWN + 1,
    }
    assert (
        "'X0', 'X1', 'X2', 'X3', 'X4' and 35 more, which are no lint codes"
        in (by_code["unknown-noqa-code"][0])
    )
    for code, rule in (("unknown-noqa-code", "LM901"), ("unused-noqa", "LM904")):
        more = f"{lines - COMMENTS_SHOWN:,} more noqa comments from here on are {rule} ({code})"
        assert by_code[code][-1].startswith(more)
