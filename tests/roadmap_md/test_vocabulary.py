"""A richer vocabulary: formats and kinds as tags, languages by English name, native name and
code, roadmap.sh's ``@type@`` prefixes; an unknown tag is kept as written, never dropped."""

from __future__ import annotations

import pytest

from learnmap.roadmap_md import inline, lint, parse, render, vocab
from learnmap.roadmap_md.languages import LANGUAGE_TABLE

from .language_table import table


def test_language_table_is_what_babel_says() -> None:
    assert table() == LANGUAGE_TABLE
    assert len(vocab.LANGUAGES) >= 70


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("English", "English"),
        ("english", "English"),
        ("en", "English"),
        ("EN", "English"),
        ("en-US", "English"),
        ("英文", "English"),
        ("中文", "Chinese"),
        ("简体中文", "Chinese"),
        ("繁體中文", "Chinese"),
        ("繁体中文", "Chinese"),
        ("zh-CN", "Chinese"),
        ("zh_TW", "Chinese"),
        ("zh-Hant", "Chinese"),
        ("Русский", "Russian"),
        ("русский", "Russian"),
        ("ru", "Russian"),
        ("فارسی", "Persian"),
        ("Farsi", "Persian"),
        ("fa", "Persian"),
        ("fa-IR", "Persian"),
        ("Deutsch", "German"),
        ("de", "German"),
        ("Français", "French"),
        ("español", "Spanish"),
        ("Português", "Portuguese"),
        ("pt-BR", "Portuguese"),
        ("日本語", "Japanese"),
        ("한국어", "Korean"),
        ("Türkçe", "Turkish"),
        ("Українська", "Ukrainian"),
        ("Tiếng Việt", "Vietnamese"),
        ("العربية", "Arabic"),
        ("עברית", "Hebrew"),
        ("हिन्दी", "Hindi"),
        ("Polski", "Polish"),
        ("Italiano", "Italian"),
        ("it-IT", "Italian"),
        ("Nederlands", "Dutch"),
        ("Svenska", "Swedish"),
        ("Bahasa Indonesia", "Indonesian"),
        ("Ελληνικά", "Greek"),
        ("čeština", "Czech"),
        ("magyar", "Hungarian"),
        ("Српски", "Serbian"),
    ],
)
def test_languages_by_english_native_name_and_code(tag: str, language: str) -> None:
    assert vocab.canonical_language(tag) == language
    assert inline.tag_meaning(tag) == "language"


@pytest.mark.parametrize("tag", ["it", "no", "is", "or", "to", "Go", "Python", "PDF", "Free"])
def test_words_that_are_no_language(tag: str) -> None:
    assert vocab.canonical_language(tag) is None


def test_several_languages_in_one_tag() -> None:
    assert vocab.split_languages("English, فارسی") == ("English", "فارسی")
    assert vocab.split_languages("中文、English") == ("中文", "English")
    assert vocab.split_languages("Русский и English") == ("Русский", "English")
    assert vocab.split_languages("English, Klingon") == ()


@pytest.mark.parametrize(
    ("tag", "meaning"),
    [
        ("PDF", "format"),
        ("pdf", "format"),
        ("EPUB", "format"),
        ("PDF, EPUB", "format"),
        ("PDF/EPUB/MOBI", "format"),
        ("HTML", "format"),
        ("Slides", "format"),
        ("Video", "kind"),
        ("video", "kind"),
        ("Podcast", "kind"),
        ("eBook", "kind"),
        ("Free", "price"),
        ("Paid", "price"),
        ("繁體中文", "language"),
        ("Русский", "language"),
        ("Work in progress", None),
        ("Beta", None),
    ],
)
def test_tag_meanings(tag: str, meaning: str | None) -> None:
    assert inline.tag_meaning(tag) == meaning


CHINESE_LIST = """\
# 免费的编程中文书籍

## Python

- [Python 教程](https://example.com/py-tutorial) (繁體中文) (PDF)
- [深入 Python](https://example.com/dive) (简体中文) (EPUB)
- [Fluent Python](https://example.com/fluent) (英文) (Paid) (Video)
- [草稿](https://example.com/draft) (中文) (Work in progress)
"""


def test_chinese_list_tags_are_read_and_unknown_ones_kept() -> None:
    doc = parse(CHINESE_LIST)
    assert render(doc) == CHINESE_LIST
    read = [(r.title, r.languages, r.cost, r.tags) for r in doc.resources]
    assert read == [
        ("Python 教程", ("繁體中文",), None, ("繁體中文", "PDF")),
        ("深入 Python", ("简体中文",), None, ("简体中文", "EPUB")),
        ("Fluent Python", ("英文",), "paid", ("英文", "Paid", "Video")),
        ("草稿", ("中文",), None, ("中文", "Work in progress")),
    ]
    assert [vocab.canonical_language(r.languages[0]) for r in doc.resources] == [
        "Chinese",
        "Chinese",
        "English",
        "Chinese",
    ]
    # Only the tag Learnmap does not know is a finding, named as written.
    unknown = [(i.line, i.message) for i in lint(doc) if i.code == "unknown-tag"]
    assert [line for line, _ in unknown] == [8]
    assert "(Work in progress), kept as written" in unknown[0][1]


