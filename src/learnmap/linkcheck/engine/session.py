"""One run's connections and the check of one URL: hops, fallbacks, retries, verdict.

A session owns one connection pool (keep-alive per host) behind the SSRF guard. A
request holds a slot of its host (`per_host`) and a global slot (`concurrency`) only
while it is on the wire: retries, backoff and Retry-After waits give the slots back.
Each hop of a redirect chain is one `_fetch`: HEAD first, GET when HEAD is refused or its
answer is doubtful, retries on timeouts, resets and 5xx, and Retry-After on 429.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from http import HTTPStatus

import httpcore
import httpx

from .config import CheckConfig
from .guard import (
    AddressRefused,
    ConnectionRefused,
    GuardedBackend,
    HostNotFound,
    describe_tls_error,
    find_cause,
)
from .politeness import CONTINUING, FIRST, HostState, Slots, backoff, retry_after_seconds
from .results import Hop, LinkClass, LinkResult
from .urls import BadURL, host_header, host_key, parse

log = logging.getLogger(__name__)

_REDIRECT = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_DEAD = frozenset({404, 410})
_BLOCKED = frozenset({401, 403, 407, 451, 999})
# HEAD answers that GET may contradict: refusals, bot walls that only dislike HEAD,
# and servers that answer HEAD with 404 or 5xx while GET works. GET settles them.
_HEAD_DOUBTFUL = frozenset({400, 403, 404, 405, 406, 410, 500, 501, 502, 503, 504})
_HEAD_REFUSED = frozenset({405, 501})  # the host does not do HEAD: GET from now on
_ACCEPT = b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass
class _Answer:
    """How one hop ended: a status to classify, or already a verdict (`cls`)."""

    status: int | None = None
    location: str | None = None
    cls: LinkClass | None = None
    error: str | None = None
    requests: int = 0
    retries: int = 0


class _Clock:
    """Time of one URL's check, from its first request (queueing for slots excluded)."""

    __slots__ = ("started",)

    def __init__(self) -> None:
        self.started: float | None = None

    def start(self) -> None:
        if self.started is None:
            self.started = time.monotonic()

    def elapsed_ms(self) -> int:
        return 0 if self.started is None else round((time.monotonic() - self.started) * 1000)


