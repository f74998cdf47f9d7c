"""A list may hold one link twice under two titles (awesome-python: "uv" and "uv-build", both
github.com/astral-sh/uv, in one section). Each keeps its own row, so learners' progress stays
on the item they marked, whichever of the two an edit removes or moves."""

from __future__ import annotations

import pytest

from learnmap.catalog import services
from learnmap.catalog.models import Resource

pytestmark = pytest.mark.django_db

BOTH = (
    "# Tools\n\n## Packaging\n\n"
    "- [uv](https://github.com/astral-sh/uv) - A package manager.\n"
    "- [pip](https://github.com/pypa/pip) - The installer.\n"
    "- [uv-build](https://github.com/astral-sh/uv) - A build backend.\n"
)


def _keys() -> dict[str, str]:
    return {r.title: r.key for r in Resource.objects.filter(retired_at=None)}


@pytest.mark.parametrize("removed", ["uv", "uv-build"])
def test_removing_one_of_two_items_with_one_link_keeps_the_others_row(removed):
    services.roadmap_import(source=BOTH, slug="tools")
    before = _keys()
    line = next(line for line in BOTH.splitlines(keepends=True) if f"[{removed}]" in line)

    services.roadmap_import(source=BOTH.replace(line, ""), slug="tools")

    after = _keys()
    assert removed not in after
    assert after == {title: key for title, key in before.items() if title != removed}


def test_two_items_with_one_link_swapping_places_keep_their_rows():
    services.roadmap_import(source=BOTH, slug="tools")
    before = _keys()
    lines = BOTH.splitlines(keepends=True)
    swapped = "".join([*lines[:4], lines[6], lines[5], lines[4]])

    services.roadmap_import(source=swapped, slug="tools")

    assert _keys() == before


# The seed lists "Python Concurrency with asyncio" (one link, one title) twice in one topic:
# without the author for beginners, with it for the intermediate level.
TWINS = (
    "# Async\n\n## Asyncio\n\n"
    "- **Beginner**\n"
    "  - [Python Concurrency with asyncio](https://example.com/pcwa) (English) (Paid)\n"
    "- **Intermediate**\n"
    "  - [Python Concurrency with asyncio by Matthew Fowler](https://example.com/pcwa) (Paid)\n"
)


def _twin_keys() -> dict[tuple[str, str], str]:
    rows = Resource.objects.filter(retired_at=None)
    return {(r.title, r.level): r.key for r in rows}


def test_editing_the_first_of_two_items_with_one_link_and_title_keeps_each_row():
    services.roadmap_import(source=TWINS, slug="async")
    beginner = Resource.objects.get(level="Beginner").key
    intermediate = Resource.objects.get(level="Intermediate").key

    edited = TWINS.replace("[Python Concurrency with asyncio]", "[Concurrency, the asyncio way]")
    services.roadmap_import(source=edited, slug="async")

    assert _twin_keys() == {
        ("Concurrency, the asyncio way", "Beginner"): beginner,
        ("Python Concurrency with asyncio", "Intermediate"): intermediate,
    }
