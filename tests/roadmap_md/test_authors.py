"""Authors only where the file says so: "Title by Name" when Name reads as names, never a
phrase such as "Learning Go by examples"."""

from __future__ import annotations

import pytest

from learnmap.roadmap_md import add_resource, parse, render, update_resource
from learnmap.roadmap_md.inline import is_names, split_author

# What a reader sees as the author of each book of the seed roadmap (title, author).
SEED_AUTHORS = [
    ("Grokking Algorithms", "Aditya Bhargava"),
    ("Cracking the Coding Interview", "Gayle Laakmann McDowell"),
    (
        "Data Structure and Algorithmic Thinking with Python: Data Structure and Algorithmic "
        "Puzzles",
        "Narasimha Karumanchi",
    ),
    ("System Design Interview", "Alex Xu"),
    ("System Design Interview: Volume 2", "Alex Xu & Sahn Lam"),
    ("Git Course", "Jadi"),
    ("Python Crash Course", "Eric Matthes"),
    ("Head First Python", "Paul Barry"),
    ("Learn Python the Hard Way", "Zed Shaw"),
    ("Beyond the Basic Stuff with Python Best Practices for Writing Clean Code", "Sweigart, Al"),
    ("Fluent Python", "Luciano Ramalho"),
    ("Effective Python", "Brett Slatkin"),
    ("Python Cookbook", "David Beazley & Brian Jones"),
    ("Architecture Patterns with Python", "Harry Percival & Bob Gregory"),
    ("Practices of the Python Pro", "Dane Hillard"),
    ("Python Testing with pytest", "Brian Okken"),
    ("Python Tricks", "Dan Bader"),
    ("Python Tricks", "BobyCloud & DevMoein"),
    ("Python Concurrency with asyncio", "Matthew Fowler"),
    ("Django for Beginners", "William S. Vincent"),
    ("Django for APIs", "William S. Vincent"),
    ("Two Scoops of Django", "Daniel Roy Greenfeld"),
    ("Django for APIs", "ftg-iran"),
    ("Django for Professionals", "William S. Vincent"),
    ("Django for Professionals", "ftg-iran"),
    (
        "Test-Driven Development with Python: Obey the Testing Goat: Using Django, Selenium, "
        "and JavaScript",
        "Harry Percival",
    ),
    ("Django Practical Book", "Alireza Azimzadeh"),
    ("Django Web Framework - Full Course for Beginners", "Justin Mitchel"),
    ("Django For Everybody - Full Course", "Dr. Charles Severance"),
    ("Django From Beginner To Advanced", "Mehran Tarif"),
    ("Django All In One Course", "BobyCloud"),
    ("Django Celery Course", "Shahriar Shariati"),
    ("Django Channels Course", "Shahriar Shariati"),
    ("Django Super Course", "Shahrokh Kiumarsy"),
    ("Python API Development - Comprehensive Course for Beginners", "Sanjeev Thiyagarajan"),
    ("FastAPI course", "testdriven.io & talkpython.fm"),
    ("Free FastAPI course", "Mohammad Javad Fadakar"),
    ("Flask Tutorial", "Alireza Ayinmehr"),
    ("REST APIs with Flask and Python", "Jose Salvatierra"),
    (
        "LPIC-1: Linux Professional Institute Certification Study Guide: Exams 101 and 102",
        "Roderick W. Smith",
    ),
    ("Lpic-1 Course", "Jadi"),
    ("Lpic-1 Course", "Jadi"),
    ("Linux Course", "Morteza Bashsiz"),
    ("Database concepts", "Alireza Morteza Amini"),
    ("PostgreSQL Tutorial", "Alireza Ayinmehr"),
    ("Clean Code in Python", "Mariano Anaya"),
    ("Docker Tutorial", "Mehran Tarif"),
    ("Docker Tutorial", "Ahmad Rafiee"),
    ("Docker Course", "Jadi"),
    ("Django Design Patterns and Best Practices", "Arun Ravindran"),
    ("Dive Into Design Patterns", "Alexander Shvets"),
]


def test_every_author_of_the_seed_is_found(seed_text: str) -> None:
    found = [(r.title, r.author) for r in parse(seed_text).resources if r.author]
    assert found == SEED_AUTHORS


