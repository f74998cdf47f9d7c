"""How the parser reads the less common shapes a roadmap file takes."""

from __future__ import annotations

import pytest

from learnmap.roadmap_md import Document, Resource, parse, render, slugify
from learnmap.roadmap_md.parser import split_lines

FRONT_MATTER = """\
---
title: My Roadmap
electives_start: Pick Any
kinds:
  Podcasts: text
  Misc: extra
---
# Roadmap

## Step 1 - Basics

- [A](https://a.example)

## Pick Any

Anything.

## Misc

- [M](https://m.example)

## Podcasts

- [P](https://p.example)
"""


def resources(text: str) -> list[Resource]:
    doc = parse(text)
    assert render(doc) == text
    return list(doc.resources)


def one(text: str) -> Resource:
    [resource] = resources(text)
    return resource


def test_front_matter_overrides_guessed_kinds() -> None:
    doc = parse(FRONT_MATTER)
    assert doc.front_matter == (
        ("title", "My Roadmap"),
        ("electives_start", "Pick Any"),
        ("kinds", "Podcasts: text\nMisc: extra"),
    )
    assert [(s.title, s.kind, s.step) for s in doc.sections] == [
        ("Step 1 - Basics", "step", 1),
        ("Pick Any", "text", None),
        ("Misc", "extra", None),
        ("Podcasts", "text", None),
    ]
    assert doc.electives_start == "pick-any"
    assert doc.preamble[0].raw.startswith("---\ntitle: My Roadmap")
    assert doc.title == "Roadmap"


def test_dashes_at_the_top_that_are_not_front_matter() -> None:
    text = "---\n\nJust a rule.\n\n## S\n"
    doc = parse(text)
    assert doc.front_matter == ()
    assert [s.title for s in doc.sections] == ["S"]


def test_without_steps_content_sections_are_electives() -> None:
    doc = parse(
        "# L\n\n## Web\n\n- [a](https://a.example)\n\n## Data\n\n- [b](https://b.example)\n"
    )
    assert [s.kind for s in doc.sections] == ["elective", "elective"]


def test_electives_heading_marks_the_start() -> None:
    text = (
        "## Step 1: A\n\n- [a](https://a.example)\n\n## Electives\n\nPick what you like.\n\n"
        "## Databases\n\n- [b](https://b.example)\n\n## Newsletters\n\n- [c](https://c.example)\n"
        "\n## License\n\nMIT\n"
    )
    doc = parse(text)
    assert doc.electives_start == "electives"
    assert [s.kind for s in doc.sections] == ["step", "text", "elective", "extra", "text"]


@pytest.mark.parametrize(
    ("heading", "step"),
    [("Step 0: Prerequisites", 0), ("Step 12 - Deploy", 12), ("step 3. Linux", 3), ("Step 4", 4)],
)
def test_step_headings(heading: str, step: int) -> None:
    section = parse(f"## {heading}\n\n- [a](https://a.example)\n").sections[0]
    assert (section.kind, section.step) == ("step", step)


def test_in_progress_markers() -> None:
    doc = parse(
        "## Caching (In Progress)\n\n## Testing\n\n(in progress)\n\n## Done\n\nText.\n\n"
        "## Web\n\n- ### Sanic\n\n  (In Progress)\n\n### Bottle (in progress)\n"
        "\n## Shouting (IN PROGRESS)\n\n## Quiet\n\n*(IN PROGRESS)*\n"
    )
    sections = doc.sections
    assert [(s.title, s.in_progress) for s in sections] == [
        ("Caching", True),
        ("Testing", True),
        ("Done", False),
        ("Web", False),
        ("Shouting", True),
        ("Quiet", True),
    ]
    assert sections[0].slug == "caching-in-progress"
    assert [(t.title, t.in_progress) for t in sections[3].topics] == [
        ("Sanic", True),
        ("Bottle", True),
    ]


