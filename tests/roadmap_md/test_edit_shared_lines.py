"""Editing a resource that does not have its list item to itself: one of several links on a
line, a link after some text, a heading's link. An edit changes only that link's span (the
rest of the file byte for byte, every other resource as it read), or is refused with an error
that names the line and says why."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnmap.roadmap_md import (
    RoadmapEditError,
    TargetNotFoundError,
    parse,
    parser,
    remove_resource,
    render,
    update_resource,
)
from learnmap.roadmap_md.edit_lines import item_at
from learnmap.roadmap_md.parser import list_item_at

FIXTURES = Path(__file__).parent / "fixtures_styles"


def _text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def _diff(before: str, after: str) -> list[str]:
    """The changed lines, "-" then "+", as a reviewer reads them."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]


def _facts(doc) -> list[tuple]:
    return [
        (r.title, r.url, r.author, r.languages, r.cost, r.kind, r.level, r.description)
        for r in doc.resources
    ]


LEADING = _text("leading_text.md")
HEADINGS = _text("links_in_headings.md")
TYPE_CHECKING = "- Type checking: [mypy](https://mypy-lang.org/), [Pyright](https://github.com/microsoft/pyright)"


# --- update ---------------------------------------------------------------------------------


def test_a_fix_of_one_link_of_several_rewrites_only_that_link() -> None:
    doc = parse(LEADING)
    after = update_resource(
        doc, line=5, index=1, title="Pyright docs", url="https://microsoft.github.io/pyright/"
    )
    text = render(after)
    assert text == LEADING.replace(
        "[Pyright](https://github.com/microsoft/pyright)",
        "[Pyright docs](https://microsoft.github.io/pyright/)",
    )
    facts = _facts(doc)
    facts[1] = ("Pyright docs", "https://microsoft.github.io/pyright/", *facts[1][2:])
    assert _facts(after) == facts  # mypy, and every other resource, read as before


def test_the_first_link_of_a_line_and_a_link_after_text_are_fixed_in_place() -> None:
    doc = parse(LEADING)
    mypy = render(update_resource(doc, line=5, title="mypy docs"))
    assert _diff(LEADING, mypy) == [
        f"-{TYPE_CHECKING}",
        "+- Type checking: [mypy docs](https://mypy-lang.org/), "
        "[Pyright](https://github.com/microsoft/pyright)",
    ]
    mysql = render(update_resource(doc, line=13, url="https://example.org/awesome-mysql"))
    assert _diff(LEADING, mysql) == [
        "-- MySQL - [awesome-mysql](https://github.com/shlomi-noach/awesome-mysql)",
        "+- MySQL - [awesome-mysql](https://example.org/awesome-mysql)",
    ]
    assert parse(mysql).resources[6].description == "MySQL"


def test_languages_and_price_go_right_after_their_own_link() -> None:
    doc = parse(LEADING)
    black = update_resource(doc, line=6, index=0, cost="free", languages=["English"])
    assert _diff(LEADING, render(black)) == [
        "-- Formatting: [Black](https://black.readthedocs.io/) / "
        "[Ruff](https://docs.astral.sh/ruff/) (English)",
        "+- Formatting: [Black](https://black.readthedocs.io/) (English) (Free) / "
        "[Ruff](https://docs.astral.sh/ruff/) (English)",
    ]
    by_title = {r.title: r for r in black.resources}
    assert (by_title["Black"].languages, by_title["Black"].cost) == (("English",), "free")
    assert (by_title["Ruff"].languages, by_title["Ruff"].cost) == (("English",), None)
    ruff = update_resource(doc, line=6, index=1, languages=["Persian"])
    assert "[Ruff](https://docs.astral.sh/ruff/) (Persian)\n" in render(ruff)