AWESOME_GO_STYLE = """\
# Awesome Gophers

## Learning

- [Learning Go by examples](https://example.com/learn-go) - Small programs, one idea each.
- [Go by Example](https://example.com/gobyexample) - Annotated example programs.
- [Learn Go by Building a Web Server](https://example.com/build) - Step by step.
- [Learning by Doing](https://example.com/doing) - Exercises.
- [Sorting by hand](https://example.com/sorting) - Algorithms on paper.
- [Go by default](https://example.com/default) - Defaults explained.
- [The Go Book by the Go team](https://example.com/team) - Official.
- [The Go Programming Language by Alan A. A. Donovan and Brian W. Kernighan](https://www.gopl.io)
- [Concurrency in Go by Katherine Cox-Buday](https://example.com/concurrency)
- [100 Go Mistakes by Teiva Harsanyi](https://example.com/mistakes)
- [Go in Action (by William Kennedy, Brian Ketelsen, Erik St. Martin)](https://example.com/action)
- [Web Development with Go by Jon Calhoun et al.](https://example.com/webdev)
- [Go Notes by go-notes.dev](https://example.com/notes)
- [Programming by Example by Ludwig van Beethoven](https://example.com/music)
"""


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Learning Go by examples", None),
        ("Go by Example", None),
        ("Learn Go by Building a Web Server", None),
        ("Learning by Doing", None),
        ("Sorting by hand", None),
        ("Go by default", None),
        ("The Go Book by the Go team", None),
        ("The Go Programming Language", "Alan A. A. Donovan and Brian W. Kernighan"),
        ("Concurrency in Go", "Katherine Cox-Buday"),
        ("100 Go Mistakes", "Teiva Harsanyi"),
        ("Go in Action", "William Kennedy, Brian Ketelsen, Erik St. Martin"),
        ("Web Development with Go", "Jon Calhoun et al."),
        ("Go Notes", "go-notes.dev"),
        ("Programming by Example", "Ludwig van Beethoven"),
    ],
)
def test_by_phrases_are_not_authors(title: str, author: str | None) -> None:
    doc = parse(AWESOME_GO_STYLE)
    assert render(doc) == AWESOME_GO_STYLE
    by_title = {r.title: r.author for r in doc.resources}
    assert title in by_title, sorted(by_title)
    assert by_title[title] == author
    assert len(doc.resources) == 14


def test_parentheses_say_outright_who_made_it():
    assert split_author("The Go Book (by the Go team)") == ("The Go Book", "the Go team")
    assert split_author("The Go Book by the Go team") == ("The Go Book by the Go team", None)


@pytest.mark.parametrize("author", ["the Go team", "examples", "0" * 150, "Luciano Ramalho"])
def test_any_author_a_person_gives_is_written_so_that_it_reads_back(author):
    doc = parse("# R\n\n## Books\n\n- [Old](https://example.com/old)\n")
    added = add_resource(
        doc, section="books", title="Go", url="https://example.com/go", author=author
    )
    new = next(r for r in added.resources if r.url == "https://example.com/go")
    assert (new.title, new.author) == ("Go", author)
    bare = is_names(author)
    assert (f"[Go by {author}]" in render(added)) == bare
    assert (f"[Go (by {author})]" in render(added)) == (not bare)


# --- "Title - Author" and "Title (Author)": read per list, only when the list is consistent --

BOOK_LISTS = """\
# Books

## Craft

- [Clean Code](https://example.com/cc) - Robert C. Martin
- [Refactoring](https://example.com/rf) (English) - Martin Fowler
- [The Pragmatic Programmer](https://example.com/pp) - Andrew Hunt & David Thomas
- [SICP](https://example.com/sicp) - Abelson, Sussman (PDF)
- [Working Effectively with Legacy Code](https://example.com/legacy) \u2013 Michael Feathers
- [Fluent Python by Luciano Ramalho](https://example.com/fp)
- [Free Programming Books](https://example.com/fpb)

## Inside the link

- [Clean Code - Robert C. Martin](https://example.com/cc2)
- [Refactoring - Martin Fowler](https://example.com/rf2)
- [Domain-Driven Design - Eric Evans](https://example.com/ddd)

## In parentheses

- **Book**
  - [SICP](https://example.com/p1) (Harold Abelson, Gerald Jay Sussman) (PDF)
  - [TAOCP](https://example.com/p2) (Donald Knuth)
  - [K&R](https://example.com/p3) (Brian Kernighan and Dennis Ritchie) (Free)

### Inside the link, in parentheses

- [SICP (Abelson, Sussman)](https://example.com/q1)
- [The C Programming Language (Kernighan, Ritchie)](https://example.com/q2) (PDF)
- [Code Complete (Steve McConnell)](https://example.com/q3)
"""

