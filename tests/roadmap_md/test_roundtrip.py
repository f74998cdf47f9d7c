"""render(parse(text)) gives the text back byte for byte, whatever the author's habits."""

from __future__ import annotations

import re

import pytest

from learnmap.roadmap_md import parse, render

from .conftest import CORPUS, read_exact

AWESOME = """\
# Awesome Things

> A curated list.

## Contents

- [Web](#web)

## Web

*Libraries for the web.*

- [flask](https://github.com/pallets/flask) - A microframework for Python.
  - [awesome-flask](https://github.com/humiaozuzu/awesome-flask)
- [django](https://github.com/django/django) - The web framework for perfectionists.

## License

CC0.
"""

CASES = {
    "crlf": (
        "# T\r\n\r\n## Step 1: A\r\n\r\n- **Book**\r\n"
        "  - [B](https://b.example) (English) (Free)\r\n"
    ),
    "mixed endings": "# T\r\n\n## S\r- [A](https://a.example)\r\n  - [B](https://b.example)\n",
    "no final newline": "# T\n\n## S\n\n- [A](https://a.example) (English)",
    "star bullets, 4-space indents": (
        "# T\n\n## Step 1: X\n\n* ### Topic\n\n    * **Video**\n"
        "        * [V](https://v.example) (English) (Paid)\n"
        "        * [W](https://w.example) (Persian) (Free)\n"
    ),
    "plus bullets": "## S\n\n+ **Books**\n  + [A](https://a.example)\n",
    "trailing spaces": (
        "# T  \n\n## S   \n\n- **Book**  \n  - [A](https://a.example) (English)   \n   \n"
    ),
    "html blocks": (
        "# T\n\n<details><summary>TOC</summary>\n\n- [S](#s)\n\n</details>\n\n## S\n\n"
        "<p align=center>\n<img src=x.png>\n</p>\n\n- [A](https://a.example)\n"
    ),
    "awesome list": AWESOME,
    "bom": "\ufeff# T\n\n## S\n\n- [A](https://a.example)\n",
    "bom, no preamble": "\ufeff## S\n- [A](https://a.example)\n",
    "only a bom": "\ufeff",
    "empty": "",
    "blank lines only": "\n\n  \n",
    "front matter": "---\ntitle: T\nkinds:\n  Podcasts: extra\n---\n# T\n\n## Podcasts\n",
    "setext headings": "Title\n=====\n\nSection\n-------\n\n- [A](https://a.example)\n",
    "closing hashes": "# T #\n\n## Step 1: X ##\n\n### Topic ###\n- [A](https://a.example)\n",
    "tabs": "# T\n\n## S\n\n-\t[A](https://a.example)\n\t- [B](https://b.example)\n",
    "fenced code": "## S\n\n```\n## not a heading\n- [x](https://x.example)\n```\n",
    "no h1": "Intro.\n\n## S\n\n- [A](https://a.example)\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_round_trip(text: str) -> None:
    assert render(parse(text)) == text


def test_seed_round_trip(seed_text: str) -> None:
    assert render(parse(seed_text)) == seed_text


def test_corpus_round_trip(corpus_text: str) -> None:
    assert render(parse(corpus_text)) == corpus_text


def test_crlf_file_keeps_its_style() -> None:
    doc = parse(CASES["crlf"])
    assert doc.newline == "\r\n"
    [resource] = doc.resources
    assert (resource.title, resource.kind, resource.languages, resource.cost) == (
        "B",
        "Book",
        ("English",),
        "free",
    )
    assert resource.raw == "  - [B](https://b.example) (English) (Free)\r\n"


def test_star_bullets_with_four_space_indents() -> None:
    doc = parse(CASES["star bullets, 4-space indents"])
    assert (doc.bullet, doc.indent) == ("*", "    ")
    [topic] = doc.sections[0].topics
    assert topic.title == "Topic"
    assert [(r.title, r.kind, r.cost) for r in topic.resources] == [
        ("V", "Video", "paid"),
        ("W", "Video", "free"),
    ]


def test_bom_is_kept_but_does_not_hide_the_title() -> None:
    doc = parse(CASES["bom"])
    assert doc.title == "T"
    assert doc.preamble[0].raw.startswith("\ufeff# T")
    assert [r.title for r in doc.resources] == ["A"]
    first_section = parse(CASES["bom, no preamble"]).sections[0]
    assert first_section.title == "S"
    assert first_section.head.startswith("\ufeff")


def test_file_without_h1() -> None:
    doc = parse(CASES["no h1"])
    assert doc.title is None
    assert doc.preamble[0].raw == "Intro.\n\n"
    assert [r.title for r in doc.resources] == ["A"]


def test_empty_file() -> None:
    doc = parse("")
    assert (doc.title, doc.preamble, doc.sections) == (None, (), ())


def test_no_final_newline_keeps_last_resource() -> None:
    doc = parse(CASES["no final newline"])
    [resource] = doc.resources
    assert resource.raw == "- [A](https://a.example) (English)"
    assert resource.languages == ("English",)


def test_html_block_and_toc_are_not_resources() -> None:
    doc = parse(CASES["html blocks"])
    assert [r.url for r in doc.resources] == ["https://a.example"]


def test_fenced_code_hides_headings_and_links() -> None:
    doc = parse(CASES["fenced code"])
    assert [s.title for s in doc.sections] == ["S"]
    assert doc.resources == ()


def test_setext_and_closing_hashes() -> None:
    setext = parse(CASES["setext headings"])
    assert setext.title == "Title"
    assert [s.title for s in setext.sections] == ["Section"]
    assert len(setext.resources) == 1
    hashes = parse(CASES["closing hashes"])
    assert hashes.title == "T"
    section = hashes.sections[0]
    assert (section.title, section.step, section.kind) == ("Step 1: X", 1, "step")
    assert [t.title for t in section.topics] == ["Topic"]
    assert len(section.topics[0].resources) == 1


def test_tabs_indent_nested_items() -> None:
    doc = parse(CASES["tabs"])
    assert [r.title for r in doc.resources] == ["A", "B"]


def test_every_line_belongs_to_exactly_one_node(seed_text: str) -> None:
    doc = parse(seed_text)
    seen: list[int] = []

    def walk(node) -> None:
        if hasattr(node, "raw"):
            seen.append(node.line)
        else:
            seen.append(node.line)
            for child in node.body:
                walk(child)

    for text in doc.preamble:
        walk(text)
    for section in doc.sections:
        walk(section)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


# --- the corpus: resources found are exactly the list items that link somewhere ---------

_LINK_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[^\]]*\]\((https?:[^)\s]*)\)")
# A list item with text before its first link ("- MySQL - [awesome-mysql](https://...)").
_LEAD_ITEM_RE = re.compile(
    r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+[^\[\s][^\[]*(?<!!)\[[^\]]*\]\((https?:[^)\s]*)\)"
)


