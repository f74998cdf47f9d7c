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
