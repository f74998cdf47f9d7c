"""Notes are the learner's Markdown, rendered without letting anything run in the page."""

from __future__ import annotations

import pytest

from learnmap.learning.notes import note_render, note_text_clean


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ('<a href="https://e.com" onclick="steal()">x</a>', "<a "),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", 'href="data'),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
    ],
)
def test_nothing_a_learner_types_can_run_in_the_page(text, forbidden):
    html = note_render(text=text)
    assert forbidden not in html


def test_markdown_is_rendered():
    html = note_render(text="# Plan\n\n- **read** [docs](https://docs.python.org)\n- `code`\n")
    assert "<h1>Plan</h1>" in html
    assert "<strong>read</strong>" in html
    assert '<a href="https://docs.python.org" rel="noopener noreferrer nofollow">docs</a>' in html
    assert "<code>code</code>" in html


def test_typed_html_is_shown_as_text():
    assert "&lt;b&gt;bold?&lt;/b&gt;" in note_render(text="<b>bold?</b>")


def test_control_characters_and_windows_newlines_are_cleaned():
    assert note_text_clean("  a\r\nb\x00c\x07\t\n  ") == "a\nbc"
