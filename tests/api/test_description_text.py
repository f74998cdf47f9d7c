"""The API gives a resource's description both as written (inline Markdown) and as plain text
(``description_text``: what a reader sees, emoji shown), in the resource list and the tree."""

from __future__ import annotations

import pytest

from learnmap.catalog import services as catalog_services

LIST = """# Tools

## Packaging

- [pipx](https://example.com/pipx) - Install `CLI` tools in *isolated* environments \
([Demo](https://example.com/demo)) :rocket:
- [pip](https://example.com/pip)
"""

SOURCE = (
    "Install `CLI` tools in *isolated* environments ([Demo](https://example.com/demo)) :rocket:"
)
PLAIN = "Install CLI tools in isolated environments (Demo) \U0001f680"


@pytest.fixture
def tools(db) -> None:
    catalog_services.roadmap_import(source=LIST, slug="tools")


def test_resources_give_the_description_as_written_and_as_plain_text(tools, anon):
    items = anon.get("/resources", roadmap="tools").json()["items"]
    assert [(i["description"], i["description_text"]) for i in items] == [(SOURCE, PLAIN), ("", "")]


def test_the_tree_gives_both_too(tools, anon):
    resources = anon.get("/roadmaps/tools").json()["sections"][0]["resources"]
    assert [(r["description"], r["description_text"]) for r in resources] == [
        (SOURCE, PLAIN),
        ("", ""),
    ]


def test_the_openapi_document_describes_the_plain_text(anon):
    schemas = anon.get("/openapi.json").json()["components"]["schemas"]
    for name in ("ResourceOut", "ResourceListItemOut"):
        schema = schemas[name]
        assert "description_text" in schema["required"], name
        assert schema["properties"]["description_text"]["type"] == "string"
        assert "plain text" in schema["properties"]["description_text"]["description"]
