"""Text folded for matching, the same way for English and Persian (pure, no Django).

``normalise`` folds case, strips diacritics (Latin accents, Arabic tashkeel), unifies the
Arabic and Persian forms of letters (Arabic yeh and kaf to their Persian forms, teh marbuta to
heh, hamza-carrying alefs to alef...), drops the tatweel, turns the zero-width non-joiner into a
space and every decimal digit (۱۲۳, ١٢٣) into ASCII. ``tokenize`` splits it into words;
``normalise_mapped`` also says where each folded character came from (for highlighting).
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = {
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> ARABIC LETTER FARSI YEH
    "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    "\u0626": "\u06cc",  # YEH WITH HAMZA ABOVE -> FARSI YEH
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH (the Persian kaf)
    "\u0629": "\u0647",  # TEH MARBUTA -> HEH
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE -> HEH
    "\u06d5": "\u0647",  # AE -> HEH
    "\u06c1": "\u0647",  # HEH GOAL -> HEH
    "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    "\u0622": "\u0627",  # ALEF WITH MADDA ABOVE -> ALEF
    "\u0671": "\u0627",  # ALEF WASLA -> ALEF
    "\u0624": "\u0648",  # WAW WITH HAMZA ABOVE -> WAW
    "\u0640": "",  # TATWEEL (kashida)
    "\u200c": " ",  # ZERO WIDTH NON-JOINER: a word boundary for searching
    "\u200d": "",  # ZERO WIDTH JOINER
    "\u200e": "",  # LEFT-TO-RIGHT MARK
    "\u200f": "",  # RIGHT-TO-LEFT MARK
    "\u00a0": " ",  # NO-BREAK SPACE
}


class _FoldTable(dict):
    """A ``str.translate`` table that works out (and remembers) each character's folding."""

    def __missing__(self, codepoint: int) -> str:
        folded = self[codepoint] = _fold_char(chr(codepoint))
        return folded


def _fold_char(char: str) -> str:
    if char in _LETTERS:
        return _LETTERS[char]
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if unicodedata.category(char) == "Mn":
        return ""  # a combining mark on its own: a diacritic or tashkeel
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.category(part) == "Mn":
            continue  # accents, harakat, the hamza or madda above a letter
        out.append(_LETTERS.get(part, part))
    return "".join(out).casefold()


_TABLE = _FoldTable()


def normalise(text: str) -> str:
    """Text folded for matching (see the module docstring). Not for display."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


def normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the index it came from in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _TABLE[ord(char)] if not char.isascii() else char.lower()
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


WORD_RE = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """The normalised words of a text, each once, in order."""
    return list(dict.fromkeys(WORD_RE.findall(normalise(text))))
