"""What the built-in Python backend roadmap must say once parsed: the facts a learner sees."""

from __future__ import annotations

from collections import Counter

import pytest

from learnmap.roadmap_md import Document, lint, parse, render


@pytest.fixture(scope="module")
def doc(seed_text: str) -> Document:
    return parse(seed_text)


def by_link_text(doc: Document, text: str):
    [resource] = [r for r in doc.resources if r.link_text == text]
    return resource


def test_title_and_round_trip(doc: Document, seed_text: str) -> None:
    assert doc.title == "Python Backend Engineer Roadmap"
    assert render(doc) == seed_text
    assert (doc.newline, doc.bullet, doc.indent) == ("\n", "-", "  ")


def test_resource_counts(doc: Document) -> None:
    resources = doc.resources
    assert len(resources) == 85
    languages = Counter(language for r in resources for language in r.languages)
    assert languages == {"English": 59, "Persian": 21}
    costs = Counter(r.cost for r in resources)
    assert costs == {"free": 34, "paid": 40, None: 11}


def test_resources_are_in_file_order_with_lines(doc: Document, seed_text: str) -> None:
    lines = seed_text.splitlines()
    previous = 0
    for resource in doc.resources:
        assert resource.line > previous
        previous = resource.line
        assert lines[resource.line - 1].lstrip().startswith(f"- [{resource.link_text}](")


def test_sections_and_kinds(doc: Document) -> None:
    assert len(doc.sections) == 25
    kinds = Counter(s.kind for s in doc.sections)
    assert kinds == {"step": 4, "elective": 15, "extra": 4, "text": 2}
    assert [(s.step, s.title) for s in doc.steps] == [
        (0, "Step 0: Prerequisites"),
        (1, "Step 1: Python"),
        (2, "Step 2: Python Web Frameworks"),
        (3, "Step 3: Operating System"),
    ]
    assert doc.electives_start == "hands-on-experience"
    assert "don't have any order" in (doc.elective_intro or "")
    titles = [s.title for s in doc.sections]
    marker = titles.index("Hands-on Experience")
    electives = [s.title for s in doc.sections if s.kind == "elective"]
    assert electives == titles[marker + 1 : marker + 16]
    assert electives[0] == "Databases" and electives[-1] == "Security"
    by_title = {s.title: s for s in doc.sections}
    assert by_title["Hands-on Experience"].kind == "text"
    assert by_title["Podcasts"].kind == "extra"
    assert by_title["International Conferences"].kind == "extra"
    assert by_title["Where to Go Next?"].kind == "extra"
    assert by_title["Contribution"].kind == "text"


def test_in_progress_sections(doc: Document) -> None:
    in_progress = [s.title for s in doc.sections if s.in_progress]
    assert len(in_progress) == 10
    assert in_progress[:2] == ["Caching", "Testing"]
    assert "Who to Follow Then?" in in_progress
    assert not doc.sections_by_slug["clean-code"].in_progress


def test_slugs_follow_github(doc: Document) -> None:
    slugs = [s.slug for s in doc.sections]
    assert slugs[0] == "step-0-prerequisites"
    assert "availability--reliability" in slugs
    assert "where-to-go-next" in slugs
    assert len(set(slugs)) == len(slugs)
    topics = [t.slug for t in doc.sections[0].topics]
    assert topics == ["algorithms--data-structures", "system-design", "git"]


def test_step_2_topics(doc: Document) -> None:
    step2 = doc.sections_by_slug["step-2-python-web-frameworks"]
    assert [t.title for t in step2.topics] == [
        "Django",
        "FastAPI",
        "Flask",
        "Sanic",
        "AIOHTTP",
        "Bottle",
        "Dash",
    ]
    counts = {t.title: len(t.resources) for t in step2.topics}
    assert counts == {
        "Django": 15,
        "FastAPI": 7,
        "Flask": 5,
        "Sanic": 0,
        "AIOHTTP": 0,
        "Bottle": 0,
        "Dash": 0,
    }
    # The framework list after the topics belongs to the section itself, not to "Dash".
    assert [r.title for r in step2.resources] == ["List Of All Python Backend Web Frameworks"]
    assert len(step2.all_resources) == 28
    fastapi = step2.topic("fastapi")
    assert fastapi is not None
    assert [r.kind for r in fastapi.resources] == [
        "Documentation",
        "Documentation",
        "List of awesome things",
        "Video",
        "Video",
        "Video",
        "Project Generator",
    ]
    flask = step2.topic("flask")
    assert flask is not None and flask.resources[-1].kind == "Documentation"  # "**Document**"


