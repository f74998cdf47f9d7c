"""Writing to accounts: the actions a learner takes on their own account."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnmap.accounts.models import ApiToken, User
from learnmap.core.errors import ApplicationError, NotFound


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the learner and everything that belongs to them.

    Every model that holds a learner's data (progress, notes, email addresses) points at the
    user with ``on_delete=CASCADE``, so one delete removes it all, in one transaction. The
    last active administrator cannot delete themselves: nobody could run the site after.
    """
    if user.is_superuser and user.is_active:
        others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            raise ApplicationError(
                _(
                    "You are the only administrator of this site. Make someone else an "
                    "administrator before you delete your account."
                ),
                code="last_administrator",
            )
    user.delete()


# --- personal access tokens (API) -------------------------------------------------------------

TOKEN_PREFIX = "lm_"  # noqa: S105  # not a secret: what every token starts with
TOKEN_SECRET_BYTES = 32  # 256 bits of randomness: 43 URL-safe characters after the prefix
TOKEN_DISPLAY_CHARS = 8  # of the secret, kept (with the "lm_" prefix) to tell tokens apart
TOKEN_NAME_MAX_CHARS = 100
TOKEN_EXPIRY_MAX_DAYS = 5 * 365
TOKEN_TOUCH_SECONDS = 60  # "last used" is written at most this often per token


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is what the learner copies, shown this once only."""

    token: ApiToken
    secret: str


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _token_name_clean(name: str) -> str:
    name = " ".join(_CONTROL_RE.sub(" ", name or "").split())
    if not name:
        raise ApplicationError(
            _("Give the token a name, such as the program or machine that will use it."),
            code="token_name_missing",
        )
    if len(name) > TOKEN_NAME_MAX_CHARS:
        raise ApplicationError(
            _("A token name can be at most %(max)s characters long.")
            % {"max": TOKEN_NAME_MAX_CHARS},
            code="token_name_too_long",
            extra={"max": TOKEN_NAME_MAX_CHARS},
        )
    return name


@transaction.atomic
def token_create(*, user: User, name: str, expires_in_days: int | None = None) -> NewToken:
    """Make a personal access token for ``user``; the secret is returned, never stored.

    ``expires_in_days`` (1 to five years) or None for a token that lasts until revoked.
    A learner has at most ``API_TOKENS_PER_USER_MAX`` tokens that are not revoked.
    """
    name = _token_name_clean(name)
    if expires_in_days is not None and not 1 <= expires_in_days <= TOKEN_EXPIRY_MAX_DAYS:
        raise ApplicationError(
            _("A token expires after 1 to %(max)s days, or never.")
            % {"max": TOKEN_EXPIRY_MAX_DAYS},
            code="token_expiry_invalid",
            extra={"max_days": TOKEN_EXPIRY_MAX_DAYS},
        )
    limit = getattr(settings, "API_TOKENS_PER_USER_MAX", 50)
    # Lock the user's row: two requests at once cannot both pass the count.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= limit:
        raise ApplicationError(
            _("You already have %(max)s tokens: revoke one you no longer use first.")
            % {"max": limit},
            code="too_many_tokens",
            extra={"max": limit},
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_SECRET_BYTES)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + TOKEN_DISPLAY_CHARS],
        digest=token_digest(secret),
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return NewToken(token=token, secret=secret)


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens: it never authenticates again. Revoking a revoked
    token changes nothing; another learner's token is not found."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("You have no token with this id."), code="unknown_token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of ``user`` that still works (their password changed: whoever had
    the old one may have made tokens with it). Returns how many were revoked."""
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was just used (at most once a minute: not a write per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(
        seconds=TOKEN_TOUCH_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
