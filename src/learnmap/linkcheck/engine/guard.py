"""The SSRF guard: the checker connects only to public addresses it has validated.

URLs come from users, so a link could aim the checker at the machine itself or the
private network behind it. The guard sits where the connection is made (an httpcore
network backend): it resolves the name once, refuses loopback, private, link-local and
other non-public addresses, and connects to the very address it validated, so a second
DNS answer (DNS rebinding) is never used. Every redirect hop opens its connection here
too, so a redirect to a private address is refused the same way.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable

import httpcore

from .config import Resolver

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_DNS_TRANSIENT = frozenset(
    code for code in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)) if code is not None
)


class GuardError(httpcore.ConnectError):
    """A connection-stage verdict that retrying will not change."""


class AddressRefused(GuardError):
    """The guard refused the target address (not public) or the kind of target."""


class HostNotFound(GuardError):
    """DNS says the name does not exist."""


class ConnectionRefused(GuardError):
    """The host answered the connection attempt with a refusal (nothing listens)."""


def address_problem(ip: str) -> str | None:
    """Why `ip` must not be contacted, or None for a public address."""
    addr: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        elif addr in _NAT64:
            addr = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        elif addr.sixtofour is not None:
            addr = addr.sixtofour
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, problem in checks:
        if getattr(addr, attribute):
            return problem
    if not addr.is_global:
        return "not a public address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's resolver: the distinct addresses, in its order."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in _DNS_TRANSIENT:
            raise httpcore.ConnectError(f"DNS lookup of {host} failed for now: {exc}") from exc
        raise HostNotFound(f"unknown host {host} (DNS: {exc.strerror})") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve_allowed(
    host: str,
    port: int,
    *,
    allow_private: bool = False,
    allowed_hosts: Iterable[str] = (),
    resolver: Resolver | None = None,
) -> list[str]:
    """Resolve `host` and keep only the addresses the checker may contact.

    Raises HostNotFound when the name has no address and AddressRefused when none of
    its addresses is public (unless `allow_private`, or the host is in `allowed_hosts`).
    """
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        addresses = await (resolver or system_resolver)(host, port)
    if not addresses:
        raise HostNotFound(f"unknown host {host} (no address)")
    if allow_private or host.lower() in allowed_hosts:
        return addresses
    allowed = [ip for ip in addresses if address_problem(ip) is None]
    if not allowed:
        shown = host if addresses == [host] else f"{host} ({addresses[0]})"
        raise AddressRefused(f"refused: {shown} is {address_problem(addresses[0])}")
    return allowed


def _root_errors(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)


def find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of `kind` in the cause/context chain (or groups) of `exc`."""
    return next((err for err in _root_errors(exc) if isinstance(err, kind)), None)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that validates every address before connecting."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_hosts: Iterable[str] = (),
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolve_allowed(
                    host,
                    port,
                    allow_private=self._allow_private,
                    allowed_hosts=self._allowed_hosts,
                    resolver=self._resolver,
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from None
        failure: httpcore.ConnectError | None = None
        for ip in addresses:
            left = None if timeout is None else max(0.001, timeout - (loop.time() - started))
            try:
                return await self._inner.connect_tcp(
                    ip,
                    port,
                    timeout=left,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        if find_cause(failure, ConnectionRefusedError):
            raise ConnectionRefused(f"connection refused by {host} port {port}") from failure
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused: unix sockets are never checked")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def describe_tls_error(exc: BaseException) -> str | None:
    """A short 'TLS: ...' text when `exc` was caused by a TLS failure, else None."""
    cause = find_cause(exc, ssl.SSLError)
    if cause is None:
        return None
    reason = getattr(cause, "verify_message", None) or getattr(cause, "reason", None)
    return f"TLS: {reason or cause}"
