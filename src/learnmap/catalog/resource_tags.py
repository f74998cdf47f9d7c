"""What a resource's "(...)" tags say beyond its languages and price, as the catalog stores it:
the formats it comes in by their canonical names ("(pdf)", "(PDF/EPUB)" -> "PDF", "EPUB"), and
every other tag as the list wrote it ("(Chapter 3)", "(繁体中文 only)"), so that nothing a list
says about a link is lost. A kind or level tag is left out only when the resource already has
that kind or level (shown as its group's heading); otherwise it is kept as written."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from learnmap import roadmap_md
from learnmap.roadmap_md import inline, vocab


@dataclass(frozen=True, slots=True)
class ResourceTags:
    formats: tuple[str, ...]
    tags: tuple[str, ...]
    # ``"|PDF|EPUB|"`` (``""`` for none), like ``Resource.languages_index``.
    formats_index: str
    # The tags one a line, each ended by it: a tag holds no line break (nor is empty), so two
    # lists differ exactly when their texts do.
    tags_text: str


NO_TAGS = ResourceTags(formats=(), tags=(), formats_index="", tags_text="")


def resource_tags(item: roadmap_md.Resource) -> ResourceTags:
    """The formats and the other tags of a parsed resource, each once, in the file's order."""
    return _tags(item.tags, item.kind, item.level) if item.tags else NO_TAGS


def _said_elsewhere(tag: str, meaning: str | None, kind: str | None, level: str | None) -> bool:
    if meaning in ("language", "price", "format"):
        return True
    if meaning == "kind":
        return set(vocab.tag_kinds(tag)) == {kind}
    return level is not None and vocab.normalize_level(tag) == level


# A list repeats a few combinations of tags over thousands of items: each is worked out once
# (a re-import of 3,000 resources reads them all).
@lru_cache(maxsize=4096)
def _tags(tags: tuple[str, ...], kind: str | None, level: str | None) -> ResourceTags:
    formats: list[str] = []
    others: list[str] = []
    for tag in tags:
        meaning = inline.tag_meaning(tag)
        if meaning == "format":
            formats.extend(vocab.tag_formats(tag))
        if tag.strip() and not _said_elsewhere(tag, meaning, kind, level):
            others.append(tag.strip())
    found = tuple(dict.fromkeys(formats))
    written = tuple(dict.fromkeys(others))
    return ResourceTags(
        formats=found,
        tags=written,
        formats_index=("|" + "|".join(found) + "|") if found else "",
        tags_text="".join(f"{tag}\n" for tag in written),
    )
