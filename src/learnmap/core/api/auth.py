"""Who is calling the API: ``request.auth``, a :class:`Caller`.

``Authorization: Bearer lm_...`` (a personal access token, for programs) or the site's session
cookie (for the site's own pages, with Django's CSRF check on writes). Every learner endpoint
reads the learner from ``request.auth`` and from nothing the client sends.

Tokens are accounts' rows, and core imports no app: :class:`TokenAuth` asks the lookup that
``config/api.py`` hands it (:func:`token_lookup_set`, accounts' ``api_auth.token_caller``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf


@dataclass(frozen=True)
class Caller:
    """Who is calling: a signed-in learner (by token or session), or nobody (``user`` None)."""

    user: Any = None
    token: Any = None  # accounts.ApiToken, when the call came with one

    @property
    def rate_key(self) -> str | None:
        if self.token is not None:
            return f"token:{self.token.pk}"
        if self.user is not None:
            return f"user:{self.user.pk}"
        return None

    def __str__(self) -> str:  # ninja's own throttles key on str(request.auth)
        return self.rate_key or "anonymous"


TokenLookup = Callable[[str], Caller | None]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer lm_...``: a personal access token. A token that is unknown,
    revoked or expired is refused (401) rather than treated as no token at all."""

    openapi_bearerFormat = "lm_…"  # the OpenAPI field name
    openapi_description = (
        "A personal access token (made on the site's account page, with POST /me/tokens or "
        "`learnmap tokens create`)."
    )

    def __init__(self) -> None:
        super().__init__()
        self.lookup: TokenLookup | None = None

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        if self.lookup is None:
            raise ImproperlyConfigured(
                "No token lookup: config/api.py hands TokenAuth one with token_lookup_set()."
            )
        caller = self.lookup(token.strip())
        if caller is None:
            raise AuthenticationError(
                message="This access token is not valid: it is unknown, revoked or expired."
            )
        request.user = caller.user
        return caller


class CsrfFailed(AuthorizationError):
    code = "csrf_failed"


class SessionAuth(APIKeyCookie):
    """The site's session cookie, for the site's own calls. Writes must carry the CSRF token
    (``X-CSRFToken``), as every form of the site does."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The site's session; writes also need the X-CSRFToken header."

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, once we know the visitor is signed in

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed(
                message="The CSRF check failed: send the X-CSRFToken header with the value "
                "of the csrftoken cookie, or use an access token instead of the session."
            )
        return Caller(user=user)


def anonymous(request: HttpRequest) -> Caller:
    """The last resort of endpoints that anyone may call."""
    return Caller()


token_auth = TokenAuth()
session_auth = SessionAuth()


def token_lookup_set(lookup: TokenLookup) -> None:
    """How a bearer token's secret becomes a :class:`Caller` (None: not a live token)."""
    token_auth.lookup = lookup


# A learner's own data: a token or the session, nothing else.
LEARNER = [token_auth, session_auth]
# Public, but a caller who says who they are is counted as themselves (rate limits).
ANYONE = [token_auth, session_auth, anonymous]
# OpenAPI for ANYONE: the empty requirement says that no credentials are fine too.
# (ninja lists the two schemes itself and appends this to them.)
ANYONE_SECURITY = {"security": [{}]}
