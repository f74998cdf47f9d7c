"""`learnmap worker` and `learnmap serve`'s worker, as real processes on the embedded default
(SQLite in a fresh data directory), checking links on the fake hosts."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import LEARNMAP
from tests.linkcheck.conftest import Corpus, build_corpus
from tests.linkcheck.fakehosts import FakeHosts

pytestmark = pytest.mark.slow


@pytest.fixture
def site(learnmap_env, tmp_path):
    """The environment of a laptop install (SQLite) whose checker may visit 127.0.0.1 and
    whose built-in roadmaps are only the ones a test puts in ``content``."""
    content = tmp_path / "content"
    content.mkdir()
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}
    env.update(
        LEARNMAP_LINKCHECK_ALLOW_PRIVATE="1",
        LEARNMAP_LINKCHECK_INTERVAL="0",  # no periodic check unless a test wants one
        LEARNMAP_CONTENT_DIR=str(content),
    )
    return env


def _run(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(LEARNMAP), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


def _query(env: dict[str, str], sql: str) -> list[tuple]:
    database = Path(env["LEARNMAP_DATA_DIR"]) / "learnmap.sqlite3"
    with sqlite3.connect(database, timeout=10) as connection:
        return connection.execute(sql).fetchall()


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _verdicts(env) -> dict[str, str]:
    return dict(_query(env, "SELECT url, link_class FROM linkcheck_link"))


def test_the_worker_runs_a_queued_check(site, corpus: Corpus, tmp_path):
    _run(site, "import", str(corpus.write(tmp_path / "links.md")), "--slug", "links", cwd=tmp_path)
    queued = _run(site, "links", "recheck", "links", cwd=tmp_path)
    assert "Queued a check of the links of links" in queued.stdout

    worker = _run(site, "worker", "--once", cwd=tmp_path)

    assert "Learnmap worker" in worker.stdout
    assert _query(site, "SELECT kind, status, attempts FROM linkcheck_checkrun") == [
        ("manual", "done", 1)
    ]
    assert sorted(_verdicts(site).values()) == sorted(corpus.truth.values())
    assert _query(site, "SELECT count(*) FROM linkcheck_linkcheck") == [(len(corpus.truth),)]
    assert _query(site, "SELECT status FROM django_tasks_database_dbtaskresult") == [
        ("SUCCESSFUL",)
    ]


def test_a_killed_worker_loses_no_check_and_writes_none_twice(
    site, fake_hosts: FakeHosts, tmp_path
):
    urls = [fake_hosts.url("a", f"/slow/{n}?d=300") for n in range(10)]
    corpus = build_corpus(fake_hosts, [(f"Page {n}", url, "ok") for n, url in enumerate(urls)])
    site["LEARNMAP_LINKCHECK_PER_HOST"] = "1"  # one at a time: about 0.3 s a link
    _run(site, "import", str(corpus.write(tmp_path / "slow.md")), "--slug", "slow", cwd=tmp_path)
    _run(site, "links", "recheck", "slow", cwd=tmp_path)
    worker = subprocess.Popen(
        [str(LEARNMAP), "worker"], env=site, cwd=tmp_path, stdout=subprocess.DEVNULL
    )
    try:
        _wait_for(
            lambda: _query(site, "SELECT count(*) FROM linkcheck_linkcheck")[0][0] >= 3,
            "the first verdicts",
        )
    finally:
        worker.send_signal(signal.SIGKILL)  # no chance to tidy up
        worker.wait()
    (found_before,) = _query(site, "SELECT count(*) FROM linkcheck_linkcheck")[0]
    assert _query(site, "SELECT status FROM linkcheck_checkrun") == [("running",)]
    assert found_before < len(urls)

    # The next worker sees the run has no live worker (no heartbeat for --stale-after).
    _run(site, "worker", "--once", "--stale-after", "0", cwd=tmp_path)

    assert _query(site, "SELECT status, attempts FROM linkcheck_checkrun") == [("done", 2)]
    assert _query(site, "SELECT count(*), count(DISTINCT link_id) FROM linkcheck_linkcheck") == [
        (len(urls), len(urls))
    ]
    assert sorted(
        _query(site, "SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
    ) == [("FAILED",), ("SUCCESSFUL",)]
    # What the killed worker had recorded was not asked for again; at most the link that
    # was in flight when it died was asked twice.
    heads = [
        fake_hosts.stats("a").count(f"{urlsplit(u).path}?{urlsplit(u).query}", "HEAD") for u in urls
    ]
    assert sum(heads) <= len(urls) + 1 and min(heads) == 1


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _worker_of(serve: subprocess.Popen) -> int:
    for child in _children(serve.pid):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if b"worker" in cmdline:
            return child
    return 0


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_serve_runs_a_worker_that_does_the_periodic_check_and_stops_with_it(
    site, corpus: Corpus, free_port, tmp_path, stop
):
    corpus.write(Path(site["LEARNMAP_CONTENT_DIR"]) / "links.md")  # a built-in roadmap
    site.update(LEARNMAP_LINKCHECK_INTERVAL="3600", LEARNMAP_LINKCHECK_FIRST_DELAY="0")
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen(
            [
                str(LEARNMAP),
                "serve",
                "--port",
                str(free_port),
                "--workers",
                "1",
                "--no-collectstatic",
            ],
            env=site,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: _worker_of(serve) != 0, "serve's worker", 120)
        worker = _worker_of(serve)
        _wait_for(
            lambda: _query(site, "SELECT status FROM linkcheck_checkrun") == [("done",)],
            f"the periodic check:\n{log.read_text()}",
        )
        assert _query(site, "SELECT kind FROM linkcheck_checkrun") == [("scheduled",)]
        assert sorted(_verdicts(site).values()) == sorted(corpus.truth.values())

        serve.send_signal(stop)
        serve.wait(30)
        _wait_for(lambda: _gone(worker), "the worker to stop with serve", 15)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
