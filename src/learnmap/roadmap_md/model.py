"""The roadmap document model: a lossless concrete syntax tree of a Markdown roadmap.

Every node keeps the exact source text it was parsed from (``raw`` / ``head``), so that
rendering an unchanged document concatenates those pieces and gives back the input byte for
byte. The structured fields (title, url, languages, ...) are derived views of that text.

Pure Python: this package imports markdown-it-py and the standard library, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from .lint_codes import BY_NAME

Cost = Literal["free", "paid"]
SectionKind = Literal["step", "elective", "extra", "text"]
LabelCategory = Literal["kind", "level", "other"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Text:
    """Source text that is neither a heading, a label nor a resource (prose, HTML, blanks)."""

    raw: str
    line: int  # 1-based first line


@dataclass(frozen=True, slots=True)
class Resource:
    """A link of a list item (usually its first inline) or of a section's or topic's heading.

    An item with text before its links (``- Type checking: [mypy](...), [Pydantic](...)``)
    may hold several resources: the first has the item's text as ``raw``, the others ``""``
    (same ``line``). A heading that links somewhere is its node's resource with ``raw == ""``
    (the heading is the node's ``head``), placed after the node's introduction.
    """

    raw: str  # the whole list item as written, continuation lines and trailing blanks included
    line: int  # 1-based line of the list item
    link_text: str  # the link text exactly as written, e.g. "Fluent Python by Luciano Ramalho"
    url: str
    title: str  # link text without a trailing "by X" / "(by X)"
    author: str | None
    languages: tuple[str, ...]  # e.g. ("English",), every language tag in order
    cost: Cost | None
    kind: str | None  # nearest enclosing resource-type label, normalised ("Book", "Video", ...)
    level: str | None  # nearest enclosing Beginner / Intermediate / Advanced label
    description: str | None  # text after " - " following the link (awesome-list style)
    tags: tuple[str, ...] = ()  # every "(...)" tag after the link, as written, in order


@dataclass(frozen=True, slots=True)
class LabelGroup:
    """A bold list item such as ``- **Book**`` or ``- **Beginner**`` and what is nested under it."""

    head: str  # the label's own line(s) as written
    line: int
    label: str  # "Book", "Beginner", ... as written (without the asterisks)
    category: LabelCategory
    body: tuple[Node, ...] = ()

    @property
    def resources(self) -> tuple[Resource, ...]:
        """Every resource under this label, nested label groups included, in file order."""
        return tuple(_resources(self.body))


@dataclass(frozen=True, slots=True)
class Topic:
    """An H3 heading, standalone or inside a list item (``- ### Django``), and its content.

    (A heading of the file's topic level: H3 in most roadmaps; see ``Document.heading_levels``.)
    """

    head: str
    line: int
    end_line: int  # last line (inclusive) that belongs to the topic
    title: str  # heading text without an "(In Progress)" marker
    slug: str  # GitHub-style anchor, unique within the document
    in_progress: bool
    body: tuple[Node, ...] = ()

    @property
    def resources(self) -> tuple[Resource, ...]:
        """Every resource of the topic, looking through label groups, in file order."""
        return tuple(_resources(self.body))

    @property
    def label_groups(self) -> tuple[LabelGroup, ...]:
        return tuple(node for node in self.body if isinstance(node, LabelGroup))


@dataclass(frozen=True, slots=True)
class Section:
    """An H2 heading and everything up to the next H2.

    (A heading of the file's section level, or shallower: the level of the first heading
    after a lone ``# Title``, H2 in most roadmaps, H3 in a list whose headings start at
    ``###``; a lone ``# Title`` with lists under it is the one section. Setext and HTML
    ``<h2>`` headings count too. See ``Document.heading_levels``.)
    """

    head: str
    line: int
    end_line: int
    title: str
    slug: str
    kind: SectionKind
    in_progress: bool
    step: int | None = None  # N of "Step N: ..." for kind == "step"
    body: tuple[Node, ...] = ()

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(node for node in self.body if isinstance(node, Topic))

    @property
    def resources(self) -> tuple[Resource, ...]:
        """Resources directly in the section (through label groups), not those of its topics."""
        return tuple(_resources(self.body))

    @property
    def all_resources(self) -> tuple[Resource, ...]:
        """Every resource of the section, its topics' included, in file order."""
        return tuple(_resources(self.body, into_topics=True))

    @property
    def label_groups(self) -> tuple[LabelGroup, ...]:
        return tuple(node for node in self.body if isinstance(node, LabelGroup))

    def topic(self, slug: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.slug == slug), None)


Node = Text | Resource | LabelGroup | Topic


def _resources(nodes: tuple[Node, ...], *, into_topics: bool = False) -> Iterator[Resource]:
    for node in nodes:
        if isinstance(node, Resource):
            yield node
        elif isinstance(node, LabelGroup) or (into_topics and isinstance(node, Topic)):
            yield from _resources(node.body, into_topics=into_topics)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed roadmap. ``preamble`` holds front matter, the H1 title and the intro."""

    title: str | None
    preamble: tuple[Text, ...]
    sections: tuple[Section, ...]
    front_matter: tuple[tuple[str, str], ...] = ()  # raw key/value pairs, in order
    newline: str = "\n"  # the file's dominant line ending
    bullet: str = "-"  # the file's dominant bullet character
    indent: str = "  "  # the file's dominant nested-list indent unit
    electives_start: str | None = None  # slug of the section after which electives begin
    elective_intro: str | None = field(default=None, compare=False)
    # Every heading's GitHub anchor (all levels), in document order.
    anchors: tuple[str, ...] = field(default=(), compare=False)
    # The limits of ``limits.py`` the text exceeds; when there is one, the document has no
    # structure (the whole text is its preamble) and lint reports it as an error.
    limits: tuple[Issue, ...] = field(default=(), compare=False)
    # The heading levels of sections and topics in this file (1-6; 0: none): the level of
    # the first heading after a lone ``#`` title, and the next deeper one present
    # (``## ...`` / ``### ...`` in most roadmaps).
    heading_levels: tuple[int, int] = field(default=(2, 3), compare=False)

    @property
    def resources(self) -> tuple[Resource, ...]:
        """Every resource of the document, in file order."""
        return tuple(r for section in self.sections for r in section.all_resources)

    @property
    def sections_by_slug(self) -> dict[str, Section]:
        return {section.slug: section for section in self.sections}

    @property
    def steps(self) -> tuple[Section, ...]:
        """The ``Step N`` sections, in file order."""
        return tuple(section for section in self.sections if section.kind == "step")

    def section(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

    def resource_at(self, line: int) -> Resource | None:
        """The resource whose list item starts on ``line`` (1-based)."""
        return next((r for r in self.resources if r.line == line), None)


@dataclass(frozen=True, slots=True)
class Issue:
    """One lint finding."""

    line: int
    severity: Severity
    code: str  # stable machine name, e.g. "unsafe-url", "duplicate-url"
    message: str

    @property
    def rule(self) -> str:
        """The finding's stable number, such as ``LM201`` (see :mod:`.lint_codes`)."""
        return BY_NAME[self.code].code

    def format(self, filename: str) -> str:
        """``file:line: severity: message [LM201 unsafe-url]`` (the code last, as gcc's
        ``[-Wunused]``, so that tools reading ``file:line: severity:`` still do)."""
        return f"{filename}:{self.line}: {self.severity}: {self.message} [{self.rule} {self.code}]"
