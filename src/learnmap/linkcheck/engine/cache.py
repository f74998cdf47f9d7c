"""Where earlier verdicts are kept, so a re-run within the TTL costs no request.

The checker asks `cache.get(url)` before checking a URL and calls `cache.set(url, result)`
after each fresh check. Either method may be a coroutine function (a database-backed
cache wraps its ORM calls with `sync_to_async`). The checker decides freshness from
`result.checked_at` and the TTLs of `CheckConfig`, so a cache only stores and returns.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from .config import CheckConfig
from .results import STABLE_CLASSES, LinkResult


class Cache(Protocol):
    def get(self, url: str) -> LinkResult | Awaitable[LinkResult | None] | None: ...

    def set(self, url: str, result: LinkResult) -> Awaitable[None] | None: ...


class MemoryCache:
    """A cache for one process (the CLI, tests): a dict of the latest result per URL."""

    def __init__(self) -> None:
        self._results: dict[str, LinkResult] = {}

    def get(self, url: str) -> LinkResult | None:
        return self._results.get(url)

    def set(self, url: str, result: LinkResult) -> None:
        self._results[url] = result

    def __len__(self) -> int:
        return len(self._results)


def is_fresh(result: LinkResult, config: CheckConfig, now: datetime | None = None) -> bool:
    """True while `result` may stand in for a new check."""
    ttl = config.cache_ttl if result.cls in STABLE_CLASSES else config.transient_cache_ttl
    age = (now or datetime.now(UTC)) - result.checked_at
    return timedelta(0) <= age < timedelta(seconds=ttl)