BOOK_AUTHORS = [
    # (title, author, description, tags)
    ("Clean Code", "Robert C. Martin", None, ()),
    ("Refactoring", "Martin Fowler", None, ("English",)),
    ("The Pragmatic Programmer", "Andrew Hunt & David Thomas", None, ()),
    ("SICP", "Abelson, Sussman", None, ("PDF",)),
    ("Working Effectively with Legacy Code", "Michael Feathers", None, ()),
    ("Fluent Python", "Luciano Ramalho", None, ()),
    ("Free Programming Books", None, None, ()),  # one item without an author: "nearly all"
    ("Clean Code", "Robert C. Martin", None, ()),
    ("Refactoring", "Martin Fowler", None, ()),
    ("Domain-Driven Design", "Eric Evans", None, ()),
    ("SICP", "Harold Abelson, Gerald Jay Sussman", None, ("PDF",)),
    ("TAOCP", "Donald Knuth", None, ()),
    ("K&R", "Brian Kernighan and Dennis Ritchie", None, ("Free",)),
    ("SICP", "Abelson, Sussman", None, ()),
    ("The C Programming Language", "Kernighan, Ritchie", None, ("PDF",)),
    ("Code Complete", "Steve McConnell", None, ()),
]


def _read(text: str) -> list[tuple]:
    doc = parse(text)
    assert render(doc) == text
    return [(r.title, r.author, r.description, r.tags) for r in doc.resources]


def test_a_list_that_writes_its_authors_after_a_dash_or_in_parentheses_has_them_read():
    assert _read(BOOK_LISTS) == BOOK_AUTHORS


AWESOME_DESCRIPTIONS = """\
# Awesome Web

## Frameworks

- [Django](https://example.com/django) - The web framework for perfectionists with deadlines.
- [Flask](https://example.com/flask) - Armin Ronacher's microframework
- [Pyramid](https://example.com/pyramid) - Pyramid Project
- [Bottle](https://example.com/bottle) - Marcel Hellkamp

## Title case

- [DRF](https://example.com/drf) - Django REST
- [Celery](https://example.com/celery) - Task Queue
- [Jinja](https://example.com/jinja) - Template Engine
- [Pelican](https://example.com/pelican) - Static Site Generator

## Awesome lists

- [awesome-go](https://example.com/go) - Golang
- [awesome-rust](https://example.com/rust) - Rust
- [awesome-elixir](https://example.com/elixir) - Elixir
- [awesome-mysql](https://example.com/mysql) - MySQL

## Colons

- [Flask](https://example.com/flask2): Armin Ronacher
- [Requests](https://example.com/requests): Kenneth Reitz
- [Rich](https://example.com/rich): Will McGugan

## Tags

- [attrs](https://example.com/attrs) (MIT) (2015)
- [black](https://example.com/black) (MIT)
- [mypy](https://example.com/mypy) (MIT) (Draft)
- [pip](https://example.com/pip) (Beta)
- [uv](https://example.com/uv) (Rust)
- [Go Book](https://example.com/zh) (\u7e41\u4f53\u4e2d\u6587)
- [Python 3 (2nd Edition)](https://example.com/ed2)
- [Go (Golang)](https://example.com/golang)
- [Rust (Ferris)](https://example.com/ferris)
- [JS (JavaScript)](https://example.com/js)
"""


