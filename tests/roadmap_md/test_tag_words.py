"""What Learnmap writes into a roadmap uses the words the file already uses for its tags:
a Persian list that writes (فارسی) (رایگان) gets those, not (Persian) (Free)."""

from __future__ import annotations

from learnmap.roadmap_md import add_resource, parse, render, update_resource
from learnmap.roadmap_md.tag_words import tag_words

PERSIAN = """\
## Step 1: پایتون

- [آموزش پایتون](https://example.ir/python) (فارسی) (رایگان)
- [دوره جنگو](https://example.ir/django) (فارسی) (پولی)
- [Django docs](https://docs.djangoproject.com/) (English) (رایگان)
"""


def _added_line(text: str, **fields) -> str:
    doc = parse(text)
    after = render(add_resource(doc, section=doc.sections[0].slug, **fields))
    (new,) = [line for line in after.splitlines() if line not in text.splitlines()]
    return new


def test_a_new_resource_is_tagged_in_the_file_s_own_words() -> None:
    line = _added_line(
        PERSIAN, title="کتاب", url="https://example.ir/book", languages=["Persian"], cost="free"
    )
    assert line == "- [کتاب](https://example.ir/book) (فارسی) (رایگان)"
    paid = _added_line(
        PERSIAN, title="دوره", url="https://example.ir/c", languages=["English"], cost="paid"
    )
    assert paid == "- [دوره](https://example.ir/c) (English) (پولی)"


def test_a_language_the_file_never_spells_is_written_as_given() -> None:
    line = _added_line(PERSIAN, title="Book", url="https://example.com/b", languages=["Russian"])
    assert line == "- [Book](https://example.com/b) (Russian)"


def test_an_edited_price_uses_the_file_s_word() -> None:
    doc = parse(PERSIAN)
    edited = render(update_resource(doc, line=5, cost="paid", languages=["Persian"]))
    lines = PERSIAN.splitlines(keepends=True)
    lines[4] = "- [Django docs](https://docs.djangoproject.com/) (فارسی) (پولی)\n"
    assert edited == "".join(lines)


def test_the_most_used_spelling_wins_and_english_files_stay_english() -> None:
    words = tag_words(parse(PERSIAN))
    assert (words.language("Persian"), words.cost("free"), words.cost("paid")) == (
        "فارسی",
        "رایگان",
        "پولی",
    )
    english = "## Step 1: پایتون\n\n- [a](https://a.example) (English) (Free) (Farsi)\n"
    assert tag_words(parse(english)).language("فارسی") == "Farsi"
    line = _added_line(
        english, title="b", url="https://b.example", languages=["Persian"], cost="paid"
    )
    assert line == "- [b](https://b.example) (Farsi) (Paid)"


def test_a_spelling_the_file_already_uses_is_kept() -> None:
    text = "## Step 1: A\n\n- [a](https://a.example) (Farsi)\n- [b](https://b.example) (Persian)\n"
    doc = parse(text)
    assert render(update_resource(doc, line=4, cost="free")).endswith(
        "- [b](https://b.example) (Persian) (Free)\n"
    )
