"""Property tests: roadmaps generated from a grammar, in every style an author might use.

For each generated file: ``render(parse(text)) == text``, every generated resource is found
with the fields it was generated with (and nothing else is), and ``add_resource`` inserts only
its own lines, in the file's style, leaving everything else as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from learnmap.roadmap_md import (
    Document,
    InvalidResourceError,
    add_resource,
    parse,
    parser,
    remove_resource,
    render,
    update_resource,
    vocab,
)

SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("ROADMAP_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

WORDS = (
    "Python",
    "Django",
    "async",
    "deep",
    "dive",
    "web",
    "guide",
    "testing",
    "data",
    "API",
    "cloud",
    "clean",
    "code",
    "patterns",
    "2nd",
    "edition:",
    "part",
    "one",
    "C++",
    "Node.js",
    "O'Reilly",
    "100%",
    "rest-framework",
    "پایتون",
    "جنگو",
    "آموزش",
    "پیشرفته",
    "وب",
    "داده",
)
NAMES = ("Luciano Ramalho", "Jadi", "Mehran Tarif", "Julia", "Ana María", "علی رضایی", "Dan-Bader")
HOSTS = ("example.com", "docs.python.org", "www.youtube.com", "x.org")
PATHS = ("", "book", "watch?v=abc&list=PL1", "wiki/Python_(language)", "%D8%A7", "a/b-c_d.~e/")
# label as written -> (category, normalised)
KIND_LABELS = {
    "Book": "Book",
    "Books": "Book",
    "Video": "Video",
    "Course": "Course",
    "Documentation": "Documentation",
    "Docs": "Documentation",
    "Website": "Website",
    "Platform": "Platform",
    "Project Generator": "Project Generator",
    "List of awesome things": "List of awesome things",
}
LEVEL_LABELS = {"Beginner": "Beginner", "intermediate": "Intermediate", "ADVANCED": "Advanced"}
LANGUAGES = ("English", "Persian", "German", "Farsi")

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
capital_words = words.map(lambda w: w[0].upper() + w[1:])


@dataclass
class Expected:
    """A resource as generated, and where it is."""

    title: str
    url: str
    author: str | None
    languages: tuple[str, ...]
    cost: str | None
    description: str | None
    kind: str | None = None
    level: str | None = None
    section: int = 0
    topic: int | None = None

    def fields(self) -> tuple:
        return (
            self.title,
            self.url,
            self.author,
            self.languages,
            self.cost,
            self.description,
            self.kind,
            self.level,
        )


@dataclass
class Style:
    bullet: str
    indent: int
    newlines: tuple[str, ...]
    trailing: bool


@dataclass
class Builder:
    """Lines of the document being generated, as (text, trailing spaces allowed)."""

    style: Style
    draw: st.DrawFn
    lines: list[str] = field(default_factory=list)
    resources: list[Expected] = field(default_factory=list)

    def line(self, text: str) -> None:
        if self.style.trailing and self.draw(st.booleans()):
            text += self.draw(st.sampled_from([" ", "  ", "   "]))
        self.lines.append(text)

    def blank(self, at_least: int = 1) -> None:
        for _ in range(self.draw(st.integers(at_least, at_least + 1))):
            self.line("")

    def item(self, depth: int, content: str) -> None:
        self.line(" " * (self.style.indent * depth) + f"{self.style.bullet} {content}")


resource_fields = st.builds(
    Expected,
    title=capital_words,
    url=st.builds(lambda h, p: f"https://{h}/{p}", st.sampled_from(HOSTS), st.sampled_from(PATHS)),
    author=st.none() | st.sampled_from(NAMES),
    languages=st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True).map(tuple),
    cost=st.sampled_from([None, "free", "paid"]),
    description=st.none() | words.map(lambda w: w + "."),
)


def resource_line(resource: Expected) -> str:
    text = resource.title + (f" by {resource.author}" if resource.author else "")
    line = f"[{text}]({resource.url})"
    line += "".join(f" ({language})" for language in resource.languages)
    if resource.cost:
        line += f" ({resource.cost.capitalize()})"
    if resource.description:
        line += f" - {resource.description}"
    return line


def emit_resources(b: Builder, depth: int, where: dict, kind=None, level=None) -> None:
    for resource in b.draw(st.lists(resource_fields, min_size=1, max_size=3)):
        resource.kind, resource.level = kind, level
        resource.section, resource.topic = where["section"], where["topic"]
        b.resources.append(resource)
        b.item(depth, resource_line(resource))
        if b.draw(st.integers(0, 5)) == 0:
            b.line("")  # a loose list now and then


def emit_labelled(b: Builder, depth: int, where: dict) -> None:
    shape = b.draw(st.sampled_from(["kind", "level", "level>kind", "plain"]))
    if shape == "plain":
        emit_resources(b, depth, where)
        return
    if shape == "kind":
        label = b.draw(st.sampled_from(sorted(KIND_LABELS)))
        b.item(depth, f"**{label}**")
        emit_resources(b, depth + 1, where, kind=KIND_LABELS[label])
        return
    level = b.draw(st.sampled_from(sorted(LEVEL_LABELS)))
    b.item(depth, f"**{level}**")
    if b.draw(st.booleans()):
        b.line("")
    if shape == "level":
        emit_resources(b, depth + 1, where, level=LEVEL_LABELS[level])
        return
    for label in b.draw(st.lists(st.sampled_from(sorted(KIND_LABELS)), min_size=1, max_size=2)):
        b.item(depth + 1, f"**{label}**")
        emit_resources(b, depth + 2, where, kind=KIND_LABELS[label], level=LEVEL_LABELS[level])


def emit_prose(b: Builder) -> None:
    choice = b.draw(st.sampled_from(["prose", "prose link", "html", "in progress"]))
    if choice == "prose":
        b.line(b.draw(capital_words) + ".")
    elif choice == "prose link":
        b.line(f"See [the docs]({b.draw(st.sampled_from(HOSTS))}) first, {b.draw(words)}.")
    elif choice == "html":
        b.line("<details><summary>More</summary>")
        b.line("")
        b.line(b.draw(capital_words) + ".")
        b.line("")
        b.line("</details>")
    else:
        b.line("(In Progress)")
    b.blank()


@st.composite
def roadmaps(draw: st.DrawFn) -> tuple[str, list[Expected], Style]:
    newline = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    style = Style(
        bullet=draw(st.sampled_from("-*+")),
        indent=draw(st.sampled_from([2, 3, 4])),
        newlines=("\n", "\r\n") if newline == "mixed" else (newline,),
        trailing=draw(st.booleans()),
    )
    b = Builder(style, draw)
    if draw(st.booleans()):
        for line in ("---", f"title: {draw(words)}", "---"):
            b.lines.append(line)
    b.line(f"# {draw(capital_words)}")
    b.blank()
    if draw(st.booleans()):
        emit_prose(b)
    for index in range(draw(st.integers(1, 4))):
        heading = draw(capital_words)
        if draw(st.booleans()):
            heading = f"Step {index}: {heading}"
        b.line(f"## {heading}")
        b.blank(at_least=0)
        topic_count = 0
        for part in draw(st.lists(st.sampled_from(["prose", "list", "topics"]), max_size=3)):
            if part == "prose":
                emit_prose(b)
            elif part == "list":
                emit_labelled(b, 0, {"section": index, "topic": None})
                b.blank()
            else:
                for _ in range(draw(st.integers(1, 2))):
                    b.item(0, f"### {draw(capital_words)}")
                    if draw(st.booleans()):
                        b.line("")
                    if draw(st.integers(0, 3)):
                        emit_labelled(b, 1, {"section": index, "topic": topic_count})
                    topic_count += 1
                b.blank()
        for _ in range(draw(st.integers(0, 2))):  # standalone topics end the section
            b.line(f"### {draw(capital_words)}")
            b.blank(at_least=0)
            if draw(st.booleans()):
                emit_prose(b)
            if draw(st.integers(0, 3)):
                emit_labelled(b, 0, {"section": index, "topic": topic_count})
                b.blank()
            topic_count += 1
    endings = [draw(st.sampled_from(style.newlines)) for _ in b.lines]
    text = "".join(line + ending for line, ending in zip(b.lines, endings, strict=True))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, b.resources, style


def found(doc: Document) -> list[tuple]:
    out = []
    for s_index, section in enumerate(doc.sections):
        for r in section.resources:
            out.append((s_index, None, r))
        for t_index, topic in enumerate(section.topics):
            for r in topic.resources:
                out.append((s_index, t_index, r))
    out.sort(key=lambda item: item[2].line)
    return [
        (s, t, (r.title, r.url, r.author, r.languages, r.cost, r.description, r.kind, r.level))
        for s, t, r in out
    ]


@SETTINGS
@given(roadmaps())
def test_round_trip_and_resources_found(generated: tuple[str, list[Expected], Style]) -> None:
    text, expected, style = generated
    doc = parse(text)
    assert render(doc) == text
    assert found(doc) == [(e.section, e.topic, e.fields()) for e in expected]
    if "\r\n" not in style.newlines:
        assert doc.newline == "\n"
    if expected:
        assert doc.bullet == style.bullet


def _languages(resource) -> tuple[str, ...]:
    return tuple(vocab.canonical_language(name) or name for name in resource.languages)


@SETTINGS
@given(roadmaps(), resource_fields, st.data())
def test_add_resource_changes_only_its_lines(
    generated: tuple[str, list[Expected], Style], new: Expected, data: st.DataObject
) -> None:
    text, _expected, style = generated
    doc = parse(text)
    section_index = data.draw(st.integers(0, len(doc.sections) - 1))
    section = doc.sections[section_index]
    topic_index = None
    if section.topics and data.draw(st.booleans()):
        topic_index = data.draw(st.integers(0, len(section.topics) - 1))
    kind = data.draw(st.none() | st.sampled_from(["Book", "video", "Docs", "Cheat Sheets"]))
    level = data.draw(st.none() | st.sampled_from(["beginner", "Advanced"]))
    try:
        after = add_resource(
            doc,
            section=section.slug,
            topic=section.topics[topic_index].slug if topic_index is not None else None,
            kind=kind,
            level=level,
            title=new.title,
            url=new.url,
            author=new.author,
            languages=new.languages,
            cost=new.cost,
            description=new.description,
        )
    except InvalidResourceError:
        assume(False)  # e.g. "Part one by Jadi" as a title without author: refused, not garbled
        raise
    new_text = render(after)
    assert parse(new_text) == after

    # Only lines were inserted: the old ones are all there, in order, unchanged.
    old_lines = text.split("\n")
    new_lines = new_text.split("\n")
    inserted = _inserted(old_lines, new_lines)
    assert 1 <= len(inserted) <= 4
    item_lines = [line for line in inserted if line.strip()]
    for line in item_lines:
        stripped = line.lstrip(" \ufeff")
        assert stripped.startswith(f"{doc.bullet} "), line
    if "\r\n" in style.newlines and len(style.newlines) == 1:
        assert all(line.endswith("\r") or line == inserted[-1] for line in inserted)

    # The new resource is where it was asked for, with its fields.
    expected_kind = {"video": "Video", "Docs": "Documentation", "Cheat Sheets": "Cheat Sheet"}.get(
        kind or "", kind
    )
    expected_level = level.capitalize() if level else None
    target = after.sections[section_index]
    pool = target.topics[topic_index].resources if topic_index is not None else target.resources
    # Languages in the file's own words (tag_words): "Persian" is written "Farsi" in a list
    # that writes it so.
    matches = [
        r
        for r in pool
        if (r.title, r.url, r.author, _languages(r), r.cost, r.description, r.kind, r.level)
        == (
            new.title,
            new.url,
            new.author,
            _languages(new),
            new.cost,
            new.description,
            expected_kind,
            expected_level,
        )
    ]
    assert matches, (new, [r for r in pool])

    # Everything else reads as before.
    before = [item for item in found(doc)]
    after_found = found(after)
    for item in before:
        assert item in after_found
    assert len(after_found) == len(before) + 1
    assert [s.title for s in after.sections] == [s.title for s in doc.sections]
    assert [[t.title for t in s.topics] for s in after.sections] == [
        [t.title for t in s.topics] for s in doc.sections
    ]


def _inserted(old: list[str], new: list[str]) -> list[str]:
    """The lines of ``new`` that are not ``old`` (which must be a subsequence of it)."""
    inserted = []
    position = 0
    for line in new:
        if position < len(old) and (line == old[position] or line.rstrip("\r") == old[position]):
            position += 1
        else:
            inserted.append(line)
    assert position == len(old), "an old line was changed or dropped"
    return inserted


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            "- ",
            "* ",
            "+ ",
            "1. ",
            "  ",
            "    ",
            "\t",
            "[",
            "]",
            "(",
            ")",
            "](",
            "](https://x)",
            "](#a)",
            "**",
            "__",
            "### ",
            "## ",
            "# ",
            "=",
            "---",
            "\n",
            "\r\n",
            "\r",
            "<details>",
            "</details>",
            "```",
            "> ",
            "a",
            "Foo",
            " by ",
            "(English)",
            "(Free)",
            " - ",
            "[x]: https://y",
            "\ufeff",
            "\x00",
            "`",
            "\\",
            "![b](i)",
            "(In Progress)",
            "Step 1: ",
            "---\ntitle: x\n---\n",
            "<!--",
            "-->",
            "پایتون",
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(MARKDOWNISH, st.text()))
def test_any_text_round_trips(text: str) -> None:
    doc = parse(text)
    assert render(doc) == text
    heads = {node.line for section in doc.sections for node in (section, *section.topics)}
    holders = {resource.line for resource in doc.resources if resource.raw}
    for resource in doc.resources:
        assert resource.line >= 1
        # Its text is its own, or that of the item it shares (several links on one line), or
        # its section's or topic's heading (a heading that links somewhere).
        assert resource.raw or resource.line in holders or resource.line in heads


def parse_unfolded(text: str) -> Document:
    """parse() with its speed-up (folding one-line link items) switched off."""
    original = parser._fold
    parser._fold = lambda lines, start: parser._Folded("", {}, {})
    try:
        return parse(text)
    finally:
        parser._fold = original


@SETTINGS
@given(st.one_of(roadmaps().map(lambda generated: generated[0]), MARKDOWNISH))
def test_folding_changes_nothing(text: str) -> None:
    assert parse(text) == parse_unfolded(text)


def test_folding_changes_nothing_on_real_files(seed_text: str, corpus_text: str) -> None:
    for text in (seed_text, corpus_text):
        assert parse(text) == parse_unfolded(text)


LIST_LINES = st.lists(
    st.one_of(
        st.builds(
            lambda indent, marker, content: " " * indent + marker + content,
            st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8]),
            st.sampled_from(["- ", "* ", "+ ", "1. ", "-  ", "- - "]),
            st.sampled_from(["[a](https://a.example)", "**Book**", "x", "### H", "```", "<div>"]),
        ),
        st.sampled_from(
            [
                "",
                "",
                "text",
                "  text",
                "    code",
                "## S",
                "---",
                "===",
                "<!--",
                "-->",
                "```",
                "> q",
            ]
        ),
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(LIST_LINES)
def test_folding_changes_nothing_on_list_soup(text: str) -> None:
    doc = parse(text)
    assert render(doc) == text
    assert doc == parse_unfolded(text)


@SETTINGS
@given(roadmaps(), st.data())
def test_remove_and_update_touch_only_their_resource(
    generated: tuple[str, list[Expected], Style], data: st.DataObject
) -> None:
    text, expected, _style = generated
    assume(expected)
    doc = parse(text)
    victim = data.draw(st.sampled_from(doc.resources))
    others = [item for item in found(doc) if item[2][:2] != (victim.title, victim.url)]
    assume(len(others) == len(expected) - 1)  # the victim's title and URL are unique

    removed = remove_resource(doc, line=victim.line)
    assert found(removed) == others
    assert _inserted(render(removed).split("\n"), text.split("\n"))  # only lines went away

    cost = data.draw(st.sampled_from([None, "free", "paid"]))
    updated = update_resource(doc, line=victim.line, cost=cost, description="Changed.")
    resource = updated.resource_at(victim.line)
    assert resource is not None
    assert (resource.title, resource.url, resource.cost, resource.description) == (
        victim.title,
        victim.url,
        cost,
        "Changed.",
    )
    assert (resource.kind, resource.level, resource.languages) == (
        victim.kind,
        victim.level,
        victim.languages,
    )
    assert [item for item in found(updated) if item[2][:2] != (victim.title, victim.url)] == [
        item for item in others
    ]
