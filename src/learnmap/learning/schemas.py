"""The learner's API shapes: progress on a roadmap, state changes, notes, export and import."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StrictBool, StrictStr
from pydantic.json_schema import SkipJsonSchema

from learnmap.learning.notes import NOTE_MAX_CHARS
from learnmap.learning.services.portability import IMPORT_NOTE_MAX_CHARS
from learnmap.learning.services.progress import FILTER_VALUE_MAX_CHARS, FILTER_VALUES_MAX

OUT = {"json_schema_serialization_defaults_required": True}
NODE_KEY_EXAMPLE = "1f0c6a52-3b8e-4d55-9a8e-6b0e8f7d2c11"
RESOURCE_KEY_EXAMPLE = "7d9e2c4a-51b6-4f0e-8c3a-2e5d9a1b6f40"

# Text kept in the database: PostgreSQL refuses NUL characters (in text and in JSON).
NoNulText = Annotated[str, Field(pattern=r"^[^\x00]*$")]
RoadmapSlug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]

State = Literal["not_started", "in_progress", "done", "skipped"]
StartedState = Literal["in_progress", "done", "skipped"]


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(**OUT, json_schema_extra={"examples": [example]})


# --- progress on a roadmap ---------------------------------------------------------------------


class NodeStateOut(Schema):
    key: UUID
    state: StartedState

    model_config = _example(key=NODE_KEY_EXAMPLE, state="done")


class FiguresOut(Schema):
    """Units are a roadmap's leaves (its topics, or a section without topics) of the ordered
    steps and the chosen electives; skipped ones leave the count."""

    total: int
    done: int
    in_progress: int
    skipped: int
    percent: int = Field(..., ge=0, le=100)
    resources_total: int
    resources_done: int

    model_config = _example(
        total=30,
        done=12,
        in_progress=2,
        skipped=1,
        percent=41,
        resources_total=60,
        resources_done=20,
    )


class RoadmapProgressOut(Schema):
    """Everything the caller did on one roadmap. Nodes without a state are not started."""

    roadmap: str = Field(..., description="The roadmap's slug.", examples=["python-backend"])
    revision: int
    nodes: list[NodeStateOut]
    resources_done: list[UUID] = Field(..., description="Keys of the resources marked done.")
    electives: list[UUID] = Field(..., description="Keys of the elective sections chosen.")
    notes: list[UUID] = Field(..., description="Keys of the nodes that have a note.")
    figures: FiguresOut

    model_config = _example(
        roadmap="python-backend",
        revision=3,
        nodes=[{"key": NODE_KEY_EXAMPLE, "state": "done"}],
        resources_done=[RESOURCE_KEY_EXAMPLE],
        electives=[],
        notes=[NODE_KEY_EXAMPLE],
        figures=FiguresOut.model_config["json_schema_extra"]["examples"][0],
    )


# --- changes -----------------------------------------------------------------------------------


class NodeStateIn(Schema):
    state: State = Field(..., description="not_started clears the state.", examples=["done"])

    model_config = ConfigDict(json_schema_extra={"examples": [{"state": "in_progress"}]})


class ResourceDoneIn(Schema):
    done: StrictBool = Field(..., examples=[True])

    model_config = ConfigDict(json_schema_extra={"examples": [{"done": True}]})


class ResourceDoneOut(Schema):
    key: UUID
    done: bool

    model_config = _example(key=RESOURCE_KEY_EXAMPLE, done=True)


class ElectiveIn(Schema):
    chosen: StrictBool = Field(..., examples=[True])

    model_config = ConfigDict(json_schema_extra={"examples": [{"chosen": True}]})


class ElectiveOut(Schema):
    key: UUID
    chosen: bool

    model_config = _example(key=NODE_KEY_EXAMPLE, chosen=True)


class NodeStateSetOut(Schema):
    key: UUID
    state: State

    model_config = _example(key=NODE_KEY_EXAMPLE, state="done")


# --- notes -------------------------------------------------------------------------------------


class NoteIn(Schema):
    text: StrictStr = Field(
        ...,
        max_length=NOTE_MAX_CHARS,
        description=f"Markdown, at most {NOTE_MAX_CHARS:,} characters; empty deletes the note.",
        examples=["Read chapters 1-3 first. **Redo the exercises.**"],
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "Read chapters 1-3."}]})


class NoteOut(Schema):
    key: UUID = Field(..., description="The node's key.")
    text: str = Field(..., description='The Markdown as written ("" when there is none).')
    html: str = Field(..., description="Rendered and sanitised: safe to show as is.")
    updated_at: datetime | None

    model_config = _example(
        key=NODE_KEY_EXAMPLE,
        text="Read chapters 1-3 first.",
        html="<p>Read chapters 1-3 first.</p>\n",
        updated_at="2025-02-01T10:00:00Z",
    )


# --- export and import -------------------------------------------------------------------------

# An export lists what it has and nothing else: an import refuses (422) a member it does not
# know rather than dropping it unread (``additionalProperties: false`` in the schema).
STRICT = {"extra": "forbid"}
FilterText = Annotated[NoNulText, Field(max_length=FILTER_VALUE_MAX_CHARS)]
FilterValue = FilterText | Annotated[list[FilterText], Field(max_length=FILTER_VALUES_MAX)]
Price = Literal["free", "paid"]
PriceValue = Price | Annotated[list[Price], Field(max_length=FILTER_VALUES_MAX)]
ImportedNote = Annotated[NoNulText, Field(max_length=IMPORT_NOTE_MAX_CHARS)]
# A file is JSON, read as written: pydantic's lax conversions (1 for true, a number of seconds
# or a bare date for a date and time, 1.0 for 1) would take what the schema says is wrong.
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _date_time_text(value: Any) -> Any:
    if isinstance(value, str) and not RFC3339.match(value):
        raise ValueError("expected a date and time with its offset (RFC 3339)")
    if not isinstance(value, str | datetime):
        raise ValueError("expected a date and time, as text (RFC 3339)")
    return value


def _integer(value: Any) -> Any:
    if type(value) is not int:
        raise ValueError("expected an integer")
    return value


DateTime = Annotated[datetime, BeforeValidator(_date_time_text)]
Key = Annotated[str, Field(pattern=UUID_PATTERN, json_schema_extra={"format": "uuid"})]


def _absent_by_default(schema: dict[str, Any]) -> None:
    """A member that may be left out but is never null: no ``default: null`` in the schema."""
    schema.pop("default", None)


def _optional(**field: Any) -> Any:
    return Field(None, json_schema_extra=_absent_by_default, **field)


class ExportNode(Schema):
    title: str
    section: str | None = Field(None, description="The section's title, for a topic.")
    retired: StrictBool = False
    state: StartedState | SkipJsonSchema[None] = _optional()
    state_updated_at: DateTime | None = None
    elective_chosen: StrictBool | SkipJsonSchema[None] = _optional()
    note: ImportedNote | None = None
    note_updated_at: DateTime | None = None

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "title": "Django",
                    "section": "Step 2: Python Web Frameworks",
                    "retired": False,
                    "state": "done",
                    "state_updated_at": "2025-01-20T08:00:00+00:00",
                }
            ]
        },
    )


RESOURCE_EXPORT_EXAMPLE = {
    "title": "Django for Beginners",
    "url": "https://www.amazon.com/gp/product/1735467200",
    "node": NODE_KEY_EXAMPLE,
    "retired": False,
    "done": True,
    "done_at": "2025-01-22T08:00:00+00:00",
}


class ExportResource(Schema):
    title: str
    url: str
    node: Key
    retired: StrictBool = False
    done: StrictBool = True
    done_at: DateTime | None = None

    model_config = ConfigDict(**STRICT, json_schema_extra={"examples": [RESOURCE_EXPORT_EXAMPLE]})


class ExportRoadmap(Schema):
    title: str
    nodes: dict[Key, ExportNode] = Field(..., description="By node key.")
    resources: dict[Key, ExportResource] = Field(..., description="By resource key.")

    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [{"title": "Python Backend Engineer Roadmap", "nodes": {}, "resources": {}}]
        },
    )


class ExportFilters(Schema):
    """The learner's default resource filters: a value, or several (alternatives)."""

    language: FilterValue | None = None
    price: PriceValue | None = None
    kind: FilterValue | None = None
    level: FilterValue | None = None
    format: FilterValue | None = None

    model_config = ConfigDict(
        **STRICT, json_schema_extra={"examples": [{"language": "English", "price": ["free"]}]}
    )


