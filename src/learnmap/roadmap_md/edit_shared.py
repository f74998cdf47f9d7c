"""Edits of a resource that does not have its list item to itself (pure).

Such a resource is one of several links of an item (``- Type checking: [mypy](...),
[Pyright](...)``), a link after some text (``- MySQL - [awesome-mysql](...)``, `` - `MIT` -
[Name](...)``, ``- **[Name](...)**``), or the link of a section's or topic's heading
(``### [ACID](...)``). An edit of it rewrites only what belongs to that link, in place; every
other byte of the file stays as it is, and every other resource must read back unchanged
(else the edit is refused, naming the line and why). What can change:

- **title, author, link**: the link's ``[text](url)`` (or ``<a href="url">text</a>``) span.
  A heading's link text is part of its heading: a heading that is its link
  (``### [ACID](...)``) renames its section or topic with it. The catalog follows a renamed
  node by the links of its resources, so a heading's title and link cannot change in one
  edit (one, then the other, keeps the node and its learners' progress).
- **languages, price**: the tags written right after the link (before the next link or the
  separator), in a list item; never in a heading (the tag would become part of its title),
  nor when the tags are written after the other links too (they say it of them all).
- **description**: only where it is read from the text after the link alone (the item's only
  link, with no text before it); text before a link, or shared by several links, is the
  line's own: edit the line itself.
- **removal**: one of several links of an item goes with its tags and one separator
  (", " / " and " / " / "); a heading's link is unwrapped (``### ACID``): the section or topic
  stays, without that resource. (An item's only link goes with its item: ``edit`` does that.)
- **moving** (section, topic, kind, level): an item's link is removed as above and added where
  asked; a heading's resource cannot move away from its heading.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import inline, item_links
from .errors import RoadmapEditError, TargetNotFoundError
from .model import Document, Resource, Section, Topic
from .parser import ListItem, block_tokens, parse, split_lines
from .render import render_link_text, render_tags, render_url
from .tag_words import tag_words

__all__ = [
    "FieldRefusedError",
    "is_shared",
    "on_line",
    "refuse_heading_move",
    "remove_shared",
    "resource_on_line",
    "update_shared",
]

_EMPHASIS = ("**", "__", "*", "_")
_UNDERLINE_RE = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*(?:\r\n|\r|\n)?$")
_ATX_OR_HTML_RE = re.compile(r"^\ufeff?[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[#<]")
# The fields an edit rewrites, as a message names them.
_FIELD_NAMES = dict(title="title", url="link", author="author", languages="languages", cost="price")
_FIELD_NAMES["description"] = "description"


def on_line(doc: Document, line: int) -> list[Resource]:
    """The resources read from ``line`` (1-based), left to right."""
    return [resource for resource in doc.resources if resource.line == line]


def is_shared(doc: Document, item: ListItem | None, line: int) -> bool:
    """Whether the resource(s) of ``line`` are not simply an item starting with its link."""
    same = on_line(doc, line)
    if len(same) != 1 or same[0].raw == "" or item is None:
        return True
    content = item.content
    if not content.startswith("["):
        return True
    link = inline.scan_link(content, item.references)
    return link is None or link.text(content).lstrip().startswith("![")


@dataclass(frozen=True, slots=True)
class _Region:
    """The source text the line's links are in: an item's first paragraph or a heading."""

    text: str  # the whole file
    start: int  # offset of the region in ``text``
    stop: int
    heading: Section | Topic | None
    found: list  # item_links' links of the region, the line's resources first
    references: dict[str, str]

    @property
    def source(self) -> str:
        return self.text[self.start : self.stop]

    def rewritten(self, changes: list[tuple[int, int, str]]) -> str:
        """The file with region-relative spans replaced (spans do not overlap)."""
        region = self.source
        for start, stop, new in sorted(changes, reverse=True):
            region = region[:start] + new + region[stop:]
        return self.text[: self.start] + region + self.text[self.stop :]

    def after_link(self, index: int) -> int:
        """Where the link's tags start: after it, and after emphasis closing around it."""
        found = self.found[index]
        region = self.source
        after = found.end
        before = region[: found.start].rstrip()
        for marker in _EMPHASIS:
            if before.endswith(marker) and region.startswith(marker, after):
                return after + len(marker)
        return after

    def tags_end(self, index: int) -> int:
        return inline._TAGS_RE.match(self.source, self.after_link(index)).end()  # type: ignore[union-attr]


def _references(text: str) -> dict[str, str]:
    references: dict[str, str] = {}
    if "]:" not in text:
        return references
    for token in block_tokens(text.removeprefix("\ufeff")):
        if token.type == "inline" and token.content.startswith("[") and "]:" in token.content:
            for label, url in inline.reference_definitions(token.content):
                references.setdefault(label, url)
    return references


def resource_on_line(doc: Document, line: int, index: int) -> Resource:
    same = on_line(doc, line)
    if not same:
        raise TargetNotFoundError(f"no resource starts on line {line}")
    if not 0 <= index < len(same):
        raise TargetNotFoundError(
            f"line {line} has {len(same)} resource(s): there is no resource {index + 1} there"
        )
    return same[index]


