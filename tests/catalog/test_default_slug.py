"""`learnmap import FILE` without --slug: the roadmap's address comes from the file's name (or,
for a README, from the roadmap's title), as lowercase ASCII words joined by single hyphens."""

from __future__ import annotations

import pytest

from learnmap.catalog import services
from learnmap.catalog.models import Roadmap

pytestmark = pytest.mark.django_db

SOURCE = "# {title}\n\n## Step 0: A\n\n- [R](https://example.com/r) (English) (Free)\n"


def imported_slug(tmp_path, name: str, title: str = "Roadmap") -> str:
    path = tmp_path / name
    path.write_text(SOURCE.format(title=title), encoding="utf-8")
    report = services.roadmap_import_file(path=path)
    assert Roadmap.objects.filter(slug=report.slug).exists()
    return report.slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("python-backend.md", "python-backend"),
        ("Python_Backend.md", "python-backend"),
        ("Node.js & Go -- 2024!.md", "node-js-go-2024"),
        ("  --x--  .md", "x"),
        ("راهنما.md", "roadmap"),  # nothing in ASCII to make a slug of
    ],
)
def test_the_slug_comes_from_the_file_name(tmp_path, name, slug):
    assert imported_slug(tmp_path, name) == slug


def test_a_readme_takes_its_slug_from_the_title(tmp_path):
    assert imported_slug(tmp_path, "README.md", title="Go & Rust: Systems") == "go-rust-systems"


def test_accented_letters_keep_their_base_letter(tmp_path):
    # Not "caf-r-sum": an accent is not a word boundary.
    assert imported_slug(tmp_path, "Café résumé.md") == "cafe-resume"


def test_a_long_name_is_cut_to_100_characters_without_a_trailing_hyphen(tmp_path):
    slug = imported_slug(tmp_path, "a" * 99 + "-b" * 20 + ".md")
    assert slug == "a" * 99
