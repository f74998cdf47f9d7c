"""Tags a roadmap declares itself, so that lint knows them.

In the front matter, on one line or one tag per indented line (an optional ``: meaning``
after a tag is a note for readers of the file)::

    ---
    tags: Work in progress, Beta
    ---

    ---
    tags:
      - Бесплатно: free, in Russian
      - Work in progress
    ---
"""

from __future__ import annotations

_KEYS = frozenset({"tags", "extra tags", "extra_tags", "known tags", "known_tags"})


def tag_key(tag: str) -> str:
    """A tag as compared with the declared ones: spaces collapsed, case folded."""
    return " ".join(tag.split()).casefold()


def declared_tags(front_matter: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The keys (see :func:`tag_key`) of the tags the front matter's ``tags:`` declares."""
    found: set[str] = set()
    for key, value in front_matter:
        if tag_key(key) not in _KEYS or not value.strip():
            continue
        if "\n" not in value and not value.lstrip().startswith("-"):
            parts = value.split(",")  # tags: A, B, C
        else:
            parts = [line.strip().removeprefix("-").split(":", 1)[0] for line in value.split("\n")]
        found.update(tag_key(part.strip().strip("()")) for part in parts if part.strip())
    return frozenset(found)
