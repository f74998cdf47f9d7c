"""Fake web hosts on 127.0.0.1 for link-checker tests and the benchmark.

Each host is a port on 127.0.0.1 served by a tiny HTTP/1.1 server (asyncio streams,
keep-alive), raw enough to reset connections and hang. It runs in a background thread:

    with FakeHosts([HostSpec("a"), HostSpec("nohead", head_status=405)]) as hosts:
        hosts.url("a", "/page?s=404")         # http://127.0.0.1:<port>/page?s=404
        hosts.stats("a").max_active           # peak concurrent requests seen by host a

A request's query string says how to answer it (unknown parameters are ignored, so
`?n=17` makes URLs unique):

    s=CODE      final status (default 200)
    d=MS        delay before answering (default: the host's latency range)
    r=301.302   redirect chain: answer 301, then 302 on the next hop, then `s`;
                `301@PORT` sends that hop to http://127.0.0.1:PORT (same path)
    loop=a      redirect loop a -> b -> a (302)
    hang=1      never answer; the request ends when the client hangs up
    reset=N     reset the connection for the first N requests to this URL
    fail=N      answer 503 to the first N requests to this URL
    limit=N     answer 429 (Retry-After `ra`, default 1) to the first N requests
    head=CODE   answer HEAD requests with CODE
    len=BYTES   size of the GET body (default 120)

Host-wide behaviour is in `HostSpec`: latency, HEAD answers, one status for all
(bot walls), a token-bucket rate limit, or no listener at all (refused connections).
Each host counts requests in progress and remembers the peak (`max_active`).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode, urlsplit

MAX_HANG = 60.0  # a hung request ends by itself after this long


@dataclass(frozen=True)
class HostSpec:
    name: str
    latency_ms: tuple[int, int] = (0, 0)  # default delay range, picked per URL (stable)
    head_status: int | None = None  # answer every HEAD with this (405: refuses HEAD)
    status: int | None = None  # answer every request with this (403: a bot wall)
    rate: float | None = None  # token bucket: requests per second...
    burst: float | None = None  # ...and its capacity (default: one second of `rate`)
    retry_after: int = 1  # Retry-After of the rate limiter's 429s
    closed: bool = False  # nothing listens: connections are refused


@dataclass
class HostStats:
    active: int = 0
    max_active: int = 0
    connections: int = 0  # TCP connections accepted (keep-alive reuse keeps this low)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, target)
    user_agents: set[str] = field(default_factory=set)
    host_headers: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)  # responses sent, by status

    def count(self, target: str | None = None, method: str | None = None) -> int:
        return sum(
            1
            for m, t in self.requests
            if (target is None or t == target) and (method is None or m == method)
        )


class _Bucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.capacity, self.tokens, self.stamp = rate, burst, burst, now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class _Host:
    def __init__(self, spec: HostSpec, port: int) -> None:
        self.spec = spec
        self.port = port
        self.stats = HostStats()
        self.seen: Counter[str] = Counter()  # requests per target, for fail/reset/limit
        self.bucket: _Bucket | None = None

    def reset(self, now: float) -> None:
        self.stats = HostStats()
        self.seen.clear()
        if self.spec.rate:
            self.bucket = _Bucket(self.spec.rate, self.spec.burst or self.spec.rate, now)

    def default_delay(self, target: str) -> float:
        low, high = self.spec.latency_ms
        fraction = zlib.crc32(target.encode()) / 2**32
        return (low + (high - low) * fraction) / 1000


_RESET = object()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), like a crashing server or a middlebox."""
    sock = writer.get_extra_info("socket")
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _response(status: int, headers: dict[str, str], body: bytes, head: bool) -> bytes:
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Status"
    lines = [f"HTTP/1.1 {status} {reason}", "Server: fakehosts"]
    headers = {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head else body)


