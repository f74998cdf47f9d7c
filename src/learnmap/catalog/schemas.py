"""The catalog's API shapes: roadmaps, their tree of sections and topics, resources (search's
are in ``search_schemas``).

Input and output schemas are separate; model schemas list their fields. Every output field is
always present (``null`` where it has no value), so programs can rely on the keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, FilterSchema, ModelSchema, Path, Schema
from pydantic import ConfigDict

from learnmap.catalog import search
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.catalog.selectors import ResourceFilters
from learnmap.roadmap_md.description import description_plain

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A roadmap's slug in an API path (every app's endpoints under /roadmaps/{slug}).
ROADMAP_SLUG = Path(
    ...,
    pattern=SLUG_PATTERN,
    max_length=100,
    description="The roadmap's slug.",
    examples=["python-backend"],
)
# Free text that reaches a database query: no control characters (PostgreSQL refuses NUL).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
FILTER_VALUE_MAX_CHARS = 100
FILTER_VALUES_MAX = 20

# Outputs: a field with a default is still always sent, so the schema says it is required.
OUT = {"json_schema_serialization_defaults_required": True}

SLUG_EXAMPLE = "python-backend"
NODE_KEY_EXAMPLE = "1f0c6a52-3b8e-4d55-9a8e-6b0e8f7d2c11"
RESOURCE_KEY_EXAMPLE = "7d9e2c4a-51b6-4f0e-8c3a-2e5d9a1b6f40"
RESOURCE_FIELDS = ["key", "title", "url", "author", "languages", "cost", "kind", "level"]
RESOURCE_FIELDS += ["formats", "tags"]
RESOURCE_FIELDS += ["description"]
RESOURCE_EXAMPLE = {
    "key": RESOURCE_KEY_EXAMPLE,
    "title": "Fluent Python",
    "url": "https://www.oreilly.com/library/view/fluent-python-2nd/9781492056348/",
    "author": "Luciano Ramalho",
    "languages": ["English"],
    "formats": ["PDF", "EPUB"],
    "tags": [],
    "cost": "paid",
    "kind": "Book",
    "level": "Intermediate",
    "description": "The *2nd edition*, for Python 3.10 :snake:",
    "description_text": "The 2nd edition, for Python 3.10 \N{SNAKE}",
}


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(**OUT, json_schema_extra={"examples": [example]})


# --- roadmaps -----------------------------------------------------------------------------------


class RoadmapOut(ModelSchema):
    """A roadmap in the catalog, with the size of its current content."""

    slug: str
    title: str
    builtin: bool = Field(..., description="Loaded from the site's own content directory.")
    revision: int = Field(..., description="Goes up with every import that changes it.")
    imported_at: datetime
    section_count: int = Field(..., description="Active sections.")
    topic_count: int = Field(..., description="Active topics.")
    resource_count: int = Field(..., description="Active resources.")

    class Meta:
        model = Roadmap
        fields = ["slug", "title", "builtin", "revision", "imported_at"]
        fields += ["section_count", "topic_count", "resource_count"]

    model_config = _example(
        slug=SLUG_EXAMPLE,
        title="Python Backend Engineer Roadmap",
        builtin=True,
        revision=3,
        imported_at="2025-01-31T09:30:00Z",
        section_count=25,
        topic_count=16,
        resource_count=85,
    )


class ResourceOut(ModelSchema):
    """A link to a book, course, video... as listed in the roadmap's Markdown."""

    key: UUID = Field(..., description="Stable id: survives edits of the Markdown.")
    title: str
    url: str
    author: str
    languages: list[str] = Field(..., examples=[["English"]])
    formats: list[str] = Field(
        ..., description='What it comes in, by name: "PDF", "EPUB", "HTML"...', examples=[["PDF"]]
    )
    tags: list[str] = Field(
        ...,
        description="Its other tags in the Markdown, as written (not a language, price or format).",
        examples=[["Chapter 3"]],
    )
    cost: Literal["free", "paid", ""] = Field(..., description='"" when the file does not say.')
    kind: str = Field(..., examples=["Book"])
    level: str = Field(..., examples=["Beginner"])
    description: str = Field(
        ...,
        description="As written in the Markdown: inline Markdown (`code`, *emphasis*, "
        '[links](...), :emoji: shortcodes); "" when the file gives none.',
    )
    description_text: str = Field(
        ...,
        description="The description as a reader sees it, in plain text: no Markdown marks "
        "(link and code texts kept), shortcodes as their emoji; what search matches.",
    )

    class Meta:
        model = Resource
        fields = RESOURCE_FIELDS

    model_config = _example(**RESOURCE_EXAMPLE)

    @staticmethod
    def resolve_description_text(obj: Resource | dict[str, Any]) -> str:
        description = obj["description"] if isinstance(obj, dict) else obj.description
        return description_plain(description) if description else ""


class TopicOut(ModelSchema):
    """A topic (an H3 heading) and its resources."""

    key: UUID
    slug: str
    title: str
    kind: Literal["step", "elective", "extra", "text"]
    step: int | None
    in_progress: bool
    intro: str
    resources: list[ResourceOut]

    class Meta:
        model = Node
        fields = ["key", "slug", "title", "kind", "step", "in_progress", "intro"]

    model_config = _example(
        key=NODE_KEY_EXAMPLE,
        slug="django",
        title="Django",
        kind="step",
        step=None,
        in_progress=False,
        intro="",
        resources=[],
    )


