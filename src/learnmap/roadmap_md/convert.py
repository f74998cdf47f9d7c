"""Document -> plain data (JSON-ready), the shape the catalog imports."""

from __future__ import annotations

from typing import Any

from .model import Document, Resource

__all__ = ["resource_dict", "to_dict"]


def resource_dict(resource: Resource) -> dict[str, Any]:
    return {
        "title": resource.title,
        "url": resource.url,
        "author": resource.author,
        "languages": list(resource.languages),
        "cost": resource.cost,
        "kind": resource.kind,
        "level": resource.level,
        "description": resource.description,
        "line": resource.line,
    }


def to_dict(doc: Document) -> dict[str, Any]:
    """``{"title", "sections": [{"title", "slug", "kind", "in_progress", "resources",
    "topics": [{"title", "slug", "in_progress", "resources"}]}]}``."""
    return {
        "title": doc.title,
        "sections": [
            {
                "title": section.title,
                "slug": section.slug,
                "kind": section.kind,
                "in_progress": section.in_progress,
                "resources": [resource_dict(r) for r in section.resources],
                "topics": [
                    {
                        "title": topic.title,
                        "slug": topic.slug,
                        "in_progress": topic.in_progress,
                        "resources": [resource_dict(r) for r in topic.resources],
                    }
                    for topic in section.topics
                ],
            }
            for section in doc.sections
        ],
    }
