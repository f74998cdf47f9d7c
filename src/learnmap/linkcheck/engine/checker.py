"""The entry points: check many URLs, each unique URL once, with cache and progress."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from .cache import Cache, is_fresh
from .config import CheckConfig
from .results import LinkClass, LinkResult
from .session import CheckSession
from .urls import BadURL, normalize_url

OnResult = Callable[[LinkResult, int, int], Awaitable[None] | None]


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def check_urls(
    urls: Iterable[str],
    config: CheckConfig | None = None,
    *,
    cache: Cache | None = None,
    on_result: OnResult | None = None,
) -> dict[str, LinkResult]:
    """Check URLs; return each distinct input URL mapped to its verdict.

    URLs that differ only by fragment, scheme/host case or default port are checked
    once (`LinkResult.url` is that shared key). Fresh results in `cache` cost no request;
    new ones are stored there as they come. `on_result(result, done, total)` is called
    once per unique URL (cache hits included), and may be a coroutine function.
    """
    config = config or CheckConfig()
    inputs = list(dict.fromkeys(urls))
    keys: dict[str, str] = {}
    results: dict[str, LinkResult] = {}
    for url in inputs:
        try:
            keys[url] = normalize_url(url)
        except BadURL as exc:
            keys[url] = url
            results[url] = LinkResult(url=url, cls=LinkClass.ERROR, error=str(exc))
    unique = list(dict.fromkeys(keys.values()))
    done = 0

    async def report(result: LinkResult) -> None:
        nonlocal done
        done += 1
        if on_result is not None:
            await _maybe_await(on_result(result, done, len(unique)))

    pending: list[str] = []
    for key in unique:
        cached = results.get(key)
        if cached is None and cache is not None:
            cached = await _maybe_await(cache.get(key))
            if cached is not None and not is_fresh(cached, config):
                cached = None
        if cached is None:
            pending.append(key)
        else:
            results[key] = cached
            await report(cached)

    if pending:
        async with CheckSession(config) as session:

            async def check_one(key: str) -> None:
                result = await session.check(key)
                results[key] = result
                if cache is not None:
                    await _maybe_await(cache.set(key, result))
                await report(result)

            tasks = [asyncio.create_task(check_one(key)) for key in pending]
            try:
                finished, _late = await asyncio.wait(tasks, timeout=config.deadline)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for task in finished:
                task.result()  # a failing cache or callback is the caller's bug: raise it
            for key in pending:
                if key not in results:
                    error = f"not finished within the {config.deadline:g} s deadline"
                    results[key] = LinkResult(url=key, cls=LinkClass.TIMEOUT, error=error)
                    await report(results[key])
    return {url: results[keys[url]] for url in inputs}


def check_urls_sync(
    urls: Iterable[str],
    config: CheckConfig | None = None,
    *,
    cache: Cache | None = None,
    on_result: OnResult | None = None,
) -> dict[str, LinkResult]:
    """`check_urls` for synchronous callers (a management command, a worker task)."""
    return asyncio.run(check_urls(urls, config, cache=cache, on_result=on_result))