def test_a_description_read_from_the_text_around_a_link_is_refused_clearly() -> None:
    doc = parse(LEADING)
    with pytest.raises(RoadmapEditError) as shared:
        update_resource(doc, line=5, index=1, description="A fast type checker.")
    assert str(shared.value) == (
        "line 5: the description of “Pyright” cannot be changed: it shares its line with "
        "other resources; edit the line itself"
    )
    with pytest.raises(RoadmapEditError, match=r"^line 13: the description of “awesome-mysql”"):
        update_resource(doc, line=13, description="Everything MySQL.")


def test_a_description_after_a_link_that_opens_its_item_otherwise_is_rewritten() -> None:
    badges = _text("badges.md")
    doc = parse(badges)
    bold = render(update_resource(doc, line=13, description="A local vault.", cost="paid"))
    assert _diff(badges, bold) == [
        "-- **[Obsidian](https://obsidian.md/)** - Local Markdown vault.",
        "+- **[Obsidian](https://obsidian.md/)** (Paid) - A local vault.",
    ]
    badge = render(update_resource(doc, line=12, description="Outliner."))
    assert _diff(badges, badge)[1].endswith("[Logseq](https://logseq.com/) - Outliner.")


def test_a_link_in_a_sentence_takes_its_new_title_into_the_sentence() -> None:
    doc = parse(LEADING)
    after = update_resource(doc, line=8, title="Python packaging guide")
    guide = after.resources[5]
    assert guide.title == "Python packaging guide"
    assert guide.description.startswith("See Python packaging guide for how to publish")
    assert len(_diff(LEADING, render(after))) == 2


def test_a_new_title_that_the_description_also_says_changes_only_the_link() -> None:
    text = "## Web\n\n- Web: [web](https://w.example) - web frameworks\n"
    after = update_resource(parse(text), line=3, title="Web guide")
    assert render(after) == "## Web\n\n- Web: [Web guide](https://w.example) - web frameworks\n"
    assert after.resources[0].description == "Web - web frameworks"


def test_a_heading_s_link_text_renames_its_node_and_its_link_changes_alone() -> None:
    doc = parse(HEADINGS)
    renamed = update_resource(doc, line=5, title="ACID properties")
    assert _diff(HEADINGS, render(renamed)) == [
        "-### [ACID](https://en.wikipedia.org/wiki/ACID)",
        "+### [ACID properties](https://en.wikipedia.org/wiki/ACID)",
    ]
    topic = renamed.sections[0].topics[0]
    assert (topic.title, topic.slug, topic.resources[0].title) == (
        "ACID properties",
        "acid-properties",
        "ACID properties",
    )
    moved = update_resource(doc, line=5, url="https://example.org/acid")
    assert _diff(HEADINGS, render(moved))[1] == "+### [ACID](https://example.org/acid)"
    assert moved.sections[0].topics[0].slug == "acid"
    paper = update_resource(doc, line=15, title="Raft paper")
    assert (
        _diff(HEADINGS, render(paper))[1]
        == "+### Raft - [Raft paper](https://raft.github.io/raft.pdf)"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"title": "Transactions", "url": "https://example.org/tx"},
            "line 5: the title and the link of “ACID” cannot change in one edit",
        ),
        ({"languages": ["English"]}, "line 5: the languages of “ACID” cannot be changed: it is"),
        ({"description": "Four letters."}, "line 5: the description of “ACID” cannot be"),
        ({"level": "Beginner"}, "line 5: “ACID” is the link of its heading and cannot move"),
    ],
)
def test_what_a_heading_cannot_hold_is_refused_clearly(changes: dict, message: str) -> None:
    with pytest.raises(RoadmapEditError) as refused:
        update_resource(parse(HEADINGS), line=5, **changes)
    assert str(refused.value).startswith(message)
    assert str(refused.value).endswith(("edit the heading itself", "change one, then the other"))


def test_an_html_heading_s_link_is_written_as_html() -> None:
    text = _text("html_headings.md")
    retitled = update_resource(parse(text), line=19, title="TS & friends")
    after = render(update_resource(retitled, line=19, url="https://ts.example/?a=1&b=2"))
    assert _diff(text, after) == [
        '-<h3 id="ts"><a href="https://www.typescriptlang.org/docs/">TypeScript</a></h3>',
        '+<h3 id="ts"><a href="https://ts.example/?a=1&amp;b=2">TS &amp; friends</a></h3>',
    ]
    written = parse(after).sections[1].topics[0].resources[0]
    assert (written.title, written.url) == ("TS & friends", "https://ts.example/?a=1&b=2")


