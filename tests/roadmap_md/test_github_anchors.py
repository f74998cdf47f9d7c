# ruff: noqa: RUF001  (headings in Persian, Chinese and typographic punctuation on purpose)
"""Heading anchors as GitHub makes them, and a table of contents checked against them.

The expected anchors are those GitHub's own rendering gives (github-slugger's fixtures are
made by rendering each case on GitHub): a table-of-contents link is called broken only when
a reader clicking it on GitHub would not land on its heading.
"""

from __future__ import annotations

import pytest

from learnmap.roadmap_md import lint, parse, render
from learnmap.roadmap_md.slug import Slugger, html_anchors, slugify


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Step 0: Prerequisites", "step-0-prerequisites"),
        ("Algorithms & Data Structures", "algorithms--data-structures"),
        ("heading with a - dash", "heading-with-a---dash"),
        ("heading with an _ underscore", "heading-with-an-_-underscore"),
        (
            "exchange.bind_headers(exchange, routing [, bindCallback])",
            "exchangebind_headersexchange-routing--bindcallback",
        ),
        ("I ♥ unicode", "i--unicode"),
        ("en–dash", "endash"),
        ("😄 unicode emoji", "-unicode-emoji"),
        ("😄-😄 unicode emoji", "--unicode-emoji"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        ("Профили пользователей", "профили-пользователей"),
        ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
        ("Python³ and ① footnotes", "python-and--footnotes"),  # "other numbers" go
        ("Ⅻ Roman twelve", "ⅻ-roman-twelve"),  # letter numbers stay (lowercased)
        ("Ⓐ circled", "ⓐ-circled"),  # a symbol Unicode calls alphabetic stays
        ("a\u00a0b", "ab"),  # a no-break space is not a space
        # Persian: the zero-width non-joiner inside a word is removed, as GitHub does
        ("کتاب\u200cهای پایتون", "کتابهای-پایتون"),
        ("منابع یادگیری", "منابع-یادگیری"),
        ("Учебники (Русский)", "учебники-русский"),
        ("中文 资源：书籍", "中文-资源书籍"),
    ],
)
def test_slug_is_githubs(heading: str, anchor: str) -> None:
    assert slugify(heading) == anchor


def test_repeated_headings_get_numbers_that_skip_taken_ones() -> None:
    slugger = Slugger()
    headings = ["echo", "echo", "echo 1", "echo-1", "echo", "foxtrot-1", "foxtrot", "foxtrot"]
    assert [slugger.slug(h) for h in headings] == [
        "echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2", "foxtrot-1", "foxtrot", "foxtrot-2",
    ]  # fmt: skip


def test_html_anchors_id_and_name() -> None:
    text = (
        '<a id="intro"></a>\n<a name="Legacy-Name"></a>\n<h2 id="css-html">CSS/HTML</h2>\n'
        "<div id='single'>x</div>\n<span name=\"ignored\">not an anchor</span>\n"
        '<a href="#x">a link, no anchor</a>\n<p id=a&amp;b>entity</p>\n'
    )
    assert html_anchors(text) == ["intro", "Legacy-Name", "css-html", "single", "a&b"]


def toc_findings(text: str) -> list[tuple[int, str, str]]:
    doc = parse(text)
    assert render(doc) == text
    return [(i.line, i.code, i.message) for i in lint(doc) if i.code.startswith("toc")]


TOC_FIXTURE = """\
# Learning Go

## Contents

- [Start here](#start-here)
- [Tools & Editors](#tools--editors)
- [Books 📚](#books-)
- [CSS/HTML](#css-html)
- [Old name](#legacy)
- [Kept anchor](#kept)
- [Back to top](#top)
- [Web](#web)
- [Web, again](#web-1)

<a name="start-here"></a>
Some introduction.

## Tools & Editors

- [gopls](https://github.com/golang/tools) - The language server.

## Books 📚

- [The Go Programming Language](https://www.gopl.io) - The classic.

<h2 id="css-html">CSS/HTML</h2>

- [Templates](https://pkg.go.dev/html/template) - Safe HTML.

## Web

- [net/http](https://pkg.go.dev/net/http) - The standard server.

## Web

<a id="legacy"></a>
<a name="Kept"></a>

- [Gin](https://gin-gonic.com) - A web framework.
"""


def test_toc_links_that_work_on_github_are_not_reported() -> None:
    assert toc_findings(TOC_FIXTURE) == []


def test_toc_link_github_would_break_is_reported() -> None:
    broken = TOC_FIXTURE.replace("(#tools--editors)", "(#tools-&-editors)").replace(
        "(#books-)", "(#books)"
    )
    found = toc_findings(broken)
    assert [(line, code) for line, code, _ in found] == [
        (6, "toc-broken-anchor"),
        (7, "toc-broken-anchor"),
    ]
    assert "has the anchor #tools--editors" in found[0][2]
    assert "has the anchor #books-" in found[1][2]


def test_toc_link_to_a_missing_html_anchor_is_reported() -> None:
    found = toc_findings(TOC_FIXTURE.replace('<a id="legacy"></a>', '<a id="other"></a>'))
    assert [(line, code) for line, code, _ in found] == [(9, "toc-broken-anchor")]


PERSIAN_TOC = """\
# منابع یادگیری پایتون

- [کتاب‌ها](#کتابها)
- [دوره‌های ویدیویی](#دورههای-ویدیویی)
- [ابزارها](#ابزارها)

## کتاب‌ها

- [پایتون به زبان ساده](https://example.com/book) (فارسی)

## دوره‌های ویدیویی

- [آموزش جنگو](https://example.com/django) (فارسی)

## ابزارها

- [pip](https://pip.pypa.io) (English)
"""


def test_persian_toc_with_zero_width_non_joiner() -> None:
    assert toc_findings(PERSIAN_TOC) == []
    # Keeping the non-joiner in the link breaks it on GitHub: the heading's anchor has none.
    broken = PERSIAN_TOC.replace("(#کتابها)", "(#کتاب\u200cها)")
    assert [(line, code) for line, code, _ in toc_findings(broken)] == [(3, "toc-broken-anchor")]


def test_percent_encoded_toc_links_match() -> None:
    text = PERSIAN_TOC.replace("(#ابزارها)", "(#%D8%A7%D8%A8%D8%B2%D8%A7%D8%B1%D9%87%D8%A7)")
    assert toc_findings(text) == []