class SectionOut(TopicOut):
    """A section (an H2 heading): its own resources and its topics."""

    topics: list[TopicOut]

    class Meta:
        model = Node
        fields = ["key", "slug", "title", "kind", "step", "in_progress", "intro"]

    model_config = _example(
        key=NODE_KEY_EXAMPLE,
        slug="step-2-python-web-frameworks",
        title="Step 2: Python Web Frameworks",
        kind="step",
        step=2,
        in_progress=False,
        intro="",
        resources=[],
        topics=[],
    )


class RoadmapTreeOut(ModelSchema):
    """A roadmap with everything in it: sections, their topics, and every resource."""

    slug: str
    title: str
    revision: int
    imported_at: datetime
    electives_start: str = Field(
        ..., description='Slug of the section after which the electives begin ("" if none).'
    )
    sections: list[SectionOut]

    class Meta:
        model = Roadmap
        fields = ["slug", "title", "revision", "imported_at", "electives_start"]

    model_config = _example(
        slug=SLUG_EXAMPLE,
        title="Python Backend Engineer Roadmap",
        revision=3,
        imported_at="2025-01-31T09:30:00Z",
        electives_start="hands-on-experience",
        sections=[],
    )


# --- the Markdown's own JSON form (``learnmap convert``) ---------------------------------------


class DocumentResourceOut(Schema):
    title: str
    url: str
    author: str | None
    languages: list[str]
    cost: Literal["free", "paid"] | None
    kind: str | None
    level: str | None
    description: str | None
    line: int = Field(..., description="Line of the Markdown file (from 1).")

    model_config = _example(
        title="Fluent Python",
        url="https://www.oreilly.com/library/view/fluent-python-2nd/9781492056348/",
        author="Luciano Ramalho",
        languages=["English"],
        cost="paid",
        kind="Book",
        level=None,
        description=None,
        line=42,
    )


class DocumentTopicOut(Schema):
    title: str
    slug: str
    in_progress: bool
    resources: list[DocumentResourceOut]

    model_config = _example(title="Django", slug="django", in_progress=False, resources=[])


class DocumentSectionOut(Schema):
    title: str
    slug: str
    kind: Literal["step", "elective", "extra", "text"]
    in_progress: bool
    resources: list[DocumentResourceOut]
    topics: list[DocumentTopicOut]

    model_config = _example(
        title="Step 1: Python",
        slug="step-1-python",
        kind="step",
        in_progress=False,
        resources=[],
        topics=[],
    )


class DocumentOut(Schema):
    """The roadmap's Markdown parsed, as ``learnmap convert FILE`` prints it."""

    title: str | None
    sections: list[DocumentSectionOut]

    model_config = _example(title="Python Backend Engineer Roadmap", sections=[])


# --- resources ---------------------------------------------------------------------------------


class NodeRefOut(Schema):
    """The section or topic a resource is listed under."""

    key: UUID
    slug: str
    title: str

    model_config = _example(key=NODE_KEY_EXAMPLE, slug="django", title="Django")


class ResourceListItemOut(ResourceOut):
    """A resource with where it is listed: its roadmap and node."""

    roadmap: str = Field(..., description="The roadmap's slug.", examples=[SLUG_EXAMPLE])
    node: NodeRefOut

    class Meta:
        model = Resource
        fields = RESOURCE_FIELDS

    model_config = _example(
        **RESOURCE_EXAMPLE,
        roadmap=SLUG_EXAMPLE,
        node={"key": NODE_KEY_EXAMPLE, "slug": "step-1-python", "title": "Step 1: Python"},
    )

    @staticmethod
    def resolve_roadmap(obj: Resource) -> str:
        return obj.roadmap.slug


FilterValue = Annotated[str, Field(max_length=FILTER_VALUE_MAX_CHARS, pattern=TEXT_PATTERN)]


class ResourceFilterIn(FilterSchema):
    """The site's resource filters (several values of one filter are alternatives; different
    filters combine), where to look, and an optional search."""

    roadmap: str | None = Field(
        None,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="A roadmap's slug.",
        examples=[SLUG_EXAMPLE],
    )
    node: str | None = Field(
        None,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="A section or topic: its key, or its slug together with `roadmap`.",
        examples=["step-1-python"],
    )
    language: list[FilterValue] = Field(
        [], max_length=FILTER_VALUES_MAX, examples=[["English"]], description="e.g. English"
    )
    price: list[Literal["free", "paid"]] = Field([], max_length=2, examples=[["free"]])
    kind: list[FilterValue] = Field(
        [], max_length=FILTER_VALUES_MAX, examples=[["Book"]], description="e.g. Book, Video"
    )
    level: list[FilterValue] = Field([], max_length=FILTER_VALUES_MAX, examples=[["Beginner"]])
    format: list[FilterValue] = Field(
        [], max_length=FILTER_VALUES_MAX, examples=[["PDF"]], description="e.g. PDF, EPUB"
    )
    q: str | None = Field(
        None,
        max_length=search.QUERY_MAX_CHARS,
        description="Search words: the matches come best first, ranked as on the site.",
        examples=["fluent python"],
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"roadmap": SLUG_EXAMPLE, "language": ["English", "Persian"], "price": ["free"]},
                {"q": "fluent python", "kind": ["Book"]},
            ]
        }
    )

    def to_filters(self) -> ResourceFilters:
        return ResourceFilters(
            language=tuple(self.language),
            price=tuple(self.price),
            kind=tuple(self.kind),
            level=tuple(self.level),
            format=tuple(self.format),
        )