def refuse_heading_move(doc: Document, line: int, resource: Resource) -> None:
    if _heading_at(doc, line) is not None:
        raise RoadmapEditError(
            f"line {line}: “{resource.title}” is the link of its heading and cannot move away "
            "from it; edit the heading itself"
        )


def _heading_at(doc: Document, line: int) -> Section | Topic | None:
    for section in doc.sections:
        if section.line == line:
            return section
        for topic in section.topics:
            if topic.line == line:
                return topic
    return None


def _region(doc: Document, text: str, item: ListItem | None, line: int) -> _Region:
    lines = split_lines(text)
    offsets = [0]
    for part in lines:
        offsets.append(offsets[-1] + len(part))
    heading = _heading_at(doc, line) if on_line(doc, line)[0].raw == "" else None
    if heading is not None:
        first = last = line - 1
        if not _ATX_OR_HTML_RE.match(lines[first]):  # setext: the lines above the underline
            while last + 1 < len(lines) and not _UNDERLINE_RE.match(lines[last + 1]):
                last += 1
        start, stop = offsets[first], offsets[last + 1]
        references = _references(text)
    elif item is not None:
        start, stop = offsets[item.paragraph_start], offsets[item.paragraph_end]
        references = item.references
    else:
        raise RoadmapEditError(f"line {line}: cannot find the list item or heading to edit")
    stop = start + len(text[start:stop].rstrip("\r\n"))
    found = item_links._links(text[start:stop], references)
    same = on_line(doc, line)
    if len(found) < len(same) or any(f.url != r.url for f, r in zip(found, same, strict=False)):
        raise RoadmapEditError(
            f"line {line}: cannot tell which link of the line is which resource; "
            "edit the line itself"
        )
    return _Region(text, start, stop, heading, found, references)


def _why(region: _Region, count: int) -> str:
    if region.heading is not None:
        return f"it is the link of the heading “{region.heading.title}”"
    if count > 1:
        return "it shares its line with other resources"
    return "the text around its link is the line's own"


class FieldRefusedError(RoadmapEditError):
    """A field the resource cannot take where it is written; ``field`` names it (the first,
    when several): a form shows the message next to it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _refuse(line: int, resource: Resource, names: list[str], why: str) -> FieldRefusedError:
    what = " and ".join(_FIELD_NAMES[name] for name in names)
    return FieldRefusedError(
        f"line {line}: the {what} of “{resource.title}” cannot be changed: {why}; {_yourself(why)}",
        field=names[0],
    )


def _yourself(why: str) -> str:
    return "edit the heading itself" if "heading" in why else "edit the line itself"


def _link_span(region: _Region, index: int, resource: Resource, wanted: dict) -> str:
    """The link's new source text, for a new title, author and/or URL."""
    found = region.found[index]
    source = region.source
    retitled = (wanted["title"], wanted["author"]) != (resource.title, resource.author)
    new_url = wanted["url"] != resource.url
    paren = bool(re.search(r"\(\s*by\s", resource.link_text, re.IGNORECASE))
    if found.html:
        match = item_links._HTML_LINK_RE.match(source, found.start)
        group = 1 if match.group(1) is not None else 2  # type: ignore[union-attr]
        spans = []
        if new_url:
            spans.append((*match.span(group), html.escape(wanted["url"], quote=True)))  # type: ignore[union-attr]
        if retitled:
            text = inline.unescape(
                render_link_text(wanted["title"], wanted["author"], paren_author=paren)
            )
            spans.append((*match.span(3), html.escape(text, quote=False)))  # type: ignore[union-attr]
        span = source[found.start : found.end]
        for start, stop, new in sorted(spans, reverse=True):
            span = span[: start - found.start] + new + span[stop - found.start :]
        return span
    link = inline.scan_link(source[found.start :], region.references)
    assert link is not None  # item_links found it there
    written = source[found.start :]
    link_text = link.text(written)
    destination = written[link.text_end + 1 : link.end]
    if retitled:
        link_text = render_link_text(wanted["title"], wanted["author"], paren_author=paren)
    if new_url:
        destination = f"({render_url(wanted['url'])})"
    elif link.url_start < 0 and not destination and retitled:
        destination = f"[{link.text(written)}]"  # keep a shortcut reference working
    return f"[{link_text}]{destination}"