def test_a_resource_that_is_not_on_the_line_is_not_found() -> None:
    with pytest.raises(TargetNotFoundError, match="line 5 has 2 resource"):
        update_resource(parse(LEADING), line=5, index=2, title="x")


def test_moving_one_link_of_several_takes_it_alone() -> None:
    after = update_resource(parse(LEADING), line=5, index=1, kind="Book")
    assert _diff(LEADING, render(after)) == [
        f"-{TYPE_CHECKING}",
        "+- Type checking: [mypy](https://mypy-lang.org/)",
        "+- **Book**",
        "+  - [Pyright](https://github.com/microsoft/pyright) - Type checking",
    ]


# --- remove ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "index", "left"),
    [
        (5, 0, "- Type checking: [Pyright](https://github.com/microsoft/pyright)"),
        (5, 1, "- Type checking: [mypy](https://mypy-lang.org/)"),
        (6, 0, "- Formatting: [Ruff](https://docs.astral.sh/ruff/) (English)"),
        (6, 1, "- Formatting: [Black](https://black.readthedocs.io/)"),
    ],
)
def test_removing_one_link_of_several_keeps_the_others_and_their_separators(
    line: int, index: int, left: str
) -> None:
    doc = parse(LEADING)
    after = remove_resource(doc, line=line, index=index)
    assert _diff(LEADING, render(after)) == [f"-{LEADING.splitlines()[line - 1]}", f"+{left}"]
    expected = _facts(doc)
    del expected[[r.line for r in doc.resources].index(line) + index]
    assert _facts(after) == expected


def test_removing_from_a_list_joined_by_and() -> None:
    text = (
        "## Tools\n\n- Linters: [a](https://a.example), [b](https://b.example) and "
        "[c](https://c.example) (English)\n"
    )
    doc = parse(text)
    assert [r.title for r in doc.resources] == ["a", "b", "c"]
    assert render(remove_resource(doc, line=3, index=1)).endswith(
        "[a](https://a.example) and [c](https://c.example) (English)\n"
    )
    assert render(remove_resource(doc, line=3, index=2)).endswith(
        "[a](https://a.example), [b](https://b.example)\n"
    )


def test_the_only_link_of_an_item_goes_with_its_item() -> None:
    after = render(remove_resource(parse(LEADING), line=13))
    assert _diff(LEADING, after) == [
        "-- MySQL - [awesome-mysql](https://github.com/shlomi-noach/awesome-mysql)"
    ]


def test_removing_a_heading_s_resource_keeps_the_heading_and_its_node() -> None:
    doc = parse(HEADINGS)
    after = remove_resource(doc, line=5)
    assert _diff(HEADINGS, render(after)) == [
        "-### [ACID](https://en.wikipedia.org/wiki/ACID)",
        "+### ACID",
    ]
    acid = after.sections[0].topics[0]
    assert (acid.title, acid.slug, acid.resources) == ("ACID", "acid", ())
    assert _facts(after) == _facts(doc)[1:]
    paper = render(remove_resource(doc, line=15))
    assert _diff(HEADINGS, paper)[1] == "+### Raft - the paper"


def test_a_heading_with_several_links_refuses_to_lose_one() -> None:
    text = "# T\n\n## [Tools](https://tools.example) and [more](https://more.example)\n\n- [a](https://a.example)\n"
    with pytest.raises(RoadmapEditError, match=r"^line 3: .*edit the heading itself$"):
        remove_resource(parse(text), line=3, index=1)


# --- property ---------------------------------------------------------------------------------

WORDS = ("Python", "web", "data", "guide", "数据", "Книга", "آموزش")
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


