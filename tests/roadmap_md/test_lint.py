"""Each lint rule on a small roadmap: what it reports, on which line, how severe."""

from __future__ import annotations

from learnmap.roadmap_md import Issue, lint, parse


def issues(text: str) -> list[Issue]:
    return lint(parse(text))


def codes(text: str) -> list[tuple[int, str, str]]:
    return [(i.line, i.severity, i.code) for i in issues(text)]


TAGGED = "- [Ok](https://ok.example) (English) (Free)\n"


def test_javascript_link_is_an_error_on_its_line() -> None:
    text = f"# T\n\n## Step 1: A\n\n{TAGGED}- [Click](javascript:alert(1)) (English) (Free)\n"
    [issue] = issues(text)
    assert (issue.line, issue.severity, issue.code) == (6, "error", "unsafe-url")
    assert issue.format("roadmap.md").startswith(
        "roadmap.md:6: error: resource 'Click' links to a javascript: URL"
    )


def test_other_unsafe_schemes_even_disguised() -> None:
    text = (
        "## S\n"
        f"{TAGGED}"
        "- [D](data:text/html;base64,PHNjcmlwdD4=) (English) (Free)\n"
        "- [V](VBScript:msgbox) (English) (Free)\n"
        "- [F](file:///etc/passwd) (English) (Free)\n"
        "- [J](<java\tscript:alert(1)>) (English) (Free)\n"
        "- [E](JaVaScRiPt&#58;alert(2)) (English) (Free)\n"
    )
    assert [(line, code) for line, _s, code in codes(text)] == [
        (3, "unsafe-url"),
        (4, "unsafe-url"),
        (5, "unsafe-url"),
        (6, "unsafe-url"),
        (7, "unsafe-url"),
    ]


def test_empty_and_relative_links_are_errors() -> None:
    text = f"## S\n{TAGGED}- [E]() (English) (Free)\n- [R](docs/intro.md) (English) (Free)\n"
    found = issues(text)
    assert [(i.line, i.severity, i.code) for i in found] == [
        (3, "error", "empty-url"),
        (4, "error", "relative-url"),
    ]
    assert "docs/intro.md" in found[1].message


def test_duplicate_urls_name_the_first_line() -> None:
    text = (
        f"## S\n{TAGGED}- [Again](https://OK.example/) (English) (Free)\n"
        "- [Other](https://other.example) (English) (Free)\n"
    )
    [issue] = issues(text)
    assert (issue.line, issue.severity, issue.code) == (3, "warning", "duplicate-url")
    assert "also on line 2" in issue.message


def test_missing_language_and_price_tags() -> None:
    text = (
        f"## Step 1: A\n{TAGGED}- [NoLang](https://a.example) (Free)\n"
        "- [NoPrice](https://b.example) (English)\n"
    )
    assert codes(text) == [(3, "warning", "missing-language"), (4, "warning", "missing-price")]


def test_extra_sections_need_no_tags() -> None:
    text = f"## Step 1: A\n{TAGGED}\n## Podcasts\n\n- [Django Chat](https://djangochat.com/)\n"
    assert issues(text) == []


def test_a_list_that_never_uses_tags_is_not_asked_for_them() -> None:
    text = "## Web\n\n- [flask](https://f.example) - Micro.\n- [django](https://d.example)\n"
    assert issues(text) == []


def test_unknown_tag() -> None:
    text = f"## S\n{TAGGED}- [U](https://u.example) (English) (Free) (Klingonish)\n"
    [issue] = issues(text)
    assert (issue.line, issue.code) == (3, "unknown-tag")
    assert "(Klingonish)" in issue.message


def test_empty_topic_and_section() -> None:
    text = (
        f"## Step 1: A\n\n- ### Django\n  - **Book**\n  {TAGGED}\n"
        "- ### Sanic\n\n- ### Bottle (In Progress)\n"
        "\n## Caching\n\n## Testing\n\n(In Progress)\n\n## About\n\nProse only.\n"
    )
    assert codes(text) == [(7, "warning", "empty-topic"), (11, "warning", "empty-section")]


def test_topic_with_prose_is_not_empty() -> None:
    text = f"## S\n{TAGGED}\n### Notes\n\nRead the official tutorial first.\n"
    assert issues(text) == []


def test_toc_out_of_date() -> None:
    text = (
        "# T\n\n- [Step 1: A](#step-1-a)\n- [Gone](#gone)\n- [Data & AI](#data-&-ai)\n\n"
        f"## Step 1: A\n{TAGGED}\n## Data & AI\n{TAGGED.replace('ok', 'ok2')}\n"
        f"## New\n{TAGGED.replace('ok', 'ok3')}"
    )
    found = [(i.line, i.code, i.message) for i in issues(text)]
    assert found == [
        (
            4,
            "toc-broken-anchor",
            "table of contents links to #gone, which is no heading of this file",
        ),
        (
            5,
            "toc-broken-anchor",
            "table of contents links to #data-&-ai, but the heading 'Data & AI' has the anchor "
            "#data--ai",
        ),
        (13, "toc-missing-heading", "heading 'New' is missing from the table of contents"),
    ]


def test_toc_listing_only_some_topics() -> None:
    text = (
        "- [A](#a)\n  - [X](#x)\n- [B](#b)\n\n"
        f"## A\n\n### X\n{TAGGED}\n### Y\n{TAGGED.replace('ok', 'y')}\n"
        f"## B\n\n### Z\n{TAGGED.replace('ok', 'z')}"
    )
    # Y is missing under A, whose topics the TOC lists; B's topics are not listed at all.
    assert [(i.line, i.code) for i in issues(text)] == [(10, "toc-missing-heading")]


def test_issues_are_sorted_errors_first() -> None:
    text = (
        "## Step 1: A\n- [A](https://a.example) (English) (Free)\n- [J](javascript:x) (Klingon)\n"
    )
    found = issues(text)
    assert [(i.line, i.severity) for i in found][:2] == [(3, "error"), (3, "warning")]
    assert [i.line for i in found] == sorted(i.line for i in found)
