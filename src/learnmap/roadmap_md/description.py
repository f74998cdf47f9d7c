"""A resource's description as written in the file is one line of inline Markdown: `code`,
*emphasis*, [links](...) and GitHub's ``:emoji:`` shortcodes. This module reads it the way
GitHub shows it: :func:`inline_markdown` is the parser pages render it with (raw HTML off,
shortcodes as their emoji), :func:`description_plain` the plain text search and the API give.

Shortcodes are GitHub's aliases (the ``emoji`` package's ``language="alias"``: ``:rocket:``,
``:+1:``); an unknown one (``:foo:``) stays as written, as do those in code spans
(`` `:rocket:` ``), in link destinations and in URLs written out (``https://x.org/:a:``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import emoji
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

__all__ = ["description_plain", "emojize", "inline_markdown"]

_SHORTCODE_RE = re.compile(r":[+\-\w]+:")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Text in which inline Markdown can change nothing: its plain text is itself.
_NOTHING_INLINE_RE = re.compile(r"^[^\\`*_\[\]<>&!~:\n\r]*$")


def emojize(text: str) -> str:
    """``text`` with GitHub's emoji shortcodes as the emoji, URLs written out left alone."""
    if not _SHORTCODE_RE.search(text):
        return text
    parts = _URL_RE.split(text)
    urls = _URL_RE.findall(text)
    out = [emoji.emojize(parts[0], language="alias")]
    for url, part in zip(urls, parts[1:], strict=True):
        out += [url, emoji.emojize(part, language="alias")]
    return "".join(out)


def _emoji_rule(state: StateCore) -> None:
    """Shortcodes in text tokens (not code spans, not an autolink's text) as emoji."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        autolink = False
        for token in block.children:
            if token.type == "link_open":
                autolink = token.markup == "autolink"
            elif token.type == "link_close":
                autolink = False
            elif token.type == "text" and not autolink and ":" in token.content:
                token.content = emojize(token.content)


@lru_cache(maxsize=1)
def inline_markdown() -> MarkdownIt:
    """CommonMark without raw HTML, shortcodes rendered as emoji (``renderInline`` for a
    description; a page must still sanitise the HTML it gives)."""
    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("emoji_shortcodes", _emoji_rule)
    return md


@lru_cache(maxsize=8192)
def description_plain(text: str) -> str:
    """The description as a reader sees it, without Markdown's marks: link and code texts
    kept, escapes and entities resolved, shortcodes as emoji, images (badges) left out.

    >>> description_plain("Install `CLI` tools :rocket: ([Demo](https://x.org))")
    'Install CLI tools 🚀 (Demo)'
    """
    if _NOTHING_INLINE_RE.match(text):
        return text.strip()
    out: list[str] = []
    for block in inline_markdown().parseInline(text):
        for token in block.children or ():
            if token.type in ("text", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append("\n")
    return "".join(out).strip()
