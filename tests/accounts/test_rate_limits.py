"""Every 429 of the account pages says when to come back (``Retry-After``), and the wait it
names is the real one: a request after it gets through.

The API's 429s send ``Retry-After`` too (ninja sets it): tests/api/test_tokens_and_auth.py.
"""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings

from tests.accounts.conftest import PASSWORD
from tests.accounts.test_flows import NEW_PASSWORD, sign_in, signed_in_user

pytestmark = pytest.mark.django_db


def retry_after(response) -> int:
    assert response.status_code == 429, response.content.decode()[:2000]
    assert "Retry-After" in response, "a 429 without Retry-After"
    return int(response["Retry-After"])


def test_a_locked_sign_in_is_a_429_saying_when_to_come_back(client, user):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert sign_in(client, "ada@example.com", "guess").status_code == 200

    response = sign_in(Client(), "ada@example.com", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert "Too many failed login attempts" in response.content.decode()
    assert 0 < retry_after(response) <= settings.LOGIN_FAILURES_WINDOW


def test_an_address_locked_out_of_sign_in_is_told_the_wait_of_its_own_limit(client, user):
    for n in range(settings.LOGIN_FAILURES_PER_IP_PER_MINUTE):
        sign_in(client, f"nobody{n}@example.com", "guess", REMOTE_ADDR="10.0.0.7")

    response = sign_in(Client(), "ada@example.com", PASSWORD, REMOTE_ADDR="10.0.0.7")

    assert "Too many failed login attempts" in response.content.decode()
    assert 0 < retry_after(response) <= 60


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_too_many_sign_in_requests_get_a_429_and_the_wait_is_the_real_one(client, user):
    # The clock is moved, not slept through: the limit must lift after exactly the wait the
    # 429 names, counted from the oldest attempt in the window (not the window's full minute).
    with time_machine.travel("2026-12-03 12:00:00Z", tick=False) as clock:
        sign_in(client, "ada@example.com", "guess")
        clock.shift(20)
        sign_in(client, "ada@example.com", "guess")

        response = sign_in(client, "ada@example.com", PASSWORD, HTTP_ACCEPT_LANGUAGE="fa")

        wait = retry_after(response)
        assert wait == 40  # the first attempt leaves the minute's window 40 s from now
        assert "تلاش بیش از حد" in response.content.decode()
        clock.shift(wait - 1)
        assert retry_after(sign_in(client, "ada@example.com", PASSWORD)) == 1  # not yet
        assert signed_in_user(client) is None
        clock.shift(1)
        assert sign_in(client, "ada@example.com", PASSWORD).status_code == 302
        assert signed_in_user(client) == user


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_too_many_sign_ups_get_a_429_with_retry_after(client):
    data = {"email": "grace@example.com", "password1": PASSWORD, "password2": PASSWORD}
    Client().post("/accounts/signup/", data)

    response = client.post("/accounts/signup/", {**data, "email": "alan@example.com"})

    assert 0 < retry_after(response) <= 60


@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "20/m/ip,1/m/key"})
def test_too_many_password_resets_for_one_address_get_a_429_with_retry_after(client, user):
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})

    response = Client().post("/accounts/password/reset/", {"email": "ada@example.com"})

    assert 0 < retry_after(response) <= 60


@override_settings(ACCOUNT_RATE_LIMITS={"change_password": "1/m/user"})
def test_too_many_password_changes_get_a_429_with_retry_after(signed_in):
    data = {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    signed_in.post("/accounts/password/change/", data)

    response = signed_in.post("/accounts/password/change/", data)

    assert 0 < retry_after(response) <= 60


def test_deleting_an_account_with_the_password_locked_is_a_429_with_retry_after(signed_in, user):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert signed_in.post("/accounts/delete/", {"password": "guess"}).status_code == 200

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert 0 < retry_after(response) <= settings.LOGIN_FAILURES_WINDOW
    user.refresh_from_db()  # still there