class ExportPreferences(Schema):
    default_filters: ExportFilters = Field(default_factory=ExportFilters)

    model_config = ConfigDict(
        **STRICT, json_schema_extra={"examples": [{"default_filters": {"language": "English"}}]}
    )


class ProgressExport(Schema):
    """Everything a learner tracked; importing it (here or on another Learnmap) merges it in.
    A node entry has only the members that apply to it."""

    format: Literal["learnmap-progress"]
    version: Annotated[Literal[1], BeforeValidator(_integer)]
    exported_at: DateTime
    preferences: ExportPreferences
    roadmaps: dict[RoadmapSlug, ExportRoadmap] = Field(..., description="By roadmap slug.")

    # The example names the built-in roadmap's Django topic and one of its resources (the API
    # tests give those rows these keys, so the example is imported as it is).
    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={
            "examples": [
                {
                    "format": "learnmap-progress",
                    "version": 1,
                    "exported_at": "2025-02-01T10:00:00+00:00",
                    "preferences": {"default_filters": {"language": "English"}},
                    "roadmaps": {
                        "python-backend": {
                            "title": "Python Backend Engineer Roadmap",
                            "nodes": {
                                NODE_KEY_EXAMPLE: {
                                    "title": "Django",
                                    "section": "Step 2: Python Web Frameworks",
                                    "retired": False,
                                    "state": "done",
                                    "state_updated_at": "2025-01-20T08:00:00+00:00",
                                    "note": "Finished the tutorial.",
                                    "note_updated_at": "2025-01-21T08:00:00+00:00",
                                }
                            },
                            "resources": {RESOURCE_KEY_EXAMPLE: RESOURCE_EXPORT_EXAMPLE},
                        }
                    },
                }
            ]
        },
    )


class MergeCountsOut(Schema):
    added: int
    updated: int
    unchanged: int

    model_config = _example(added=3, updated=1, unchanged=10)


class ImportOut(Schema):
    changed: bool = Field(..., description="False when the account already had everything.")
    roadmaps: list[str] = Field(..., description="Slugs of the roadmaps in the file.")
    counts: MergeCountsOut
    detail: str = Field(..., description="What happened, in a sentence.")

    model_config = _example(
        changed=True,
        roadmaps=["python-backend"],
        counts={"added": 3, "updated": 1, "unchanged": 10},
        detail="Imported your progress on 1 roadmap(s): 3 item(s) added, 1 updated, "
        "10 already there.",
    )
