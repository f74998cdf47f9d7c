"""Reading accounts: the signed-in user of a request, a learner's personal access tokens, and
finding the token of a request."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from learnmap.accounts.models import ApiToken, User
from learnmap.accounts.services import TOKEN_PREFIX, token_digest
from learnmap.core import cache
from learnmap.core.errors import ApplicationError, NotFound

# "lm_" and 43 URL-safe characters: anything else is refused before the database is asked.
TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")


USER_VERSION = 1


def _user_key(pk) -> str:
    return cache.key("user", f"v{USER_VERSION}", pk)


def user_get(*, user_id) -> User | None:
    """The user with this id (as a session keeps it), or None: every signed-in request asks.

    Kept in the shared cache until the user is saved or deleted (``user_forget``, from the
    accounts app's receivers: every write to a user, from allauth, the admin or a service), so
    a deactivation or a password change shows on every process at once. Each call gets its own
    copy (unpickled), so what one request changes on its user never reaches another."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    name = _user_key(pk)
    user = cache.get(name, expect=User)
    if user is None:
        user = User.objects.filter(pk=pk).first()
        if user is not None:
            cache.put(name, user)
    return user


def user_forget(*, user_id) -> None:
    """Forget the user in the shared cache (they were saved or deleted): at once, and again
    when the write commits."""
    cache.forget_now_and_on_commit(_user_key(user_id))


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The learner's tokens that are not revoked (expired ones included), newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def token_for_secret(*, secret: str) -> ApiToken | None:
    """The live token with this secret (its user loaded), or None: unknown, malformed,
    revoked, expired, or its user deactivated. One query."""
    if not TOKEN_RE.match(secret or ""):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.is_expired() or not token.user.is_active:
        return None
    return token


def token_list_all(*, user: User | None = None) -> QuerySet[ApiToken]:
    """Every token that is not revoked (for operators), optionally one user's."""
    tokens = ApiToken.objects.select_related("user").filter(revoked_at__isnull=True)
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.order_by("user__username", "-created_at")


def token_find(*, reference: str) -> ApiToken:
    """A token for operators, by its id or its display prefix (``lm_Ab3dEf9h``)."""
    reference = reference.strip()
    if reference.isdigit():
        tokens = list(ApiToken.objects.select_related("user").filter(pk=int(reference)))
    else:
        tokens = list(ApiToken.objects.select_related("user").filter(prefix=reference))
    if not tokens:
        raise NotFound(f"There is no token {reference!r} (give its id or its prefix).")
    if len(tokens) > 1:
        ids = ", ".join(str(t.pk) for t in tokens)
        raise ApplicationError(
            f"Several tokens start with {reference!r} (ids {ids}): give the id instead.",
            code="ambiguous_token",
        )
    return tokens[0]


def user_find(*, reference: str) -> User:
    """A user for operators, by username or email address."""
    user = (
        User.objects.filter(username=reference).first()
        or User.objects.filter(email__iexact=reference).order_by("pk").first()
    )
    if user is None:
        raise NotFound(f"There is no user with the username or email {reference!r}.")
    return user