def _reason(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _failure(exc: Exception, timeout: float) -> tuple[LinkClass, str, bool]:
    """(class, error text, worth retrying) for a request that raised `exc`."""
    if isinstance(exc, AddressRefused):
        return LinkClass.ERROR, str(exc), False
    if isinstance(exc, HostNotFound | ConnectionRefused):
        return LinkClass.DEAD, str(exc), False
    if isinstance(exc, TimeoutError | httpcore.TimeoutException):
        return LinkClass.TIMEOUT, f"no response within {timeout:g} s", True
    tls = describe_tls_error(exc)
    if tls:
        return LinkClass.ERROR, tls, False
    if isinstance(exc, httpcore.NetworkError | httpcore.RemoteProtocolError):
        if find_cause(exc, ConnectionResetError):
            return LinkClass.ERROR, "connection reset by the server", True
        return LinkClass.ERROR, f"connection failed: {str(exc) or type(exc).__name__}", True
    return LinkClass.ERROR, f"{type(exc).__name__}: {exc}", False


class CheckSession:
    """The state of one run: the pool, the hosts, the global slots."""

    def __init__(self, config: CheckConfig) -> None:
        self.config = config
        self._slots = Slots(config.concurrency)
        self._hosts: dict[tuple[str, int], HostState] = {}
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=config.verify_tls),
            max_connections=config.concurrency,
            max_keepalive_connections=config.concurrency,
            keepalive_expiry=15.0,
            network_backend=GuardedBackend(
                allow_private=config.allow_private,
                allowed_hosts=config.allowed_hosts,
                resolver=config.resolver,
            ),
        )
        t = config.timeout
        self._timeouts = {"connect": t, "read": t, "write": t, "pool": t}
        self._user_agent = config.user_agent.encode()

    async def __aenter__(self) -> CheckSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._pool.aclose()

    async def check(self, url: str) -> LinkResult:
        try:
            return await self._check(url)
        except Exception as exc:  # one URL must not end the run
            log.exception("link check of %s failed", url)
            return LinkResult(url=url, cls=LinkClass.ERROR, error=f"checker failure: {exc!r}")

    async def _check(self, url: str) -> LinkResult:
        current = parse(url)
        clock = _Clock()
        hops: list[Hop] = []
        seen = {str(current)}
        requests = 0

        def verdict(cls: LinkClass, status: int | None, error: str | None) -> LinkResult:
            return LinkResult(
                url=url,
                cls=cls,
                status=status,
                final_url=str(current),
                error=error,
                elapsed_ms=clock.elapsed_ms(),
                redirects=tuple(hops),
                moved_to=_moved_to(hops, str(current)),
                requests=requests,
            )

        while True:
            answer = await self._fetch(current, clock)
            requests += answer.requests
            status = answer.status
            if answer.cls is not None:
                return verdict(answer.cls, status, answer.error)
            assert status is not None
            if status not in _REDIRECT:
                error = _status_error(status)
                if error and answer.retries:
                    error += f" (after {answer.retries} retries)"
                return verdict(_classify(status, hops), status, error)
            if answer.location is None:
                return verdict(LinkClass.ERROR, status, "redirect without a Location header")
            hops.append(Hop(str(current), status))
            try:
                current = parse(str(current.join(answer.location)))
            except (BadURL, httpx.InvalidURL) as exc:
                return verdict(LinkClass.ERROR, status, f"redirect to an unusable URL: {exc}")
            if str(current) in seen:
                return verdict(LinkClass.DEAD, status, "redirect loop")
            if len(hops) > self.config.max_redirects:
                limit = self.config.max_redirects
                return verdict(LinkClass.ERROR, status, f"more than {limit} redirects")
            seen.add(str(current))

    def _host(self, url: httpx.URL) -> HostState:
        key = host_key(url)
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = HostState(Slots(self.config.per_host))
            host.head_ok = url.host.lower() not in self.config.get_only_hosts
        return host

    def _backoff(self, attempt: int) -> float:
        return backoff(attempt, self.config.backoff_base, self.config.backoff_max)

    async def _fetch(self, url: httpx.URL, clock: _Clock) -> _Answer:
        """One hop: the status (or a verdict) after fallbacks and retries."""
        cfg = self.config
        host = self._host(url)
        use_get = False  # True once this hop wants GET; the host may want it already
        failures = limited = requests = 0
        loop = asyncio.get_running_loop()
        while True:
            wait = host.paused_until - loop.time()
            if wait > cfg.max_retry_after:
                error = f"the host asked to wait {wait:.0f} s (bound {cfg.max_retry_after:g} s)"
                return _Answer(429, cls=LinkClass.RATE_LIMITED, error=error, requests=requests)
            try:
                status, headers, sent = await self._exchange(host, url, clock, get=use_get)
            except Exception as exc:
                if not isinstance(exc, AddressRefused | HostNotFound):
                    requests += 1  # refused before connecting: no request was made
                cls, error, retry = _failure(exc, cfg.timeout)
                if not retry or failures >= cfg.retries:
                    if failures:
                        error += f" (after {failures} retries)"
                    return _Answer(cls=cls, error=error, requests=requests)
                failures += 1
                use_get = use_get or cls is LinkClass.TIMEOUT  # some servers never answer HEAD
                await asyncio.sleep(self._backoff(failures))
                continue
            requests += sent
            use_get = use_get or sent == 2
            host.note(str(url), status)
            if status == 429:
                delay = retry_after_seconds(headers.get("retry-after"))
                if delay is None:
                    delay = self._backoff(limited + 1)
                if delay > cfg.max_retry_after:
                    error = f"Retry-After {delay:.0f} s exceeds the {cfg.max_retry_after:g} s bound"
                elif limited >= cfg.rate_limit_retries:
                    error = f"still {_reason(429)} after {limited} retries"
                else:
                    limited += 1
                    if host.limits_everyone():
                        host.paused_until = max(host.paused_until, loop.time() + delay)
                    await asyncio.sleep(delay)
                    continue
                return _Answer(429, cls=LinkClass.RATE_LIMITED, error=error, requests=requests)
            if 500 <= status < 600 and status != 501 and failures < cfg.retries:
                failures += 1
                await asyncio.sleep(self._backoff(failures))
                continue
            location = headers.get("location")
            return _Answer(status, location=location, requests=requests, retries=failures)

    async def _exchange(
        self, host: HostState, url: httpx.URL, clock: _Clock, *, get: bool
    ) -> tuple[int, dict[str, str], int]:
        """(status, headers, requests sent) once the host has a free slot and no pause.

        HEAD unless `get` or the host has shown that its HEAD answers are useless. A
        doubtful HEAD answer is settled by a GET in the same slot, and teaches the host:
        a refusal (405/501), or a GET that contradicts HEAD, means GET from now on.
        """
        loop = asyncio.get_running_loop()
        priority = FIRST if clock.started is None else CONTINUING
        while True:
            wait = host.paused_until - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            async with host.slots.hold(priority):
                if host.paused_until > loop.time():
                    continue  # the host asked for a pause while we queued
                async with self._slots.hold(priority):
                    clock.start()
                    if get or not host.head_ok:
                        return (*await self._send(b"GET", url), 1)
                    status, headers = await self._send(b"HEAD", url)
                    if status not in _HEAD_DOUBTFUL:
                        return status, headers, 1
                    if status in _HEAD_REFUSED:
                        host.head_ok = False
                    get_status, headers = await self._send(b"GET", url)
                    if get_status < 400:
                        host.head_ok = False  # HEAD said no, GET said yes: HEAD lies here
                    return get_status, headers, 2

    async def _send(self, method: bytes, url: httpx.URL) -> tuple[int, dict[str, str]]:
        request = httpcore.Request(
            method,
            httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=[
                (b"Host", host_header(url)),
                (b"User-Agent", self._user_agent),
                (b"Accept", _ACCEPT),
                (b"Accept-Language", b"en"),
            ],
            extensions={"timeout": self._timeouts},
        )
        async with asyncio.timeout(self.config.timeout):
            response = await self._pool.handle_async_request(request)
        try:
            headers = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in response.headers
            }
            await self._drain(response, headers, head=method == b"HEAD")
        finally:
            await response.aclose()
        return response.status, headers

    async def _drain(
        self, response: httpcore.Response, headers: dict[str, str], *, head: bool
    ) -> None:
        """Read a small body (and HEAD's empty one) to the end, so the connection can
        serve the next request. A large, slow or broken body is dropped with its
        connection: the status is known already."""
        budget = self.config.max_drain_bytes
        length = headers.get("content-length", "")
        if not head and length.isdigit() and int(length) > budget:
            return
        try:
            async with asyncio.timeout(min(self.config.timeout, 2.0)):
                async for chunk in response.aiter_stream():
                    budget -= len(chunk)
                    if budget < 0:
                        return
        except (TimeoutError, httpcore.TimeoutException, httpcore.NetworkError):
            return
        except httpcore.ProtocolError:
            return


def _moved_to(hops: list[Hop], final_url: str) -> str | None:
    """Where the permanent redirects at the head of the chain lead, if the chain starts so."""
    count = 0
    while count < len(hops) and hops[count].status in _PERMANENT:
        count += 1
    if count == 0:
        return None
    return hops[count].url if count < len(hops) else final_url


def _classify(status: int, hops: list[Hop]) -> LinkClass:
    if 200 <= status < 300:
        return LinkClass.MOVED if hops and hops[0].status in _PERMANENT else LinkClass.OK
    if status in _DEAD:
        return LinkClass.DEAD
    if status in _BLOCKED:
        return LinkClass.BLOCKED
    if status == 429:
        return LinkClass.RATE_LIMITED
    return LinkClass.ERROR


def _status_error(status: int) -> str | None:
    return None if 200 <= status < 300 else _reason(status)
