# ruff: noqa: RUF001  (Chinese, Russian and Persian titles and punctuation on purpose)
"""Lists in the styles real roadmaps and awesome lists are written in (fixtures written for
these tests, in ``fixtures_styles/``): every resource a reader would count is read, the file
renders back byte for byte, and lint names every line with a link that is not read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnmap.roadmap_md import (
    lint,
    parse,
    render,
)
from learnmap.roadmap_md.unread import read_lines

FIXTURES = Path(__file__).parent / "fixtures_styles"

# For each fixture: the resources a reader counts (title, url), in file order; the lines with a
# link that are not resources (each must be named by an "unread-link" warning); and the
# table-of-contents links GitHub's rendering would break (worked out by hand from GitHub's
# anchor rules, not by the code under test), each a "toc-broken-anchor" warning.
EXPECTED: dict[str, tuple[list[tuple[str, str]], list[int], list[int]]] = {
    "headings_from_h3.md": (
        [
            ("PostgreSQL manual", "https://www.postgresql.org/docs/current/"),
            ("Use The Index, Luke", "https://use-the-index-luke.com/"),
            ("Redis docs", "https://redis.io/docs/"),
            ("pytest", "https://docs.pytest.org/"),
            ("Hypothesis", "https://hypothesis.readthedocs.io/"),
        ],
        [19],  # a table row
        [],
    ),
    "one_title.md": (
        [
            ("The Rust Book", "https://doc.rust-lang.org/book/"),
            ("Rust by Example", "https://doc.rust-lang.org/rust-by-example/"),
            ("Rustlings", "https://github.com/rust-lang/rustlings"),
        ],
        [],
        [],
    ),
    "setext.md": (
        [
            ("Vim", "https://www.vim.org/"),
            ("Helix", "https://helix-editor.com/"),
            ("fish", "https://fishshell.com/"),
            ("Zsh", "https://www.zsh.org/"),
        ],
        [],
        [],  # "#shell-reading" is the setext title's anchor
    ),
    "html_headings.md": (
        [
            ("MDN CSS", "https://developer.mozilla.org/en-US/docs/Web/CSS"),
            ("Every Layout", "https://every-layout.dev/"),
            ("javascript.info", "https://javascript.info/"),
            ("TypeScript", "https://www.typescriptlang.org/docs/"),
            ("Type Challenges", "https://github.com/type-challenges/type-challenges"),
        ],
        [3],  # <a href> in a paragraph before the first section
        # "#css", "#js", "#ts" are the headings' ids; GitHub makes no anchor of the text
        # of an HTML heading, so "#javascript" is broken there.
        [8],
    ),
    "links_in_headings.md": (
        [
            ("ACID", "https://en.wikipedia.org/wiki/ACID"),
            ("CAP theorem", "https://en.wikipedia.org/wiki/CAP_theorem"),
            ("Brewer's conjecture, revisited", "https://example.org/cap-revisited"),
            ("the paper", "https://raft.github.io/raft.pdf"),
            ("Raft visualisation", "https://thesecretlivesofdata.com/raft/"),
        ],
        [19],  # a level 4 heading: text of its topic
        [],
    ),
    "leading_text.md": (
        [
            ("mypy", "https://mypy-lang.org/"),
            ("Pyright", "https://github.com/microsoft/pyright"),
            ("Black", "https://black.readthedocs.io/"),
            ("Ruff", "https://docs.astral.sh/ruff/"),
            ("awesome-python-typing", "https://github.com/typeddjango/awesome-python-typing"),
            ("the packaging guide", "https://packaging.python.org/"),
            ("awesome-mysql", "https://github.com/shlomi-noach/awesome-mysql"),
            ("SQLAlchemy", "https://www.sqlalchemy.org/"),
            ("Alembic", "https://alembic.sqlalchemy.org/"),
        ],
        [9],  # a bare address
        [],
    ),
    "badges.md": (
        [
            ("Joplin", "https://joplinapp.org/"),
            ("Nextcloud", "https://nextcloud.com/"),
            ("Trilium", "https://github.com/zadam/trilium"),
            ("Logseq", "https://logseq.com/"),
            ("Obsidian", "https://obsidian.md/"),
        ],
        [14],  # a badge that links somewhere, and nothing else
        [5],  # "#sync": no such heading
    ),
    "chinese.md": (
        [
            ("Python 官方教程", "https://docs.python.org/zh-cn/3/tutorial/"),
            ("流畅的 Python", "https://www.ituring.com.cn/book/2877"),
            ("Python 编程：从入门到实践", "https://www.ituring.com.cn/book/2784"),
            ("asyncio 文档", "https://docs.python.org/zh-cn/3/library/asyncio.html"),
        ],
        [],
        [8],  # "#concurrency": the headings are Chinese
    ),
    "russian.md": (
        [
            ("Изучаем Python", "https://example.ru/learning-python"),
            ("Курс на Stepik", "https://stepik.org/course/67"),
            ("Лекции ФКН", "https://example.ru/lectures"),
            ("Задачи на Python", "https://example.ru/tasks"),
            ("Python в Telegram", "https://t.me/example_python"),
        ],
        [],
        [7],  # "#задачи": no such heading ("Задачи на Python" is a resource)
    ),
    "persian.md": (
        [
            ("آموزش پایتون", "https://example.ir/python"),
            ("دوره جنگو", "https://example.ir/django"),
            ("دوره فست\u200cای\u200cپی\u200cآی", "https://example.ir/fastapi"),
            ("مستندات جنگو", "https://docs.djangoproject.com/fa/5.0/"),
        ],
        [],
        [7],  # "#منابع": no heading says only that
    ),
    "roadmap_sh_topic.md": (
        [
            (
                "venv — Creation of virtual environments",
                "https://docs.python.org/3/library/venv.html",
            ),
            ("A primer on virtual environments", "https://example.com/articles/venv-primer"),
            ("Virtual environments in ten minutes", "https://www.youtube.com/watch?v=venv-example"),
            ("pyenv/pyenv", "https://github.com/pyenv/pyenv"),
            ("Packaging Python projects", "https://example.com/courses/packaging"),
            ("Explore top posts about Python", "https://app.daily.dev/tags/python"),
        ],
        [],
        [],
    ),
    "by_phrases.md": (
        [
            ("Learning Go by examples", "https://example.com/learning-go"),
            ("Go by Example", "https://gobyexample.com/"),
            ("Testing by the book", "https://example.com/testing-book"),
            ("The Go Programming Language", "https://www.gopl.io/"),
            ("Concurrency by design", "https://example.com/concurrency"),
            ("100 Go Mistakes and How to Avoid Them", "https://100go.co/"),
            ("Web apps by hand, no framework", "https://example.com/web-by-hand"),
        ],
        [],
        [],
    ),
    "toc_linked_headings.md": (
        [
            ("RabbitMQ", "https://www.rabbitmq.com/"),
            ("RabbitMQ tutorials", "https://www.rabbitmq.com/tutorials"),
            ("Kafka", "https://kafka.apache.org/"),
            ("librdkafka", "https://github.com/confluentinc/librdkafka"),
            ("kcat", "https://github.com/edenhill/kcat"),
            ("Offset Explorer", "https://www.kafkatool.com/"),
        ],
        [],
        # A heading with a link is anchored by its text ("#rabbitmq"); "C++" loses its
        # pluses, "&" leaves two hyphens, a repeated heading gets "-1"; "#apache-kafka"
        # is no heading's anchor.
        [11],
    ),
}


def _text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def _unread(doc) -> list[int]:
    return [issue.line for issue in lint(doc) if issue.code == "unread-link"]


def test_every_fixture_is_listed() -> None:
    assert sorted(path.name for path in FIXTURES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_reader_s_resources_are_read(name: str) -> None:
    text = _text(name)
    doc = parse(text)
    expected, unread, broken_toc = EXPECTED[name]
    assert [(r.title, r.url) for r in doc.resources] == expected
    assert render(doc) == text
    assert _unread(doc) == unread
    assert [i.line for i in lint(doc) if i.code.startswith("toc-")] == broken_toc
    assert not [i for i in lint(doc) if i.severity == "error"]
    # Every line with a link is a resource's line or named by lint.
    read = set(read_lines(doc))
    for number, line in enumerate(text.splitlines(), start=1):
        if "http" in line:
            assert number in read or number in unread, (number, line)


def test_structure_from_the_file_s_own_heading_levels() -> None:
    h3 = parse(_text("headings_from_h3.md"))
    assert h3.heading_levels == (3, 4)
    assert [(s.title, [t.title for t in s.topics]) for s in h3.sections] == [
        ("Databases", ["Key-value stores"]),
        ("Testing", []),
    ]
    title_only = parse(_text("one_title.md"))
    assert title_only.title == "Learning Rust"
    assert [s.title for s in title_only.sections] == ["Learning Rust"]
    setext = parse(_text("setext.md"))
    assert setext.title == "Shell Reading"
    assert [s.title for s in setext.sections] == ["Editors", "Shells"]
    html = parse(_text("html_headings.md"))
    assert html.title == "Frontend Reading"
    assert [(s.title, s.slug) for s in html.sections] == [("CSS/HTML", "css"), ("JavaScript", "js")]
    assert [t.title for t in html.sections[1].topics] == ["TypeScript"]
    # the CSS section's resources are its own, not the title's or another section's
    assert [r.title for r in html.sections[0].all_resources] == ["MDN CSS", "Every Layout"]


def test_a_heading_with_a_link_is_a_node_and_its_resource() -> None:
    doc = parse(_text("links_in_headings.md"))
    foundations = doc.sections[0]
    acid, cap = foundations.topics
    assert (acid.title, [r.url for r in acid.resources]) == (
        "ACID",
        ["https://en.wikipedia.org/wiki/ACID"],
    )
    assert [r.title for r in cap.resources] == ["CAP theorem", "Brewer's conjecture, revisited"]
    # the topic is not empty for lint, and the resource comes after the introduction
    assert not [i for i in lint(doc) if i.code == "empty-topic"]
    assert [type(node).__name__ for node in acid.body] == ["Text", "Resource"]


def test_text_before_a_link_is_kept_in_the_description() -> None:
    doc = parse(_text("leading_text.md"))
    by_title = {r.title: r for r in doc.resources}
    assert by_title["mypy"].description == "Type checking"
    assert by_title["Pyright"].line == by_title["mypy"].line == 5
    assert by_title["Ruff"].languages == ("English",)
    assert by_title["awesome-mysql"].description == "MySQL"
    assert by_title["the packaging guide"].description.startswith("See the packaging guide for")
    assert by_title["SQLAlchemy"].description.startswith("The ORM, with a [tutorial]")
    badges = {r.title: r for r in parse(_text("badges.md")).resources}
    assert badges["Joplin"].description == "`MIT` - Notes with sync."
    assert badges["Obsidian"].description == "Local Markdown vault."
    assert badges["Logseq"].description is None  # the CI badge is no text


def test_lint_says_why_a_link_is_not_read() -> None:
    messages = {
        name: [i.message for i in lint(parse(_text(name))) if i.code == "unread-link"]
        for name in ("headings_from_h3.md", "links_in_headings.md", "badges.md", "leading_text.md")
    }
    assert "https://tox.wiki/" in messages["headings_from_h3.md"][0]
    assert "table row" in messages["headings_from_h3.md"][0]
    assert "level 4 heading" in messages["links_in_headings.md"][0]
    assert "https://example.org/badge-only" in messages["badges.md"][0]
    assert "bare address" in messages["leading_text.md"][0]


def test_a_file_with_links_and_no_heading_is_an_error_naming_them() -> None:
    text = "Some links:\n\n- [a](https://a.example)\n- [b](https://b.example)\n"
    issues = lint(parse(text))
    errors = [i for i in issues if i.severity == "error"]
    assert [(i.line, i.code) for i in errors] == [(1, "no-sections")]
    assert "2 lines with links, from line 3" in errors[0].message
    assert [i.line for i in issues if i.code == "unread-link"] == [3, 4]


def test_a_shallower_heading_after_the_sections_is_a_section_too() -> None:
    text = (
        "# Awesome Things\n\n### Tools\n\n- [a](https://a.example)\n\n### Books\n\n"
        "- [b](https://b.example)\n\n## Licence\n\n- [CC0](https://cc0.example)\n"
    )
    doc = parse(text)
    assert [(s.title, len(s.all_resources)) for s in doc.sections] == [
        ("Tools", 1),
        ("Books", 1),
        ("Licence", 1),
    ]
    # A section heading followed by deeper ones keeps them as its topics.
    doc = parse("## Step 2\n\n### Django\n\n- [d](https://d.example)\n\n### Flask\n")
    assert [(s.title, [t.title for t in s.topics]) for s in doc.sections] == [
        ("Step 2", ["Django", "Flask"])
    ]


def test_what_github_shows_as_no_link_is_not_reported() -> None:
    text = (
        "## S\n\n- [a](https://a.example)\n\n"
        "<!-- see https://hidden.example\nand https://hidden2.example -->\n"
        "```\npip install https://code.example/pkg.zip\n```\n\n"
        "Run `curl https://span.example` first. ![logo](https://img.example/l.png)\n"
        '<img src="https://img.example/x.png">\n\n'
        "[ref]: https://definition.example\n\n"
        "Shown: https://shown.example <!-- https://h3.example -->\n"
    )
    unread = [i for i in lint(parse(text)) if i.code == "unread-link"]
    assert [(i.line, "https://shown.example" in i.message) for i in unread] == [(16, True)]


def test_a_title_and_prose_is_no_section() -> None:
    assert parse("# Title\n\nJust prose.\n").sections == ()


# --- property: any list in these styles ------------------------------------------------

WORDS = ("Python", "web", "data", "guide", "数据", "教程", "Книга", "курс", "آموزش", "جنگو")
title_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
counter = iter(range(10**9))


def _url() -> str:
    return f"https://example.org/r{next(counter)}"


@st.composite
def _item(draw, indent: str) -> tuple[list[str], list[str], bool]:
    """(lines, urls read as resources, whether it carries a link that is not read)."""
    style = draw(
        st.sampled_from(
            ["first", "lead", "several", "licence", "badge", "bold", "bare", "badge-only"]
        )
    )
    title = draw(title_words)
    url = _url()
    if style == "first":
        return [f"{indent}- [{title}]({url}) - {draw(title_words)}"], [url], False
    if style == "lead":
        sep = draw(st.sampled_from([": ", " - ", " — ", "："]))
        return [f"{indent}- {draw(title_words)}{sep}[{title}]({url})"], [url], False
    if style == "several":
        joiner = draw(st.sampled_from([", ", " / ", "、", "، "]))
        urls = [url, _url(), *([_url()] if draw(st.booleans()) else [])]
        links = joiner.join(f"[{draw(title_words)}]({u})" for u in urls)
        return [f"{indent}- {draw(title_words)}: {links}"], urls, False
    if style == "licence":
        return [f"{indent}- `MIT` - [{title}]({url}) - {draw(title_words)}."], [url], False
    if style == "badge":
        badge = f"[![ci](https://img.example/{next(counter)}.svg)](https://ci.example/x)"
        return [f"{indent}- {badge} [{title}]({url})"], [url], False
    if style == "bold":
        return [f"{indent}- **[{title}]({url})** - {draw(title_words)}"], [url], False
    if style == "bare":
        return [f"{indent}- {title}: {url}"], [], True
    return [f"{indent}- [![{title}](https://img.example/b.svg)]({url})"], [], True


def _heading(draw, level: int, style: str, title: str, link: str | None) -> list[str]:
    text = f"[{title}]({link})" if link else title
    if style == "setext" and level <= 2:
        return [text, ("=" if level == 1 else "-") * 3]
    if style == "html":
        inner = f'<a href="{link}">{title}</a>' if link else title
        return [f'<h{level} id="h{next(counter)}">{inner}</h{level}>']
    return [f"{'#' * level} {text}"]


@st.composite
def styled_lists(draw) -> tuple[str, list[str]]:
    """A list in one of the styles: (text, urls a reader counts as resources, in order)."""
    base = draw(st.integers(1, 3))
    style = draw(st.sampled_from(["atx", "setext", "html"]))
    if style == "setext":
        base = min(base, 1)  # setext headings are levels 1 and 2 only
    lines: list[str] = []
    urls: list[str] = []
    if draw(st.booleans()) and base > 1:  # a title, with a badge that links somewhere
        lines += [f"# {draw(title_words)} [![x](https://img.example/t.svg)](https://t.example)", ""]
    # A lone level-1 heading among deeper ones is the title: with "#" sections, two or more.
    has_topics = False
    for _section in range(draw(st.integers(2 if base == 1 else 1, 3))):
        link = _url() if draw(st.integers(0, 3)) == 0 else None
        lines += [*_heading(draw, base, style, draw(title_words), link), ""]
        urls += [link] if link else []
        if draw(st.booleans()):
            lines += [f"Prose with [a link]({_url()}).", ""]
        for _topic in range(draw(st.integers(0, 2))):
            if _topic or draw(st.booleans()):
                topic_link = _url() if draw(st.integers(0, 3)) == 0 else None
                heading = _heading(draw, base + 1, style, draw(title_words), topic_link)
                lines += [*heading, ""]
                urls += [topic_link] if topic_link else []
                has_topics = True
            for _item_index in range(draw(st.integers(1, 4))):
                item_lines, item_urls, _carries_unread = draw(_item(""))
                lines += item_lines
                urls += item_urls
            extra = draw(st.sampled_from(["", "table", "quote", "deep"]))
            if extra == "table":
                lines += ["", "| a | b |", "|---|---|", f"| x | [y]({_url()}) |"]
            elif extra == "quote":
                lines += ["", f"> [quoted]({_url()})"]
            elif extra == "deep" and has_topics:  # deeper than the topics: their text
                lines += ["", f"{'#' * (base + 2)} [deeper]({_url()})"]
            lines.append("")
    return "\n".join(lines) + "\n", urls


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(styled_lists())
def test_every_line_with_a_link_is_read_or_named_by_lint(generated) -> None:
    text, urls = generated
    doc = parse(text)
    assert render(doc) == text
    assert [r.url for r in doc.resources] == urls
    read = set(read_lines(doc))
    unread = set(_unread(doc))
    for number, line in enumerate(text.split("\n"), start=1):
        if "https://" in line:
            assert number in read or number in unread, (number, line, text)
            assert not (number in read and number in unread), (number, line)