def test_standalone_h3_topics_hold_everything_up_to_the_next_heading() -> None:
    doc = parse(
        "## Projects\n\n### Web\n\n_Frameworks._\n\n"
        "- Sync\n  - [flask](https://f.example) - Micro.\n"
        "    - [awesome-flask](https://af.example)\n\n### Data\n- [pandas](https://p.example)\n"
    )
    web, data = doc.sections[0].topics
    assert [r.title for r in web.resources] == ["flask", "awesome-flask"]
    assert [r.title for r in data.resources] == ["pandas"]
    assert doc.sections[0].resources == ()


def test_label_normalisation() -> None:
    text = (
        "## S\n\n- **Books**\n  - [a](https://a.example)\n- **Docs**\n  - [b](https://b.example)\n"
        "- **document**\n  - [c](https://c.example)\n- **Video Courses**\n  - [d](https://d.example)\n"
        "- **ADVANCED**\n  - **Podcasts**\n    - [e](https://e.example)\n"
    )
    assert [(r.kind, r.level) for r in resources(text)] == [
        ("Book", None),
        ("Documentation", None),
        ("Documentation", None),
        ("Video Courses", None),
        ("Podcast", "Advanced"),
    ]


def test_bold_that_is_not_a_whole_label() -> None:
    text = "## S\n\n- **Note:** read this\n  - [a](https://a.example)\n"
    assert one(text).kind is None


def test_tags_languages_and_price() -> None:
    farsi = one("## S\n- [A](https://a.example) (Farsi) (free)\n")
    assert (farsi.languages, farsi.cost, farsi.tags) == (("Farsi",), "free", ("Farsi", "free"))
    multi = one("## S\n- [A](https://a.example) (English, Persian) (Paid) (Video)\n")
    assert multi.languages == ("English", "Persian")
    assert multi.cost == "paid"
    assert multi.tags == ("English, Persian", "Paid", "Video")
    german = one("## S\n- [A](https://a.example) (German) (Deutsch)\n")
    assert german.languages == ("German", "Deutsch")
    assert german.cost is None


def test_descriptions() -> None:
    cases = {
        "- [a](https://a.example) - A microframework.": "A microframework.",
        "- [a](https://a.example) — Em dash.": "Em dash.",
        "- [a](https://a.example): Colon.": "Colon.",
        "- [a](https://a.example) (English) (Free) - After tags.": "After tags.",
        "- [a](https://a.example) - Before tags. (English) (Free)": "Before tags.",
        "- [a](https://a.example) - (Python standard library) Functools.": (
            "(Python standard library) Functools."
        ),
        "- [a](https://a.example)": None,
    }
    for line, description in cases.items():
        assert one(f"## S\n{line}\n").description == description, line
    tagged = one("## S\n- [a](https://a.example) - Before tags. (English) (Free)\n")
    assert (tagged.languages, tagged.cost) == (("English",), "free")


def test_link_forms() -> None:
    text = (
        "## S\n"
        "- [Esc \\[draft\\]](<https://e.example/a b>)\n"
        "- [Wiki](https://en.wikipedia.org/wiki/Python_(programming_language))\n"
        '- [Titled](https://t.example "title")\n'
        "- [Ref][r1]\n"
        "- [Shortcut]\n"
        "- [Amp](https://a.example/?a=1&amp;b=2)\n"
        "\n[r1]: https://ref.example/1\n[shortcut]: https://short.example\n"
    )
    assert [(r.title, r.url) for r in resources(text)] == [
        ("Esc [draft]", "https://e.example/a b"),
        ("Wiki", "https://en.wikipedia.org/wiki/Python_(programming_language)"),
        ("Titled", "https://t.example"),
        ("Ref", "https://ref.example/1"),
        ("Shortcut", "https://short.example"),
        ("Amp", "https://a.example/?a=1&b=2"),
    ]


def test_what_is_not_a_resource() -> None:
    text = (
        "## S\n"
        "- [Anchor](#s)\n"
        "- [![badge](https://img.example/b.svg)](https://x.example)\n"
        "- [unresolved reference]\n"
        "- [a]: https://definition.example\n"
        "> - [quoted](https://q.example)\n"
        "\n    - [indented code](https://code.example)\n"
    )
    assert resources(text) == []


