"""A stranger cannot tell from the site whether an email address has an account: signing up
with a taken address and asking a password reset for an unknown one answer exactly as the
other case does (allauth's ACCOUNT_PREVENT_ENUMERATION); only the mailbox's owner learns it.

Sign-up can hide it only when an address must be verified before its account is used (with
optional verification, signing up signs in at once, so a taken address has to be refused):
a site that delivers email (EMAIL_HOST set) verifies addresses by default.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings

from tests.accounts.conftest import PASSWORD
from tests.accounts.test_flows import signed_in_user
from tests.accounts.test_settings import PRINT

User = get_user_model()
TOKENS = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')


def what_a_stranger_sees(client: Client, url: str, data: dict, *, typed: str) -> dict:
    """Everything the answer to a form post shows: status, redirect, cookies, and the page it
    leads to (with the per-visitor CSRF token and the address the stranger typed blanked)."""
    response = client.post(url, data)
    final = client.get(response["Location"]) if response.status_code == 302 else response
    page = TOKENS.sub(r"\1TOKEN", final.content.decode()).replace(typed, "ADDRESS")
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "cookies": sorted(response.cookies),
        "page status": final.status_code,
        "page": page,
    }


@pytest.mark.django_db
@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_signing_up_with_a_taken_address_answers_as_with_a_new_one(user):
    def sign_up(email: str) -> dict:
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        return what_a_stranger_sees(Client(), "/accounts/signup/", data, typed=email)

    taken = sign_up("ada@example.com")
    new = sign_up("grace@example.com")

    assert taken == new
    assert taken["status"] == 302
    assert "Verify" in taken["page"]
    # Only the owners of the two mailboxes learn what happened, each in their own email.
    assert [message.to for message in mail.outbox] == [["ada@example.com"], ["grace@example.com"]]
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_asking_a_reset_for_an_unknown_address_answers_as_for_a_known_one(user):
    def reset(email: str) -> dict:
        data = {"email": email}
        return what_a_stranger_sees(Client(), "/accounts/password/reset/", data, typed=email)

    known = reset("ada@example.com")
    unknown = reset("nobody@example.com")

    assert known == unknown
    assert known["status"] == 302
    assert [message.to for message in mail.outbox] == [["ada@example.com"], ["nobody@example.com"]]


@pytest.mark.django_db
@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_a_new_learner_verifies_the_address_and_is_signed_in(client):
    client.post(
        "/accounts/signup/",
        {"email": "grace@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signed_in_user(client) is None
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)

    response = client.post(link.group(1))

    assert response.status_code == 302
    assert signed_in_user(client).email == "grace@example.com"


def test_a_site_that_delivers_email_verifies_addresses_by_default(learnmap, learnmap_env):
    env = {**learnmap_env, "EMAIL_HOST": "smtp.example.org"}
    env.pop("ACCOUNT_EMAIL_VERIFICATION", None)

    result = learnmap("shell", "-v", "0", "-c", PRINT, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|")[-1] == "mandatory"
