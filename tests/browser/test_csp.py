"""The Content-Security-Policy in a real browser: every kind of page works under it and the
browser refuses nothing (the ``visits`` fixture fails a test on any violation it saw)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ROADMAP, sign_up

pytestmark = pytest.mark.browser


def test_the_watch_for_violations_sees_one(page, visits):
    """The check the other tests rely on: an inline <style> added to a page is reported."""
    page.goto("/")
    refused = page.evaluate(
        """() => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (event) => {
            resolve(event.effectiveDirective);
          }, {once: true});
          document.head.insertAdjacentHTML("beforeend", "<style>p {}</style>");
        })"""
    )

    assert refused == "style-src-elem"
    # Told on the console (before the promise above resolved) and collected by the fixture.
    assert any("style-src-elem" in violation for violation in visits.csp_violations)
    visits.csp_violations.clear()  # seen: the test itself passes


def test_the_api_docs_render_under_the_policy(page):
    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.locator(".swagger-ui .opblock-summary").first.click()
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()


def test_pages_of_every_kind_under_the_policy(page):
    for path in (
        "/",
        ROADMAP,
        f"{ROADMAP}n/django/",
        f"{ROADMAP}resources/",
        "/search/?q=git",
        "/me/progress/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/no-such-page/",
    ):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
    icon = page.request.get("/favicon.ico")  # what a browser asks for whatever the page says
    assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")


def test_a_learners_pages_and_a_note_with_an_aligned_table_under_the_policy(page):
    sign_up(page)
    page.goto(f"{ROADMAP}n/django/")
    page.fill("#note-text", "| topic | hours |\n|:--|--:|\n| ORM | 3 |\n\n**bold**")
    page.click("#note-save")  # htmx swaps the note in
    expect(page.locator("#note-body td").last).to_have_text("3")
    expect(page.locator("#note-body td").last).to_have_css("text-align", "right")

    for path in ("/accounts/", "/accounts/tokens/", "/me/progress/", ROADMAP):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