RUSSIAN_PERSIAN_LIST = """\
# Ресурсы

## Step 1: Основы

- [Изучаем Python](https://example.com/ru-python) (Русский) (Бесплатно)
- [Книга](https://example.com/ru-book) - Хорошая книга (PDF)

## Step 2: منابع فارسی

- [آموزش پایتون](https://example.com/fa-python) (فارسی) (Free)
- [Django Docs](https://docs.djangoproject.com) (English, فارسی) (Video)
"""


def test_russian_and_persian_native_language_tags() -> None:
    doc = parse(RUSSIAN_PERSIAN_LIST)
    assert render(doc) == RUSSIAN_PERSIAN_LIST
    languages = [tuple(map(vocab.canonical_language, r.languages)) for r in doc.resources]
    assert languages == [("Russian",), (), ("Persian",), ("English", "Persian")]
    book = doc.resources[1]
    assert (book.description, book.tags) == ("Хорошая книга", ("PDF",))
    # "Бесплатно" is "free" in Russian: a price in the list's own words.
    assert doc.resources[0].tags == ("Русский", "Бесплатно")
    assert [r.cost for r in doc.resources] == ["free", None, "free", None]
    assert not [i for i in lint(doc) if i.code == "unknown-tag"]


@pytest.mark.parametrize(
    ("tag", "cost"),
    [
        ("رایگان", "free"),
        ("پولی", "paid"),
        ("غیر\u200cرایگان", "paid"),  # noqa: RUF001
        ("Бесплатно", "free"),
        ("платный", "paid"),
        ("免费", "free"),
        ("付費", "paid"),
        ("Gratis", "free"),
        ("kostenlos", "free"),
        ("Free trial", None),
        ("Freemium", None),
    ],
)
def test_prices_in_the_list_s_own_language(tag: str, cost: str | None) -> None:
    doc = parse(f"## Step 1: Go\n\n- [Tour](https://go.dev/tour/) ({tag})\n")
    assert doc.resources[0].cost == cost
    unknown = [i for i in lint(doc) if i.code == "unknown-tag"]
    assert bool(unknown) == (cost is None)


ROADMAP_SH_TOPIC = """\
# Virtual Environments

A virtual environment keeps a project's packages apart from the system's.

Visit the following resources to learn more:

- [@official@venv - Creation of virtual environments](https://docs.python.org/3/library/venv.html)
- [@article@Python Virtual Environments: A Primer](https://realpython.com/python-virtual-environments-a-primer/)
- [@video@Virtual environments explained](https://www.youtube.com/watch?v=example)
- [@opensource@pyenv](https://github.com/pyenv/pyenv)
- [@course@Packaging by Jane Doe](https://example.com/packaging)
- [@book@Python Packaging](https://example.com/book)
- [@feed@Explore top posts about Python](https://app.daily.dev/tags/python)
"""


def test_roadmap_sh_type_prefixes() -> None:
    expected = [
        ("venv - Creation of virtual environments", None, "Official"),
        ("Python Virtual Environments: A Primer", None, "Article"),
        ("Virtual environments explained", None, "Video"),
        ("pyenv", None, "Repository"),
        ("Packaging", "Jane Doe", "Course"),
        ("Python Packaging", None, "Book"),
        ("Explore top posts about Python", None, "Feed"),
    ]
    links = [line[3 : line.index("](")] for line in ROADMAP_SH_TOPIC.splitlines() if "[@" in line]
    read = [(*inline.split_author(text), inline.link_kind(text)) for text in links]
    assert read == expected
    assert inline.link_kind("Plain title") is None
    assert inline.link_kind("@unknown@Title") is None


def test_roadmap_sh_prefixes_give_the_resources_kinds() -> None:
    text = "## Virtual Environments\n\n" + ROADMAP_SH_TOPIC.split("more:\n\n", 1)[1]
    doc = parse(text)
    assert render(doc) == text
    assert [(r.title, r.author, r.kind) for r in doc.resources] == [
        ("venv - Creation of virtual environments", None, "Official"),
        ("Python Virtual Environments: A Primer", None, "Article"),
        ("Virtual environments explained", None, "Video"),
        ("pyenv", None, "Repository"),
        ("Packaging", "Jane Doe", "Course"),
        ("Python Packaging", None, "Book"),
        ("Explore top posts about Python", None, "Feed"),
    ]
    # A label above the items still gives the kind of items without a prefix.
    labelled = (
        "## Tools\n\n- **Video**\n"
        "  - [@article@Read this](https://example.com/a)\n"
        "  - [Watch this](https://example.com/v)\n"
    )
    assert [(r.title, r.kind) for r in parse(labelled).resources] == [
        ("Read this", "Article"),
        ("Watch this", "Video"),
    ]
