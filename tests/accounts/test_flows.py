"""Sign up, sign in, sign out and passwords, through the pages a learner uses (allauth)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a brand new passphrase 42"


def signed_in_user(client: Client):
    """The user this client's session is signed in as, or None."""
    user_id = client.session.get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id else None


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_sign_up_with_email_only_signs_the_learner_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "grace@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = signed_in_user(client)
    assert user is not None and user.email == "grace@example.com"
    assert user.username  # filled in for them: nobody is asked to invent one
    assert EmailAddress.objects.filter(user=user, email="grace@example.com").exists()
    # Verification is optional by default: an email goes out, and the learner is already in.
    assert [message.to for message in mail.outbox] == [["grace@example.com"]]


def test_sign_up_refuses_an_email_that_has_an_account(client, user):
    response = client.post(
        "/accounts/signup/",
        {"email": "ADA@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert signed_in_user(client) is None
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_sign_in_with_email_and_password(client, user):
    response = sign_in(client, "ada@example.com", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL
    assert signed_in_user(client) == user
    page = client.get("/accounts/").content.decode()
    assert "ada@example.com" in page
    assert 'action="/accounts/logout/"' in page  # the header's sign-out button


def test_a_wrong_password_does_not_sign_in(client, user):
    response = sign_in(client, "ada@example.com", "not the password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert signed_in_user(client) is None


def test_failed_sign_ins_are_throttled_per_account(client, user):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert sign_in(client, "ada@example.com", "guess").status_code == 200

    # From another address, even the right password is refused until the window passes.
    response = sign_in(Client(), "ada@example.com", PASSWORD, REMOTE_ADDR="10.0.0.9")

    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(client) is None


def test_failed_sign_ins_are_throttled_per_address(client, user):
    for n in range(settings.LOGIN_FAILURES_PER_IP_PER_MINUTE):
        sign_in(client, f"nobody{n}@example.com", "guess", REMOTE_ADDR="10.0.0.7")

    blocked = Client()
    response = sign_in(blocked, "ada@example.com", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user(blocked) is None

    elsewhere = Client()
    response = sign_in(elsewhere, "ada@example.com", PASSWORD, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302
    assert signed_in_user(elsewhere) == user


def test_sign_out(signed_in):
    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user(signed_in) is None
    page = signed_in.get("/accounts/login/").content.decode()
    assert "You have signed out." in page


def test_change_password_keeps_the_learner_signed_in(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert signed_in_user(signed_in) == user
    assert sign_in(Client(), "ada@example.com", PASSWORD).status_code == 200  # old: refused
    fresh = Client()
    assert sign_in(fresh, "ada@example.com", NEW_PASSWORD).status_code == 302
    assert signed_in_user(fresh) == user


def test_change_password_needs_the_current_one(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_email_link(client, user):
    response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject.startswith("[Learnmap]")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body

    # allauth swaps the key in the address for a session-held one before showing the form.
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    fresh = Client()
    assert sign_in(fresh, "ada@example.com", NEW_PASSWORD).status_code == 302
    assert signed_in_user(fresh) == user


def test_password_reset_for_an_unknown_address_reveals_nothing(client, user):
    response = client.post("/accounts/password/reset/", {"email": "who@example.com"}, follow=True)

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert all(message.to != ["ada@example.com"] for message in mail.outbox)


def test_a_used_or_forged_reset_link_is_refused(client, user):
    response = client.get("/accounts/password/reset/key/1-forged-token/", follow=True)

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_too_many_sign_in_requests_get_a_429_page(client, user):
    for _ in range(2):
        sign_in(client, "ada@example.com", "guess")

    response = sign_in(client, "ada@example.com", PASSWORD, HTTP_ACCEPT_LANGUAGE="fa")

    assert response.status_code == 429
    assert "تلاش بیش از حد" in response.content.decode()
    assert signed_in_user(client) is None


# ---- The signed-in user of each request (``accounts.backends``) ------------------------------


@pytest.mark.parametrize("how", ["allauth form", "force_login"])
def test_each_request_loads_the_signed_in_learner_until_the_account_changes(client, user, how):
    """Both backends load the session's user (with one written-out query); a learner who is
    deactivated, or whose password is changed elsewhere, is signed out at their next request."""
    if how == "allauth form":
        assert sign_in(client, "ada@example.com", PASSWORD).status_code == 302
    else:
        client.force_login(user)
    account = client.get("/accounts/")
    assert account.status_code == 200 and "ada@example.com" in account.content.decode()

    user.set_password("a different passphrase, set elsewhere")
    user.save()
    assert client.get("/accounts/").status_code == 302  # to the sign-in page

    client.force_login(user)
    assert client.get("/accounts/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/accounts/").status_code == 302


def test_a_learner_deactivated_by_another_process_is_signed_out_at_once(
    client, user, django_capture_on_commit_callbacks
):
    """Another process (the admin on another worker) deactivates the learner: their next
    request here is signed out, whatever this process kept (the user every process reads from
    the shared cache is deleted when the write commits)."""
    from learnmap.core.cache import memos_clear

    client.force_login(user)
    assert client.get("/accounts/").status_code == 200
    memos_clear()
    other = User.objects.get(pk=user.pk)  # the other process's own copy
    with django_capture_on_commit_callbacks(execute=True):
        other.is_active = False
        other.save(update_fields=["is_active"])

    assert client.get("/accounts/").status_code == 302
