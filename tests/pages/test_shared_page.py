"""Roadmap pages served early from the page cache (``learning.middleware``): a visitor without
a session gets the shared page, a learner their own, each with the same bytes, headers and
working CSRF token as through the whole stack; messages, a query string or a change of
progress go through the stack."""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from learnmap.catalog.models import Node
from tests.factories import UserFactory
from tests.pages.conftest import csrf_from, pressed, text_of

pytestmark = pytest.mark.django_db

PAGE = "/r/python-backend/"


def test_a_first_visit_gets_the_cached_page_early_with_everything_the_stack_adds(seed, early):
    through_the_stack = Client(enforce_csrf_checks=True).get(PAGE)  # renders and stores it
    assert early == []

    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(PAGE)

    assert early == [PAGE]
    for header in ("Content-Type", "Cache-Control", "Vary", "X-Frame-Options", "Content-Language"):
        assert response[header] == through_the_stack[header], header
    token = csrf_from(text_of(response))
    # The token is the cookie this visitor was given, masked (Django's get_token).
    assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value
    assert text_of(response).replace(token, "T") == text_of(through_the_stack).replace(
        csrf_from(text_of(through_the_stack)), "T"
    )
    # The token works: a click on "Done" without JavaScript is accepted.
    git = Node.objects.get(roadmap=seed, slug="git")
    posted = visitor.post(
        f"/node/{git.key}/state/", {"state": "done", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302


def test_a_returning_visitor_keeps_their_cookie_and_revalidates_with_a_304(seed, early):
    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get(PAGE)
    second = visitor.get(PAGE)

    assert early == [PAGE]  # the second visit: the first one rendered it
    # The cookie they have still holds (Django sends it again to renew it, unchanged).
    assert second.cookies["csrftoken"].value == first.cookies["csrftoken"].value
    tokens = [csrf_from(text_of(page)) for page in (first, second)]
    assert tokens[0] != tokens[1]  # masked anew for each response (BREACH)
    assert {_unmask_cipher_token(t) for t in tokens} == {visitor.cookies["csrftoken"].value}
    assert visitor.get(PAGE, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_the_persian_page_is_served_early_in_persian(seed, early):
    Client().get(PAGE, HTTP_ACCEPT_LANGUAGE="fa")

    response = Client().get(PAGE, HTTP_ACCEPT_LANGUAGE="fa")

    assert early == [PAGE]
    assert 'lang="fa" dir="rtl"' in text_of(response)
    assert response["Content-Language"] == "fa"


def test_a_signed_in_learner_gets_their_own_cached_page_early(seed, signed_in, user, early):
    git = Node.objects.get(roadmap=seed, slug="git")
    signed_in.post(f"/node/{git.key}/state/", {"state": "done"})
    rendered = signed_in.get(PAGE)  # shows the message: rendered for this request
    assert "“Git”: done." in text_of(rendered)
    assert early == []

    stored = signed_in.get(PAGE)  # no message now: rendered once more, and stored
    again = signed_in.get(PAGE)

    assert early == [PAGE]
    assert text_of(again) == text_of(stored)
    assert pressed(text_of(again), "state-git-done")
    for header in ("Content-Type", "Cache-Control", "Vary", "X-Frame-Options", "Content-Language"):
        assert again[header] == stored[header], header
    # Their next change is theirs at once: the page after it is rendered anew.
    signed_in.post(f"/node/{git.key}/state/", {"state": "skipped"})
    signed_in.get(PAGE)
    assert pressed(text_of(signed_in.get(PAGE)), "state-git-skipped")
    # Another learner never gets this page.
    other = Client()
    other.force_login(UserFactory())
    assert not pressed(text_of(other.get(PAGE)), "state-git-skipped")


def test_a_session_messages_or_a_query_go_through_the_stack(seed, early):
    Client().get(PAGE)
    learner = Client()
    git = Node.objects.get(roadmap=seed, slug="git")
    learner.post(f"/node/{git.key}/state/", {"state": "done"})  # a session, and a message

    assert CookieStorage.cookie_name in learner.cookies
    with_message = text_of(learner.get(PAGE))
    assert "“Git”: done." in with_message  # the message is shown, not a cached page
    assert "1 of" in with_message  # and the visitor's own progress
    Client().get(PAGE + "?lang=fa")
    assert early == []


def test_an_unknown_roadmap_is_still_a_404_page(seed, early):
    response = Client().get("/r/no-such-roadmap/")

    assert response.status_code == 404
    assert early == []
