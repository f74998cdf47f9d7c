"""A database outage under a running server: 503 with ``Retry-After`` (a friendly page for
pages, problem details for the API), never a 500, and 200 again once the database is back,
without restarting the app.

Real processes: a throwaway PostgreSQL cluster of its own (a temporary directory, 127.0.0.1
and a free port, as ``.ci/run`` starts one) and ``learnmap serve`` against it. Without
PostgreSQL's server binaries the test is skipped, saying how to install them; in CI
(``CI=true``) it fails instead.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from tests.conftest import LEARNMAP
from tests.core.test_serve import _wait_until_listening

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
AS_ROOT = os.geteuid() == 0


def _pg_bin() -> Path | None:
    found = glob.glob("/usr/lib/postgresql/*/bin")
    found.sort(key=lambda path: [int(p) for p in re.findall(r"\d+", path)])
    return Path(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Postgres:
    """A PostgreSQL cluster in a temporary directory, which the test can stop and start."""

    bin: Path
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://learnmap:learnmap@127.0.0.1:{self.port}/learnmap"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        # The server refuses to run as root: as root, run its binaries as postgres.
        prefix = ["runuser", "-u", "postgres", "--"] if AS_ROOT else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=60, check=False
        )

    def _ctl(self, *args: str) -> None:
        result = self._run(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), *args)
        if result.returncode != 0:
            log = self.directory / "server.log"
            pytest.fail(
                f"pg_ctl {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
                f"{log.read_text() if log.exists() else ''}"
            )

    def init(self) -> None:
        result = self._run(
            str(self.bin / "initdb"),
            *("-D", str(self.directory / "data"), "-U", "postgres", "--encoding=UTF8"),
            *("--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256"),
        )
        if result.returncode != 0:
            pytest.fail(f"initdb failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._ctl("-l", str(self.directory / "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def sql(self, *statements: str) -> None:
        commands = [arg for statement in statements for arg in ("-c", statement)]
        result = self._run(
            str(self.bin / "psql"),
            *("-h", str(self.directory), "-p", str(self.port), "-U", "postgres"),
            *("-q", "-v", "ON_ERROR_STOP=1", *commands),
        )
        if result.returncode != 0:
            pytest.fail(f"psql failed:\n{result.stdout}{result.stderr}")


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    pg_bin = _pg_bin()
    if pg_bin is None:
        reason = "PostgreSQL's server is missing (apt-get install postgresql)"
        if IN_CI:
            pytest.fail(f"The database-outage test cannot run in CI: {reason}.", pytrace=False)
        pytest.skip(f"The database-outage test needs {reason}.")
    # Not under pytest's tmp_path: the postgres user must be able to enter the directory.
    directory = Path(tempfile.mkdtemp(prefix="learnmap-test-pg-"))
    if AS_ROOT:
        shutil.chown(directory, "postgres", "postgres")
    cluster = Postgres(bin=pg_bin, directory=directory, port=_free_port())
    try:
        cluster.init()
        cluster.start()
        cluster.sql(
            "CREATE ROLE learnmap LOGIN CREATEDB PASSWORD 'learnmap'",
            "CREATE DATABASE learnmap OWNER learnmap",
        )
        yield cluster
    finally:
        if (directory / "data" / "postmaster.pid").exists():
            cluster._run(
                str(pg_bin / "pg_ctl"), "-D", str(directory / "data"), "-m", "immediate", "stop"
            )
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Site:
    url: str
    log: Path
    env: dict[str, str]


@pytest.fixture
def site(postgres: Postgres, learnmap_env: dict[str, str], tmp_path: Path) -> Iterator[Site]:
    """``learnmap serve`` on the cluster: migrated and loaded with the built-in roadmaps."""
    env = {
        name: value
        for name, value in learnmap_env.items()
        if name not in {"REDIS_URL", "LEARNMAP_ENV", "DEBUG"}
    }
    env.update(DATABASE_URL=postgres.url, STATIC_ROOT=str(tmp_path / "static"))
    setup = subprocess.run(
        [str(LEARNMAP), "serve", "--setup", "only"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(LEARNMAP), "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_listening(process, f"{url}/healthz", log)
        yield Site(url=url, log=log, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _learnmap(site: Site, *args: str, **env: str) -> str:
    result = subprocess.run(
        [str(LEARNMAP), *args],
        env={**site.env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _node_page(client: httpx.Client) -> str:
    """The address of a node page: rendered for each request, from the database."""
    home = client.get("/")
    assert home.status_code == 200
    roadmap = re.search(r'href="(/r/[\w-]+/)"', home.text).group(1)
    page = client.get(roadmap)
    assert page.status_code == 200
    return re.search(rf'href="({re.escape(roadmap)}n/[^"/]+/)"', page.text).group(1)


@pytest.mark.slow
def test_a_database_outage_answers_503_with_retry_after_until_the_database_is_back(
    postgres: Postgres, site: Site
):
    _learnmap(
        site,
        *("createsuperuser", "--noinput", "--username", "ada", "--email", "ada@example.com"),
        DJANGO_SUPERUSER_PASSWORD="correct horse battery staple",
    )
    secret = re.search(
        r"lm_[\w-]{43}", _learnmap(site, "tokens", "create", "--user", "ada", "--name", "t")
    ).group(0)
    api = {"Authorization": f"Bearer {secret}"}

    with httpx.Client(base_url=site.url, timeout=30) as client:
        node = _node_page(client)
        assert client.get(node).status_code == 200
        assert client.get("/api/v1/me", headers=api).status_code == 200

        postgres.stop()
        try:
            for language, title in (("en", "Back in a moment"), ("fa", "چند لحظهٔ دیگر برمی‌گردیم")):
                page = client.get(node, headers={"Accept-Language": language})
                assert page.status_code == 503, page.text
                assert int(page.headers["Retry-After"]) > 0
                assert page.headers["content-type"].startswith("text/html")
                assert title in page.text
                assert "Traceback" not in page.text

            answer = client.get("/api/v1/me", headers=api)
            assert answer.status_code == 503, answer.text
            assert int(answer.headers["Retry-After"]) > 0
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "database_unavailable"
            assert answer.json()["status"] == 503
        finally:
            postgres.start()

        # The same server, without a restart, serves again once the database is back.
        assert client.get(node).status_code == 200
        assert client.get("/api/v1/me", headers=api).status_code == 200

    log = site.log.read_text()
    assert "Internal Server Error" not in log, log


# --- a bug is still a 500 ------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.broken_urls")
def test_a_wrong_query_on_a_working_database_is_still_a_500_page(client):
    """SQLite reports a missing table as an OperationalError, like a refused connection: the
    page says something went wrong (500), not that the site is resting."""
    client.raise_request_exception = False

    response = client.get("/wrong-query/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_query_on_a_working_database_is_still_a_500_problem(rf):
    from learnmap.config.api import api

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM no_such_table")
    except DatabaseError as exc:
        response = api.on_exception(rf.get("/api/v1/me"), exc)
    else:
        pytest.fail("the query worked")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert json.loads(response.content)["code"] == "server_error"
