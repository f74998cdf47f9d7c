"""Reading accounts: the signed-in user of a request, a learner's personal access tokens, and
finding the token of a request."""

from __future__ import annotations

import copy
import functools
import re

from cachetools.func import ttl_cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from learnmap.accounts.models import ApiToken, User
from learnmap.accounts.services import TOKEN_PREFIX, token_digest
from learnmap.core.errors import ApplicationError, NotFound

# "lm_" and 43 URL-safe characters: anything else is refused before the database is asked.
TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")


@functools.cache
def _user_sql() -> str:
    quote = connection.ops.quote_name
    meta = User._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608


# Users by id, kept in this process for USER_MEMO_SECONDS: every signed-in request loads its
# user, and that was a fifth of what a signed-in roadmap page cost (bench/web). A change made
# in this process (a password, deactivation, deletion, a sign-in's last_login) forgets the
# user at once (``users_forget``, on every save or delete); one made by another process shows
# within the memo's lifetime: a deactivated learner or one whose password changed elsewhere is
# signed out within a second, not at once.
USER_MEMO_SECONDS = 1.0


@ttl_cache(maxsize=10_000, ttl=USER_MEMO_SECONDS)
def _user(pk) -> User | None:
    return next(iter(User.objects.raw(_user_sql(), [pk])), None)


def user_get(*, user_id) -> User | None:
    """The user with this id (as a session keeps it), or None: a copy of this process's
    memo, or one written-out query (0.08 ms where the ORM's ``get()`` took 0.19 ms)."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    user = _user(pk)
    # A copy per request: what one request changes on its user never reaches another's.
    return copy.copy(user) if user is not None else None


def users_forget() -> None:
    """Forget the users this process keeps (one was saved or deleted)."""
    _user.cache_clear()


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