class FakeHosts:
    """Fake hosts on 127.0.0.1, served from a background thread (see the module doc)."""

    def __init__(self, specs: list[HostSpec]) -> None:
        self._hosts: dict[str, _Host] = {}
        self._specs = specs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.AbstractServer] = []
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._total = HostStats()

    # -- the public, thread-safe side -------------------------------------------------

    def start(self) -> FakeHosts:
        self._thread = threading.Thread(target=self._run, name="fakehosts", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError("fake hosts did not start") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FakeHosts:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def port(self, name: str) -> int:
        return self._hosts[name].port

    def url(self, name: str, path: str = "/", hostname: str = "127.0.0.1") -> str:
        return f"http://{hostname}:{self.port(name)}{path}"

    def stats(self, name: str) -> HostStats:
        return self._hosts[name].stats

    def total(self) -> HostStats:
        """The counters over all hosts (`max_active`: the peak over all of them at once)."""
        return self._total

    def reset(self) -> None:
        """Forget counters, stats and rate-limit state (before the next client's run)."""
        assert self._loop is not None

        async def reset_all() -> None:
            self._total = HostStats()
            for host in self._hosts.values():
                host.reset(asyncio.get_running_loop().time())

        asyncio.run_coroutine_threadsafe(reset_all(), self._loop).result(10)

    # -- the server thread ------------------------------------------------------------

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        for spec in self._specs:
            if spec.closed:
                with socket.socket() as probe:  # a port nobody listens on
                    probe.bind(("127.0.0.1", 0))
                    port = probe.getsockname()[1]
                host = _Host(spec, port)
            else:
                host = _Host(spec, 0)
                server = await asyncio.start_server(
                    lambda r, w, h=host: self._connection(h, r, w), "127.0.0.1", 0, backlog=512
                )
                host.port = server.sockets[0].getsockname()[1]
                self._servers.append(server)
            host.reset(self._loop.time())
            self._hosts[spec.name] = host
        self._ready.set()
        await self._stop.wait()
        for server in self._servers:
            server.close()
        # Hung handlers wait for their client; end them instead of waiting.
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _connection(
        self, host: _Host, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        host.stats.connections += 1
        self._total.connections += 1
        try:
            while await self._exchange(host, reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _exchange(
        self, host: _Host, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Serve one request; False when the connection is to be closed."""
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if int(headers.get("content-length", "0") or 0):
            await reader.readexactly(int(headers["content-length"]))
        keep_alive = headers.get("connection", "").lower() != "close"

        counters = (host.stats, self._total)
        for stats in counters:
            stats.requests.append((method, target))
            stats.user_agents.add(headers.get("user-agent", ""))
            stats.host_headers.add(headers.get("host", ""))
            stats.active += 1
            stats.max_active = max(stats.max_active, stats.active)
        try:
            answer = await self._answer(host, method, target, reader)
        finally:
            for stats in counters:
                stats.active -= 1
        if answer is _RESET:
            _reset(writer)
        if not isinstance(answer, bytes):  # reset or hang: no response
            return False
        for stats in counters:
            stats.statuses[int(answer[9:12])] += 1
        writer.write(answer)
        await writer.drain()
        return keep_alive

    async def _answer(
        self, host: _Host, method: str, target: str, reader: asyncio.StreamReader
    ) -> bytes | object | None:
        """The response bytes; None after a hang, _RESET to reset the connection."""
        spec = host.spec
        loop = asyncio.get_running_loop()
        head = method == "HEAD"
        if host.bucket is not None and not host.bucket.take(loop.time()):
            return _response(429, {"Retry-After": str(spec.retry_after)}, b"slow down", head)
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        host.seen[target] += 1
        seen = host.seen[target]

        if query.get("hang"):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(MAX_HANG):
                    await reader.read()  # until the client hangs up
            return None
        if seen <= int(query.get("reset", 0)):
            return _RESET
        delay = float(query["d"]) / 1000 if "d" in query else host.default_delay(target)
        if delay:
            await asyncio.sleep(delay)

        extra: dict[str, str] = {}
        if spec.status is not None:
            status = spec.status
        elif seen <= int(query.get("fail", 0)):
            status = 503
        elif seen <= int(query.get("limit", 0)):
            status = 429
            extra["Retry-After"] = query.get("ra", "1")
        elif head and (spec.head_status or "head" in query):
            status = int(query.get("head", spec.head_status or 200))
        elif "loop" in query:
            status = 302
            extra["Location"] = self._next(
                parts.path, query, loop="b" if query["loop"] == "a" else "a"
            )
        elif query.get("r"):
            hop, _, rest = query["r"].partition(".")
            code, _, port = hop.partition("@")
            status = int(code)
            location = self._next(parts.path, query, r=rest)
            extra["Location"] = f"http://127.0.0.1:{port}{location}" if port else location
        else:
            status = int(query.get("s", 200))
        body = b"<!doctype html><title>fake</title>" + b"x" * int(query.get("len", 86))
        return _response(status, extra, body, head)

    @staticmethod
    def _next(path: str, query: dict[str, str], **changes: str) -> str:
        query = {**query, **changes}
        query = {key: value for key, value in query.items() if value != ""}
        return f"{path}?{urlencode(query)}" if query else path
