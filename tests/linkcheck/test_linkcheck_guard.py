"""The SSRF guard: no loopback, private or link-local target, on any hop."""

from __future__ import annotations

import asyncio

import pytest

from learnmap.linkcheck.engine import (
    CheckConfig,
    LinkClass,
    address_problem,
    check_urls_sync,
    resolve_allowed,
)
from learnmap.linkcheck.engine.guard import AddressRefused, HostNotFound
from tests.linkcheck.fakehosts import FakeHosts

STRICT = CheckConfig(timeout=0.5, retries=0)  # allow_private is off by default


def static_resolver(table: dict[str, list[str]], calls: list[str] | None = None):
    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        return table.get(host, [])

    return resolve


@pytest.mark.parametrize(
    ("ip", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped IPv6
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd00::1", "a private address"),
        ("169.254.169.254", "a link-local address"),  # cloud metadata
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("64:ff9b::7f00:1", "a loopback address"),  # NAT64 of 127.0.0.1
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_problem(ip: str, problem: str | None) -> None:
    assert address_problem(ip) == problem


def test_names_resolving_to_private_addresses_are_refused() -> None:
    table = {"evil.test": ["127.0.0.1"], "intranet.test": ["10.0.0.7"]}
    resolver = static_resolver(table)
    for host, addresses in table.items():
        with pytest.raises(AddressRefused, match=f"refused: {host}"):
            asyncio.run(resolve_allowed(host, 80, resolver=resolver))
        allowed = asyncio.run(resolve_allowed(host, 80, resolver=resolver, allow_private=True))
        assert allowed == addresses
        exempt = asyncio.run(resolve_allowed(host, 80, resolver=resolver, allowed_hosts={host}))
        assert exempt == addresses


def test_only_the_public_addresses_of_a_mixed_answer_are_kept() -> None:
    resolver = static_resolver({"mixed.test": ["127.0.0.1", "93.184.215.14"]})
    assert asyncio.run(resolve_allowed("mixed.test", 80, resolver=resolver)) == ["93.184.215.14"]


def test_a_public_answer_passes_and_no_answer_is_unknown_host() -> None:
    resolver = static_resolver({"public.test": ["93.184.215.14"]})
    assert asyncio.run(resolve_allowed("public.test", 443, resolver=resolver)) == ["93.184.215.14"]
    with pytest.raises(HostNotFound):
        asyncio.run(resolve_allowed("nowhere.test", 443, resolver=resolver))


def test_loopback_targets_are_refused_without_a_request(fake_hosts: FakeHosts) -> None:
    port = fake_hosts.port("a")
    urls = [
        f"http://127.0.0.1:{port}/",
        f"http://localhost:{port}/",  # resolved by the system: /etc/hosts
        f"http://[::ffff:127.0.0.1]:{port}/",
    ]
    results = check_urls_sync(urls, STRICT)
    for url in urls:
        assert results[url].cls is LinkClass.ERROR
        assert "loopback" in (results[url].error or "")
        assert (results[url].status, results[url].requests) == (None, 0)
    assert fake_hosts.stats("a").count() == 0


def test_allow_private_reaches_local_servers(fake_hosts: FakeHosts) -> None:
    url = fake_hosts.url("a", "/")
    config = CheckConfig(timeout=0.5, allow_private=True)
    assert check_urls_sync([url], config)[url].cls is LinkClass.OK


def test_every_redirect_hop_is_checked(fake_hosts: FakeHosts) -> None:
    """A public-looking host (allowed) redirects to loopback: the second hop is refused."""
    calls: list[str] = []
    resolver = static_resolver({"public.test": ["127.0.0.1"]}, calls)
    config = CheckConfig(timeout=0.5, resolver=resolver, allowed_hosts={"public.test"})
    url = f"http://public.test:{fake_hosts.port('a')}/go?r=302@{fake_hosts.port('b')}"
    result = check_urls_sync([url], config)[url]
    assert result.cls is LinkClass.ERROR
    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert [(hop.url, hop.status) for hop in result.redirects] == [(url, 302)]
    assert result.final_url == fake_hosts.url("b", "/go")
    assert fake_hosts.stats("a").count() == 1
    assert fake_hosts.stats("b").count() == 0  # never contacted


def test_the_checker_connects_to_the_address_it_resolved(fake_hosts: FakeHosts) -> None:
    """One resolution per connection, and the connection goes to that answer: a name the
    system cannot resolve reaches the fake host only through the injected resolver."""
    calls: list[str] = []
    resolver = static_resolver({"named.test": ["127.0.0.1"]}, calls)
    config = CheckConfig(timeout=0.5, allow_private=True, resolver=resolver, per_host=1)
    port = fake_hosts.port("a")
    urls = [f"http://named.test:{port}/n{i}" for i in range(3)]
    results = check_urls_sync(urls, config)
    assert {result.cls for result in results.values()} == {LinkClass.OK}
    assert fake_hosts.stats("a").host_headers == {f"named.test:{port}"}
    assert calls == ["named.test"]  # one connection, reused, resolved once
