"""The checker against real local HTTP servers: every class, with its evidence."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from learnmap.linkcheck.engine import (
    CheckConfig,
    LinkClass,
    LinkResult,
    MemoryCache,
    check_urls,
    check_urls_sync,
)
from tests.linkcheck.fakehosts import FakeHosts

FAST = CheckConfig(
    allow_private=True,  # the fake hosts are on 127.0.0.1
    timeout=0.5,
    retries=2,
    backoff_base=0.02,
    backoff_max=0.05,
    user_agent="learnmap-tests/1",
)


def check(urls: list[str], **changes: object) -> dict[str, LinkResult]:
    return check_urls_sync(urls, replace(FAST, **changes))


def check_one(url: str, **changes: object) -> LinkResult:
    return check([url], **changes)[url]


def test_ok_costs_one_head_request(fake_hosts: FakeHosts) -> None:
    url = fake_hosts.url("a", "/page")
    result = check_one(url)
    assert (result.cls, result.status, result.final_url, result.error) == (
        LinkClass.OK,
        200,
        url,
        None,
    )
    assert result.requests == 1 and result.elapsed_ms >= 0
    assert fake_hosts.stats("a").requests == [("HEAD", "/page")]
    assert fake_hosts.stats("a").user_agents == {"learnmap-tests/1"}


@pytest.mark.parametrize("status", [404, 410])
def test_missing_page_is_dead_after_get_confirms(fake_hosts: FakeHosts, status: int) -> None:
    result = check_one(fake_hosts.url("a", f"/gone?s={status}"))
    assert (result.cls, result.status) == (LinkClass.DEAD, status)
    assert str(status) in (result.error or "")
    # HEAD said so, GET confirmed: a server that lies to HEAD cannot make a link dead.
    assert [m for m, _ in fake_hosts.stats("a").requests] == ["HEAD", "GET"]


def test_refused_connection_is_dead(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("gone", "/"))
    assert (result.cls, result.status) == (LinkClass.DEAD, None)
    assert "refused" in (result.error or "")
    assert result.requests == 1  # not retried


def test_unknown_host_is_dead() -> None:
    async def no_such_host(host: str, port: int) -> list[str]:
        return []

    result = check_one("http://nowhere.test/x", resolver=no_such_host)
    assert result.cls is LinkClass.DEAD
    assert "unknown host nowhere.test" in (result.error or "")


def test_redirect_loop_is_dead(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/l?loop=a"))
    assert (result.cls, result.status, result.error) == (LinkClass.DEAD, 302, "redirect loop")
    assert [hop.status for hop in result.redirects] == [302, 302]


def test_redirect_chain_ending_in_404_is_dead(fake_hosts: FakeHosts) -> None:
    url = fake_hosts.url("a", "/old?r=302.307&s=404")
    result = check_one(url)
    assert (result.cls, result.status) == (LinkClass.DEAD, 404)
    assert [hop.status for hop in result.redirects] == [302, 307]
    assert result.redirects[0].url == url
    assert result.final_url == fake_hosts.url("a", "/old?s=404")


def test_permanent_redirect_is_moved_with_its_target(fake_hosts: FakeHosts) -> None:
    url = fake_hosts.url("a", "/old?r=301.308")
    result = check_one(url)
    assert (result.cls, result.status) == (LinkClass.MOVED, 200)
    assert result.moved_to == result.final_url == fake_hosts.url("a", "/old")
    assert [(hop.url, hop.status) for hop in result.redirects] == [
        (url, 301),
        (fake_hosts.url("a", "/old?r=308"), 308),
    ]


def test_moved_target_stops_at_the_first_temporary_redirect(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/old?r=301.302"))
    assert result.cls is LinkClass.MOVED
    assert result.moved_to == fake_hosts.url("a", "/old?r=302")  # what the 301 said


def test_temporary_redirect_is_ok(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/login?r=302"))
    assert (result.cls, result.moved_to) == (LinkClass.OK, None)
    assert result.final_url == fake_hosts.url("a", "/login")


def test_redirect_to_another_host(fake_hosts: FakeHosts) -> None:
    port_b = fake_hosts.port("b")
    result = check_one(fake_hosts.url("a", f"/x?r=301@{port_b}"))
    assert result.cls is LinkClass.MOVED
    assert result.moved_to == fake_hosts.url("b", "/x")
    assert fake_hosts.stats("b").count("/x") == 1


def test_too_many_redirects_is_an_error(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/x?r=302.302.302"), max_redirects=2)
    assert result.cls is LinkClass.ERROR
    assert result.error == "more than 2 redirects"


@pytest.mark.parametrize(
    ("host", "path", "status", "requests"),
    [("wall", "/", 403, 2), ("a", "/?s=401", 401, 1), ("a", "/?s=999", 999, 1)],
)
def test_bot_walls_are_blocked(
    fake_hosts: FakeHosts, host: str, path: str, status: int, requests: int
) -> None:
    result = check_one(fake_hosts.url(host, path))
    assert (result.cls, result.status) == (LinkClass.BLOCKED, status)
    # A 403 to HEAD may be HEAD's alone: GET decides. Nothing is retried.
    assert result.requests == fake_hosts.stats(host).count() == requests


def test_head_refusing_host_is_checked_with_get(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("nohead", f"/p{i}") for i in range(4)] + [
        fake_hosts.url("nohead", "/x?s=404")
    ]
    results = check(urls, per_host=1)
    assert [results[url].cls for url in urls] == [LinkClass.OK] * 4 + [LinkClass.DEAD]
    methods = [method for method, _ in fake_hosts.stats("nohead").requests]
    assert methods.count("HEAD") == 1  # after one 405 the host gets GET only


def test_a_head_that_lies_does_not_make_a_link_dead(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("headlies", f"/p{i}") for i in range(3)]
    results = check(urls, per_host=1)
    assert {result.cls for result in results.values()} == {LinkClass.OK}
    methods = [method for method, _ in fake_hosts.stats("headlies").requests]
    assert methods == ["HEAD", "GET", "GET", "GET"]


def test_hosts_known_to_answer_head_wrongly_get_get(fake_hosts: FakeHosts) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    port = fake_hosts.port("a")
    result = check_one(f"http://gets.test:{port}/p", resolver=resolve, get_only_hosts={"GETS.test"})
    assert result.cls is LinkClass.OK
    assert fake_hosts.stats("a").requests == [("GET", "/p")]


def test_transient_failures_are_retried(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("a", "/f?fail=2"), fake_hosts.url("a", "/r?reset=2")]
    results = check(urls)
    assert [results[url].cls for url in urls] == [LinkClass.OK, LinkClass.OK]


def test_persistent_5xx_is_an_error_after_retries(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/f?fail=99"), retries=2)
    assert (result.cls, result.status) == (LinkClass.ERROR, 503)
    assert result.error == "HTTP 503 Service Unavailable (after 2 retries)"
    # HEAD 503, then GET (HEAD's 5xx might be HEAD's alone), then 2 retries of GET.
    assert result.requests == fake_hosts.stats("a").count() == 4


def test_persistent_reset_is_an_error(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/r?reset=99"), retries=1)
    assert (result.cls, result.status) == (LinkClass.ERROR, None)
    assert "after 1 retries" in (result.error or "")
    assert fake_hosts.stats("a").count() == 2


def test_hang_is_a_timeout_after_retries(fake_hosts: FakeHosts) -> None:
    started = time.monotonic()
    result = check_one(fake_hosts.url("a", "/h?hang=1"), timeout=0.3, retries=2)
    assert (result.cls, result.status) == (LinkClass.TIMEOUT, None)
    assert result.error == "no response within 0.3 s (after 2 retries)"
    assert time.monotonic() - started >= 0.9  # three attempts of 0.3 s each
    # A HEAD that never answers is retried with GET: some servers ignore HEAD.
    assert [m for m, _ in fake_hosts.stats("a").requests] == ["HEAD", "GET", "GET"]


def test_slow_response_is_a_timeout(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/s?d=600"), timeout=0.3, retries=0)
    assert result.cls is LinkClass.TIMEOUT


def test_retry_after_is_honoured(fake_hosts: FakeHosts) -> None:
    started = time.monotonic()
    result = check_one(fake_hosts.url("a", "/q?limit=1&ra=1"))
    assert result.cls is LinkClass.OK
    assert time.monotonic() - started >= 0.95
    assert result.requests == 2


def test_still_limited_is_rate_limited_not_dead(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/q?limit=99&ra=0"), rate_limit_retries=2)
    assert (result.cls, result.status) == (LinkClass.RATE_LIMITED, 429)
    assert result.requests == 3


def test_retry_after_beyond_the_bound_gives_up_at_once(fake_hosts: FakeHosts) -> None:
    result = check_one(fake_hosts.url("a", "/q?limit=99&ra=3600"), max_retry_after=5)
    assert result.cls is LinkClass.RATE_LIMITED
    assert "3600 s exceeds the 5 s bound" in (result.error or "")
    assert result.requests == 1


def test_one_limited_page_does_not_pause_its_host(fake_hosts: FakeHosts) -> None:
    limited = fake_hosts.url("a", "/q?limit=2&ra=1")
    others = [fake_hosts.url("a", f"/o{i}?d=20") for i in range(12)]
    finished: dict[str, float] = {}
    started = time.monotonic()

    def on_result(result: LinkResult, done: int, total: int) -> None:
        finished[result.url] = time.monotonic() - started

    results = check_urls_sync([limited, *others], FAST, on_result=on_result)
    assert {result.cls for result in results.values()} == {LinkClass.OK}
    assert finished[limited] >= 1.9  # waited out Retry-After twice
    assert max(finished, key=finished.__getitem__) == limited  # the rest did not wait


def test_rate_limiting_host_is_paced_not_failed(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("limited", f"/p{i}") for i in range(30)]
    started = time.monotonic()
    results = check(urls, per_host=4)
    assert {result.cls for result in results.values()} == {LinkClass.OK}
    assert time.monotonic() - started >= 0.45  # the 10 after the burst waited
    statuses_429 = fake_hosts.stats("limited").count() - 30
    assert statuses_429 <= 12  # the host paused as a whole, not hammered per URL


def test_per_host_limit_is_never_exceeded(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url(host, f"/c{i}?d=40") for host in ("a", "b") for i in range(24)]
    results = check(urls, per_host=3, concurrency=64)
    assert all(result.cls is LinkClass.OK for result in results.values())
    assert fake_hosts.stats("a").max_active == 3
    assert fake_hosts.stats("b").max_active == 3
    assert fake_hosts.total().max_active == 6


def test_global_limit_is_never_exceeded(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url(host, f"/g{i}?d=30") for host in ("a", "b") for i in range(10)]
    check(urls, per_host=4, concurrency=3)
    assert fake_hosts.total().max_active == 3


def test_connections_are_reused_per_host(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("a", f"/k{i}") for i in range(20)]
    urls += [fake_hosts.url("a", f"/k{i}?s=404") for i in range(5)]  # GET bodies drained
    check(urls, per_host=2)
    assert fake_hosts.stats("a").count() == 30
    assert fake_hosts.stats("a").connections <= 2


def test_each_url_is_checked_once_and_fragments_are_not_requested(
    fake_hosts: FakeHosts,
) -> None:
    url = fake_hosts.url("a", "/doc")
    variants = [url, url + "#intro", url + "#usage", url.replace("http://", "HTTP://"), url]
    results = check(variants)
    assert set(results) == set(variants)
    assert {result.url for result in results.values()} == {url}
    assert fake_hosts.stats("a").requests == [("HEAD", "/doc")]


def test_no_urls_no_work() -> None:
    assert check([]) == {}


def test_unsupported_urls_are_errors_without_requests() -> None:
    urls = ["ftp://example.org/file", "mailto:someone@example.org", "not a url", "http:///x"]
    results = check(urls)
    assert {result.cls for result in results.values()} == {LinkClass.ERROR}
    assert "only http and https" in (results["ftp://example.org/file"].error or "")
    assert all(result.requests == 0 for result in results.values())


def test_cache_makes_a_rerun_free_within_its_ttl(fake_hosts: FakeHosts) -> None:
    cache = MemoryCache()
    urls = [fake_hosts.url("a", "/c1"), fake_hosts.url("a", "/c2?s=404")]
    first = check_urls_sync(urls, FAST, cache=cache)
    assert len(cache) == 2
    requests = fake_hosts.stats("a").count()
    second = check_urls_sync(urls, FAST, cache=cache)
    assert second == first
    assert fake_hosts.stats("a").count() == requests  # no request at all


def test_stale_cache_entries_are_checked_again(fake_hosts: FakeHosts) -> None:
    ok_url, slow_url = fake_hosts.url("a", "/c1"), fake_hosts.url("a", "/c2")
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    cache = MemoryCache()
    # An ok verdict lasts a day; a timeout is re-checked after an hour.
    cache.set(ok_url, LinkResult(url=ok_url, cls=LinkClass.OK, checked_at=two_hours_ago))
    cache.set(slow_url, LinkResult(url=slow_url, cls=LinkClass.TIMEOUT, checked_at=two_hours_ago))
    results = check_urls_sync([ok_url, slow_url], FAST, cache=cache)
    assert results[ok_url].checked_at == two_hours_ago
    assert results[slow_url].cls is LinkClass.OK
    assert fake_hosts.stats("a").requests == [("HEAD", "/c2")]


def test_async_cache_and_progress_callback(fake_hosts: FakeHosts) -> None:
    stored: dict[str, LinkResult] = {}
    progress: list[tuple[str, int, int]] = []

    class AsyncCache:
        async def get(self, url: str) -> LinkResult | None:
            return stored.get(url)

        async def set(self, url: str, result: LinkResult) -> None:
            stored[url] = result

    async def on_result(result: LinkResult, done: int, total: int) -> None:
        progress.append((result.url, done, total))

    urls = [fake_hosts.url("a", f"/p{i}") for i in range(3)]
    asyncio.run(check_urls(urls + urls[:1], FAST, cache=AsyncCache(), on_result=on_result))
    assert sorted(stored) == sorted(urls)
    assert [(done, total) for _, done, total in progress] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(url for url, _, _ in progress) == sorted(urls)


def test_deadline_ends_the_run(fake_hosts: FakeHosts) -> None:
    urls = [fake_hosts.url("a", f"/h{i}?hang=1") for i in range(3)] + [fake_hosts.url("a", "/ok")]
    started = time.monotonic()
    results = check(urls, timeout=5, deadline=0.4)
    assert time.monotonic() - started < 4  # cut before any 5 s request timeout fired
    assert results[urls[-1]].cls is LinkClass.OK
    for url in urls[:3]:
        assert results[url].cls is LinkClass.TIMEOUT
        assert "deadline" in (results[url].error or "")
