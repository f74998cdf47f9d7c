"""Fixtures for the Markdown core: the seed roadmap and the real awesome lists (no DB)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
CORPUS = SHARED / "corpus"
CORPUS_FILES = ("awesome-python.md", "awesome-django.md")


def seed_path() -> Path:
    for path in (
        SHARED / "seeds" / "python-backend-roadmap.md",
        REPO / "content" / "python-backend.md",
    ):
        if path.is_file():
            return path
    pytest.skip("the seed roadmap is not available")


def read_exact(path: Path) -> str:
    """The file's text with its line endings untouched."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return read_exact(seed_path())


@pytest.fixture(params=CORPUS_FILES)
def corpus_text(request: pytest.FixtureRequest) -> str:
    path = CORPUS / request.param
    if not path.is_file():
        pytest.skip(f"corpus file {request.param} is not available")
    return read_exact(path)
