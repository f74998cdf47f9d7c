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

Or in a ``.learnmap.toml`` beside the roadmap (``learnmap lint`` reads it)::

    [tags]
    "Work in progress" = "the chapter is being written"
    Beta = ""

    # or: tags = ["Work in progress", "Beta"]
"""

from __future__ import annotations

import os
import re
import tomllib

from .errors import RoadmapInputError

CONFIG_NAME = ".learnmap.toml"
_TOML_LINE_RE = re.compile(r"\(at line (\d+)")

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


def config_tags(text: str, *, path: str) -> frozenset[str]:
    """The tags a ``.learnmap.toml`` declares; :class:`RoadmapInputError` naming the file (and
    line) when it is no valid TOML or its ``tags`` is neither a list nor a table."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE_RE.search(str(error))
        raise RoadmapInputError(
            f"{path}: not valid TOML: {error}",
            path=path,
            line=int(found.group(1)) if found else None,
        ) from None
    tags = data.get("tags", [])
    if isinstance(tags, dict):
        names = list(tags)
    elif isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        names = tags
    else:
        raise RoadmapInputError(
            f"{path}: 'tags' must be a list of tags or a [tags] table (tag = \"note\")", path=path
        )
    return frozenset(tag_key(name) for name in names if name.strip())


def config_tags_beside(roadmap_path: str) -> frozenset[str]:
    """The tags of the ``.learnmap.toml`` in the roadmap's folder; none when there is none."""
    path = os.path.join(os.path.dirname(os.path.abspath(roadmap_path)), CONFIG_NAME)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError) as error:
        raise RoadmapInputError(f"{path}: cannot read the file ({error})", path=path) from None
    return config_tags(text, path=path)
