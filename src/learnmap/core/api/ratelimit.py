"""Rate limits: fixed windows counted in Django's cache.

Shared by every worker (a file cache on one machine, Redis on several), per caller (token, or
signed-in user) and per client address, with rates such as ``120/m`` from the environment
(``API_RATE_*``); a 429 says when to come back (``Retry-After``, set by ninja from
:meth:`RateLimit.wait`). The site's search page counts against the same budget.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from learnmap.core.api.auth import Caller

logger = logging.getLogger(__name__)

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|m|min|h|hour|d|day)\s*$")
_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400}
_PERIODS["day"] = 86400
OFF = ("", "off", "none", "0")


def rate_parse(value: str, *, name: str = "rate") -> tuple[int, int] | None:
    """``"120/m"`` -> (120, 60); ``"10/5m"`` -> (10, 300); ``"off"`` -> None (no limit)."""
    if value.strip().lower() in OFF:
        return None
    match = _RATE_RE.match(value.lower())
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: write requests per period, such as 120/m, "
            "1000/h, 10/5m or 5000/d (or off)."
        )
    return int(match.group(1)), int(match.group(2) or 1) * _PERIODS[match.group(3)]


class RateLimit(BaseThrottle):
    """At most N requests per period in a fixed window, per caller or per client address.

    Counted with ``cache.add`` + ``cache.incr`` (atomic on Redis); the 429 says when the
    window ends (``Retry-After``). The rate is read from settings on each request, so a
    deployment (or a test) can change it.
    """

    def __init__(
        self,
        scope: str,
        *,
        per: str,
        setting: str,
        when: Callable[[HttpRequest], bool] | None = None,
    ):
        if per not in ("caller", "ip"):
            raise ValueError(per)
        self.scope, self.per, self.setting, self.when = scope, per, setting, when
        self._local = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        if self.per == "ip":
            return self.get_ident(request)
        caller = getattr(request, "auth", None)
        return caller.rate_key if isinstance(caller, Caller) else None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = rate_parse(getattr(settings, self.setting, "off"), name=self.setting)
        if rate is None or (self.when is not None and not self.when(request)):
            return True
        ident = self.ident(request)
        if ident is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        key = f"api:rate:{self.scope}:{self.per}:{ident}:{period}:{window}"
        try:
            cache.add(key, 0, timeout=period + 1)
            count = cache.incr(key)
        except ValueError:  # the window's key expired between the two calls
            count = self._restart(key, period)
        except Exception:  # a cache that fails is a miss: this request is not limited
            logger.warning("Could not count %s in the cache; counting again.", key, exc_info=True)
            count = self._restart(key, period)
        self._local.wait = (window + 1) * period - now
        return count <= limit

    @staticmethod
    def _restart(key: str, period: int) -> int:
        """Count from 1 again (over an expired, unreadable or corrupted counter)."""
        with contextlib.suppress(Exception):
            cache.set(key, 1, timeout=period + 1)
        return 1

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


RATE_SETTINGS = (
    "API_RATE_WRITE_PER_CALLER",
    "API_RATE_WRITE_PER_IP",
    "API_RATE_SEARCH_PER_CALLER",
    "API_RATE_SEARCH_PER_IP",
)
WRITES = [
    RateLimit("write", per="caller", setting="API_RATE_WRITE_PER_CALLER"),
    RateLimit("write", per="ip", setting="API_RATE_WRITE_PER_IP"),
]
SEARCHES = [
    RateLimit("search", per="caller", setting="API_RATE_SEARCH_PER_CALLER"),
    RateLimit("search", per="ip", setting="API_RATE_SEARCH_PER_IP"),
]


def _searching(request: HttpRequest) -> bool:
    return bool(request.GET.get("q", "").strip())


# For a listing that searches when asked to (``?q=``): counted as a search only then.
SEARCHES_WITH_Q = [
    RateLimit("search", per="caller", setting="API_RATE_SEARCH_PER_CALLER", when=_searching),
    RateLimit("search", per="ip", setting="API_RATE_SEARCH_PER_IP", when=_searching),
]