def test_awesome_list_descriptions_and_tags_are_never_authors():
    """A description that is a sentence, has a lowercase word, an acronym or a common title
    word ("Task Queue") is no author, and one such item means none of its list has one (the
    "Bottle - Marcel Hellkamp" beside "Flask - Armin Ronacher's microframework" too). Names
    after a colon are descriptions. A list of single words ("Golang", "(Rust)") is unsure:
    no author. Tags ("MIT", "2015", "Draft", a language) never are."""
    read = _read(AWESOME_DESCRIPTIONS)
    assert [author for _title, author, _description, _tags in read] == [None] * len(read)
    descriptions = {title: description for title, _author, description, _tags in read}
    assert descriptions["Bottle"] == "Marcel Hellkamp"
    assert descriptions["DRF"] == "Django REST"
    assert descriptions["Rich"] == "Will McGugan"
    tags = {title: tags for title, _author, _description, tags in read}
    assert tags["attrs"] == ("MIT", "2015")
    assert tags["uv"] == ("Rust",)
    assert "Go (Golang)" in tags


MIXED = """\
# Mixed

## Books

- [Clean Code](https://example.com/cc) - Robert C. Martin
- [Refactoring](https://example.com/rf) - Martin Fowler
- [The Pragmatic Programmer](https://example.com/pp) - Andrew Hunt & David Thomas
- [Effective Java](https://example.com/ej) - Joshua Bloch
- [Head First Go](https://example.com/hfg) - A friendly introduction to Go.

## Short

- [Clean Code](https://example.com/cc3) - Robert C. Martin
- [Refactoring](https://example.com/rf3) - Martin Fowler

## Half

- [Clean Code](https://example.com/cc4) - Robert C. Martin
- [Refactoring](https://example.com/rf4) - Martin Fowler
- [Effective Java](https://example.com/ej4) - Joshua Bloch
- [Go](https://example.com/g4)
- [Rust](https://example.com/r4)
"""


def test_a_list_that_mixes_authors_and_descriptions_gets_no_authors():
    """One description among the names, fewer than 3 items, or many items without the
    shape: unsure, so no author; the names stay the descriptions they are written as."""
    read = _read(MIXED)
    assert [author for _title, author, _description, _tags in read] == [None] * len(read)
    assert read[0] == ("Clean Code", None, "Robert C. Martin", ())


def test_a_by_author_is_still_read_item_by_item_in_any_list():
    read = _read(
        MIXED.replace("[Go](https://example.com/g4)", "[Go by Alan Donovan](https://x.org)")
    )
    assert ("Go", "Alan Donovan", None, ()) in read


def test_the_corpus_gains_no_author_from_its_descriptions_or_tags(corpus_text: str):
    """awesome-python and awesome-django write " - description" after every link, some of
    them capitalised ("Type Checkers", "Python Imaging Library.", "MySQL"): none is an author."""
    doc = parse(corpus_text)
    assert render(doc) == corpus_text
    assert len(doc.resources) > 300
    assert [(r.line, r.author) for r in doc.resources if r.author] == []


# --- edits write the author in the list's style -------------------------------------------


def _line_of(doc, url: str) -> str:
    resource = next(r for r in doc.resources if r.url == url)
    return resource.raw.rstrip("\n")


def _authors(doc) -> dict[str, str | None]:
    return {r.url: r.author for r in doc.resources}


ADA = {"title": "Code", "url": "https://example.com/new", "author": "Ada Lovelace"}