@st.composite
def shared_lists(draw) -> str:
    """A small list whose lines mix every way of not starting an item with its link."""
    counter = iter(range(1000))
    lines = ["# Title", ""]
    for _section in range(draw(st.integers(1, 2))):
        link = draw(st.booleans())
        title = draw(words)
        heading = f"[{title}](https://example.org/h{next(counter)})" if link else title
        lines += [f"## {heading}", ""]
        for _item in range(draw(st.integers(1, 4))):
            style = draw(st.sampled_from(["first", "lead", "several", "licence", "bold"]))
            url = f"https://example.org/r{next(counter)}"
            tags = draw(st.sampled_from(["", " (English)", " (Free)"]))
            if style == "first":
                lines.append(f"- [{draw(words)}]({url}){tags} - {draw(words)}")
            elif style == "lead":
                lines.append(f"- {draw(words)}: [{draw(words)}]({url}){tags}")
            elif style == "several":
                joiner = draw(st.sampled_from([", ", " / ", " and ", "、"]))
                more = [
                    f"https://example.org/r{next(counter)}" for _ in range(draw(st.integers(1, 2)))
                ]
                links = joiner.join(f"[{draw(words)}]({u}){tags}" for u in [url, *more])
                lines.append(f"- {draw(words)}: {links}")
            elif style == "licence":
                lines.append(f"- `MIT` - [{draw(words)}]({url}){tags} - {draw(words)}.")
            else:
                lines.append(f"- **[{draw(words)}]({url})**{tags} - {draw(words)}")
        lines.append("")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared_lists(), st.data())
def test_an_edit_of_any_resource_changes_only_it_or_is_refused(text: str, data) -> None:
    doc = parse(text)
    resources = list(doc.resources)
    at = data.draw(st.integers(0, len(resources) - 1))
    victim = resources[at]
    index = [r for r in resources if r.line == victim.line].index(victim)
    changes = data.draw(
        st.sampled_from(
            [
                {"title": "Changed"},
                {"url": "https://example.org/changed"},
                {"cost": "paid"},
                {"languages": ["Persian"]},
            ]
        )
    )
    try:
        updated = update_resource(doc, line=victim.line, index=index, **changes)
    except RoadmapEditError as refused:
        assert str(refused).startswith(f"line {victim.line}: ")
    else:
        after = list(updated.resources)
        assert len(after) == len(resources)
        for name, value in changes.items():
            assert getattr(after[at], name) == (tuple(value) if name == "languages" else value)
        assert (
            _facts(updated)[:at] + _facts(updated)[at + 1 :]
            == _facts(doc)[:at] + _facts(doc)[at + 1 :]
        )
        assert len(_diff(text, render(updated))) == 2  # one line out, one line in
    try:
        removed = remove_resource(doc, line=victim.line, index=index)
    except RoadmapEditError as refused:
        assert str(refused).startswith(f"line {victim.line}: ")
    else:
        assert _facts(removed) == _facts(doc)[:at] + _facts(doc)[at + 1 :]


def test_an_edit_finds_its_item_in_its_section_as_in_the_whole_file(
    seed_text: str, corpus_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits tokenise only the resource's section (edit_lines.item_at) when that reads the
    same as the whole file: on the seed, the corpus and every style fixture, for lines with a
    resource (40 of each file, spread over it), the item found is the one markdown-it finds
    in the whole file."""
    texts = [seed_text, corpus_text]
    texts += [path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.md")]
    tokenised: list[int] = []
    whole_file = parser.block_tokens

    def recorded(text: str):
        tokenised.append(len(text))
        return whole_file(text)

    for text in texts:
        doc = parse(text)
        for resource in doc.resources[:: max(1, len(doc.resources) // 40)]:
            expected = list_item_at(text, resource.line - 1)
            tokenised.clear()
            with monkeypatch.context() as patched:
                patched.setattr(parser, "block_tokens", recorded)
                found = item_at(doc, text, resource.line)
            assert found == expected, resource.line
            if text is seed_text:  # ATX sections, no reference definitions: the fast path
                assert tokenised and max(tokenised) < len(text) / 2
