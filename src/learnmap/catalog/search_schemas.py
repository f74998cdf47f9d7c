"""The catalog's API shapes for search: the query, a hit, the answer."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from learnmap.catalog import search
from learnmap.catalog.schemas import (
    NODE_KEY_EXAMPLE,
    SLUG_EXAMPLE,
    SLUG_PATTERN,
    _example,
)

# --- search -------------------------------------------------------------------------------------


class SearchIn(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=search.QUERY_MAX_CHARS,
        description="Search words (titles, topics, authors, descriptions; English or Persian).",
        examples=["django"],
    )
    roadmap: str | None = Field(
        None,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="Only this roadmap (its slug).",
        examples=[SLUG_EXAMPLE],
    )
    limit: int = Field(20, ge=1, le=search.RESULTS_MAX, description="How many hits, best first.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"q": "django", "roadmap": SLUG_EXAMPLE, "limit": 10}]}
    )


class SearchHitOut(Schema):
    kind: Literal["resource", "node"] = Field(..., description="A resource, or a topic/section.")
    key: UUID
    title: str
    url: str = Field(..., description='A resource\'s link ("" for a node).')
    score: float
    matched: list[str] = Field(..., description="Fields that matched.", examples=[["title"]])
    roadmap: str = Field(..., description="The roadmap's slug.")
    roadmap_title: str
    node: str = Field(..., description="The node's slug (a resource's: where it is listed).")
    node_title: str

    model_config = _example(
        kind="node",
        key=NODE_KEY_EXAMPLE,
        title="Django",
        url="",
        score=24.5,
        matched=["title"],
        roadmap=SLUG_EXAMPLE,
        roadmap_title="Python Backend Engineer Roadmap",
        node="django",
        node_title="Django",
    )


class SearchOut(Schema):
    query: str = Field(..., description="The query as understood (trimmed, shortened).")
    total: int = Field(..., description="How many items matched in all.")
    hits: list[SearchHitOut]

    model_config = _example(query="django", total=1, hits=[])


def search_out(results: search.SearchResults) -> dict[str, Any]:
    """The site's search results, shaped for ``SearchOut``."""
    return {
        "query": results.query.text,
        "total": results.total,
        "hits": [
            {
                "kind": hit.document.kind,
                "key": hit.document.key,
                "title": hit.field(search.TITLE),
                "url": hit.document.url,
                "score": hit.score,
                "matched": list(hit.matched),
                "roadmap": hit.document.roadmap_slug,
                "roadmap_title": hit.document.roadmap_title,
                "node": hit.document.node_slug,
                "node_title": hit.document.node_title,
            }
            for hit in results.hits
        ],
    }
