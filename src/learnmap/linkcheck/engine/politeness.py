"""How the checker spares hosts: slots, pauses, backoff, and what each host taught it."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import random
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: Slot priorities: a URL already being checked (a retry, the next redirect hop) goes
#: before a URL not started yet, so started checks finish and their timings mean something.
CONTINUING, FIRST = 0, 1


class Slots:
    """A semaphore whose waiters are served by priority, then in order of arrival."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def acquire(self, priority: int = FIRST) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._arrivals), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # granted just as we were cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiters:
            _, _, future = heapq.heappop(self._waiters)
            if not future.done():
                future.set_result(None)
                return
        self._free += 1

    @contextlib.asynccontextmanager
    async def hold(self, priority: int = FIRST) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()


@dataclass
class HostState:
    """One host (hostname and port) during a run."""

    slots: Slots
    paused_until: float = 0.0  # loop time; set when the host limits us as a client
    head_ok: bool = True  # False once HEAD proved refused or untrustworthy here
    recent: deque[str | None] = field(default_factory=lambda: deque(maxlen=4))

    def note(self, url: str, status: int) -> None:
        """Remember the last answers: the URL when it was a 429, else None."""
        self.recent.append(url if status == 429 else None)

    def limits_everyone(self) -> bool:
        """429s for 3 different URLs among the last 4 answers: the host limits this client,
        not one page, so the whole host waits out Retry-After, not only the URL."""
        return len({url for url in self.recent if url is not None}) >= 3


def backoff(attempt: int, base: float, ceiling: float) -> float:
    """Exponential backoff with jitter: attempt 1 waits base/2..base, then doubling."""
    top = min(ceiling, base * 2 ** (attempt - 1))
    return random.uniform(top / 2, top)  # noqa: S311 (jitter, not secrecy)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