def update_shared(
    doc: Document, *, region_item: ListItem | None, text: str, line: int, index: int, wanted: dict
) -> Document:
    """``doc`` with the resource ``index`` of ``line`` changed in place to ``wanted``."""
    same = on_line(doc, line)
    resource = same[index]
    region = _region(doc, text, region_item, line)
    why = _why(region, len(same))
    changed = [name for name in _FIELD_NAMES if wanted[name] != getattr(resource, name)]
    if region.heading is not None:
        if "title" in changed and "url" in changed:
            raise RoadmapEditError(
                f"line {line}: the title and the link of “{resource.title}” cannot change in "
                f"one edit: {why}, and the catalog follows the heading by one of them; "
                "change one, then the other"
            )
        for name in ("languages", "cost", "description"):
            if name in changed:
                raise _refuse(
                    line,
                    resource,
                    [name],
                    f"{why} (a tag or text there would be part of the heading)",
                )
    changes: list[tuple[int, int, str]] = []
    found = region.found[index]
    if {"title", "author", "url"} & set(changed):
        changes.append((found.start, found.end, _link_span(region, index, resource, wanted)))
    after, tags_end = region.after_link(index), region.tags_end(index)
    own = tuple(inline.TAG_CONTENT_RE.findall(region.source, after, tags_end))
    if {"languages", "cost"} & set(changed):
        if inline.tag_facts(own) != (resource.languages, resource.cost):
            raise _refuse(
                line,
                resource,
                [n for n in ("languages", "cost") if n in changed],
                f"{why}, and its tags are written after the rest of the line",
            )
        others = [tag for tag in own if not inline.is_known_tag(tag)]
        tags = render_tags(wanted["languages"], wanted["cost"], others, words=tag_words(doc))
        changes.append((after, tags_end, tags))
    if "description" in changed:
        if len(same) > 1:
            raise _refuse(line, resource, ["description"], why)
        tail = item_links._tail(region.source[tags_end:])
        separator = tail.separator
        if not separator.strip() or "\n" in separator:
            separator = " - "
        new_tail = render_tags(tail.tags)
        if wanted["description"]:
            new_tail += f"{separator}{wanted['description']}"
        changes.append((tags_end, len(region.source), new_tail))
    result = parse(region.rewritten(changes))
    _check(doc, result, line, index, resource, wanted, why)
    return result


def remove_shared(
    doc: Document, *, region_item: ListItem | None, text: str, line: int, index: int
) -> Document:
    """``doc`` without the resource ``index`` of ``line``: one link of several, or a heading's
    link unwrapped (the heading keeps its text)."""
    same = on_line(doc, line)
    resource = same[index]
    region = _region(doc, text, region_item, line)
    found = region.found[index]
    source = region.source
    if region.heading is not None:
        if found.html:
            match = item_links._HTML_LINK_RE.match(source, found.start)
            inner = match.group(3)  # type: ignore[union-attr]
        else:
            link = inline.scan_link(source[found.start :], region.references)
            assert link is not None
            inner = link.text(source[found.start :])
        changes = [(found.start, found.end, inner)]
    elif index > 0:
        changes = [(region.tags_end(index - 1), region.tags_end(index), "")]
    else:
        changes = [(found.start, region.found[1].start, "")]
    result = parse(region.rewritten(changes))
    _check(doc, result, line, index, resource, None, _why(region, len(same)))
    return result


_FACTS = ("url", "link_text", "author", "languages", "cost", "kind", "level", "description", "tags")


def _facts(resource: Resource) -> tuple:
    return tuple(getattr(resource, name) for name in _FACTS)


def _check(
    before: Document,
    after: Document,
    line: int,
    index: int,
    resource: Resource,
    wanted: dict | None,
    why: str,
) -> None:
    """The edited resource reads back as ``wanted`` (or is gone), and no other changed."""
    old = list(before.resources)
    at = next(i for i, r in enumerate(old) if r is resource)
    new = list(after.resources)
    others_before = old[:at] + old[at + 1 :]
    if wanted is not None:
        written = new[at] if len(new) == len(old) else None
        others_after = new[:at] + new[at + 1 :] if written is not None else new
        if written is not None:
            _check_written(line, resource, written, wanted, why)
    else:
        others_after = new
    if [_facts(r) for r in others_before] != [_facts(r) for r in others_after]:
        gone = [r for r in others_before if _facts(r) not in {_facts(n) for n in others_after}]
        named = f"“{gone[0].title}”" if gone else "another resource"
        raise RoadmapEditError(
            f"line {line}: this edit of “{resource.title}” would change how {named} reads "
            f"({why}); {_yourself(why)}"
        )


def _check_written(
    line: int, resource: Resource, written: Resource, wanted: dict, why: str
) -> None:
    asked = [n for n in _FIELD_NAMES if wanted[n] != getattr(resource, n)]
    wrong = [n for n in _FIELD_NAMES if getattr(written, n) != wanted[n]]
    # A link inside a sentence ("See [the guide](...) for more"): the sentence is its
    # description, and says the new title.
    sentence = (resource.description or "").replace(resource.title, wanted["title"], 1)
    if wrong == ["description"] and "title" in asked and written.description == sentence:
        return
    if not wrong:
        return
    if set(wrong) <= set(asked):
        raise _refuse(line, resource, wrong, why)
    raise RoadmapEditError(
        f"line {line}: changing the {' and '.join(_FIELD_NAMES[n] for n in asked)} of "
        f"“{resource.title}” would change its "
        f"{' and '.join(_FIELD_NAMES[n] for n in wrong if n not in asked)} too ({why}); "
        f"{_yourself(why)}"
    )