@pytest.mark.parametrize(
    ("where", "fields", "written"),
    [
        (
            {"section": "craft"},
            {**ADA, "languages": ["English"]},
            "- [Code](https://example.com/new) (English) - Ada Lovelace",
        ),
        (
            {"section": "inside-the-link"},
            {**ADA, "languages": ["English"]},
            "- [Code - Ada Lovelace](https://example.com/new) (English)",
        ),
        (
            {"section": "in-parentheses", "kind": "Book"},
            {**ADA, "cost": "free"},
            "  - [Code](https://example.com/new) (Ada Lovelace) (Free)",
        ),
        (
            {"section": "in-parentheses", "topic": "inside-the-link-in-parentheses"},
            {**ADA, "languages": ["English"]},
            "- [Code (Ada Lovelace)](https://example.com/new) (English)",
        ),
        # What the style cannot hold is written with "by": a description beside a dash
        # author, a name that does not read as one alone.
        (
            {"section": "craft"},
            {**ADA, "description": "The first program, annotated."},
            "- [Code by Ada Lovelace](https://example.com/new) - The first program, annotated.",
        ),
        (
            {"section": "craft"},
            {**ADA, "author": "the Go team"},
            "- [Code (by the Go team)](https://example.com/new)",
        ),
    ],
)
def test_a_resource_added_to_such_a_list_has_its_author_written_in_the_lists_style(
    where, fields, written
):
    """... and the list keeps every author it had."""
    doc = parse(BOOK_LISTS)
    added = add_resource(doc, **where, **fields)
    assert _line_of(added, "https://example.com/new") == written
    assert _authors(added) == {**_authors(doc), "https://example.com/new": fields["author"]}


@pytest.mark.parametrize(
    ("url", "changes", "written"),
    [
        (
            "https://example.com/cc",
            {"title": "Clean Code, 2nd ed."},
            "- [Clean Code, 2nd ed.](https://example.com/cc) - Robert C. Martin",
        ),
        (
            "https://example.com/cc",
            {"author": "Bob Martin"},
            "- [Clean Code](https://example.com/cc) - Bob Martin",
        ),
        (
            "https://example.com/sicp",
            {"cost": "free"},
            "- [SICP](https://example.com/sicp) (Free) (PDF) - Abelson, Sussman",
        ),
        (
            "https://example.com/cc",
            {"description": "A classic."},
            "- [Clean Code by Robert C. Martin](https://example.com/cc) - A classic.",
        ),
        (
            "https://example.com/cc2",
            {"title": "Clean Coder"},
            "- [Clean Coder - Robert C. Martin](https://example.com/cc2)",
        ),
        (
            "https://example.com/p2",
            {"author": "D. E. Knuth"},
            "  - [TAOCP](https://example.com/p2) (D. E. Knuth)",
        ),
        (
            "https://example.com/p1",
            {"url": "https://example.com/sicp2"},
            "  - [SICP](https://example.com/sicp2) (Harold Abelson, Gerald Jay Sussman) (PDF)",
        ),
        (
            "https://example.com/q3",
            {"author": "Steve C. McConnell"},
            "- [Code Complete (Steve C. McConnell)](https://example.com/q3)",
        ),
    ],
)
def test_an_edit_keeps_the_authors_style_and_every_other_author(url, changes, written):
    doc = parse(BOOK_LISTS)
    line = next(r.line for r in doc.resources if r.url == url)
    edited = update_resource(doc, line=line, **changes)
    new_url = changes.get("url", url)
    assert _line_of(edited, new_url) == written
    resource = next(r for r in edited.resources if r.url == new_url)
    for field, value in changes.items():
        assert getattr(resource, field) == value
    others = {u: a for u, a in _authors(doc).items() if u != url}
    assert {u: a for u, a in _authors(edited).items() if u != new_url} == others


NATIVE_DESCRIPTIONS = """\
# منابع

## پایتون

- [آموزش پایتون](https://example.com/fa1) - دوره مقدماتی پایتون
- [جنگو](https://example.com/fa2) - فریمورک وب پایتون
- [فلسک](https://example.com/fa3) - میکروفریمورک پایتون

## 中文

- [Go语言圣经](https://example.com/zh1) - Go 语言入门
- [Rust 程序设计](https://example.com/zh2) - Rust 官方 教程
- [Python 教程](https://example.com/zh3) - 廖雪峰 的 教程

## Русский

- [Книга](https://example.com/ru1) - Введение в Python
- [Лекция](https://example.com/ru2) - Иван Петров
- [Лекции](https://example.com/ru3) - Мария Иванова
"""


def test_descriptions_in_scripts_without_case_are_never_authors():
    """Persian and Chinese have no capitals to tell a name from a description's words: a
    list's " - ..." there is always its description (the "by" style still reads authors)."""
    read = _read(NATIVE_DESCRIPTIONS)
    assert [author for _title, author, _description, _tags in read] == [None] * 9
    assert read[1][2] == "فریمورک وب پایتون"
