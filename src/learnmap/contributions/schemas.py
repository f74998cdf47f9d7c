"""The contributions API's shapes: proposals and decisions as they come in (the answers, with a
moderator's preview and a roadmap's history, are in ``schemas_out.py``).

Input and output schemas are separate. A proposal's body is one of four shapes, told apart by
``kind``: a new resource names its node and needs a title and a link; an edit or a removal
names the resource (a removal needs a reason); an introduction fix names its node and gives
the text (paragraphs). A resource's text fields are one line, without control characters, as
the Markdown list item they become.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator
from pydantic.json_schema import SkipJsonSchema

from learnmap.contributions.services.moderation import DECISION_REASON_LIMIT
from learnmap.contributions.services.proposals import LANGUAGES_MAX, LIMITS, REASON_LIMIT
from learnmap.roadmap_md import INTRO_MAX_CHARS
from learnmap.roadmap_md.vocab import LANGUAGES, LEVELS

OUT = {"json_schema_serialization_defaults_required": True}
NODE_KEY_EXAMPLE = "1f0c6a52-3b8e-4d55-9a8e-6b0e8f7d2c11"
RESOURCE_KEY_EXAMPLE = "7d9e2c4a-51b6-4f0e-8c3a-2e5d9a1b6f40"

# One line of text: no control characters (a newline would end the Markdown list item).
_LINE = r"[^\x00-\x1f\x7f]"
LINE_PATTERN = rf"^{_LINE}*$"
# ... and not only spaces.
FILLED_LINE_PATTERN = rf"^{_LINE}*[^\x00-\x1f\x7f\s]{_LINE}*$"
# A reason may run over several lines; PostgreSQL refuses NUL; not only spaces.
REASON_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"
# A whole web address: http(s), a host, no spaces or characters that end a Markdown link.
# The spaces are listed (Unicode's White_Space): "\s" is not the same set in every regex
# engine (JSON Schema's, Python's, pydantic's), and a generated address must not fall between.
_SPACE = r"\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
URL_PATTERN = rf"^https?://[^{_SPACE}/?#()<>\[\]\x00-\x1f\x7f]+[^{_SPACE}()<>\[\]\x00-\x1f\x7f]*$"

Title = Annotated[str, Field(max_length=LIMITS["title"], pattern=FILLED_LINE_PATTERN)]
Url = Annotated[str, Field(max_length=LIMITS["url"], pattern=URL_PATTERN)]
Line = Annotated[str, Field(pattern=LINE_PATTERN)]
# A language the roadmap's "(English, Persian)" tags know (by its English name).
Language = Literal[LANGUAGES]  # type: ignore[valid-type]
Reason = Annotated[str, Field(max_length=REASON_LIMIT, pattern=REASON_PATTERN)]
Level = Literal[LEVELS]  # type: ignore[valid-type]
Cost = Literal["free", "paid"]
STRICT = {"extra": "forbid"}

NEW_RESOURCE_EXAMPLE = {
    "title": "Caching at Scale",
    "url": "https://example.org/caching-at-scale",
    "author": "Ada Lovelace",
    "languages": ["English"],
    "cost": "free",
    "kind": "Book",
    "level": "Intermediate",
    "description": "Patterns for caching in web applications.",
}


def example(**example: Any) -> ConfigDict:
    return ConfigDict(**OUT, json_schema_extra={"examples": [example]})


def absent_by_default(schema: dict[str, Any]) -> None:
    """A member that may be left out but is never null: no ``default: null`` in the schema."""
    schema.pop("default", None)


# --- proposing ----------------------------------------------------------------------------------


class _OptionalFields(Schema):
    author: Annotated[Line, Field(max_length=LIMITS["author"])] | None = None
    languages: Annotated[list[Language], Field(max_length=LANGUAGES_MAX)] | None = None
    cost: Cost | None = None
    description: Annotated[Line, Field(max_length=LIMITS["description"])] | None = None
    kind: Annotated[Line, Field(max_length=LIMITS["kind"])] | None = Field(
        None, description="What it is: Book, Course, Video, Article...", examples=["Book"]
    )
    level: Level | None = None


class NewResourceFieldsIn(_OptionalFields):
    """A new resource: a title and a link, the rest when known."""

    title: Title
    url: Url

    model_config = ConfigDict(**STRICT, json_schema_extra={"examples": [NEW_RESOURCE_EXAMPLE]})


class ResourceFieldsIn(_OptionalFields):
    """The fields that change (the others stay as they are); ``null`` clears an optional one."""

    # A resource always has a title and a link: they change, they are never cleared.
    title: Title | SkipJsonSchema[None] = Field(None, json_schema_extra=absent_by_default)
    url: Url | SkipJsonSchema[None] = Field(None, json_schema_extra=absent_by_default)

    model_config = ConfigDict(**STRICT, json_schema_extra={"examples": [{"cost": "paid"}]})


class ResourceChangesIn(ResourceFieldsIn):
    """At least one field that changes."""

    model_config = ConfigDict(
        **STRICT, json_schema_extra={"minProperties": 1, "examples": [{"cost": "paid"}]}
    )

    @model_validator(mode="after")
    def _changes_something(self) -> ResourceChangesIn:
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        return self


class AddResourceIn(Schema):
    kind: Literal["add_resource"]
    node_key: UUID = Field(..., description="The section or topic it goes in.")
    fields: NewResourceFieldsIn
    reason: Reason | None = Field(None, description="Why it belongs here.")

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "kind": "add_resource",
                    "node_key": NODE_KEY_EXAMPLE,
                    "fields": NEW_RESOURCE_EXAMPLE,
                    "reason": "The best book on caching I know.",
                }
            ]
        },
    )


class EditResourceIn(Schema):
    kind: Literal["edit_resource"]
    resource_key: UUID
    fields: ResourceChangesIn
    reason: Reason | None = None

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "kind": "edit_resource",
                    "resource_key": RESOURCE_KEY_EXAMPLE,
                    "fields": {"cost": "free"},
                    "reason": "It is free to read online now.",
                }
            ]
        },
    )


class RemoveResourceIn(Schema):
    kind: Literal["remove_resource"]
    resource_key: UUID
    reason: Reason = Field(..., description="Why it should go.")

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "kind": "remove_resource",
                    "resource_key": RESOURCE_KEY_EXAMPLE,
                    "reason": "The page is gone and there is no copy.",
                }
            ]
        },
    )


class IntroFieldsIn(Schema):
    """A section's or topic's introduction: plain paragraphs (a heading, a list item or a
    code fence is refused, naming its line); empty removes it."""

    intro: Annotated[str, Field(max_length=INTRO_MAX_CHARS)]

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={"examples": [{"intro": "Caches keep answers close to who asks."}]},
    )


class EditIntroIn(Schema):
    kind: Literal["edit_intro"]
    node_key: UUID = Field(..., description="The section or topic whose introduction it fixes.")
    fields: IntroFieldsIn
    reason: Reason | None = None

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "kind": "edit_intro",
                    "node_key": NODE_KEY_EXAMPLE,
                    "fields": {"intro": "Caches keep answers close to who asks."},
                    "reason": "The old text said nothing.",
                }
            ]
        },
    )


ProposalIn = Annotated[
    AddResourceIn | EditResourceIn | RemoveResourceIn | EditIntroIn,
    Field(discriminator="kind"),
]
Kind = Literal["add_resource", "edit_resource", "remove_resource", "edit_intro"]


# --- deciding -----------------------------------------------------------------------------------


class AcceptFieldsIn(ResourceFieldsIn):
    """A resource proposal's fields, or an introduction fix's ``intro`` (not both)."""

    intro: Annotated[str, Field(max_length=INTRO_MAX_CHARS)] | None = Field(
        None, description="An introduction fix's text, as the moderator edited it."
    )


class AcceptIn(Schema):
    fields: AcceptFieldsIn | None = Field(
        None, description="The moderator's edit of the proposal's fields, applied instead."
    )

    model_config = ConfigDict(**STRICT, json_schema_extra={"examples": [{}]})


class DecisionIn(Schema):
    reason: Annotated[str, Field(max_length=DECISION_REASON_LIMIT, pattern=REASON_PATTERN)] = Field(
        ..., description="What the contributor is told."
    )

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={"examples": [{"reason": "This link is already in the section."}]},
    )


class ReviewQueueFilterIn(Schema):
    kind: Kind | None = None
    node: UUID | None = Field(None, description="Only the proposals for this node (its key).")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "add_resource", "node": NODE_KEY_EXAMPLE}]}
    )
