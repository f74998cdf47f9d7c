"""What a roadmap must hold (a section, a resource) and the limits that keep a file cheap to
lint and import: each is a lint error naming the line, and the text still renders back as is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnmap.roadmap_md import Issue, lint, parse, render
from learnmap.roadmap_md.cli import main
from learnmap.roadmap_md.limits import (
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_NESTING,
    MAX_PARSED_LINES,
    MAX_RESOURCES,
)

OK = "## Step 1: Python\n\n- [Docs](https://docs.python.org) (English) (Free)\n"


def errors(text: str) -> list[tuple[int, str]]:
    doc = parse(text)
    assert render(doc) == text  # a refused file is still kept byte for byte
    return [(i.line, i.code) for i in lint(doc) if i.severity == "error"]


def only_error(text: str) -> Issue:
    found = [i for i in lint(parse(text)) if i.severity == "error"]
    assert len(found) == 1, found
    return found[0]


# --- a roadmap needs a section and a resource ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " \n\t\n", "\r" * 1000, "\n" * 1000, "\r\n" * 1000, "\ufeff", "# Title\n\nJust prose.\n"],
    ids=["empty", "whitespace", "cr", "lf", "crlf", "bom", "no-section"],
)
def test_a_file_without_sections_is_an_error_on_line_1(text: str) -> None:
    issue = only_error(text)
    assert (issue.line, issue.code) == (1, "no-sections")
    assert "no sections" in issue.message and "## " in issue.message


def test_sections_without_a_single_resource_are_an_error_on_the_first_section() -> None:
    text = "# T\n\nIntro.\n\n## Step 1: Python\n\nRead a book.\n\n## Step 2: Web (In Progress)\n"
    issue = only_error(text)
    assert (issue.line, issue.code) == (5, "no-resources")
    assert "no resources" in issue.message and "- [" in issue.message


def test_one_section_with_one_resource_is_enough() -> None:
    assert errors(OK) == []


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", ":1: error: the roadmap has no sections"),
        (b"\r" * 5_000_000, f":{MAX_LINES + 1}: error: the roadmap has 5,000,000 lines"),
    ],
    ids=["empty", "5mb-of-cr"],
)
def test_lint_fails_and_convert_refuses(tmp_path: Path, capsys, content: bytes, error: str) -> None:
    path = tmp_path / "roadmap.md"
    path.write_bytes(content)
    assert main(["lint", str(path)]) == 1
    assert f"{path}{error}" in capsys.readouterr().out
    if content:  # over a limit: no structure to convert, rather than an empty roadmap
        assert main(["convert", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"learnmap convert: {path}{error}")


# --- limits --------------------------------------------------------------------------------


def test_too_many_lines_is_an_error_naming_the_first_line_over() -> None:
    text = OK + "\r" * MAX_LINES
    assert errors(text) == [(MAX_LINES + 1, "too-many-lines")]
    assert f"at most {MAX_LINES:,}" in only_error(text).message
    assert errors(OK + "\n" * (MAX_LINES - 3)) == []


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_too_long_line_is_an_error_on_its_line(ending: str) -> None:
    long = "x" * (MAX_LINE_CHARS + 1)
    text = OK.replace("\n", ending) + ending + long + ending + "more" + ending
    issue = only_error(text)
    assert (issue.line, issue.code) == (5, "line-too-long")
    assert f"{MAX_LINE_CHARS + 1:,} characters" in issue.message
    assert errors(OK + "\n" + "x" * MAX_LINE_CHARS + "\n") == []


def _nested_list(levels: int) -> str:
    return "".join("  " * depth + f"- level {depth + 1}\n" for depth in range(levels))


def test_lists_nested_deeper_than_the_limit_are_an_error_on_the_deepest_line() -> None:
    text = OK + "\n" + _nested_list(MAX_NESTING + 1)
    issue = only_error(text)
    assert (issue.line, issue.code) == (4 + MAX_NESTING + 1, "too-deeply-nested")
    assert f"{MAX_NESTING} levels" in issue.message


def test_block_quotes_nested_deeper_than_the_limit_are_an_error() -> None:
    text = OK + "\n" + ">" * (MAX_NESTING + 1) + " deep\n"
    assert errors(text) == [(5, "too-deeply-nested")]
    assert errors(">" * 100_000) == [(1, "line-too-long")]
    assert errors("> " * 5_000 + "\n" + OK) == [(1, "too-deeply-nested")]


def test_nesting_up_to_the_limit_keeps_what_follows() -> None:
    """markdown-it stopped parsing at 10 list levels and dropped the rest of the file."""
    text = OK + "\n" + _nested_list(MAX_NESTING) + "\n## After\n\n- [A](https://a.example)\n"
    doc = parse(text)
    assert errors(text) == []
    assert [s.title for s in doc.sections] == ["Step 1: Python", "After"]
    assert [r.url for r in doc.resources][-1] == "https://a.example"


def test_too_many_lines_besides_resource_items_is_an_error_on_the_first_one_over() -> None:
    """Prose, headings and other list items cost markdown-it ~2 KB and ~40 us a line."""
    within = OK + "\n" + "word\n" * (MAX_PARSED_LINES - 2)
    assert errors(within) == []
    over = OK + "\n" + "- word\n" * (MAX_PARSED_LINES - 1)
    issue = only_error(over)
    assert (issue.line, issue.code) == (MAX_PARSED_LINES + 3, "too-many-parsed-lines")
    assert f"more than {MAX_PARSED_LINES:,}" in issue.message


def test_resource_lines_are_not_counted_even_with_an_example_of_them_in_a_code_block() -> None:
    example = "```markdown\n- [Name](https://example.com) - Description.\n- [Two](https://two.example)\n```\n"
    items = "".join(f"- [R{i}](https://r.example/{i})\n" for i in range(MAX_PARSED_LINES + 1))
    text = f"## Contributing\n\n{example}\n## Resources\n\n{items}"
    doc = parse(text)
    assert errors(text) == []
    assert len(doc.resources) == MAX_PARSED_LINES + 1
    assert "example.com" not in {r.url.split("/")[2] for r in doc.resources}


def test_nesting_on_one_line_is_found_before_parsing_thematic_breaks_are_not_nesting() -> None:
    assert errors(OK + "> > - > 1. " * 5 + "x\n") == [(4, "too-deeply-nested")]
    assert errors(OK + "\r" + "- " * (MAX_NESTING + 1) + "x\r") == [(5, "too-deeply-nested")]
    assert errors(OK + "- " * 40 + "\n" + "* " * 40 + "\n") == []


OVER_A_LIMIT = st.sampled_from(
    [
        "\n" + "x" * (MAX_LINE_CHARS + 1),
        "\r" + "> " * (MAX_NESTING + 1) + "x",
        "\r\n" * (MAX_LINES + 1),
        "\n" + _nested_list(MAX_NESTING + 1),
        "\n\n" + "## h\n" * (MAX_PARSED_LINES + 1),
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200), OVER_A_LIMIT, st.text(max_size=200))
def test_a_text_over_a_limit_renders_back_as_is_with_one_error(
    before: str, over: str, after: str
) -> None:
    text = before + over + after
    doc = parse(text)
    assert render(doc) == text
    [issue] = lint(doc)
    assert issue.severity == "error" and issue.code in (
        "line-too-long",
        "too-deeply-nested",
        "too-many-lines",
        "too-many-parsed-lines",
    )


def test_more_resources_than_the_limit_is_an_error_on_the_first_one_over() -> None:
    items = "".join(f"- [R{i}](https://r.example/{i})\n" for i in range(MAX_RESOURCES + 1))
    text = "## Resources\n\n" + items
    issue = only_error(text)
    assert (issue.line, issue.code) == (3 + MAX_RESOURCES, "too-many-resources")
    assert f"at most {MAX_RESOURCES:,}" in issue.message


# --- private-use characters ------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\ue000", "\uf8ff", "\U000f0000", "\U000ffffd", "\U0010fffd"])
def test_private_use_characters_are_a_warning_naming_line_and_code_point(char: str) -> None:
    text = OK + f"- [A {char} title {char}](https://a.example) (English) (Free)\n"
    issue = only_private_use(text)
    assert issue.line == 4
    assert f"U+{ord(char):04X}" in issue.message
    assert errors(text) == []


def test_one_private_use_warning_a_line_with_the_count() -> None:
    text = OK + "\ue001\ue000 intro \ue001\n\nplain\n\ue002\n"
    warned = [i for i in lint(parse(text)) if i.code == "private-use-character"]
    assert [(i.line, i.severity) for i in warned] == [(4, "warning"), (7, "warning")]
    assert "U+E001" in warned[0].message and "3 private-use characters" in warned[0].message


def test_private_use_warnings_stop_at_100_lines_then_one_says_how_many_more() -> None:
    text = OK + "".join(f"- [R{i} \ue000](https://r.example/{i})\n" for i in range(150))
    warned = [i for i in lint(parse(text)) if i.code == "private-use-character"]
    assert [i.line for i in warned] == list(range(4, 105))
    assert "U+E000" in warned[99].message
    assert "50 more lines from here on" in warned[100].message


def test_characters_next_to_the_private_use_areas_are_fine() -> None:
    text = OK + "\ud7ff\uf900 \ufffd \U000effff \U000ffffe\n"
    assert [i for i in lint(parse(text)) if i.code == "private-use-character"] == []


def only_private_use(text: str) -> Issue:
    [issue] = [i for i in lint(parse(text)) if i.code == "private-use-character"]
    assert issue.severity == "warning"
    return issue
