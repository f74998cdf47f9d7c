"""`learnmap serve`, end to end: a real server in a subprocess, spoken to over HTTP."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import LEARNMAP

ONE_YEAR = 365 * 24 * 60 * 60


def _wait_until_listening(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"learnmap serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"learnmap serve did not answer on {url} in 90 s:\n{log.read_text()}")


@pytest.fixture
def server(learnmap_env, free_port, tmp_path):
    """`learnmap serve` on the embedded default (SQLite in an empty data directory).

    Yields the process, its URL and its log (what it printed, errors included).
    """
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(LEARNMAP), "serve", "--port", str(free_port), "--workers", "2"],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{free_port}"
    try:
        _wait_until_listening(process, url, log)
        yield process, url, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _cache_seconds(response: httpx.Response) -> int:
    match = re.search(r"max-age=(\d+)", response.headers.get("cache-control", ""))
    return int(match.group(1)) if match else 0


@pytest.mark.slow
def test_serve_prepares_the_site_serves_it_and_stops_on_sigterm(server, free_port):
    process, url, log = server

    home = httpx.get(f"{url}/")
    assert home.status_code == 200, log.read_text()
    assert "Python Backend Engineer Roadmap" in home.text  # the built-in roadmaps were loaded

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.text).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # hashed: safe to cache forever
    plain = httpx.get(f"{url}{stylesheet}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for encoding in ("gzip", "br"):
        response = httpx.get(f"{url}{stylesheet}", headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == encoding
        assert _cache_seconds(response) >= ONE_YEAR
        assert "immutable" in response.headers["cache-control"]
        assert response.text == plain.text

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    output = log.read_text()
    assert process.returncode == 0, output
    assert f"serving on {url}" in output
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", free_port), timeout=2):
        pass  # every worker is gone with it


def test_serve_says_when_the_port_is_taken(learnmap, free_port):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port))
        taken.listen()
        result = learnmap(
            "serve", "--port", str(free_port), "--setup", "never", "--no-collectstatic"
        )

    assert result.returncode == 1
    assert f"Cannot listen on http://127.0.0.1:{free_port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr
