"""Adding, updating and removing resources changes only the lines it must, in the file's style."""

from __future__ import annotations

import difflib

import pytest

from learnmap.roadmap_md import (
    Document,
    InvalidResourceError,
    RoadmapError,
    TargetNotFoundError,
    add_resource,
    parse,
    remove_resource,
    render,
    update_resource,
)


def changed_lines(before: Document, after: Document) -> tuple[list[str], list[str]]:
    """(removed, added) lines between two documents."""
    old = render(before).splitlines(keepends=True)
    new = render(after).splitlines(keepends=True)
    removed, added = [], []
    for line in difflib.ndiff(old, new):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Document:
    return parse(seed_text)


def test_add_to_an_existing_label_in_a_topic(seed: Document) -> None:
    after = add_resource(
        seed,
        section="step-2-python-web-frameworks",
        topic="django",
        kind="book",
        title="Django in Action",
        url="https://www.manning.com/books/django-in-action",
        author="Christopher Trudeau",
        languages=["English"],
        cost="paid",
    )
    removed, added = changed_lines(seed, after)
    assert removed == []
    assert added == [
        "    - [Django in Action by Christopher Trudeau]"
        "(https://www.manning.com/books/django-in-action) (English) (Paid)\n"
    ]
    django = after.sections_by_slug["step-2-python-web-frameworks"].topic("django")
    assert django is not None
    books = [r for r in django.resources if r.kind == "Book"]
    assert books[-1].title == "Django in Action"
    assert books[-1].author == "Christopher Trudeau"
    assert len(after.resources) == 86


def test_add_creates_missing_labels(seed: Document) -> None:
    after = add_resource(
        seed,
        section="step-2-python-web-frameworks",
        topic="sanic",
        kind="Documentation",
        title="Sanic User Guide",
        url="https://sanic.dev/en/guide/",
        languages=["English"],
        cost="free",
    )
    removed, added = changed_lines(seed, after)
    assert (removed, added) == (
        [],
        [
            "  - **Documentation**\n",
            "    - [Sanic User Guide](https://sanic.dev/en/guide/) (English) (Free)\n",
        ],
    )
    sanic = after.sections_by_slug["step-2-python-web-frameworks"].topic("sanic")
    assert sanic is not None
    assert [(r.title, r.kind) for r in sanic.resources] == [("Sanic User Guide", "Documentation")]


def test_add_with_level_and_kind(seed: Document) -> None:
    after = add_resource(
        seed,
        section="step-1-python",
        level="advanced",
        kind="Video",
        title="Advanced Python",
        url="https://video.example/advanced",
        languages=["Persian"],
        cost="free",
    )
    [resource] = [r for r in after.resources if r.title == "Advanced Python"]
    assert (resource.title, resource.kind, resource.level) == (
        "Advanced Python",
        "Video",
        "Advanced",
    )
    _, added = changed_lines(seed, after)
    assert added == [
        "  - **Video**\n",
        "    - [Advanced Python](https://video.example/advanced) (Persian) (Free)\n",
    ]


def test_add_to_a_prose_section_keeps_a_blank_line(seed: Document) -> None:
    after = add_resource(seed, section="caching", title="Redis", url="https://redis.io/docs/")
    removed, added = changed_lines(seed, after)
    assert removed == []
    assert sorted(added) == ["\n", "- [Redis](https://redis.io/docs/)\n"]
    assert (
        "## Caching\n\n(In Progress)\n\n- [Redis](https://redis.io/docs/)\n\n## Testing"
        in render(after)
    )
    caching = after.sections_by_slug["caching"]
    assert [r.title for r in caching.resources] == ["Redis"]
    assert caching.in_progress  # the author decides when the section is done


def test_add_in_the_files_style() -> None:
    text = "## S\r\n\r\n* ### T\r\n\r\n    * **Book**\r\n        * [A](https://a.example)\r\n"
    doc = parse(text)
    after = add_resource(
        doc, section="s", topic="t", kind="Book", title="B", url="https://b.example"
    )
    assert render(after) == text + "        * [B](https://b.example)\r\n"
    after = add_resource(
        doc, section="s", topic="t", kind="Video", title="V", url="https://v.example"
    )
    assert render(after) == text + "    * **Video**\r\n        * [V](https://v.example)\r\n"


def test_add_at_the_end_of_a_file_without_final_newline() -> None:
    doc = parse("## S\n\n- [A](https://a.example)")
    after = add_resource(doc, section="s", title="B", url="https://b.example", description="Bee.")
    assert render(after) == "## S\n\n- [A](https://a.example)\n- [B](https://b.example) - Bee."


