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

The same file may switch lint warnings off for every roadmap of its folder, by their codes
(see :mod:`.noqa` for the comments that do it in a file or on a line)::

    [lint]
    ignore = ["LM301", "LM401"]
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass

from .errors import RoadmapInputError
from .noqa import check_ignore

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


@dataclass(frozen=True, slots=True)
class Config:
    """What a ``.learnmap.toml`` says: tags (as :func:`tag_key` gives them) and lint codes
    switched off."""

    tags: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()


def read_config(text: str, *, path: str) -> Config:
    """What a ``.learnmap.toml`` says; :class:`RoadmapInputError` naming the file (and line)
    when it is no valid TOML, its ``tags`` is neither a list nor a table, or its ``[lint]
    ignore`` is no list of the codes of warnings."""
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
    return Config(
        tags=frozenset(tag_key(name) for name in names if name.strip()),
        ignore=_ignored(data.get("lint", {}), text, path),
    )


def _ignored(section: object, text: str, path: str) -> frozenset[str]:
    codes = section.get("ignore", []) if isinstance(section, dict) else None
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise RoadmapInputError(
            f'{path}: [lint] must be a table with ignore = ["LM301", ...], a list of lint codes',
            path=path,
        )
    for code in codes:
        try:
            check_ignore([code])
        except ValueError as error:
            found = text.find(code)
            line = text.count("\n", 0, found) + 1 if found >= 0 else None
            where = f":{line}" if line else ""
            raise RoadmapInputError(
                f"{path}{where}: [lint] ignore: {error}", path=path, line=line
            ) from None
    return check_ignore(codes)


def config_beside(roadmap_path: str) -> Config:
    """What the ``.learnmap.toml`` in the roadmap's folder says; nothing when there is none."""
    path = os.path.join(os.path.dirname(os.path.abspath(roadmap_path)), CONFIG_NAME)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        raise RoadmapInputError(f"{path}: cannot read the file ({error})", path=path) from None
    return read_config(text, path=path)


def config_tags_beside(roadmap_path: str) -> frozenset[str]:
    """The tags of the ``.learnmap.toml`` in the roadmap's folder; none when there is none."""
    return config_beside(roadmap_path).tags
