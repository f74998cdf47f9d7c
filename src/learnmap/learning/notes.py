"""Learners' private notes: checking their text and rendering their Markdown safely; and a
resource's description, inline Markdown from the roadmap's file, the same way.

Notes are stored as the Markdown the learner typed (so export gives it back as written) and
rendered on the way out: markdown-it with raw HTML disabled, then nh3 with a short allow-list,
so nothing a learner types can run in a page.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from learnmap.core.errors import ApplicationError
from learnmap.roadmap_md.description import description_plain, inline_markdown

NOTE_MAX_CHARS = 20_000

# Control characters other than tab and newline (PostgreSQL refuses NUL in text).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_ALIGNS = ("left", "center", "right")


def _align_by_class(state) -> None:
    """A table column's alignment as a class (``align-right``, learnmap.css) instead of
    markdown-it's style attribute, which the Content-Security-Policy refuses."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            align = str(token.attrs.pop("style")).removeprefix("text-align:")
            if align in _ALIGNS:
                token.attrs["class"] = f"align-{align}"


_MARKDOWN.core.ruler.push("align_by_class", _align_by_class)
_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# Only the alignment classes (nh3 allows a class attribute with no other class in it).
_CLASSES = {cell: {f"align-{align}" for align in _ALIGNS} for cell in ("th", "td")}


def note_text_clean(text: str) -> str:
    """The text as it will be stored: newlines normalised, control characters and
    surrounding blank space removed. Refuses overlong notes with a sentence for the learner."""
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > NOTE_MAX_CHARS:
        raise ApplicationError(
            f"This note is {len(text):,} characters long; notes can be at most "
            f"{NOTE_MAX_CHARS:,} characters. Nothing was saved: shorten it and save again.",
            code="note_too_long",
            extra={"length": len(text), "max": NOTE_MAX_CHARS},
        )
    return text


_INLINE_TAGS = {"strong", "em", "del", "s", "code", "a", "br"}


def inline_render(*, text: str) -> SafeString:
    """One line of inline Markdown (a description: ``code``, *emphasis*, [links](...),
    ``:emoji:`` shortcodes) as sanitised HTML: no block elements, raw HTML shown as text,
    links only to http(s). The Markdown is read by ``roadmap_md.description``."""
    cleaned = nh3.clean(
        inline_markdown().renderInline(text),
        tags=_INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  # sanitised by nh3 just above


def inline_plain(*, text: str) -> str:
    """The same line as plain text (what search shows and matches, and the API's
    ``description_text``): the Markdown's marks gone, link texts kept, emoji shown."""
    return description_plain(text)


def note_render(*, text: str) -> SafeString:
    """A note's Markdown as sanitised HTML, safe to put in a page as is."""
    html = _MARKDOWN.render(text)
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        allowed_classes=_CLASSES,
    )
    return mark_safe(cleaned)  # noqa: S308  # sanitised by nh3 just above
