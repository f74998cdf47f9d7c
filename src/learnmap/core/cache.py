"""The one way the site reads and writes Django's cache, with a memo in each process in front.

A cache is only a cache: an entry that cannot be read (the cache server is down, a file was
truncated, a pickle is from other code, a value of the wrong type) is a miss, logged, and the
value is built again; a value that cannot be stored is logged and served anyway. No page or
API answer fails because of the cache.

``Memo`` is a small per-process cache (cachetools, behind a lock: cachetools' caches are not
thread-safe) for values that never change under their key (the keys carry a revision), so a
busy value costs no unpickling. Every memo registers itself, and ``memos_clear`` empties them
all (tests that swap or corrupt the cache call it, as does a test standing for "another
process").

The keys of what the catalog keeps (revision stamps, every revision-keyed value) are built in
``learnmap.catalog.cache``; this module is the mechanism under it, in ``core`` so accounts
(which cannot import the catalog) keeps its users the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from cachetools import LRUCache, TTLCache
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")
DAY = 24 * 60 * 60
_MISSING = object()


def key(*parts: object) -> str:
    """A cache key: the parts joined with ':' (every key of the site starts with 'learnmap')."""
    return ":".join(("learnmap", *(str(part) for part in parts)))


def _valid(value: Any, expect: type | tuple[type, ...] | Callable[[Any], bool]) -> bool:
    if isinstance(expect, type | tuple):
        return isinstance(value, expect)
    try:
        return bool(expect(value))
    except Exception:
        return False


def get(name: str, *, expect: type | tuple[type, ...] | Callable[[Any], bool]) -> Any | None:
    """The value under ``name``, or None when it is missing, unreadable or not what
    ``expect`` (a type, or a predicate) says it must be."""
    try:
        value = cache.get(name)
    except Exception:
        logger.warning("Could not read %s from the cache; building it again.", name, exc_info=True)
        return None
    if value is None:
        return None
    if not _valid(value, expect):
        logger.warning("Unexpected %s under %s in the cache; building it again.", type(value), name)
        return None
    return value


def get_many(names: Iterable[str], *, expect) -> dict[str, Any]:
    """The readable values of ``names`` that are what ``expect`` says (missing ones left out)."""
    names = list(names)
    if not names:
        return {}
    try:
        found = cache.get_many(names)
    except Exception:  # one bad entry spoils the batch: read them one by one
        logger.warning("Could not read %d keys at once from the cache.", len(names), exc_info=True)
        found = {}
        for name in names:
            value = get(name, expect=expect)
            if value is not None:
                found[name] = value
        return found
    return {n: v for n, v in found.items() if v is not None and _valid(v, expect)}


def put(name: str, value: Any, timeout: int = DAY) -> None:
    try:
        cache.set(name, value, timeout)
    except Exception:
        logger.warning("Could not store %s in the cache.", name, exc_info=True)


def put_many(values: dict[str, Any], timeout: int = DAY) -> None:
    if not values:
        return
    try:
        cache.set_many(values, timeout)
    except Exception:
        logger.warning("Could not store %d keys in the cache.", len(values), exc_info=True)


def delete(*names: str) -> None:
    """Forget ``names`` in the shared cache (a row they were built from changed)."""
    try:
        cache.delete_many(list(names))
    except Exception:
        logger.warning("Could not delete %s from the cache.", names, exc_info=True)


def forget_now_and_on_commit(*names: str) -> None:
    """Delete ``names`` now (this process's next read is fresh, inside the transaction too)
    and once the current transaction commits (another process may have read the old rows and
    stored them again in between)."""
    delete(*names)
    transaction.on_commit(lambda: delete(*names))


class Memo:
    """A per-process LRU (with ``seconds``: also TTL) cache behind a lock."""

    _all: list[Memo] = []

    def __init__(self, size: int, *, seconds: float | None = None) -> None:
        self._store: LRUCache = TTLCache(size, seconds) if seconds else LRUCache(size)
        self._lock = threading.Lock()
        Memo._all.append(self)

    def get(self, name: str) -> Any | None:
        with self._lock:
            return self._store.get(name)

    def put(self, name: str, value: T) -> T:
        with self._lock:
            self._store[name] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._store.clear()


def memos_clear() -> None:
    """Empty every per-process memo (as a fresh process would start)."""
    for memo in Memo._all:
        memo.clear()


def cached(
    name: str,
    build: Callable[[], T],
    *,
    expect,
    memo: Memo | None = None,
    timeout: int = DAY,
) -> T:
    """The value under ``name``: from ``memo``, the shared cache, or ``build()`` (then stored
    in both)."""
    if memo is not None:
        value = memo.get(name)
        if value is not None:
            return value
    value = get(name, expect=expect)
    if value is None:
        value = build()
        put(name, value, timeout)
    return memo.put(name, value) if memo is not None else value


def cached_many(
    names: dict[str, Any],
    build: Callable[[list], dict[str, Any]],
    *,
    expect,
    memo: Memo | None = None,
    timeout: int = DAY,
) -> dict[str, Any]:
    """For ``names`` ({key: what it is built from}): the value of each key, from ``memo``, the
    shared cache, or one call of ``build(missing)`` (given the missing keys' sources, returning
    {key: value})."""
    found: dict[str, Any] = {}
    if memo is not None:
        for name in names:
            value = memo.get(name)
            if value is not None:
                found[name] = value
    found.update(get_many([n for n in names if n not in found], expect=expect))
    missing = [n for n in names if n not in found]
    if missing:
        built = build([names[n] for n in missing])
        put_many(built, timeout)
        found.update(built)
    if memo is not None:
        for name in names:
            memo.put(name, found[name])
    return found
