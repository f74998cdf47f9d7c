"""When a client held back by one of the account pages' rate limits may come back.

allauth counts requests per action (sign-in, sign-up, password reset...) in the cache and
answers one over a limit with a 429 page, or, for failed sign-ins, with the login form's "Too
many failed login attempts": neither says how long to wait. ``retry_after`` reads allauth's own
counters (with allauth's cache keys) for the limits of an action and returns the seconds until
the oldest counted attempt leaves the window of each full one: the ``Retry-After`` the 429
sends (``views.rate_limited``, ``views.LoginView``, ``views.account_delete``). A limit counted
per key (an email address) whose key is not known here counts for its whole window, an upper
bound.
"""

from __future__ import annotations

import math
import time

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"
# The limits that each of allauth's pages consumes (by URL name): a 429 there comes from them.
PAGE_ACTIONS: dict[str, tuple[str, ...]] = {
    "accounts:login": ("login",),  # allauth's sign-in, served by views.LoginView
    "account_login": ("login",),
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password",),
    "account_reset_password_from_key": ("reset_password_from_key",),
    "account_change_password": ("change_password",),
    "account_set_password": ("change_password",),
    "account_email": ("manage_email",),
    "account_reauthenticate": ("reauthenticate",),
    "account_email_verification_sent": ("confirm_email",),
    "account_confirm_email": ("confirm_email",),
}
# Failed sign-ins (the form's lockout), per address and per account.
LOGIN_FAILED = "login_failed"
UNKNOWN_WAIT = 60  # seconds, when no limit of the page is known


def _wait(request: HttpRequest, *, action: str, rate, key: str | None, now: float) -> float:
    """Seconds until ``rate`` lets one more attempt through; its whole window if unknown."""
    if rate.per == "key" and key is None:
        return rate.duration
    user = getattr(request, "user", None)
    if rate.per == "user" and (user is None or not user.is_authenticated):
        return 0.0
    cache_key = allauth_ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
    recent = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
    if len(recent) < rate.amount:
        return 0.0
    return min(recent) + rate.duration - now


def retry_after(request: HttpRequest, *, actions: tuple[str, ...], key: str | None = None) -> int:
    """Whole seconds (at least 1) until every limit of ``actions`` lets a request through."""
    now = time.time()
    waits = [
        _wait(request, action=action, rate=rate, key=key, now=now)
        for action in actions
        for rate in allauth_ratelimit.get_rates(app=APP, action=action)
    ]
    if not waits:
        return UNKNOWN_WAIT
    return max(1, math.ceil(max(waits)))


def page_retry_after(request: HttpRequest) -> int:
    """``retry_after`` for the allauth page this request is for (its 429)."""
    match = getattr(request, "resolver_match", None)
    actions = PAGE_ACTIONS.get(match.view_name if match else "", ())
    # The password reset counts per email address typed in, as allauth keys it.
    key = request.POST.get("email", "").strip().lower() or None
    return retry_after(request, actions=actions, key=key)


def login_failed_retry_after(request: HttpRequest, *, credentials: dict[str, str]) -> int:
    """``retry_after`` for a sign-in locked by failed attempts with these credentials (the
    account's limit is keyed as allauth keys it: the site and the login typed in)."""
    key_of = getattr(get_adapter(request), "_get_login_attempts_cache_key", None)
    key = key_of(request, **credentials) if key_of and credentials else None
    return retry_after(request, actions=(LOGIN_FAILED,), key=key)
