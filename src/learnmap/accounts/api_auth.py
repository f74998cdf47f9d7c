"""The API's bearer tokens, read from accounts' tables: ``config/api.py`` hands
:func:`token_caller` to ``core.api.auth.TokenAuth`` (core imports no app)."""

from __future__ import annotations

from learnmap.accounts import selectors, services
from learnmap.core.api.auth import Caller


def token_caller(secret: str) -> Caller | None:
    """The caller a live token's secret names (its use recorded), or None: unknown,
    malformed, revoked, expired, or its user deactivated."""
    token = selectors.token_for_secret(secret=secret)
    if token is None:
        return None
    services.token_touch(token=token)
    return Caller(user=token.user, token=token)
