import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "python-backend.md"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def fresh_cache(settings) -> None:
    """A cache of this test's own, and nothing kept in this process's memos (pages, API
    answers, search indexes, structures): the test's first request is cold, the next warm."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"catalog-test-{uuid.uuid4()}",
        }
    }
    from learnmap.core.cache import memos_clear

    memos_clear()
