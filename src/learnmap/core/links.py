"""The link check as other apps see it: ask for a URL to be checked soon, read its verdict.

Contributions shows a moderator the link check of a proposed URL, but must not import link
health (the two are siblings); link health implements this port and connects it in its
``AppConfig.ready``:

    links.checker_connect(links.LinkChecker(check_soon=..., verdict=...))

With no checker connected (link health not installed), ``check_soon`` does nothing and
``verdict`` returns None: a page that shows a verdict shows that there is none yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LinkVerdict:
    """The latest check of one URL."""

    link_class: str  # ok, moved, blocked, rate-limited, timeout, error, dead
    status: int | None  # the last HTTP status (None: no HTTP answer)
    final_url: str  # the last address requested, after redirects ("" if none)
    checked_at: datetime
    reason: str  # a few characters: the status (a moved link's: its redirect's), or the error


@dataclass(frozen=True)
class LinkChecker:
    """What a link checker provides; each function takes the URL as written."""

    check_soon: Callable[[str], None]  # queue a check (none when a fresh verdict exists)
    verdict: Callable[[str], LinkVerdict | None]  # the latest verdict, None if never checked


_checker: LinkChecker | None = None


def checker_connect(checker: LinkChecker | None) -> LinkChecker | None:
    """Use ``checker`` from now on (None: no checker); the one it replaces."""
    global _checker
    previous, _checker = _checker, checker
    return previous


def check_soon(url: str) -> None:
    """Ask for ``url`` to be checked in the background. Call it once the row that needs the
    check is committed (``transaction.on_commit``). Nothing happens with no checker."""
    if _checker is not None:
        _checker.check_soon(url)


def verdict(url: str) -> LinkVerdict | None:
    """The latest verdict on ``url``; None when it was never checked, or with no checker."""
    return _checker.verdict(url) if _checker is not None else None
