"""GitHub's heading anchors, and the anchors a file's own HTML gives (``<a id>``, ``<a name>``).

GitHub's algorithm is github-slugger's, whose test fixtures are GitHub's own rendering of
every Unicode general category: lowercase the heading's text, then remove every character
that is punctuation (except ``-`` and ``_``), a symbol (emoji included), a control or format
character (the Persian zero-width non-joiner U+200C and the joiner U+200D are removed, so
``می‌خواهم`` becomes ``میخواهم``), a separator other than the ASCII space, an "other number"
(``²``, ``①``), a private-use or an unassigned code point; letters, marks, decimal and letter
numbers of every script are kept. Spaces become ``-``; nothing is collapsed or trimmed. A
repeated anchor gets ``-1``, ``-2``, ... (skipping one an earlier heading already has).
"""

from __future__ import annotations

import html
import re
import unicodedata

_ASCII_DROP_RE = re.compile(r"[^a-z0-9 _-]")
_KEPT_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
# Symbols Unicode also calls alphabetic (github-slugger keeps them): circled and
# parenthesised/squared Latin letters.
_ALPHABETIC_SYMBOLS = (
    (0x24B6, 0x24E9),
    (0x1F130, 0x1F149),
    (0x1F150, 0x1F169),
    (0x1F170, 0x1F189),
)


def _kept(char: str) -> bool:
    if char in " -":
        return True
    if unicodedata.category(char) in _KEPT_CATEGORIES:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def slugify(text: str) -> str:
    """The anchor GitHub gives a heading whose text (markup removed) is ``text``.

    >>> slugify("Step 0: Prerequisites")
    'step-0-prerequisites'
    >>> slugify("Algorithms & Data Structures")
    'algorithms--data-structures'
    >>> slugify("😄 Emoji & more")
    '-emoji--more'
    """
    text = text.lower()
    if text.isascii():
        return _ASCII_DROP_RE.sub("", text).replace(" ", "-")
    return "".join(char for char in text if _kept(char)).replace(" ", "-")


class Slugger:
    """Unique anchors across one document: a repeated heading gets ``-1``, ``-2``, ..."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = result = slugify(text)
        while result in self._occurrences:
            self._occurrences[base] += 1
            result = f"{base}-{self._occurrences[base]}"
        self._occurrences[result] = 0
        return result


# --- anchors written in HTML --------------------------------------------------------------

# An opening tag with an ``id`` (any element) or a ``name`` (``<a>`` only) attribute. GitHub
# keeps both (prefixed ``user-content-``, which its pages resolve for ``#x`` links).
_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>")
_ATTRIBUTE_RE = re.compile(
    r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def html_anchors(text: str) -> list[str]:
    """The anchors that HTML tags in ``text`` define: ``<a id="x">``, ``<a name="x">``,
    ``<h2 id="x">``, in order. Tags inside code are counted too (a link to one is then not
    called broken: lint errs on the side of silence)."""
    if "<" not in text:
        return []
    found: list[str] = []
    for match in _TAG_RE.finditer(text):
        attributes = match.group(2)
        if not attributes or "=" not in attributes:
            continue
        is_a = match.group(1).lower() == "a"
        for attribute in _ATTRIBUTE_RE.finditer(attributes):
            if attribute.group(1).lower() == "name" and not is_a:
                continue
            value = next(v for v in attribute.groups()[1:] if v is not None)
            if value:
                found.append(_unescape_attribute(value))
    return found


def _unescape_attribute(value: str) -> str:
    return html.unescape(value) if "&" in value else value
