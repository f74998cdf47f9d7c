"""GitHub's heading anchors (the algorithm of github-slugger)."""

from __future__ import annotations

import re
import unicodedata

_ASCII_DROP_RE = re.compile(r"[^a-z0-9 _-]")
_KEPT = re.compile(r"^(?:[LMN].|Pc)$")  # Unicode categories of letters, marks, numbers, "_"


def slugify(text: str) -> str:
    """Lowercase; keep letters, marks, numbers, ``_`` and ``-`` of any script; spaces -> ``-``.

    >>> slugify("Step 0: Prerequisites")
    'step-0-prerequisites'
    >>> slugify("Algorithms & Data Structures")
    'algorithms--data-structures'
    """
    text = text.lower()
    if text.isascii():
        return _ASCII_DROP_RE.sub("", text).replace(" ", "-")
    out = []
    for char in text:
        if char == " ":
            out.append("-")
        elif char in "-_" or char.isalnum() or _KEPT.match(unicodedata.category(char)):
            out.append(char)
    return "".join(out)


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
