"""The contributions API's answers: a proposal, a moderator's preview of it (diff, lint, link
check, duplicates), and a roadmap's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from learnmap.contributions.schemas import NODE_KEY_EXAMPLE, Kind, example

# --- answers ------------------------------------------------------------------------------------


class NodeRefOut(Schema):
    key: UUID
    title: str

    model_config = example(key=NODE_KEY_EXAMPLE, title="Django")


PROPOSAL_EXAMPLE = {
    "id": 12,
    "kind": "add_resource",
    "status": "open",
    "roadmap": "python-backend",
    "node": {"key": NODE_KEY_EXAMPLE, "title": "Django"},
    "resource": None,
    "fields": {"title": "Caching at Scale", "url": "https://example.org/caching-at-scale"},
    "reason": "The best book on caching I know.",
    "author": "ada",
    "moderator": None,
    "decision_reason": "",
    "decided_at": None,
    "base_revision": 3,
    "created_at": "2025-02-01T10:00:00Z",
    "updated_at": "2025-02-01T10:00:00Z",
}

FieldValue = str | list[str] | None


class ProposalOut(Schema):
    id: int
    kind: Kind
    status: Literal["open", "changes_requested", "accepted", "declined", "conflict"]
    roadmap: str = Field(..., description="The roadmap's slug.")
    node: NodeRefOut
    resource: UUID | None = Field(..., description="The key of the resource edited or removed.")
    fields: dict[str, FieldValue] = Field(
        ..., description="What the contributor asked for (for an edit, the fields that change)."
    )
    reason: str
    author: str = Field(..., description="The contributor's username.")
    moderator: str | None = Field(..., description="Who decided, when someone did.")
    decision_reason: str = Field(..., description="The moderator's reason, told to the author.")
    decided_at: datetime | None
    base_revision: int = Field(..., description="The roadmap's revision when proposed.")
    created_at: datetime
    updated_at: datetime

    model_config = example(**PROPOSAL_EXAMPLE)

    # Read from a Proposal row (its roadmap, node, resource and people selected with it).
    @staticmethod
    def resolve_roadmap(obj: Any) -> str:
        return obj.roadmap.slug

    @staticmethod
    def resolve_resource(obj: Any) -> UUID | None:
        return obj.resource.key if obj.resource_id else None

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author.get_username()

    @staticmethod
    def resolve_moderator(obj: Any) -> str | None:
        return obj.moderator.get_username() if obj.moderator_id else None


class DuplicateOut(Schema):
    title: str
    url: str
    why: Literal["same-url", "similar-title"]
    same_node: bool

    model_config = example(
        title="Caching at scale", url="https://example.org/caching", why="same-url", same_node=True
    )


class LinkCheckOut(Schema):
    """The latest check of the proposed link (it is checked when the proposal arrives)."""

    link_class: Literal["ok", "moved", "blocked", "rate-limited", "timeout", "error", "dead"]
    status: int | None = Field(..., description="The last HTTP status (null: no HTTP answer).")
    final_url: str = Field(..., description="The address reached after redirects.")
    checked_at: datetime

    model_config = example(
        link_class="ok",
        status=200,
        final_url="https://example.org/caching-at-scale",
        checked_at="2025-02-01T10:01:00Z",
    )


class ReviewOut(Schema):
    """A proposal with what accepting it would do to the roadmap as it is now."""

    proposal: ProposalOut
    diff: str = Field(..., description="The unified diff of the roadmap's Markdown.")
    lint_errors: list[str] = Field(..., description="Lint errors the change would add.")
    duplicates: list[DuplicateOut]
    link: LinkCheckOut | None = Field(
        ..., description="The proposed link's latest check (null: not checked yet, or no link)."
    )
    conflict: str = Field(..., description="Why it no longer applies (empty when it does).")
    problem: str = Field(..., description="Why it cannot be applied as it stands.")
    acceptable: bool = Field(..., description="Accepting it as it is would be taken.")

    model_config = example(
        proposal=PROPOSAL_EXAMPLE,
        diff="--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n ## Caching\n+- [Caching]...\n",
        lint_errors=[],
        duplicates=[],
        link=None,
        conflict="",
        problem="",
        acceptable=True,
    )


CHANGE_EXAMPLE = {
    "id": 4,
    "kind": "add_resource",
    "summary": "Added “Caching at Scale” in “Caching”",
    "author": "ada",
    "moderator": "grace",
    "revision": 4,
    "proposal": 12,
    "revert_of": None,
    "created_at": "2025-02-02T09:00:00Z",
}


class ChangeOut(Schema):
    """An accepted change in a roadmap's history."""

    id: int
    kind: Kind
    summary: str
    author: str | None = Field(..., description="Who proposed it (a revert: who reverted).")
    moderator: str | None
    revision: int = Field(..., description="The roadmap's revision this change made.")
    proposal: int | None = Field(..., description="The accepted proposal's id.")
    revert_of: int | None = Field(..., description="The change this one reverted.")
    created_at: datetime

    model_config = example(**CHANGE_EXAMPLE)

    # Read from a Change row (its people selected with it).
    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.author.get_username() if obj.author_id else None

    @staticmethod
    def resolve_moderator(obj: Any) -> str | None:
        return obj.moderator.get_username() if obj.moderator_id else None

    @staticmethod
    def resolve_proposal(obj: Any) -> int | None:
        return obj.proposal_id

    @staticmethod
    def resolve_revert_of(obj: Any) -> int | None:
        return obj.revert_of_id


class ChangeDetailOut(ChangeOut):
    diff: str = Field(..., description="The unified diff of the roadmap's Markdown, as written.")
    reverted: bool = Field(..., description="A later change reverted this one.")

    model_config = example(
        **CHANGE_EXAMPLE, diff="--- a/README.md\n+++ b/README.md\n", reverted=False
    )
