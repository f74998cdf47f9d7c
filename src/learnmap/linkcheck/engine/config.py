"""How politely, how long and how hard the checker tries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

#: Resolves (host, port) to IP address strings. The checker connects only to addresses
#: it got here and validated, so a second DNS answer (rebinding) is never used.
Resolver = Callable[[str, int], Awaitable[list[str]]]

DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (compatible; Learnmap-LinkChecker/0.1; checks the links of learning roadmaps)"
)


@dataclass(frozen=True, kw_only=True)
class CheckConfig:
    """Settings for one run of `check_urls`. Durations are in seconds."""

    concurrency: int = 64  # requests in flight over all hosts
    per_host: int = 4  # requests in flight to one host (hostname and port)
    timeout: float = 10.0  # one attempt: connect, send, and receive the response headers
    deadline: float | None = None  # the whole run; unfinished URLs end as `timeout`
    max_redirects: int = 10
    retries: int = 2  # further attempts after a timeout, a reset connection or a 5xx
    backoff_base: float = 0.5  # first retry waits about this long, doubling each time
    backoff_max: float = 8.0
    rate_limit_retries: int = 3  # further attempts after a 429
    max_retry_after: float = 30.0  # longer Retry-After: give up at once as `rate-limited`
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False  # allow loopback/private/link-local targets (tests only)
    allowed_hosts: frozenset[str] = frozenset()  # hostnames exempt from the address guard
    get_only_hosts: frozenset[str] = frozenset()  # hosts known to answer HEAD wrongly
    verify_tls: bool = True
    max_drain_bytes: int = 64 * 1024  # read this much of a GET body to keep the connection
    cache_ttl: float = 24 * 3600.0  # freshness of ok/moved/blocked/dead results
    transient_cache_ttl: float = 3600.0  # freshness of timeout/rate-limited/error results
    resolver: Resolver | None = field(default=None, compare=False)  # None: system DNS

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "max_redirects"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("retries", "rate_limit_retries", "max_drain_bytes"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError("deadline must be positive")
        # Accept any iterable of names for the host sets, stored lower-case.
        for name in ("allowed_hosts", "get_only_hosts"):
            hosts = frozenset(host.lower() for host in getattr(self, name))
            object.__setattr__(self, name, hosts)
