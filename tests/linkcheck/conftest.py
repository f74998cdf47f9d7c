"""Fixtures for link checking: fake web hosts on 127.0.0.1, one server for the session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.linkcheck.fakehosts import FakeHosts, HostSpec

SPECS = [
    HostSpec("a"),
    HostSpec("b"),
    HostSpec("nohead", head_status=405),  # refuses HEAD
    HostSpec("headlies", head_status=404),  # says 404 to HEAD, 200 to GET
    HostSpec("wall", status=403),  # a bot wall
    HostSpec("limited", rate=20, burst=20),  # 20 requests/s, then 429 Retry-After: 1
    HostSpec("gone", closed=True),  # nothing listens: connection refused
]


@pytest.fixture(scope="session")
def fake_hosts_session() -> Iterator[FakeHosts]:
    with FakeHosts(SPECS) as hosts:
        yield hosts


@pytest.fixture
def fake_hosts(fake_hosts_session: FakeHosts) -> FakeHosts:
    """The fake hosts with counters, stats and rate limits reset for this test."""
    fake_hosts_session.reset()
    return fake_hosts_session


# --- the Django side: a corpus with known verdicts, and the link-check settings ---------------


@dataclass(frozen=True)
class Corpus:
    """A Markdown roadmap whose links go to the fake hosts, and what each link truly is."""

    markdown: str
    truth: dict[str, str]  # URL as written -> class
    lines: dict[str, list[int]]  # URL as written -> its lines

    def write(self, path: Path) -> Path:
        path.write_text(self.markdown, encoding="utf-8")
        return path

    def urls_of(self, link_class: str) -> list[str]:
        return [url for url, cls in self.truth.items() if cls == link_class]


def build_corpus(
    hosts: FakeHosts, links: list[tuple[str, str, str]], title: str = "Links"
) -> Corpus:
    """``links``: (resource title, URL, true class), one resource a line, in one section each
    of two (so a roadmap has sections and a node page to show them on)."""
    out = [f"# {title}", "", "## Step 1: Basics", ""]
    truth: dict[str, str] = {}
    lines: dict[str, list[int]] = {}
    half = (len(links) + 1) // 2
    for index, (name, url, cls) in enumerate(links):
        if index == half:
            out += ["", "## Step 2: More", ""]
        out.append(f"- [{name}]({url}) (English) (Free)")
        truth[url] = cls
        lines.setdefault(url, []).append(len(out))
    return Corpus(markdown="\n".join(out) + "\n", truth=truth, lines=lines)


def every_class_links(hosts: FakeHosts) -> list[tuple[str, str, str]]:
    """One link or more of each class, each answered at once (no retries, no waits)."""
    a = hosts.url
    return [
        ("Home page", a("a", "/home"), "ok"),
        ("No HEAD here", a("nohead", "/doc"), "ok"),
        ("HEAD lies", a("headlies", "/doc"), "ok"),
        ("Gone for good", a("a", "/gone?s=404"), "dead"),
        ("Removed", a("b", "/removed?s=410"), "dead"),
        ("Nobody home", a("gone", "/x"), "dead"),
        ("Old address", a("a", "/old?r=301"), "moved"),
        ("Bot wall", a("wall", "/w"), "blocked"),
        ("Slow down", a("b", "/busy?limit=9&ra=120"), "rate-limited"),
        ("Server error", a("a", "/broken?s=500"), "error"),  # after 2 quick retries
    ]


def hanging_link(hosts: FakeHosts) -> tuple[str, str, str]:
    """A link that never answers: a timeout (slow: every attempt waits for the timeout)."""
    return ("Never answers", hosts.url("b", "/hang?hang=1"), "timeout")


@pytest.fixture
def linkcheck_settings(settings):
    """The site's checker may visit the fake hosts on 127.0.0.1, quickly."""
    settings.LINKCHECK_ALLOW_PRIVATE = True
    settings.LINKCHECK_TIMEOUT = 2
    settings.LINKCHECK_FAILURES_TO_SHOW = 2
    settings.LINKCHECK_CACHE_TTL = 3600
    settings.LINKCHECK_INTERVAL = 24 * 3600
    settings.LINKCHECK_FIRST_DELAY = 0
    return settings


@pytest.fixture
def corpus(fake_hosts: FakeHosts) -> Corpus:
    return build_corpus(fake_hosts, every_class_links(fake_hosts))
