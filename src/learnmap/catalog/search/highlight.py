"""Search matches shown: ``highlight`` wraps them in ``<mark>``. The text is escaped first, then
wrapped, so nothing from a Markdown file is ever trusted.
"""

from __future__ import annotations

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learnmap.catalog.search.normalise import normalise_mapped
from learnmap.catalog.search.rank import Query


def highlight(text: str, query: Query) -> SafeString:
    """``text`` escaped, with every match of a query word wrapped in ``<mark>``."""
    if not text:
        return mark_safe("")
    if query.is_empty:
        return escape(text)
    folded, origin = normalise_mapped(text)
    spans: list[tuple[int, int]] = []
    for word in query.words:
        start = folded.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(word, end)
    if not spans:
        return escape(text)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    cursor = 0
    for start, end in merged:
        # Take along combining marks that follow the match (they folded to nothing).
        while end < len(text) and unicodedata.category(text[end]) == "Mn":
            end += 1
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308  # every piece of text is escaped above
