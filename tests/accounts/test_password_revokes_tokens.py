"""A new password shuts out whoever had the old one: changing or resetting it revokes the
account's API access tokens too (a stolen token would outlive the stolen password otherwise),
and the page says so."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from learnmap.accounts import services
from tests.accounts.conftest import PASSWORD
from tests.accounts.test_flows import NEW_PASSWORD

pytestmark = pytest.mark.django_db
REVOKED = "access tokens were revoked"


def api_status(secret: str) -> int:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


@pytest.fixture
def tokens(user) -> list[str]:
    return [services.token_create(user=user, name=name).secret for name in ("backup", "phone")]


def test_changing_the_password_revokes_the_access_tokens(signed_in, user, tokens):
    assert [api_status(secret) for secret in tokens] == [200, 200]

    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert [api_status(secret) for secret in tokens] == [401, 401]
    assert f"Your 2 {REVOKED}" in response.content.decode()
    assert signed_in.get("/accounts/tokens/").context["tokens"].count() == 0
    # A token made with the new password works.
    assert api_status(services.token_create(user=user, name="new").secret) == 200


def test_resetting_the_password_revokes_the_access_tokens(client, user, tokens):
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert [api_status(secret) for secret in tokens] == [401, 401]
    assert f"Your 2 {REVOKED}" in response.content.decode()


def test_a_password_change_without_tokens_says_nothing_about_them(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert REVOKED not in response.content.decode()


def test_the_learner_is_told_in_persian_too(signed_in, user, tokens):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fa",
        follow=True,
    )

    assert "2 توکن دسترسی شما همراه با گذرواژهٔ قبلی باطل شدند" in response.content.decode()