def test_corpus_resources_match_an_independent_count(corpus_text: str) -> None:
    doc = parse(corpus_text)
    expected = [
        m.group(1)
        for line in corpus_text.splitlines()
        if (m := _LINK_ITEM_RE.match(line) or _LEAD_ITEM_RE.match(line))
    ]
    assert [r.url for r in doc.resources] == expected
    assert len(expected) > 300


def test_corpus_nothing_invented(corpus_text: str) -> None:
    doc = parse(corpus_text)
    lines = corpus_text.splitlines()
    for resource in doc.resources:
        line = lines[resource.line - 1]
        assert f"[{resource.link_text}]({resource.url})" in line
        assert resource.url in line
        if resource.description:
            assert resource.description[:20] in corpus_text


def test_awesome_python_structure() -> None:
    path = CORPUS / "awesome-python.md"
    if not path.is_file():
        pytest.skip("awesome-python.md is not available")
    doc = parse(read_exact(path))
    kinds = {s.title: s.kind for s in doc.sections}
    assert kinds == {
        "Sponsors": "text",
        "Categories": "text",
        "Projects": "elective",
        "Resources": "extra",
        "Contributing": "text",
    }
    projects = doc.sections_by_slug["projects"]
    assert len(projects.topics) == 74
    flask = next(r for r in projects.all_resources if r.title == "flask")
    assert flask.description == "A microframework for Python."
    assert flask.url == "https://github.com/pallets/flask"
    # 501 list items that start with their link, and 4 with text before it
    # ("- MySQL - [awesome-mysql](https://...)").
    assert len(doc.resources) == 505


def test_awesome_list_descriptions() -> None:
    doc = parse(AWESOME)
    assert [(r.title, r.description) for r in doc.resources] == [
        ("flask", "A microframework for Python."),
        ("awesome-flask", None),
        ("django", "The web framework for perfectionists."),
    ]
    assert [s.kind for s in doc.sections] == ["text", "elective", "text"]
    assert doc.electives_start is None
