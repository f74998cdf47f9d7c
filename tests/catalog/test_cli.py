"""The `learnmap` commands a maintainer runs.

Each command's behaviour is tested in process: Django's commands through ``call_command``
(a ``CommandError`` is what the process turns into one line on stderr and exit status 1), the
Markdown ones (``lint``, ``convert``) through the entry point's ``main``, which returns the
exit status. A few end-to-end tests run the installed ``learnmap`` as a maintainer does, on a
fresh laptop install: the happy path, and what a refused command prints and exits with.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from learnmap.cli import main
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


def refused(*args: str) -> str:
    """The one line a Django command refuses with (in process: its ``CommandError``)."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command(*args, stdout=io.StringIO(), stderr=stderr)
    message = str(refusal.value)
    assert "\n" not in message and stderr.getvalue() == "", (message, stderr.getvalue())
    return message


def markdown_refused(capsys, *args: str) -> str:
    """The one line ``learnmap lint``/``convert`` refuse with (exit status 2)."""
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def export(capsysbinary, slug: str) -> bytes:
    call_command("export", slug)  # writes the bytes to standard output as they are
    return capsysbinary.readouterr().out


# --- end to end: the installed command, as a maintainer runs it ---------------------------------


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


def test_a_refused_command_exits_non_zero_with_one_clear_line(learnmap, tmp_path):
    assert_one_clear_line(learnmap("import", str(tmp_path / "nope.md")), "no such file")
    assert_one_clear_line(learnmap("lint", str(tmp_path)), "is a directory")


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


# --- in process ----------------------------------------------------------------------------------


def test_convert_to_json_gives_the_seed_facts(capsys):
    assert main(["convert", str(SEED), "--to", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
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


def test_convert_to_markdown_is_byte_identical(capsysbinary):
    assert main(["convert", str(SEED), "--to", "markdown"]) == 0
    assert capsysbinary.readouterr().out == SEED.read_bytes()


def test_lint_as_json_names_each_issue_line_and_severity(capsys, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# T\n\n## Step 0: A\n\n- [x](javascript:alert(1)) (English) (Free)\n")

    assert main(["lint", "--format", "json", str(bad)]) == 1

    as_json = json.loads(capsys.readouterr().out)
    assert as_json["summary"]["errors"] == 1
    assert as_json["issues"][0]["line"] == 5 and as_json["issues"][0]["severity"] == "error"


@pytest.mark.django_db
def test_an_unsafe_file_is_refused_and_the_stored_roadmap_is_untouched(tmp_path, capsysbinary):
    call_command("import", str(SEED), "--slug", "python-backend", stdout=io.StringIO())
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines[46] = "    - [CodeWars](javascript:alert(document.cookie)) (English)"
    bad = tmp_path / "bad.md"
    bad.write_text("\n".join(lines), encoding="utf-8")

    message = refused("import", str(bad), "--slug", "python-backend")

    assert f"{bad}:47: error:" in message and "Nothing was changed" in message
    assert export(capsysbinary, "python-backend") == SEED.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x00\x01binary", "binary file"),
        (b"# Title\n\xff\xfe not utf-8\n", "not valid UTF-8"),
    ],
)
def test_bad_files_get_one_clear_line(capsys, tmp_path, content, needle):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    assert needle in refused("import", str(path)) and str(path) in refused("import", str(path))
    for command in ("lint", "convert"):
        line = markdown_refused(capsys, command, str(path))
        assert str(path) in line and needle in line, line


@pytest.mark.django_db
def test_a_50_mb_file_is_refused(capsys, tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    assert "too large" in refused("import", str(path))
    assert "too large" in markdown_refused(capsys, "convert", str(path))


@pytest.mark.django_db
def test_unreadable_paths_and_unknown_slugs_get_one_clear_line(capsys, tmp_path):
    assert "no such file" in refused("import", str(tmp_path / "nope.md"))
    assert "is a directory" in markdown_refused(capsys, "lint", str(tmp_path))
    assert "no-such-roadmap" in refused("export", "no-such-roadmap")
    assert "not a valid slug" in refused("import", str(SEED), "--slug", "Not A Slug")


@pytest.mark.django_db
def test_export_to_an_unwritable_place_says_so(tmp_path):
    call_command("import", str(SEED), "--slug", "python-backend", stdout=io.StringIO())
    target = tmp_path / "missing-dir" / "out.md"
    assert "Cannot write" in refused("export", "python-backend", "-o", str(target))
    assert not Path(target).exists()


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
