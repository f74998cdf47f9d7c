"""Text on the map (pure): how wide a label is, and the label wrapped to fit.

The server has no fonts, so widths are an estimate from the characters (narrow, wide, East
Asian, combining marks...); ``wrap`` breaks a title into at most a few lines that fit, cutting
with "…" what does not. ``layout`` places the lines.
"""

from __future__ import annotations

import unicodedata

_NARROW = set(" iljtfI.,:;'|!()[]{}\"`")
_WIDE = set("mwMW@%&")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Roughly how wide ``text`` is in a sans-serif font of ``size`` units."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.3
        elif char in _WIDE:
            width += 0.85
        elif unicodedata.east_asian_width(char) in "WF":
            width += 1.0
        elif unicodedata.category(char) == "Mn" or char in "\u200c\u200d":
            continue
        elif char.isupper() or char.isdigit():
            width += 0.64
        else:
            width += 0.54
    return width * size * (1.07 if bold else 1.0)


def wrap(
    text: str, width: float, size: float, bold: bool, max_lines: int
) -> tuple[list[str], bool]:
    """Break ``text`` into at most ``max_lines`` lines that fit ``width``; the last line ends
    with "…" when something had to be left out. Returns (lines, truncated)."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width or not current:
            current = candidate
            # A single word wider than the line is cut.
            while text_width(current, size, bold) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and text_width(current[:cut] + "…", size, bold) > width:
                    cut -= 1
                if len(lines) + 1 >= max_lines:
                    lines.append(current[:cut] + "…")
                    return lines, True
                lines.append(current[:cut])
                current = current[cut:]
        else:
            lines.append(current)
            current = word
            if len(lines) >= max_lines:
                break
    else:
        if current:
            lines.append(current)
        return lines or [""], False
    # Ran out of lines: shorten the last one to make room for the ellipsis.
    last = lines[max_lines - 1]
    while last and text_width(last + "…", size, bold) > width:
        last = last[:-1].rstrip()
    lines[max_lines - 1] = last + "…"
    return lines[:max_lines], True
