"""Fixing a section's or topic's introduction: only its prose lines change, in the file's line
ending; an "(In Progress)" marker stays; text that Markdown would read as structure is refused
with the line that would be; on the seed and the real awesome lists, every node's intro can be
rewritten and read back while the rest of the file stays byte for byte."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnmap.roadmap_md import (
    InvalidResourceError,
    TargetNotFoundError,
    intro_text,
    parse,
    render,
    update_intro,
)

ROADMAP = """# Roadmap

## Basics

Old intro, first line.
Old intro, second line.

- [Alpha](https://example.com/alpha) (English) (Free)

## Docker

(In Progress)

## Web

### Django

- [Docs](https://example.com/docs)

Closing words after the list.
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before.splitlines(True), after.splitlines(True))
        if line[:1] in "+-"
    ]


def test_replacing_an_intro_changes_only_its_lines():
    doc = parse(ROADMAP)
    after = render(update_intro(doc, section="basics", text="A better intro.\n\nTwo paragraphs."))
    assert changed_lines(ROADMAP, after) == [
        "- Old intro, first line.\n",
        "- Old intro, second line.\n",
        "+ A better intro.\n",
        "+ \n",
        "+ Two paragraphs.\n",
    ]
    assert intro_text(parse(after).section("basics")) == "A better intro.\n\nTwo paragraphs."


def test_an_in_progress_section_keeps_its_marker_and_gets_the_intro_after_it():
    after = update_intro(parse(ROADMAP), section="docker", text="Containers, images, compose.")
    docker = after.section("docker")
    assert docker.in_progress
    assert intro_text(docker) == "Containers, images, compose."
    assert "(In Progress)\n\nContainers, images, compose.\n\n## Web" in render(after)


def test_a_topic_without_intro_gets_one_between_heading_and_list():
    after = render(update_intro(parse(ROADMAP), section="web", topic="django", text="The ORM."))
    assert "### Django\n\nThe ORM.\n\n- [Docs](https://example.com/docs)\n" in after
    # Prose after the list is no introduction: it stays where it was.
    assert after.endswith("Closing words after the list.\n")


def test_windows_line_endings_are_kept():
    source = ROADMAP.replace("\n", "\r\n")
    after = render(update_intro(parse(source), section="basics", text="One\nTwo"))
    assert "\r\nOne\r\nTwo\r\n\r\n- [Alpha]" in after
    assert "\n" not in after.replace("\r\n", "")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("- not an intro", "line 1 of the introduction would be read as a list item"),
        ("Fine\n## Heading", "line 2 of the introduction would be read as a heading"),
        ("```python", "would be read as a code fence"),
        ("Title\n===", "line 2 of the introduction would be read as a horizontal rule"),
        ("[home]: https://example.com", "would be read as a link definition"),
        ("x" * 3001, "longer than 3000 characters"),
    ],
)
def test_text_that_would_be_structure_is_refused_and_says_which_line(text, said):
    with pytest.raises(InvalidResourceError, match=said):
        update_intro(parse(ROADMAP), section="basics", text=text)


def test_an_empty_text_removes_the_intro_and_one_blank_line_with_it():
    after = render(update_intro(parse(ROADMAP), section="basics", text="  "))
    assert "## Basics\n\n- [Alpha](https://example.com/alpha)" in after
    assert sorted(changed_lines(ROADMAP, after)) == [
        "- \n",
        "- Old intro, first line.\n",
        "- Old intro, second line.\n",
    ]
    # Nothing to remove: the same document.
    doc = parse(after)
    assert update_intro(doc, section="basics", text="") is doc


def test_an_unknown_node_is_a_target_not_found():
    with pytest.raises(TargetNotFoundError, match="no section with slug 'gone'"):
        update_intro(parse(ROADMAP), section="gone", text="Hello")


PROSE = st.lists(
    st.text(
        alphabet=st.sampled_from(list("abcdefghij klmnop,.;:!?ـآابپتثجچ*`'\"()")),
        min_size=1,
        max_size=40,
    ).map(str.strip),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), words=PROSE)
def test_any_node_of_the_seed_and_the_corpus_takes_a_new_intro_and_nothing_else_moves(
    seed_text, corpus_text, data, words
):
    for source in (seed_text, corpus_text):
        doc = parse(source)
        nodes = [(s.slug, None) for s in doc.sections] + [
            (s.slug, t.slug) for s in doc.sections for t in s.topics
        ]
        section, topic = data.draw(st.sampled_from(nodes))
        text = "\n".join(word for word in words if word) or "Intro"
        if text[0] in "(*`'\"" or any(line[:1] in "(*" for line in text.splitlines()):
            text = "Intro: " + text.replace("\n", " ")
        try:
            after = update_intro(doc, section=section, topic=topic, text=text)
        except InvalidResourceError as exc:
            # Refused only for the one reason prose cannot help: an empty section whose new
            # text would turn it into a page of prose (its kind would change).
            assert "headings or resources" in str(exc)
            continue
        container = after.section(section)
        if topic:
            container = container.topic(topic)
        assert intro_text(container) == text
        assert [(r.url, r.title, r.kind, r.level) for r in after.resources] == [
            (r.url, r.title, r.kind, r.level) for r in doc.resources
        ]
        removed = [line for line in changed_lines(source, render(after)) if line[0] == "-"]
        old = intro_text(doc.section(section) if not topic else doc.section(section).topic(topic))
        assert all(line[2:].strip() in old for line in removed)