def test_add_before_standalone_topics() -> None:
    doc = parse("## Projects\n\nIntro.\n\n### Web\n\n- [flask](https://f.example)\n")
    after = add_resource(doc, section="projects", title="All", url="https://all.example")
    projects = after.sections[0]
    assert [r.title for r in projects.resources] == ["All"]
    assert [r.title for r in projects.topics[0].resources] == ["flask"]


def test_add_errors(seed: Document) -> None:
    with pytest.raises(TargetNotFoundError, match="no section with slug 'nope'"):
        add_resource(seed, section="nope", title="A", url="https://a.example")
    with pytest.raises(TargetNotFoundError, match="no topic with slug 'rails'"):
        add_resource(
            seed, section="step-0-prerequisites", topic="rails", title="A", url="https://a"
        )
    with pytest.raises(InvalidResourceError, match="unsafe scheme javascript"):
        add_resource(seed, section="caching", title="A", url="javascript:alert(1)")
    with pytest.raises(InvalidResourceError, match="not absolute"):
        add_resource(seed, section="caching", title="A", url="docs/a.md")
    with pytest.raises(InvalidResourceError, match="needs a title"):
        add_resource(seed, section="caching", title="  ", url="https://a.example")
    with pytest.raises(InvalidResourceError, match="unknown level"):
        add_resource(seed, section="caching", level="Expert", title="A", url="https://a.example")
    # A title that would read back with an author is refused rather than written wrongly.
    with pytest.raises(InvalidResourceError, match="author None reads back as 'Me'"):
        add_resource(seed, section="caching", title="Stand by Me", url="https://a.example")
    assert issubclass(TargetNotFoundError, RoadmapError)


def test_update_in_place(seed: Document) -> None:
    line = 40  # Cracking the Coding Interview
    after = update_resource(seed, line=line, cost="free", description="A classic.")
    removed, added = changed_lines(seed, after)
    assert len(removed) == len(added) == 1
    assert added[0].endswith("(English) (Free) - A classic.\n")
    resource = after.resource_at(line)
    assert resource is not None
    assert (resource.title, resource.cost, resource.description, resource.kind) == (
        "Cracking the Coding Interview",
        "free",
        "A classic.",
        "Book",
    )


def test_update_keeps_parenthesised_author_style(seed: Document) -> None:
    after = update_resource(seed, line=241, author="Arun R.")
    _, [added] = changed_lines(seed, after)
    assert "[Django Design Patterns and Best Practices (by Arun R.)]" in added


def test_update_url_only_changes_the_url(seed: Document) -> None:
    after = update_resource(seed, line=39, url="https://www.manning.com/books/grokking-algorithms")
    [removed], [added] = changed_lines(seed, after)
    assert added == removed.replace(
        "https://www.amazon.com/Grokking-Algorithms-illustrated-programmers-curious/dp/1617292230",
        "https://www.manning.com/books/grokking-algorithms",
    )


def test_update_moves_between_labels(seed: Document) -> None:
    after = update_resource(seed, line=40, level="Beginner")
    moved = next(r for r in after.resources if r.title == "Cracking the Coding Interview")
    assert (moved.kind, moved.level, moved.languages, moved.cost) == (
        "Book",
        "Beginner",
        ("English",),
        "paid",
    )
    assert len(after.resources) == len(seed.resources)


def test_update_errors(seed: Document) -> None:
    with pytest.raises(TargetNotFoundError, match="no resource starts on line 1"):
        update_resource(seed, line=1, title="x")
    with pytest.raises(InvalidResourceError, match="cannot update colour"):
        update_resource(seed, line=39, colour="red")


def test_unchanged_update_returns_the_same_document(seed: Document) -> None:
    assert update_resource(seed, line=39, cost="paid") is seed


def test_remove(seed: Document) -> None:
    after = remove_resource(seed, line=48)  # Quera, the last platform
    removed, added = changed_lines(seed, after)
    assert removed == ["    - [Quera](https://quera.org/) (Persian)\n"]
    assert added == []
    assert len(after.resources) == 84


def test_remove_leaves_no_double_blank_line(seed: Document) -> None:
    after = remove_resource(seed, line=152)  # the framework list after the Dash topic
    text = render(after)
    assert "List Of All Python Backend Web Frameworks" not in text
    assert "- ### Dash\n\n## Step 3: Operating System\n" in text


def test_remove_takes_nested_items_along() -> None:
    doc = parse(
        "## S\n- [flask](https://f.example)\n  - [awesome-flask](https://af.example)\n- [x](https://x.example)"
    )
    after = remove_resource(doc, line=2)
    assert render(after) == "## S\n- [x](https://x.example)"


def test_remove_unknown_line(seed: Document) -> None:
    with pytest.raises(TargetNotFoundError):
        remove_resource(seed, line=10_000)
