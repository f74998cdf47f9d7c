"""Every account page renders in Learnmap's layout, in both languages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

VISITOR_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/inactive/",
]
LEARNER_PAGES = [
    "/accounts/",
    "/accounts/delete/",
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
]


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("url", VISITOR_PAGES)
def test_visitor_pages(client, url, language):
    assert_in_layout(client.get(url, HTTP_ACCEPT_LANGUAGE=language), language)


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("url", LEARNER_PAGES)
def test_learner_pages(signed_in, url, language):
    assert_in_layout(signed_in.get(url, HTTP_ACCEPT_LANGUAGE=language), language)


def assert_in_layout(response, language: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{"rtl" if language == "fa" else "ltr"}"' in page
    assert '<main id="main"' in page
    assert re.search(r"<title>\s*\S.*· Learnmap</title>", page, re.S), "a page title"
    assert "<h1" in page
    for form in re.findall(r'<form[^>]*method="post".*?</form>', page, re.S):
        assert 'name="csrfmiddlewaretoken"' in form
