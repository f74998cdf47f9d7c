"""Authors only where the file says so: "Title by Name" when Name reads as names, never a
phrase such as "Learning Go by examples"."""

from __future__ import annotations

import pytest

from learnmap.roadmap_md import add_resource, parse, render
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
