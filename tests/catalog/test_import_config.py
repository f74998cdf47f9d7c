"""`learnmap import` reads the `.learnmap.toml` beside the file as `learnmap lint` does:
declared tags are not "unknown", switched-off codes are not reported, and a broken config
refuses the import naming the file and line, changing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnmap.catalog.models import Roadmap
from learnmap.catalog.services import roadmap_import_file
from learnmap.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

ROADMAP = """\
# Reading

## Step 1: Basics

- [A book](https://example.com/book) (English) (Free) (Chapter 3)
- [Another](https://example.com/other) (Free)
"""


def _write(tmp_path: Path, config: str | None) -> Path:
    path = tmp_path / "README.md"
    path.write_text(ROADMAP, encoding="utf-8")
    if config is not None:
        (tmp_path / ".learnmap.toml").write_text(config, encoding="utf-8")
    return path


def _codes(warnings: list[str]) -> list[str]:
    return sorted(w.rsplit("[", 1)[1].split()[0] for w in warnings)


def test_without_a_config_both_warnings_are_reported(tmp_path: Path) -> None:
    report = roadmap_import_file(path=_write(tmp_path, None), slug="reading")
    assert _codes(report.warnings) == ["LM301", "LM302"]


def test_declared_tags_and_ignored_codes_count(tmp_path: Path) -> None:
    config = 'tags = ["Chapter 3"]\n\n[lint]\nignore = ["LM302"]\n'
    report = roadmap_import_file(path=_write(tmp_path, config), slug="reading")
    assert report.warnings == []


def test_a_broken_config_refuses_the_import_naming_it(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lint]\nignore = ["LM999"]\n')
    with pytest.raises(ApplicationError, match=r"\.learnmap\.toml.*LM999"):
        roadmap_import_file(path=path, slug="reading")
    assert not Roadmap.objects.filter(slug="reading").exists()
