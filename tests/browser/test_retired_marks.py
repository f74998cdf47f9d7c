"""Marked items removed from a roadmap, in a real browser: a learner marks two items, the
maintainer's re-import removes them, and the roadmap page says so above the summary ("2 items
you had marked were removed from this roadmap"), lists what they had when opened, and lets them
clear the notice (htmx, no page load). The original file imported again brings the marks back.
In English and in Persian (right to left). Each test imports a roadmap of its own, so other
tests' roadmaps are never edited under them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_up, switch_language

pytestmark = pytest.mark.browser

ORIGINAL = """# Removed Marks Demo

## Step 0: Basics

- ### Git
  - **Book**
    - [Pro Git](https://example.com/pro-git) (English) (Free)

- ### Shell
  - **Book**
    - [The Linux Command Line](https://example.com/tlcl) (English) (Free)

## Step 1: Python

- [Python Tutorial](https://example.com/python) (English) (Free)

## Podcasts

- [Talk Python](https://example.com/talk-python)
"""
SHELL = """- ### Shell
  - **Book**
    - [The Linux Command Line](https://example.com/tlcl) (English) (Free)

"""
PODCASTS = """
## Podcasts

- [Talk Python](https://example.com/talk-python)
"""
EDITED = ORIGINAL.replace(SHELL, "").replace(PODCASTS, "")
NOTICE = {
    "en": "2 items you had marked were removed from this roadmap",
    "fa": "2 موردی که علامت زده بودید از این نقشهٔ راه حذف شدند",
}
CLEAR = {"en": "Clear this notice", "fa": "پاک کردن این اعلان"}


@pytest.fixture
def roadmap(site, tmp_path: Path):
    """A roadmap of this test's own: its address, and how to import a version of it."""
    slug = f"removed-{uuid.uuid4().hex[:8]}"

    def load(text: str) -> None:
        path = tmp_path / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        site.command("import", str(path), "--slug", slug)

    load(ORIGINAL)
    return f"/r/{slug}/", load


def marked_and_removed(page: Page, roadmap) -> str:
    """A new learner marks Shell and Podcasts done, then both are removed; the page's address."""
    address, load = roadmap
    sign_up(page)
    page.goto(address)
    for slug in ("shell", "podcasts"):
        page.click(f"#state-{slug}-done")
        expect(page.locator(f"#state-{slug}-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#retired-notice")).to_have_count(0)
    load(EDITED)
    page.goto(address)
    return address


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_learner_reads_the_notice_and_clears_it(page, roadmap, language, artifacts):
    address = marked_and_removed(page, roadmap)
    if language == "fa":
        switch_language(page, "fa")
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    notice = page.locator("#retired-notice")
    expect(notice).to_be_visible()
    expect(page.locator("#retired-notice-text")).to_have_text(NOTICE[language])
    items = page.locator("#retired-notice-list li")
    expect(items.first).not_to_be_visible()  # closed until the learner opens it

    page.locator("#retired-notice summary").click()
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Shell")).to_be_visible()
    expect(items.filter(has_text="Podcasts")).to_be_visible()
    expect(items.filter(has_text="Shell").locator("time")).to_have_count(1)
    # Readable: inside the page's width, the text not cut off.
    box = notice.bounding_box()
    assert box is not None and box["width"] > 200
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    notice.screenshot(path=artifacts(f"retired-notice-{language}.png"))  # for people to look at

    clear = page.get_by_role("button", name=CLEAR[language])
    url_before = page.url
    clear.click()
    expect(notice).to_have_count(0)  # swapped out by htmx, no page load
    assert page.url == url_before
    page.reload()
    expect(page.locator("#retired-notice")).to_have_count(0)
    expect(page.locator("#retired")).to_contain_text("Shell")  # the marks are kept


def test_the_notice_works_without_javascript(visits, roadmap):
    page = visits.new_page(java_script_enabled=False)
    address = marked_and_removed_without_js(page, roadmap)
    page.locator("#retired-notice summary").click()
    expect(page.locator("#retired-notice-list li")).to_have_count(2)
    with page.expect_navigation():
        page.locator("#retired-notice-clear").click()
    assert page.url.endswith(address)
    expect(page.locator("#retired-notice")).to_have_count(0)


def marked_and_removed_without_js(page: Page, roadmap) -> str:
    """``marked_and_removed`` with plain form posts (each click reloads the page)."""
    address, load = roadmap
    sign_up(page)
    page.goto(address)
    for slug in ("shell", "podcasts"):
        with page.expect_navigation():
            page.click(f"#state-{slug}-done")
    load(EDITED)
    page.goto(address)
    return address


def test_the_marks_come_back_with_the_items(page, roadmap):
    address = marked_and_removed(page, roadmap)
    expect(page.locator("#retired-notice")).to_be_visible()
    expect(page.locator("#outline-shell")).to_have_count(0)
    _, load = roadmap
    load(ORIGINAL)
    page.goto(address)
    expect(page.locator("#retired-notice")).to_have_count(0)
    expect(page.locator("#state-shell-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#state-podcasts-done")).to_have_attribute("aria-pressed", "true")


# --- accessibility: axe-core -------------------------------------------------------------------

# axe-core as axe-playwright-python bundles it (a dev dependency).


@pytest.mark.parametrize("language", ["en", "fa"])
def test_axe_finds_no_violation_in_the_notice(page, roadmap, language):
    address = marked_and_removed(page, roadmap)
    if language == "fa":
        switch_language(page, "fa")
        page.goto(address)
    page.locator("#retired-notice summary").click()
    # Injected through DevTools: the page's Content-Security-Policy does not apply.
    results = Axe().run(page, context="#retired-notice")
    assert results.violations_count == 0, results.generate_report()
