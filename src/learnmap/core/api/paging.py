"""Paging: ``?page=2&page_size=50`` on every list the API answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
PAGE_MAX = 10_000


class PagePagination(PaginationBase):
    """``?page=2&page_size=50``: pages numbered from 1, at most ``PAGE_SIZE_MAX`` items each.

    Works on querysets and on any sequence that can be sliced and measured (``len``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX, description="Page number, from 1.")
        page_size: int = Field(
            PAGE_SIZE_DEFAULT,
            ge=1,
            le=PAGE_SIZE_MAX,
            description=f"Items per page (at most {PAGE_SIZE_MAX}).",
        )

        model_config = {"json_schema_extra": {"examples": [{"page": 2, "page_size": 50}]}}

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="How many items there are in all.", examples=[85])
        page: int = Field(..., examples=[1])
        page_size: int = Field(..., examples=[20])
        pages: int = Field(..., description="How many pages there are.", examples=[5])

        model_config = {
            "json_schema_serialization_defaults_required": True,
            "json_schema_extra": {
                "examples": [{"items": [], "count": 85, "page": 1, "page_size": 20, "pages": 5}]
            },
        }

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: Sequence, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        return {
            "items": list(queryset[offset : offset + size]) if offset < count else [],
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": (count + size - 1) // size,
        }
