"""Content-Security-Policy on every HTML page, the cached roadmap pages served early included,
and what the policy allows: the site's own files only, no inline script or style."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings

from learnmap.core import outage
from learnmap.learning.notes import note_render
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
EXPECTED = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PAGES = [
    "/",
    "/r/python-backend/",
    "/r/python-backend/n/django/",
    "/r/python-backend/resources/",
    "/search/?q=django",
    "/me/progress/",
    "/api/v1/docs",
    "/no-such-page/",
]
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = [
    "/accounts/",
    "/accounts/tokens/",
    "/accounts/delete/",
    "/accounts/logout/",
    "/accounts/password/change/",
]


def policy_of(response) -> dict[str, str]:
    assert HEADER in response, (
        f"no {HEADER} on {response.status_code} {response.get('Content-Type')}"
    )
    directives = [part.strip().split(None, 1) for part in response[HEADER].split(";")]
    return {name: value for name, value in directives}


def assert_policy(response) -> None:
    assert response["Content-Type"].startswith("text/html")
    policy = policy_of(response)
    assert policy == EXPECTED
    assert "nonce-" not in response[HEADER]  # nothing inline: no nonce to freeze into a cache


@pytest.mark.parametrize("path", PAGES + ANONYMOUS_PAGES)
def test_every_page_carries_the_policy(seed, path):
    response = Client().get(path)

    assert response.status_code in (200, 404)
    assert_policy(response)


@pytest.mark.parametrize("path", PAGES + SIGNED_IN_PAGES)
def test_every_page_of_a_signed_in_learner_carries_the_policy(seed, signed_in, path):
    response = signed_in.get(path)

    assert response.status_code in (200, 404)
    assert_policy(response)


def test_the_cached_roadmap_page_served_early_carries_it_too(seed, signed_in, early):
    Client().get("/r/python-backend/")  # renders and stores the shared page
    signed_in.get("/r/python-backend/")  # and the learner's own

    anonymous = Client().get("/r/python-backend/")
    own = signed_in.get("/r/python-backend/")

    assert early == ["/r/python-backend/", "/r/python-backend/"]
    assert_policy(anonymous)
    assert_policy(own)


def test_the_csrf_failure_page_carries_it(seed):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})

    assert response.status_code == 403
    assert_policy(response)


@override_settings(ROOT_URLCONF="tests.core.broken_urls")
def test_the_500_page_carries_it():
    client = Client(raise_request_exception=False)

    response = client.get("/wrong-query/")

    assert response.status_code == 500
    assert_policy(response)


@override_settings(ROOT_URLCONF="tests.core.broken_urls")
def test_the_503_page_carries_it(monkeypatch):
    # The real outage (a PostgreSQL server stopped under `learnmap serve`) is
    # tests/core/test_database_down.py; here only the page's headers matter.
    monkeypatch.setattr(outage, "database_unavailable", lambda exc: True)
    client = Client(raise_request_exception=False)

    response = client.get("/wrong-query/")

    assert response.status_code == 503
    assert_policy(response)


def test_no_page_holds_an_inline_script_style_or_event_handler(seed, signed_in):
    """What the policy would refuse in a browser (tests/browser checks the browser's word)."""
    for client, paths in ((Client(), ANONYMOUS_PAGES), (signed_in, PAGES + SIGNED_IN_PAGES)):
        for path in paths:
            page = text_of(client.get(path))
        scripts = re.findall(r"<script\b([^>]*)>", page)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), path
        assert "<style" not in page, path
        assert not re.search(r"\sstyle=", page), path
        assert not re.search(r"\son[a-z]+=", page), path


def test_htmx_adds_no_inline_style(client, seed):
    page = text_of(client.get("/"))

    config = """<meta name="htmx-config" content='{"includeIndicatorStyles": false, """
    assert config in page


def test_favicon_ico_leads_to_the_icon_and_logs_nothing(client, caplog):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert re.fullmatch(r"/static/core/favicon(\.[0-9a-f]+)?\.svg", response["Location"])
    assert not [record for record in caplog.records if record.levelname == "WARNING"]


def test_every_page_names_the_icon(client, seed):
    assert '<link rel="icon" href="/static/core/favicon' in text_of(client.get("/"))
    assert '<link rel="icon" href="/static/core/favicon' in text_of(client.get("/nothing/"))


def test_a_notes_aligned_table_is_aligned_by_class_not_by_a_style_attribute():
    """markdown-it aligns table cells with style="text-align:...", which the policy refuses."""
    html = note_render(text="| topic | hours |\n|:--|--:|\n| ORM | 3 |")

    assert "style=" not in html
    assert '<td class="align-right">3</td>' in html
    assert '<th class="align-left">topic</th>' in html
    assert "<td>b</td>" in note_render(text="| a |\n|---|\n| b |")


def test_the_policy_follows_its_setting(seed, settings):
    """The policy is built once (core/csp.py), and again when the setting changes."""
    assert_policy(Client().get("/"))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert Client().get("/")[HEADER] == "default-src 'none'"


def test_a_view_that_changes_the_policy_is_left_to_django_csp(seed):
    from csp.decorators import csp_update
    from django.test import RequestFactory

    from learnmap.core.csp import CSPMiddleware

    @csp_update({"img-src": "https://images.example"})
    def view(request):
        return HttpResponse("<html></html>")

    response = CSPMiddleware(view)(RequestFactory().get("/"))

    assert policy_of(response)["img-src"] == "'self' data: https://images.example"
