"""The learner's own account: deleting it with everything in it, the theme, CSRF, hashing."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.test import Client, override_settings

from learnmap.accounts import services
from learnmap.config import settings as learnmap_settings
from learnmap.core.errors import ApplicationError
from tests.accounts.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


# ---- Deleting the account ---------------------------------------------------------------


def test_delete_account_removes_the_learner_and_signs_out(signed_in, user):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get("/accounts/login/").content.decode()
    assert "Your account and everything in it have been deleted." in page


def test_delete_account_needs_the_password(signed_in, user):
    page = signed_in.get("/accounts/delete/")
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()

    response = signed_in.post("/accounts/delete/", {"password": "not it"})

    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    assert signed_in.session["_auth_user_id"] == str(user.pk)


def test_delete_account_page_asks_a_visitor_to_sign_in(client):
    response = client.get("/accounts/delete/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/delete/")


def test_every_row_that_belongs_to_a_learner_goes_with_them():
    """Deleting a user takes their data with it (CASCADE); records that are not theirs but
    name them (who asked for a link check) forget them (SET_NULL). Nothing blocks it."""
    user_model = get_user_model()
    ours = [
        field
        for model in apps.get_models()
        if model._meta.app_label not in {"admin", "auth"}
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField)
        and field.related_model is user_model
    ]
    assert ours, "expected at least allauth's EmailAddress to point at the user"
    kept = [
        f"{field.model._meta.label}.{field.name}"
        for field in ours
        if field.remote_field.on_delete not in (models.CASCADE, models.SET_NULL)
    ]
    assert kept == []


def test_the_last_administrator_cannot_delete_themselves():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    with pytest.raises(ApplicationError) as error:
        services.account_delete(user=admin)

    assert error.value.code == "last_administrator"
    assert User.objects.filter(pk=admin.pk).exists()

    UserFactory(username="root2", is_superuser=True, is_staff=True)
    services.account_delete(user=admin)
    assert not User.objects.filter(pk=admin.pk).exists()


def test_the_last_administrator_sees_why_on_the_page(client):
    admin = UserFactory(username="root", email="root@example.com", is_superuser=True)
    client.force_login(admin)

    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 200
    assert "only administrator" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()


# ---- Colour theme -----------------------------------------------------------------------


def test_theme_switch_without_javascript_is_remembered(client):
    response = client.post("/accounts/theme/", {"theme": "dark", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies["learnmap_theme"].value == "dark"
    page = client.get("/accounts/login/").content.decode()
    assert 'data-theme="dark"' in page
    assert 'name="theme" value=""' in page  # the button's next step: back to the system's

    client.post("/accounts/theme/", {"theme": "", "next": "/"})
    assert 'data-theme="' not in client.get("/accounts/login/").content.decode()


def test_theme_switch_ignores_unknown_themes_and_foreign_redirects(client):
    client.cookies["learnmap_theme"] = '"><script>alert(1)</script>'
    page = client.get("/accounts/login/").content.decode()
    assert "data-theme" not in page.split("<head>")[0]
    assert "<script>alert(1)" not in page

    response = client.post(
        "/accounts/theme/", {"theme": "light", "next": "https://evil.example/phish"}
    )
    assert response["Location"] == "/"


# ---- Security -----------------------------------------------------------------------------


def test_sign_in_form_is_csrf_protected(user):
    browser = Client(enforce_csrf_checks=True)

    forged = browser.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert forged.status_code == 403
    assert "The form has expired" in forged.content.decode()
    assert "_auth_user_id" not in browser.session

    browser.get("/accounts/login/")  # a real visit gets the token (cookie + hidden field)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "url", ["/accounts/delete/", "/accounts/theme/", "/accounts/logout/", "/i18n/setlang/"]
)
def test_every_account_form_needs_a_csrf_token(user, url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(url, {"password": PASSWORD, "theme": "dark", "language": "fa"})

    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_passwords_are_hashed_with_argon2():
    hashers = learnmap_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    with override_settings(PASSWORD_HASHERS=hashers):
        encoded = make_password(PASSWORD)
        user = UserFactory(username="hashed", password=PASSWORD)

        assert encoded.startswith("argon2$argon2id$")
        assert check_password(PASSWORD, encoded)
        assert User.objects.get(pk=user.pk).password.startswith("argon2$")
