"""Fixtures for link checking: fake web hosts on 127.0.0.1, one server for the session."""

from __future__ import annotations

from collections.abc import Iterator

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
