"""Who is calling: tokens (API, settings page, `learnmap tokens`) and the session with CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from learnmap.accounts.models import ApiToken
from tests.api.conftest import Api, assert_problem

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"^lm_[A-Za-z0-9_-]{43}$")


def test_me_by_token(ada):
    body = ada.api.get("/me").json()
    assert body["username"] == "ada" and body["email"] == "ada@example.com"
    assert body["authenticated_by"] == "token" and ada.token.startswith(body["token"])


def test_a_new_token_is_shown_once_and_works(ada):
    # What is stored (only a hash) and the lifetime: tests/accounts/test_tokens.py.
    response = ada.api.post("/me/tokens", {"name": "backup script", "expires_in_days": 30})
    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    assert TOKEN_RE.match(secret) and secret.startswith(body["prefix"])
    assert body["name"] == "backup script" and body["expires_at"] is not None
    listed = ada.api.get("/me/tokens").json()["items"]
    assert [t["name"] for t in listed] == ["backup script", "ada's script"]
    assert all("token" not in t for t in listed)
    assert Api(Client(), secret).get("/me").json()["username"] == "ada"


def test_revoked_tokens_stop_working_at_once(ada):
    new = ada.api.post("/me/tokens", {"name": "temp"}).json()
    other = Api(Client(), new["token"])
    assert other.get("/me").status_code == 200
    assert ada.api.delete(f"/me/tokens/{new['id']}").status_code == 204
    assert_problem(other.get("/me"), 401, "not_authenticated")
    assert ada.api.delete(f"/me/tokens/{new['id']}").status_code == 204  # idempotent
    assert [t["name"] for t in ada.api.get("/me/tokens").json()["items"]] == ["ada's script"]


def test_expired_and_malformed_tokens_are_refused(ada):
    ApiToken.objects.filter(user=ada.user).update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_problem(ada.api.get("/me"), 401)
    assert "revoked or expired" in body["detail"]
    for bad in ("lm_short", "x" * 46, ""):
        assert_problem(
            Api(Client(), bad).get("/me", headers={"Authorization": f"Bearer {bad}"}), 401
        )


def test_a_deactivated_users_tokens_stop_working(ada):
    ada.user.is_active = False
    ada.user.save()
    assert_problem(ada.api.get("/me"), 401)


def test_a_bad_token_on_a_public_endpoint_is_an_error_not_anonymous(seeded):
    response = Api(Client(), "lm_" + "x" * 43).get("/search", q="django")
    assert_problem(response, 401)


def test_token_input_is_checked(ada, settings):
    assert_problem(ada.api.post("/me/tokens", {"name": ""}), 422)
    assert_problem(ada.api.post("/me/tokens", {"name": "   "}), 422)
    assert_problem(ada.api.post("/me/tokens", {"name": "x" * 101}), 422)
    assert_problem(ada.api.post("/me/tokens", {"name": "x", "expires_in_days": 0}), 422)
    assert_problem(ada.api.post("/me/tokens", {"name": "x", "expires_in_days": "7"}), 422)
    # The service's refusals (names cleaned, the count): tests/accounts/test_tokens.py.
    settings.API_TOKENS_PER_USER_MAX = 1
    body = assert_problem(ada.api.post("/me/tokens", {"name": "second"}), 409, "too_many_tokens")
    assert "revoke" in body["detail"]


def test_a_learner_cannot_see_or_revoke_another_learners_tokens(ada, bob):
    bobs = ApiToken.objects.get(user=bob.user)
    assert [t["id"] for t in ada.api.get("/me/tokens").json()["items"]] != [bobs.pk]
    assert_problem(ada.api.delete(f"/me/tokens/{bobs.pk}"), 404, "unknown_token")
    assert bob.api.get("/me").json()["username"] == "bob"  # still works


def test_the_throttle_keeps_tokens_apart(ada, bob, settings):
    settings.API_RATE_WRITE_PER_CALLER = "2/m"
    for _ in range(2):
        assert ada.api.post("/me/tokens", {"name": "a"}).status_code == 201
    limited = ada.api.post("/me/tokens", {"name": "a"})
    body = assert_problem(limited, 429, "rate_limited")
    retry = int(limited["Retry-After"])
    assert 1 <= retry <= 60 and body["retry_after"] == retry
    assert f"{retry} second" in body["detail"]
    assert bob.api.post("/me/tokens", {"name": "b"}).status_code == 201  # his own count


def test_the_per_address_limit_counts_everyone_from_one_address(ada, bob, settings):
    settings.API_RATE_WRITE_PER_IP = "3/h"
    # A frozen clock early in the hour: the window ends with the hour, so a wall clock at
    # 17:59 would rightly answer "retry in 45 s" (what failed CI once).
    with time_machine.travel("2026-12-03 12:00:10Z", tick=False):
        for learner in (ada, bob, ada):
            assert learner.api.post("/me/tokens", {"name": "x"}).status_code == 201
        response = bob.api.post("/me/tokens", {"name": "x"})
    assert_problem(response, 429)
    assert 60 < int(response["Retry-After"]) <= 3600


def test_searches_are_rate_limited_but_plain_listings_are_not(seeded, anon, settings):
    settings.API_RATE_SEARCH_PER_IP = "2/m"
    assert anon.get("/search", q="django").status_code == 200
    assert anon.get("/resources", q="django").status_code == 200
    assert_problem(anon.get("/search", q="django"), 429)
    assert_problem(anon.get("/resources", q="flask"), 429)
    assert anon.get("/resources").status_code == 200
    assert anon.get("/roadmaps/python-backend").status_code == 200


def test_a_rate_that_does_not_parse_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    from learnmap.core.api.ratelimit import rate_parse

    assert rate_parse("120/m") == (120, 60)
    assert rate_parse("10/5m") == (10, 300)
    assert rate_parse("1000/day") == (1000, 86400)
    assert rate_parse("off") is None
    with pytest.raises(ImproperlyConfigured, match="API_RATE_X"):
        rate_parse("lots", name="API_RATE_X")


# --- the session (the site's own calls) ----------------------------------------------------------


def _session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_session_reads_without_csrf_and_writes_with_it(seeded, ada):
    client = _session(ada.user)
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["authenticated_by"] == "session"
    url = f"/api/v1/me/progress/nodes/{seeded.django.key}"
    refused = client.put(url, '{"state": "done"}', content_type="application/json")
    assert_problem(refused, 403, "csrf_failed")
    client.get("/accounts/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.put(
        url, '{"state": "done"}', content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


def test_a_session_after_sign_out_is_nobody(seeded, ada):
    client = _session(ada.user)
    client.logout()
    assert_problem(client.get("/api/v1/me"), 401)


# --- the settings page ---------------------------------------------------------------------------


def test_the_settings_page_makes_a_token_and_shows_it_once(ada):
    client = Client()
    client.force_login(ada.user)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and "ada&#x27;s script" in page.content.decode()
    made = client.post("/accounts/tokens/", {"name": "my laptop", "expires_in_days": "90"})
    html = made.content.decode()
    secret = re.search(r'data-testid="new-token">(lm_[^<]+)<', html).group(1)
    assert made["Cache-Control"] == "no-store"
    assert Api(Client(), secret).get("/me").json()["username"] == "ada"
    again = client.get("/accounts/tokens/").content.decode()
    assert "my laptop" in again and secret not in again


def test_the_settings_page_revokes_only_the_learners_own_tokens(ada, bob):
    client = Client()
    client.force_login(ada.user)
    bobs = ApiToken.objects.get(user=bob.user)
    assert client.post(f"/accounts/tokens/{bobs.pk}/revoke/").status_code == 404
    assert bob.api.get("/me").status_code == 200
    adas = ApiToken.objects.get(user=ada.user)
    response = client.post(f"/accounts/tokens/{adas.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert ada.api.get("/me").status_code == 401


def test_the_settings_page_says_what_is_wrong(ada):
    client = Client()
    client.force_login(ada.user)
    response = client.post("/accounts/tokens/", {"name": "", "expires_in_days": "90"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=ada.user).count() == 1


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_settings_page_is_in_the_sites_layout(ada, language):
    client = Client()
    client.force_login(ada.user)
    page = client.get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in page and "<h1" in page
    assert 'href="/accounts/tokens/"' in client.get("/accounts/").content.decode()


def test_the_settings_page_is_for_signed_in_learners(db):
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- learnmap tokens ---------------------------------------------------------------------------


def test_operators_list_make_and_revoke_tokens(ada, capsys):
    call_command(
        "tokens", "create", "--user", "ada@example.com", "--name", "ops", "--expires-in-days", "7"
    )
    secret = capsys.readouterr().out.strip()
    assert TOKEN_RE.match(secret)
    assert Api(Client(), secret).get("/me").json()["username"] == "ada"
    call_command("tokens", "list", "--user", "ada")
    listing = capsys.readouterr().out
    assert "ops" in listing and "ada's script" in listing and secret not in listing
    call_command("tokens", "revoke", secret[:11])
    assert "Revoked" in capsys.readouterr().out
    assert_problem(Api(Client(), secret).get("/me"), 401)


def test_operators_get_a_sentence_for_unknown_users_and_tokens(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user"):
        call_command("tokens", "create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="no token"):
        call_command("tokens", "revoke", "lm_nothing")