def test_a_link_after_text_or_in_emphasis_is_a_resource() -> None:
    text = (
        "## S\n- **[Bold link](https://b.example)**\n- Text with [a link](https://inline.example)\n"
    )
    assert [(r.title, r.url, r.description) for r in resources(text)] == [
        ("Bold link", "https://b.example", None),
        ("a link", "https://inline.example", "Text with a link"),
    ]


def test_unsafe_and_relative_links_are_kept_for_lint() -> None:
    text = (
        "## S\n- [JS](javascript:alert(1))\n- [Data](data:text/html,hi)\n- [Rel](docs/a.md)\n"
        "- [Empty]()\n- [Mail](mailto:a@b.example)\n"
    )
    assert [r.url for r in resources(text)] == [
        "javascript:alert(1)",
        "data:text/html,hi",
        "docs/a.md",
        "",
        "mailto:a@b.example",
    ]


def test_author_forms() -> None:
    cases = {
        "Fluent Python by Luciano Ramalho": ("Fluent Python", "Luciano Ramalho"),
        "Design Patterns (by Arun Ravindran)": ("Design Patterns", "Arun Ravindran"),
        "System Design Interview: Volume 2 by Alex Xu & Sahn Lam": (
            "System Design Interview: Volume 2",
            "Alex Xu & Sahn Lam",
        ),
        "Baby Steps": ("Baby Steps", None),
        "Learn by Doing by Ann": ("Learn by Doing", "Ann"),
    }
    for text, expected in cases.items():
        resource = one(f"## S\n- [{text}](https://a.example)\n")
        assert (resource.title, resource.author) == expected


def test_slugs() -> None:
    assert slugify("Step 0: Prerequisites") == "step-0-prerequisites"
    assert slugify("Algorithms & Data Structures") == "algorithms--data-structures"
    assert slugify("Where to Go Next?") == "where-to-go-next"
    assert slugify("پایگاه داده") == "پایگاه-داده"
    assert slugify("😄 Emoji_ok-1") == "-emoji_ok-1"
    doc = parse(
        "# Web\n\n## Web\n\n### Web\n\n## Web-1\n\n## Web\n\n## **Bold** `code` [link](x)\n"
    )
    assert doc.anchors == ("web", "web-1", "web-2", "web-1-1", "web-3", "bold-code-link")
    assert [s.slug for s in doc.sections] == ["web-1", "web-1-1", "web-3", "bold-code-link"]
    assert doc.sections[-1].title == "Bold code link"


def test_persian_headings() -> None:
    one = "\u06f1"  # EXTENDED ARABIC-INDIC DIGIT ONE
    doc = parse(
        f"# نقشه راه\n\n## گام {one}: پایتون\n\n"
        "- ### جنگو\n  - [کتاب](https://k.example) (Persian)\n"
    )
    assert doc.title == "نقشه راه"
    section = doc.sections[0]
    assert section.slug == f"گام-{one}-پایتون"
    assert section.topics[0].slug == "جنگو"
    assert doc.resources[0].languages == ("Persian",)


def test_dominant_style() -> None:
    doc = parse(
        "## S\r\n\r\n* **Book**\r\n    * [a](https://a.example)\n    * [b](https://b.example)\r\n"
    )
    assert (doc.newline, doc.bullet, doc.indent) == ("\r\n", "*", "    ")


def test_split_lines_matches_markdown() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a\r\n", "b\r", "c\n", "d"]
    # Only CR and LF end lines, as in CommonMark (not form feeds or U+2028).
    assert split_lines("a\x0cb\u2028c\n") == ["a\x0cb\u2028c\n"]


def test_nested_resources_and_end_lines(seed_text: str) -> None:
    doc: Document = parse(seed_text)
    step0 = doc.sections[0]
    assert (step0.line, step0.end_line) == (34, 64)
    git = step0.topics[-1]
    assert (git.line, git.end_line) == (58, 64)
