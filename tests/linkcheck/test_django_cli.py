"""`learnmap links check`, as a maintainer or a roadmap's CI runs it, against the fake hosts.

FILE mode runs without Django: its reports are tested in process through the entry point's
``main`` (which returns the exit status); the installed command runs end to end for what only
a real process shows (its exit codes, no database or ./var made, Django never imported).
SLUG mode reads the catalog and records what it finds (in process, ``call_command``).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from learnmap import cli
from learnmap.catalog import services as catalog_services
from learnmap.linkcheck.models import CheckRun, LinkCheck
from learnmap.roadmap_md import load
from tests.linkcheck.conftest import Corpus, build_corpus, every_class_links, hanging_link
from tests.linkcheck.fakehosts import FakeHosts

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "python-backend.md"


@pytest.fixture
def links(learnmap, learnmap_env, tmp_path):
    """`learnmap links ...` in a fresh directory, allowed to visit 127.0.0.1 (SLUG mode: on
    the embedded default, a fresh SQLite database)."""
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}
    env["LEARNMAP_LINKCHECK_ALLOW_PRIVATE"] = "1"

    def run(*args: str):
        return learnmap("links", *args, env=env, cwd=tmp_path)

    return run


@pytest.fixture
def links_in_process(capsys, monkeypatch):
    """`learnmap links ...` in this process: (exit status, stdout, stderr)."""
    monkeypatch.setenv("LEARNMAP_LINKCHECK_ALLOW_PRIVATE", "1")

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["links", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _classes(stdout: str) -> dict[str, str]:
    return {row["url"]: row["class"] for row in json.loads(stdout)["results"]}


@pytest.fixture
def full_corpus(fake_hosts: FakeHosts) -> Corpus:
    """Every class, a timeout included."""
    return build_corpus(fake_hosts, [*every_class_links(fake_hosts), hanging_link(fake_hosts)])


def test_file_mode_classifies_every_link_as_the_truth_says(
    links, full_corpus, tmp_path, learnmap_env
):
    path = full_corpus.write(tmp_path / "roadmap.md")

    result = links("check", str(path), "--format", "json", "--timeout", "0.5")

    assert result.returncode == 1, result.stderr  # there are dead links
    payload = json.loads(result.stdout)
    assert _classes(result.stdout) == full_corpus.truth
    assert payload["summary"] == {
        "ok": 3,
        "moved": 1,
        "blocked": 1,
        "rate-limited": 1,
        "timeout": 1,
        "error": 1,
        "dead": 3,
    }
    row = next(r for r in payload["results"] if r["class"] == "moved")
    assert set(row) >= {"url", "class", "status", "final_url", "error", "elapsed_ms", "lines"}
    assert row["lines"] == full_corpus.lines[row["url"]]
    # A pure Markdown tool: no database, no data directory, nothing written beside the file.
    assert not Path(learnmap_env["LEARNMAP_DATA_DIR"]).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roadmap.md"]


def test_text_and_markdown_reports_name_the_problem_links_and_their_lines(
    links_in_process, corpus, tmp_path
):
    path = corpus.write(tmp_path / "roadmap.md")
    dead = corpus.urls_of("dead")[0]
    line = corpus.lines[dead][0]

    text_code, text, progress = links_in_process("check", str(path))
    markdown_code, markdown, _ = links_in_process("check", str(path), "--format", "markdown")

    assert text_code == markdown_code == 1
    assert re.search(rf"^dead\s+404\s+{re.escape(dead)}\s+\(line {line}\)$", text, re.M)
    assert "10 links: 3 ok, 1 moved, 1 blocked, 1 rate-limited, 1 error, 3 dead" in text
    assert corpus.urls_of("ok")[0] not in text  # ok links are not listed
    assert f"| dead | 404 | <{dead}> | {line} | HTTP 404 Not Found |" in markdown
    assert "| dead | 3 |" in markdown
    # Not a terminal: progress is plain lines on standard error, never in the report.
    assert "checked 10/10 links" in progress
    assert "checked" not in text


def test_exit_codes_dead_fails_and_strict_fails_on_moved_and_timeouts(links, fake_hosts, tmp_path):
    a = fake_hosts.url
    fine = build_corpus(fake_hosts, [("A", a("a", "/a"), "ok"), ("B", a("b", "/b?r=308"), "moved")])
    slow = build_corpus(fake_hosts, [("A", a("a", "/c"), "ok"), hanging_link(fake_hosts)])
    walls = build_corpus(fake_hosts, [("W", a("wall", "/w"), "blocked")])

    fine_path = fine.write(tmp_path / "fine.md")
    assert links("check", str(fine_path)).returncode == 0
    assert links("check", str(fine_path), "--strict").returncode == 1
    slow_path = slow.write(tmp_path / "slow.md")
    assert links("check", str(slow_path), "--timeout", "0.3").returncode == 0
    assert links("check", str(slow_path), "--timeout", "0.3", "--strict").returncode == 1
    # A bot wall is not a broken link, even with --strict.
    assert links("check", str(walls.write(tmp_path / "walls.md")), "--strict").returncode == 0


def test_the_seed_roadmap_runs_link_for_link(links_in_process, fake_hosts, tmp_path):
    """The built-in roadmap's file, each of its links sent to a fake host (no test leaves
    this machine): every link is checked once and reported on its own line."""
    counter = iter(range(10_000))
    seed = SEED.read_text(encoding="utf-8")
    local = re.sub(
        r"\]\((https?://[^)\s]+)\)",
        lambda m: f"]({fake_hosts.url('a', f'/seed/{next(counter)}')})",
        seed,
    )
    path = tmp_path / "python-backend.md"
    path.write_text(local, encoding="utf-8")

    code, out, err = links_in_process("check", str(path), "--format", "json")

    assert code == 0, err
    payload = json.loads(out)
    _text, document = load(path)
    resources = {resource.url for resource in document.resources}
    assert payload["summary"]["ok"] == len(payload["results"]) == len(resources) > 50
    assert fake_hosts.stats("a").count(method="HEAD") == len(payload["results"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.md"], "missing.md: no such file"),
        (["roadmap.md", "--per-host", "0"], "per-host must be at least 1."),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    links_in_process, corpus, tmp_path, monkeypatch, args, message
):
    corpus.write(tmp_path / "roadmap.md")
    monkeypatch.chdir(tmp_path)

    code, out, err = links_in_process("check", *args)

    assert code == 2
    assert err.splitlines() == [f"learnmap links: {message}"]  # one line, no traceback
    assert out == ""


@pytest.mark.django_db
def test_an_unknown_slug_is_one_clear_line_and_exit_2():
    with pytest.raises(CommandError) as refusal:
        call_command("links", "check", "no-such-roadmap", stdout=io.StringIO())

    assert refusal.value.returncode == 2
    assert str(refusal.value) == "There is no roadmap with the slug 'no-such-roadmap'."


@pytest.mark.django_db
def test_slug_mode_checks_the_catalog_records_and_reuses_the_verdicts(
    corpus, fake_hosts, linkcheck_settings
):
    catalog_services.roadmap_import(source=corpus.markdown, slug="links")

    def run() -> tuple[int, str]:
        out = io.StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command(
                "links", "check", "links", "--format", "json", stdout=out, stderr=io.StringIO()
            )
        return exit_info.value.code, out.getvalue()

    code, first = run()
    requests = len(fake_hosts.total().requests)
    code_again, second = run()

    assert code == code_again == 1
    assert _classes(first) == _classes(second) == corpus.truth
    dead = corpus.urls_of("dead")[0]
    row = next(r for r in json.loads(first)["results"] if r["url"] == dead)
    assert row["lines"] == corpus.lines[dead]  # the lines of the file as imported
    # Every verdict was recorded once; the second run, within the cache's TTL, cost nothing.
    assert LinkCheck.objects.count() == len(corpus.truth)
    assert len(fake_hosts.total().requests) == requests
    assert list(CheckRun.objects.values_list("kind", "status")) == [("command", "done")] * 2


def test_file_mode_never_imports_django(corpus, tmp_path, learnmap_env):
    path = corpus.write(tmp_path / "roadmap.md")
    script = (
        "import sys\n"
        "from learnmap.cli import main\n"
        f"code = main(['links', 'check', {str(path)!r}, '--format', 'json'])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'django', 'learnmap'}))\n"
    )
    env = {**learnmap_env, "LEARNMAP_LINKCHECK_ALLOW_PRIVATE": "1"}

    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.stdout.strip().splitlines()[-1] == "1 ['learnmap']", result.stderr
