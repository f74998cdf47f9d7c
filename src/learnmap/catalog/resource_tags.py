"""What a resource's "(...)" tags say beyond its languages and price, as the catalog stores it:
the formats it comes in by their canonical names ("(pdf)", "(PDF/EPUB)" -> "PDF", "EPUB"), and
every other tag as the list wrote it ("(Chapter 3)", "(繁体中文 only)"), so that nothing a list
says about a link is lost. A kind or level tag is left out only when the resource already has
that kind or level (shown as its group's heading); otherwise it is kept as written."""

from __future__ import annotations

from dataclasses import dataclass

from learnmap import roadmap_md
from learnmap.roadmap_md import inline, vocab


@dataclass(frozen=True, slots=True)
class ResourceTags:
    formats: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def formats_index(self) -> str:
        """``"|PDF|EPUB|"`` (``""`` for none), like ``Resource.languages_index``."""
        return ("|" + "|".join(self.formats) + "|") if self.formats else ""

    @property
    def tags_text(self) -> str:
        """The tags one a line: a tag holds no line break, so two lists differ exactly when
        their texts do (``[""]`` is ``"\\n"``, ``[]`` is ``""``)."""
        return "".join(f"{tag}\n" for tag in self.tags)


NO_TAGS = ResourceTags(formats=(), tags=())


def _said_elsewhere(tag: str, meaning: str | None, item: roadmap_md.Resource) -> bool:
    if meaning in ("language", "price", "format"):
        return True
    if meaning == "kind":
        return set(vocab.tag_kinds(tag)) == {item.kind}
    return item.level is not None and vocab.normalize_level(tag) == item.level


def resource_tags(item: roadmap_md.Resource) -> ResourceTags:
    """The formats and the other tags of a parsed resource, each once, in the file's order."""
    if not item.tags:
        return NO_TAGS
    formats: list[str] = []
    others: list[str] = []
    for tag in item.tags:
        meaning = inline.tag_meaning(tag)
        if meaning == "format":
            formats.extend(vocab.tag_formats(tag))
        if tag.strip() and not _said_elsewhere(tag, meaning, item):
            others.append(tag.strip())
    return ResourceTags(formats=tuple(dict.fromkeys(formats)), tags=tuple(dict.fromkeys(others)))
