"""Credentials never stored, never shown: a token written in a URL is refused; one named as an
environment variable reaches git through its environment only, and no error repeats it."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError

from learnmap.core.errors import ApplicationError
from learnmap.sources import git, remote
from learnmap.sources.models import Source
from tests.sources.test_sync import run

pytestmark = [pytest.mark.django_db]

TOKEN = "ghp_s3cr3tT0kenValue1234567890"


class _Refusing(BaseHTTPRequestHandler):
    """A Git host that wants a password and accepts none: remembers what it was sent."""

    seen: list[str] = []

    def do_GET(self):
        self.seen.append(self.headers.get("Authorization", ""))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def git_host() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Refusing,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        f"https://someone:{TOKEN}@github.com/org/roadmap.git",
        f"https://{TOKEN}@github.com/org/roadmap.git",
        f"ssh://git:{TOKEN}@example.com/roadmap.git",
        f"git:{TOKEN}@example.com:org/roadmap.git",
    ],
)
def test_a_token_written_in_the_url_is_refused_without_repeating_it(url, upstream):
    with pytest.raises(CommandError) as refused:
        run("sources", "add", "small", url)
    message = str(refused.value)
    assert TOKEN not in message
    assert "LEARNMAP_GIT_" in message or "key" in message
    assert not Source.objects.exists()


def test_a_token_from_the_environment_reaches_the_host_and_never_an_error(
    git_host, monkeypatch, upstream
):
    address, seen = git_host
    monkeypatch.setenv("LEARNMAP_GIT_TEST_TOKEN", TOKEN)
    url = f"http://x-access-token:${{LEARNMAP_GIT_TEST_TOKEN}}@{address}/org/roadmap.git"
    with pytest.raises(CommandError) as failed:
        run("sources", "add", "small", url)
    message = str(failed.value)
    assert "Authentication failed" in message or "401" in message, message
    assert TOKEN not in message
    # git asked without, then with the credentials handed over by the helper.
    sent = {base64.b64decode(h.split()[1]).decode() for h in seen if h}
    assert sent == {f"x-access-token:{TOKEN}"}
    # The stored URL (had it been stored) only names the variable.
    assert remote.url_check(url) == url


def test_a_missing_variable_is_named(monkeypatch, upstream):
    monkeypatch.delenv("LEARNMAP_GIT_NOT_SET", raising=False)
    url = "https://oauth2:${LEARNMAP_GIT_NOT_SET}@gitlab.example/org/roadmap.git"
    with pytest.raises(CommandError, match=r"\$\{LEARNMAP_GIT_NOT_SET\}, which is not set"):
        run("sources", "add", "small", url)


def test_only_learnmap_git_variables_are_read():
    with pytest.raises(ApplicationError, match="in clear"):
        remote.url_check("https://x:${SECRET_KEY}@github.com/org/roadmap.git")


def test_git_messages_are_scrubbed_of_credentials(upstream, settings, tmp_path):
    # Whatever git prints (here: a URL with a password it was given), the error hides it.
    clone = git.clone_for(slug="scrub")
    for url in (f"http://u:{TOKEN}@127.0.0.1:9/r.git", str(tmp_path / TOKEN / "r.git")):
        resolved = remote.Resolved(url=url, secrets=(TOKEN,))
        with pytest.raises(git.GitError) as failed:
            git.fetch(clone=clone, remote=resolved, branch="main", shown_url="the repository")
        assert "failed" in failed.value.message and TOKEN not in failed.value.message
    assert remote.scrub(f"fatal: unable to access 'https://u:{TOKEN}@h/r.git/'") == (
        "fatal: unable to access 'https://***@h/r.git/'"
    )


def test_a_host_that_never_answers_is_given_up_after_the_time_limit(settings, upstream):
    import socket

    settings.SOURCES_GIT_TIMEOUT = 1
    with socket.socket() as silent:  # accepts the connection, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/org/roadmap.git"
        with pytest.raises(CommandError, match="took longer than 1 seconds and was stopped"):
            run("sources", "add", "small", url)
    assert not Source.objects.exists()
