"""`learnmap import` refuses files that are no roadmap, or over the Markdown core's limits,
with the line and "Nothing was changed", and the roadmap already stored stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learnmap.catalog.models import Resource, Roadmap
from learnmap.roadmap_md.limits import MAX_LINE_CHARS, MAX_NESTING
from tests.catalog.test_import import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(seed_path: Path):
    """The seed imported as 'python-backend', and everything the catalog then holds."""
    call_command("import", str(seed_path), slug="python-backend")
    return snapshot()


def nested_list(levels: int) -> str:
    return "".join("  " * depth + f"- level {depth + 1}\n" for depth in range(levels))


SECTION = "## Step 1: Python\n\n- [Docs](https://docs.python.org) (English) (Free)\n"


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("", ":1: error: the roadmap has no sections"),
        (" \n\t\n\n", ":1: error: the roadmap has no sections"),
        ("\r" * 5_000_000, ":150001: error: the roadmap has 5,000,000 lines"),
        ("\r" * 1000, ":1: error: the roadmap has no sections"),
        ("# Title\n\n## Step 1: Python\n\nProse.\n", ":3: error: the roadmap has no resources"),
        (SECTION + "\n" + nested_list(MAX_NESTING + 1), f":{4 + MAX_NESTING + 1}: error: lists"),
        (SECTION + ">" * 100_000 + "\n", ":4: error: the line has 100,000 characters"),
        (SECTION + "x" * (MAX_LINE_CHARS + 1) + "\n", ":4: error: the line has 20,001 characters"),
    ],
    ids=["empty", "blank", "5mb-of-cr", "cr", "no-resources", "too-deep", "quotes", "long-line"],
)
def test_import_refuses_and_keeps_the_stored_roadmap(stored, tmp_path, content, where):
    path = tmp_path / "python-backend.md"
    path.write_bytes(content.encode("utf-8"))

    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), slug="python-backend")

    message = str(refused.value)
    assert f"{path}{where}" in message
    assert message.endswith("Nothing was changed.")
    assert snapshot() == stored


def test_a_refused_first_import_creates_no_roadmap(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="no sections"):
        call_command("import", str(path))
    assert not Roadmap.objects.exists()


def test_nesting_up_to_the_limit_is_imported_with_what_follows(tmp_path):
    path = tmp_path / "deep.md"
    after = "\n## After\n\n- [After](https://after.example) (English) (Free)\n"
    path.write_text(SECTION + "\n" + nested_list(MAX_NESTING) + after, encoding="utf-8")
    call_command("import", str(path), slug="deep")
    assert Resource.objects.filter(roadmap__slug="deep", url="https://after.example").exists()
