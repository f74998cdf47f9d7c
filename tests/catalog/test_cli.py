"""The `learnmap` commands a maintainer runs, run as a maintainer runs them (subprocesses)."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.catalog.conftest import SEED


@pytest.fixture
def learnmap_env(learnmap_env: dict[str, str]) -> dict[str, str]:
    """These commands are run as on a laptop: the embedded default (SQLite in a fresh data
    dir), whatever database the suite itself runs on. (On PostgreSQL they refuse to start
    until `learnmap migrate` has run: tests/core covers that.)"""
    learnmap_env.pop("DATABASE_URL", None)
    return learnmap_env


def assert_one_clear_line(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith("Set up a new database")
    ]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_convert_to_json_gives_the_seed_facts(learnmap):
    result = learnmap("convert", str(SEED), "--to", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "Python Backend Engineer Roadmap"
    resources = [
        r
        for s in data["sections"]
        for r in s["resources"] + [x for t in s["topics"] for x in t["resources"]]
    ]
    assert len(resources) == 85
    assert sum("English" in r["languages"] for r in resources) == 59
    assert sum("Persian" in r["languages"] for r in resources) == 21
    costs = [r["cost"] for r in resources]
    assert (costs.count("free"), costs.count("paid"), costs.count(None)) == (34, 40, 11)
    assert len(data["sections"]) == 25
    assert [s["title"] for s in data["sections"] if s["kind"] == "step"] == [
        "Step 0: Prerequisites",
        "Step 1: Python",
        "Step 2: Python Web Frameworks",
        "Step 3: Operating System",
    ]
    assert sum(s["in_progress"] for s in data["sections"]) == 10
    urls = [r["url"] for r in resources]
    assert len(urls) - len(set(urls)) == 1
    grokking = next(r for r in resources if r["title"] == "Grokking Algorithms")
    assert grokking == {
        "title": "Grokking Algorithms",
        "author": "Aditya Bhargava",
        "url": "https://www.amazon.com/Grokking-Algorithms-illustrated-programmers-curious/dp/1617292230",
        "languages": ["English"],
        "cost": "paid",
        "kind": "Book",
        "level": None,
        "description": None,
        "line": 39,
    }


def test_convert_to_markdown_is_byte_identical(learnmap):
    result = learnmap("convert", str(SEED), "--to", "markdown")
    assert result.returncode == 0
    assert result.stdout.encode() == SEED.read_bytes()


def test_lint_exit_codes(learnmap, tmp_path):
    clean = learnmap("lint", str(SEED))
    assert clean.returncode == 0, clean.stderr
    assert "warning: " in clean.stdout and "error: " not in clean.stdout
    assert learnmap("lint", "--strict", str(SEED)).returncode == 1

    bad = tmp_path / "bad.md"
    bad.write_text("# T\n\n## Step 0: A\n\n- [x](javascript:alert(1)) (English) (Free)\n")
    result = learnmap("lint", str(bad))
    assert result.returncode == 1
    assert f"{bad}:5: error:" in result.stdout

    as_json = json.loads(learnmap("lint", "--format", "json", str(bad)).stdout)
    assert as_json["summary"]["errors"] == 1
    assert as_json["issues"][0]["line"] == 5 and as_json["issues"][0]["severity"] == "error"


def test_import_export_roundtrip_and_noop_reimport(learnmap, tmp_path):
    imported = learnmap("import", str(SEED), "--slug", "python-backend")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 'python-backend'" in imported.stdout

    out = tmp_path / "out.md"
    exported = learnmap("export", "python-backend", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == SEED.read_bytes()
    assert learnmap("export", "python-backend").stdout.encode() == SEED.read_bytes()

    again = learnmap("import", str(SEED), "--slug", "python-backend")
    assert again.returncode == 0 and "up to date: nothing changed" in again.stdout

    listing = learnmap("roadmaps")
    assert "python-backend" in listing.stdout
    assert "(25 sections, 16 topics, 85 resources, imported" in listing.stdout


def test_an_unsafe_file_is_refused_and_the_stored_roadmap_is_untouched(learnmap, tmp_path):
    assert learnmap("import", str(SEED), "--slug", "python-backend").returncode == 0
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines[46] = "    - [CodeWars](javascript:alert(document.cookie)) (English)"
    bad = tmp_path / "bad.md"
    bad.write_text("\n".join(lines), encoding="utf-8")

    result = learnmap("import", str(bad), "--slug", "python-backend")
    assert_one_clear_line(result, f"{bad}:47: error:", "Nothing was changed")
    assert learnmap("export", "python-backend").stdout.encode() == SEED.read_bytes()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x00\x01binary", "binary file"),
        (b"# Title\n\xff\xfe not utf-8\n", "not valid UTF-8"),
    ],
)
def test_bad_files_get_one_clear_line(learnmap, tmp_path, content, needle):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    for command in (("import", str(path)), ("lint", str(path)), ("convert", str(path))):
        assert_one_clear_line(learnmap(*command), str(path), needle)


def test_a_50_mb_file_is_refused(learnmap, tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    assert_one_clear_line(learnmap("import", str(path)), "too large")
    assert_one_clear_line(learnmap("convert", str(path)), "too large")


def test_unreadable_paths_and_unknown_slugs_get_one_clear_line(learnmap, tmp_path):
    assert_one_clear_line(learnmap("import", str(tmp_path / "nope.md")), "no such file")
    assert_one_clear_line(learnmap("lint", str(tmp_path)), "is a directory")
    assert_one_clear_line(learnmap("export", "no-such-roadmap"), "no-such-roadmap")
    assert_one_clear_line(learnmap("import", str(SEED), "--slug", "Not A Slug"), "not a valid slug")


def test_export_to_an_unwritable_place_says_so(learnmap, tmp_path):
    assert learnmap("import", str(SEED), "--slug", "python-backend").returncode == 0
    target = tmp_path / "missing-dir" / "out.md"
    assert_one_clear_line(learnmap("export", "python-backend", "-o", str(target)), "Cannot write")
    assert not Path(target).exists()


# --- in process (call_command) ----------------------------------------------------------------


@pytest.fixture
def learnmap_log(caplog):
    """What Learnmap logs (its logger does not propagate to pytest's root handler)."""
    logger = logging.getLogger("learnmap")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG, logger="learnmap")
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.django_db
def test_import_tells_its_summary_once_on_stdout(learnmap_log):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import", str(SEED), "--slug", "python-backend", stdout=stdout, stderr=stderr)
    told = stdout.getvalue() + stderr.getvalue() + learnmap_log.text
    summary = "Imported 'python-backend': Python Backend Engineer Roadmap"
    assert stdout.getvalue().count(summary) == 1
    assert told.count(summary) == 1, told
    # The file's warnings are still told, on stderr.
    assert "warning" in stderr.getvalue()


@pytest.mark.django_db
def test_loadroadmaps_tells_each_summary_once_on_stdout(learnmap_log):
    stdout = io.StringIO()
    call_command("loadroadmaps", stdout=stdout, stderr=io.StringIO())
    summary = "Imported 'python-backend'"
    assert stdout.getvalue().count(summary) == 1
    assert (stdout.getvalue() + learnmap_log.text).count(summary) == 1, learnmap_log.text