def test_book_with_author(doc: Document) -> None:
    grokking = by_link_text(doc, "Grokking Algorithms by Aditya Bhargava")
    assert grokking.title == "Grokking Algorithms"
    assert grokking.author == "Aditya Bhargava"
    assert grokking.kind == "Book"
    assert grokking.level is None
    assert grokking.languages == ("English",)
    assert grokking.cost == "paid"
    assert grokking.url.startswith("https://www.amazon.com/Grokking-Algorithms")
    assert grokking.line == 39


def test_levels_come_from_enclosing_labels(doc: Document) -> None:
    crash_course = by_link_text(doc, "Python Crash Course by Eric Matthes")
    assert (crash_course.kind, crash_course.level) == ("Book", "Beginner")
    fluent = by_link_text(doc, "Fluent Python by Luciano Ramalho")
    assert fluent.level == "Intermediate"
    step1 = doc.sections_by_slug["step-1-python"]
    assert Counter(r.level for r in step1.resources) == {
        "Beginner": 4,
        "Intermediate": 5,
        "Advanced": 6,
    }
    assert [g.label for g in step1.label_groups] == ["Beginner", "Intermediate", "Advanced"]
    assert all(g.category == "level" for g in step1.label_groups)


def test_author_in_parentheses(doc: Document) -> None:
    arun = by_link_text(doc, "Django Design Patterns and Best Practices (by Arun Ravindran)")
    assert arun.title == "Django Design Patterns and Best Practices"
    assert arun.author == "Arun Ravindran"


def test_title_without_author(doc: Document) -> None:
    asyncio_books = [r for r in doc.resources if r.title == "Python Concurrency with asyncio"]
    assert [(r.author, r.level) for r in asyncio_books] == [
        (None, "Intermediate"),
        ("Matthew Fowler", "Advanced"),
    ]


def test_persian_free_video(doc: Document) -> None:
    jadi = by_link_text(doc, "Git Course by Jadi")
    assert (jadi.title, jadi.author, jadi.kind) == ("Git Course", "Jadi", "Video")
    assert (jadi.languages, jadi.cost) == (("Persian",), "free")


def test_extra_resources_have_no_tags(doc: Document) -> None:
    podcasts = doc.sections_by_slug["podcasts"]
    assert [(r.title, r.languages, r.cost, r.kind) for r in podcasts.resources] == [
        ("Django Chat", (), None, None),
        ("Talk Python To Me", (), None, None),
    ]


def test_links_in_prose_are_not_resources(doc: Document) -> None:
    assert doc.sections_by_slug["contribution"].all_resources == ()
    assert not any("first-contributions" in r.url for r in doc.resources)
    # The table of contents links to anchors: no resources in the preamble either.
    assert not any(r.url.startswith("#") for r in doc.resources)


def test_lint_seed(doc: Document) -> None:
    issues = lint(doc)
    assert [i for i in issues if i.severity == "error"] == []
    duplicates = [i for i in issues if i.code == "duplicate-url"]
    assert len(duplicates) == 1
    assert duplicates[0].line == 93
    assert "manning.com/books/python-concurrency-with-asyncio" in duplicates[0].message
    assert "line 82" in duplicates[0].message
    empty = [i for i in issues if i.code == "empty-topic"]
    assert [i.message.split("'")[1] for i in empty] == ["Sanic", "AIOHTTP", "Bottle", "Dash"]
    assert {i.code for i in issues} == {
        "duplicate-url",
        "empty-topic",
        "missing-language",
        "missing-price",
        "toc-broken-anchor",
        "toc-missing-heading",
        "unread-link",
    }
    # The one link that is no resource: prose in the 'Contribution' section.
    [unread] = [i for i in issues if i.code == "unread-link"]
    assert unread.line == 298 and "first-contributions" in unread.message
    assert "paragraph of text, in the section 'Contribution'" in unread.message
    # Podcasts and conferences need no tags: only the Step 0 platforms and the framework list.
    price = [i.line for i in issues if i.code == "missing-price"]
    assert price == [43, 44, 45, 46, 47, 48, 152]
    assert [i.line for i in issues if i.code == "missing-language"] == [152]
    missing = [i.message for i in issues if i.code == "toc-missing-heading"]
    assert missing == [
        "heading 'Podcasts' is missing from the table of contents",
        "heading 'International Conferences' is missing from the table of contents",
    ]
    broken = [i for i in issues if i.code == "toc-broken-anchor"]
    assert [i.line for i in broken] == [6, 24]
    assert "#algorithms--data-structures" in broken[0].message
