"""Politeness primitives: priority slots, backoff, Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from learnmap.linkcheck.engine import retry_after_seconds
from learnmap.linkcheck.engine.politeness import CONTINUING, FIRST, Slots, backoff


def test_slots_serve_continuing_work_first_then_arrivals_in_order() -> None:
    async def scenario() -> list[str]:
        slots = Slots(1)
        served: list[str] = []
        await slots.acquire()

        async def waiter(name: str, priority: int) -> None:
            async with slots.hold(priority):
                served.append(name)

        tasks = [
            asyncio.create_task(waiter(name, priority))
            for name, priority in [("new-1", FIRST), ("retry", CONTINUING), ("new-2", FIRST)]
        ]
        await asyncio.sleep(0)
        slots.release()
        await asyncio.gather(*tasks)
        return served

    assert asyncio.run(scenario()) == ["retry", "new-1", "new-2"]


def test_a_cancelled_waiter_does_not_lose_the_slot() -> None:
    async def scenario() -> bool:
        slots = Slots(1)
        await slots.acquire()
        cancelled = asyncio.create_task(slots.acquire())
        later = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0)
        cancelled.cancel()
        slots.release()
        await asyncio.wait_for(later, 1)
        return cancelled.cancelled()

    assert asyncio.run(scenario())


@pytest.mark.parametrize("attempt", [1, 2, 3, 6])
def test_backoff_grows_with_jitter_up_to_the_ceiling(attempt: int) -> None:
    top = min(4.0, 0.5 * 2 ** (attempt - 1))
    for _ in range(50):
        assert top / 2 <= backoff(attempt, 0.5, 4.0) <= top


def test_retry_after_forms() -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
