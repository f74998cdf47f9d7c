"""Changing a roadmap: add, update and remove resources, keeping the rest of the file as is.

Each edit works on the source lines (inserting, replacing or deleting only the lines it must),
writes new lines in the file's own style (bullet, indentation, line ending: worked out in
``edit_lines``), re-parses, and checks that the result reads back as asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import inline, vocab
from .authors import author_style_of, list_author_style
from .edit_lines import (
    BLANK_RE,
    ITEM_RE,
    child_prefix,
    insert_block,
    item_at,
    last_content_line,
    line_ending,
    nested_indent,
    own_extent,
)
from .edit_shared import (
    is_shared,
    on_line,
    refuse_heading_move,
    remove_shared,
    resource_on_line,
    update_shared,
)
from .errors import InvalidResourceError, RoadmapEditError, TargetNotFoundError
from .lint import UNSAFE_SCHEMES, url_scheme
from .model import Document, LabelGroup, Resource, Section, Topic
from .parser import parse, split_lines
from .render import (
    render,
    render_label_line,
    render_link_text,
    render_resource_line,
    render_styled_item,
    render_tags,
    render_url,
)
from .tag_words import tag_words

__all__ = ["add_resource", "remove_resource", "update_resource"]

_FIELDS = ("title", "url", "author", "languages", "cost", "description")
_MOVE_FIELDS = ("section", "topic", "kind", "level")


# --- add ----------------------------------------------------------------------------------


def add_resource(
    doc: Document,
    *,
    section: str,
    topic: str | None = None,
    kind: str | None = None,
    level: str | None = None,
    title: str,
    url: str,
    author: str | None = None,
    languages: Sequence[str] = (),
    cost: str | None = None,
    description: str | None = None,
) -> Document:
    """A new document with the resource appended to ``section`` (and ``topic``), by slug.

    With ``kind`` and/or ``level`` it goes under the matching ``**Book**`` / ``**Beginner**``
    label, created (level outside, kind inside) when the section or topic has none.
    """
    fields = _validated(title, url, author, tuple(languages), cost, description)
    container = _container(doc, section, topic)
    path: list[tuple[str, str]] = []
    if level:
        normalized = vocab.normalize_level(level)
        if normalized is None:
            raise InvalidResourceError(
                f"unknown level {level!r}; use one of {', '.join(vocab.LEVELS)}"
            )
        path.append(("level", normalized))
    if kind:
        path.append(("kind", vocab.normalize_kind(kind)))

    target: Section | Topic | LabelGroup = container
    missing = list(path)
    while missing:
        category, label = missing[0]
        found = next(
            (g for g in _label_groups(target) if g.category == category and _label(g) == label),
            None,
        )
        if found is None:
            break
        target = found
        missing.pop(0)

    text = render(doc)
    lines = split_lines(text)
    start, stop = own_extent(target)
    insert = last_content_line(lines, start, stop) + 1
    newline = doc.newline
    block: list[str] = []
    prefix, bullet = child_prefix(target, doc, lines, want_labels=bool(missing))
    for _category, label in missing:
        block.append(render_label_line(label, bullet=bullet, prefix=prefix, newline=newline))
        prefix, bullet = prefix + nested_indent(doc, bullet), doc.bullet
    block.append(
        render_resource_line(
            title=fields.title,
            url=fields.url,
            author=fields.author,
            languages=fields.languages,
            cost=fields.cost,
            description=fields.description,
            bullet=bullet,
            prefix=prefix,
            newline=newline,
            author_style=None if missing else list_author_style(target.body),
            words=tag_words(doc),
        )
    )
    if not ITEM_RE.match(lines[insert - 1]):
        block.insert(0, newline)
    new_line = insert + len(block)  # 1-based line of the resource
    new_text = insert_block(lines, insert, block, newline)
    result = parse(new_text)
    _check(result, new_line, fields)
    return result


# --- update -------------------------------------------------------------------------------


def update_resource(doc: Document, *, line: int, index: int = 0, **changes: object) -> Document:
    """A new document with the resource on ``line`` changed (``index``: which of the
    resources read from that line, left to right, 0 for the first).

    ``title``, ``url``, ``author``, ``languages``, ``cost`` and ``description`` are rewritten
    in place (the rest of the item is kept). ``section``, ``topic``, ``kind`` or ``level``
    move the resource: it is removed and added again where asked. A resource that does not
    have its item to itself (several links on a line, text before the link, a heading's
    link) is edited in its link's span only, or the edit is refused: see ``edit_shared``.
    """
    unknown = sorted(set(changes) - set(_FIELDS) - set(_MOVE_FIELDS))
    if unknown:
        raise InvalidResourceError(
            f"cannot update {', '.join(unknown)}; fields are {', '.join(_FIELDS + _MOVE_FIELDS)}"
        )
    resource = resource_on_line(doc, line, index)
    current = {
        "title": resource.title,
        "url": resource.url,
        "author": resource.author,
        "languages": resource.languages,
        "cost": resource.cost,
        "description": resource.description,
    }
    wanted = {**current, **{k: v for k, v in changes.items() if k in _FIELDS}}
    if "languages" in changes:
        wanted["languages"] = tuple(changes["languages"])  # type: ignore[arg-type]
    fields = _validated(**wanted)  # type: ignore[arg-type]
    if any(key in changes for key in _MOVE_FIELDS):
        section, topic = _place(doc, resource)
        where = {
            "section": changes.get("section", section.slug),
            "topic": changes.get("topic", topic.slug if topic else None),
            "kind": changes.get("kind", resource.kind),
            "level": changes.get("level", resource.level),
        }
        if "section" in changes and "topic" not in changes:
            where["topic"] = None
        refuse_heading_move(doc, line, resource)
        removed = remove_resource(doc, line=line, index=index)
        return add_resource(removed, **where, **fields.as_kwargs())  # type: ignore[arg-type]
    if fields.as_kwargs() == _validated(**current).as_kwargs():  # type: ignore[arg-type]
        return doc

    text = render(doc)
    item = item_at(doc, text, line)
    if is_shared(doc, item, line):
        wanted = fields.as_kwargs()
        return update_shared(
            doc, region_item=item, text=text, line=line, index=index, wanted=wanted
        )
    link = inline.scan_link(item.content, item.references) if item else None
    if item is None or link is None:
        raise RoadmapEditError(f"line {line}: cannot find the resource's link to update")
    parts = inline.resource_parts(item.content, link)
    content = item.content
    if (fields.title, fields.author) == (resource.title, resource.author):
        link_text = parts.link_text
    else:
        paren = bool(re.search(r"\(\s*by\s", parts.link_text, re.IGNORECASE))
        link_text = render_link_text(fields.title, fields.author, paren_author=paren)
    destination = content[link.text_end + 1 : link.end]
    if fields.url != resource.url:
        destination = f"({render_url(fields.url)})"
    elif link.url_start < 0 and not destination and link_text != parts.link_text:
        destination = f"[{parts.link_text}]"  # keep a shortcut reference working
    new_content = f"[{link_text}]{destination}"
    same_tags = (fields.languages, fields.cost) == (resource.languages, resource.cost)
    if same_tags and fields.description == resource.description:
        new_content += content[link.end :]
    else:
        others = [t for t in parts.tags if not inline.is_known_tag(t)]
        if same_tags:
            new_content += content[link.end : parts.tags_end]
            new_content += render_tags(parts.tags[parts.leading_tags :])
        else:
            new_content += render_tags(fields.languages, fields.cost, others, words=tag_words(doc))
        if fields.description:
            separator = parts.separator
            if not separator.strip() or "\n" in separator:
                separator = " - "
            new_content += f"{separator}{fields.description}"
        new_content += parts.comment  # a trailing <!-- noqa --> stays where it was
    style = author_style_of(resource)
    if style is not None:  # an author its list writes "Title - Author" (authors.py)
        wanted = {**fields.as_kwargs(), "resource": resource, "style": style}
        wanted["words"] = tag_words(doc)
        new_content = render_styled_item(content=content, link=link, **wanted)  # type: ignore[arg-type]

    lines = split_lines(text)
    first = lines[item.paragraph_start]
    first_content = content.split("\n", 1)[0]
    marker = ITEM_RE.match(first)
    at = first.find(first_content, marker.end() if marker else 0)
    prefix = first[:at] if at >= 0 else ""
    ending = line_ending(lines[item.paragraph_end - 1])
    continuation = " " * len(prefix.lstrip("\ufeff"))
    new_lines = new_content.split("\n")
    replacement = [prefix + new_lines[0]] + [continuation + rest for rest in new_lines[1:]]
    replacement = [part + doc.newline for part in replacement[:-1]] + [replacement[-1] + ending]
    lines[item.paragraph_start : item.paragraph_end] = replacement
    result = parse("".join(lines))
    _check(result, line, fields)
    return result


# --- remove -------------------------------------------------------------------------------


def remove_resource(doc: Document, *, line: int, index: int = 0) -> Document:
    """A new document without the resource on ``line`` (and the items nested under it).

    ``index``: which of the resources read from that line (left to right). One of several
    links of an item goes alone, with one separator; a heading's link is unwrapped, the
    heading kept (see ``edit_shared``).
    """
    resource_on_line(doc, line, index)
    text = render(doc)
    lines = split_lines(text)
    item = item_at(doc, text, line)
    if len(on_line(doc, line)) > 1 or doc.resource_at(line).raw == "":  # type: ignore[union-attr]
        return remove_shared(doc, region_item=item, text=text, line=line, index=index)
    if item is None:
        raise RoadmapEditError(f"line {line}: cannot find the resource's list item")
    start = item.start
    last = last_content_line(lines, start, item.end)
    stop = last + 1
    before_blank = start == 0 or BLANK_RE.match(lines[start - 1]) is not None
    while before_blank and stop < len(lines) and BLANK_RE.match(lines[stop]):
        stop += 1
    at_end = stop >= len(lines)
    had_final_newline = bool(lines) and line_ending(lines[-1]) != ""
    if start == 0 and lines[0].startswith("\ufeff"):
        lines.insert(stop, "\ufeff")
    del lines[start:stop]
    if at_end and not had_final_newline and lines:
        lines[-1] = lines[-1].rstrip("\r\n")
    return parse("".join(lines))


# --- helpers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fields:
    title: str
    url: str
    author: str | None
    languages: tuple[str, ...]
    cost: str | None
    description: str | None

    def as_kwargs(self) -> dict[str, object]:
        return {
            "title": self.title,
            "url": self.url,
            "author": self.author,
            "languages": self.languages,
            "cost": self.cost,
            "description": self.description,
        }


def _validated(
    title: str,
    url: str,
    author: str | None,
    languages: Iterable[str],
    cost: str | None,
    description: str | None,
) -> _Fields:
    title = (title or "").strip()
    if not title:
        raise InvalidResourceError("a resource needs a title")
    url = (url or "").strip()
    if not url:
        raise InvalidResourceError("a resource needs a URL")
    scheme = url_scheme(url)
    if scheme is None:
        raise InvalidResourceError(f"URL {url!r} is not absolute (e.g. https://...)")
    if scheme in UNSAFE_SCHEMES:
        raise InvalidResourceError(f"URL {url!r} uses the unsafe scheme {scheme}:")
    author = (author or "").strip() or None
    description = " ".join((description or "").split()) or None
    languages = tuple(language.strip() for language in languages)
    for name, value in (("title", title), ("URL", url), ("author", author)):
        if value and ("\n" in value or "\r" in value):
            raise InvalidResourceError(f"the {name} must be on one line")
    for language in languages:
        if not language or any(char in language for char in "()[]\r\n"):
            raise InvalidResourceError(f"invalid language tag {language!r}")
    if cost is not None and cost not in ("free", "paid"):
        raise InvalidResourceError(f"cost must be 'free', 'paid' or None, not {cost!r}")
    return _Fields(title, url, author, languages, cost, description)


def _container(doc: Document, section: str, topic: str | None) -> Section | Topic:
    found = doc.section(section)
    if found is None:
        known = ", ".join(s.slug for s in doc.sections) or "none"
        raise TargetNotFoundError(f"no section with slug {section!r} (sections: {known})")
    if topic is None:
        return found
    found_topic = found.topic(topic)
    if found_topic is None:
        known = ", ".join(t.slug for t in found.topics) or "none"
        raise TargetNotFoundError(
            f"no topic with slug {topic!r} in section {section!r} (topics: {known})"
        )
    return found_topic


def _place(doc: Document, resource: Resource) -> tuple[Section, Topic | None]:
    for section in doc.sections:
        if resource in section.resources:
            return section, None
        for topic in section.topics:
            if resource in topic.resources:
                return section, topic
    raise TargetNotFoundError(f"no resource starts on line {resource.line}")


def _label_groups(node: Section | Topic | LabelGroup) -> list[LabelGroup]:
    return [child for child in node.body if isinstance(child, LabelGroup)]


def _label(group: LabelGroup) -> str:
    if group.category == "level":
        return vocab.normalize_level(group.label) or group.label
    return vocab.normalize_kind(group.label)


def _check(doc: Document, line: int, fields: _Fields) -> None:
    written = doc.resource_at(line)
    if written is None:
        raise RoadmapEditError(
            f"line {line}: the new resource line did not read back as a resource"
        )
    got = {
        "title": written.title,
        "url": written.url,
        "author": written.author,
        "languages": written.languages,
        "cost": written.cost,
        "description": written.description,
    }
    wanted = fields.as_kwargs()
    key = vocab.canonical_language
    if [key(n) or n for n in got["languages"]] == [key(n) or n for n in wanted["languages"]]:
        got["languages"] = wanted["languages"]  # the same languages in the file's own words
    wrong = [name for name, value in wanted.items() if got[name] != value]
    if wrong:
        details = "; ".join(f"{n} {wanted[n]!r} reads back as {got[n]!r}" for n in wrong)
        raise InvalidResourceError(f"cannot write this resource unambiguously: {details}")
