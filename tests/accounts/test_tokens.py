"""The rules of personal access tokens, at the service level: what is stored, which names and
lifetimes are taken, how many a learner may have, and which secrets still name a live token.

The API's tests (tests/api/test_tokens_and_auth.py) keep only what HTTP adds: status codes,
the problem details, who may see or revoke what, and that a secret works as a bearer token.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learnmap.accounts import selectors, services
from learnmap.accounts.models import ApiToken
from learnmap.accounts.services import TOKEN_EXPIRY_MAX_DAYS, TOKEN_NAME_MAX_CHARS
from learnmap.core.errors import ApplicationError, NotFound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = "2026-12-03 12:00:00Z"


@pytest.fixture
def ada():
    return UserFactory(username="ada", email="ada@example.com")


def test_the_secret_is_returned_once_and_only_its_hash_is_stored(ada):
    new = services.token_create(user=ada, name="backup script")

    assert selectors.TOKEN_RE.match(new.secret)
    row = ApiToken.objects.get(pk=new.token.pk)
    assert row.digest == hashlib.sha256(new.secret.encode()).hexdigest()
    assert new.secret.startswith(row.prefix) and len(row.prefix) < len(new.secret)
    assert new.secret not in {row.prefix, row.digest, row.name}
    assert selectors.token_for_secret(secret=new.secret) == row


def test_names_are_cleaned_and_must_say_something(ada):
    new = services.token_create(user=ada, name="  tab\there\x00 \n")
    assert new.token.name == "tab here"

    for blank in ("", "   ", "\x00\t"):
        with pytest.raises(ApplicationError) as refusal:
            services.token_create(user=ada, name=blank)
        assert refusal.value.code == "token_name_missing"
    with pytest.raises(ApplicationError) as refusal:
        services.token_create(user=ada, name="x" * (TOKEN_NAME_MAX_CHARS + 1))
    assert refusal.value.code == "token_name_too_long"
    assert services.token_create(user=ada, name="x" * TOKEN_NAME_MAX_CHARS)
    assert ApiToken.objects.count() == 2  # nothing stored for a refused name


@pytest.mark.parametrize("days", [0, -1, TOKEN_EXPIRY_MAX_DAYS + 1])
def test_a_lifetime_out_of_bounds_is_refused(ada, days):
    with pytest.raises(ApplicationError) as refusal:
        services.token_create(user=ada, name="x", expires_in_days=days)

    assert refusal.value.code == "token_expiry_invalid"
    assert not ApiToken.objects.exists()


def test_a_token_works_until_the_end_of_its_last_day_and_not_after(ada):
    with time_machine.travel(NOW, tick=False) as clock:
        new = services.token_create(user=ada, name="x", expires_in_days=30)
        forever = services.token_create(user=ada, name="y")
        assert new.token.expires_at == timezone.now() + timedelta(days=30)
        assert forever.token.expires_at is None

        clock.shift(timedelta(days=30) - timedelta(seconds=1))
        assert selectors.token_for_secret(secret=new.secret) == new.token
        clock.shift(timedelta(seconds=1))
        assert selectors.token_for_secret(secret=new.secret) is None
        clock.shift(timedelta(days=5 * 365))
        assert selectors.token_for_secret(secret=forever.secret) == forever.token


def test_revoked_tokens_deactivated_learners_and_malformed_secrets_name_no_token(ada):
    revoked = services.token_create(user=ada, name="revoked")
    services.token_revoke(user=ada, token_id=revoked.token.pk)
    assert selectors.token_for_secret(secret=revoked.secret) is None

    live = services.token_create(user=ada, name="live")
    for malformed in ("", "lm_short", "x" * 46, live.secret[:-1], live.secret + "x"):
        assert selectors.token_for_secret(secret=malformed) is None, malformed
    unknown = live.secret[:-1] + ("A" if live.secret[-1] != "A" else "B")
    assert selectors.token_for_secret(secret=unknown) is None

    ada.is_active = False
    ada.save()
    assert selectors.token_for_secret(secret=live.secret) is None


def test_revoking_is_idempotent_and_only_for_the_owner(ada):
    bob = UserFactory(username="bob", email="bob@example.com")
    bobs = services.token_create(user=bob, name="bob's")
    mine = services.token_create(user=ada, name="mine")

    first = services.token_revoke(user=ada, token_id=mine.token.pk).revoked_at
    assert first is not None
    assert services.token_revoke(user=ada, token_id=mine.token.pk).revoked_at == first
    with pytest.raises(NotFound) as refusal:
        services.token_revoke(user=ada, token_id=bobs.token.pk)
    assert refusal.value.code == "unknown_token"
    assert selectors.token_for_secret(secret=bobs.secret) == bobs.token


def test_a_learner_has_at_most_the_configured_number_of_live_tokens(ada, settings):
    settings.API_TOKENS_PER_USER_MAX = 2
    first = services.token_create(user=ada, name="one")
    services.token_create(user=ada, name="two")

    with pytest.raises(ApplicationError) as refusal:
        services.token_create(user=ada, name="three")
    assert refusal.value.code == "too_many_tokens"
    assert "revoke" in refusal.value.message
    assert ApiToken.objects.filter(user=ada).count() == 2

    services.token_revoke(user=ada, token_id=first.token.pk)  # a revoked one does not count
    assert services.token_create(user=ada, name="three")
