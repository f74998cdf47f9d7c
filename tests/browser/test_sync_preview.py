"""The next sync's preview, in a real browser: a roadmap follows a local Git repository, a
learner marks a topic done, the maintainer pushes a rename the rules miss, and the sync waits
for a yes. The maintainer opens the preview from the maintainer page, sees the topic retired
with the learner's mark, pins the rename ("Old title=New title"), plans again, and applies the
commit: the topic keeps its mark under its new title. In English and in Persian (right to
left); axe-core finds no violation in the preview. Each test has a roadmap and a repository of
its own."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import PASSWORD, new_email, sign_in, sign_up, switch_language
from tests.sources.conftest import Upstream

pytestmark = pytest.mark.browser

ORIGINAL = """# Preview Demo

## Basics

- ### Reading
  - [Book A](https://example.com/a) (English) (Free)
  - [Book B](https://example.com/b) (English) (Paid)

## More

- [Site D](https://example.com/d) (English)
"""
# "Reading" renamed, its books replaced: no rule pairs it with the stored topic.
RENAMED = ORIGINAL.replace(
    """- ### Reading
  - [Book A](https://example.com/a) (English) (Free)
  - [Book B](https://example.com/b) (English) (Paid)
""",
    """- ### Study Shelf
  - [Manual X](https://example.org/x) (English) (Free)
  - [Manual Y](https://example.org/y) (English) (Paid)
""",
)
MARKS = {"en": "1 learner has marks on it", "fa": "1 یادگیرنده روی آن علامت دارد"}
REVIEW = {"en": "Review and apply it", "fa": "بازبینی و اعمال آن"}
PLAN_AGAIN = {"en": "Plan again", "fa": "دوباره برنامه بریز"}
APPLY = {"en": "Apply this commit", "fa": "اعمال این کامیت"}
PINNED = {"en": "pinned by a rename", "fa": "با یک سنجاق تغییر نام"}
SYNCED = {"en": "synced", "fa": "همگام‌سازی شد"}


@pytest.fixture
def waiting(site, page: Page, tmp_path: Path):
    """A roadmap of this test's own following a bare repository; a learner (``page``) marked
    "Reading" done, then the rename was pushed and the sync waits. Its slug."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Maintainer",
        "GIT_AUTHOR_EMAIL": "maintainer@example.com",
        "GIT_COMMITTER_NAME": "Maintainer",
        "GIT_COMMITTER_EMAIL": "maintainer@example.com",
    }
    bare, work = tmp_path / "upstream.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], env=env, check=True)
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], env=env, check=True)
    repo = Upstream(url=str(bare), work=work, env=env)
    repo.git("checkout", "-q", "-B", "main")
    repo.push(ORIGINAL)
    slug = f"preview-{uuid.uuid4().hex[:8]}"
    site.command("sources", "add", slug, repo.url)

    sign_up(page)
    page.goto(f"/r/{slug}/")
    page.click("#state-reading-done")
    expect(page.locator("#state-reading-done")).to_have_attribute("aria-pressed", "true")

    repo.push(RENAMED)
    printed = site.command("sync", slug)
    assert "waiting for a maintainer: 1 retired item carries 1 learner's marks" in printed
    return slug


def maintainer(site, visits, language: str) -> Page:
    """A staff member's page, signed in, in ``language``."""
    email = new_email()
    site.command(
        "createsuperuser",
        "--noinput",
        "--username",
        f"staff-{uuid.uuid4().hex[:8]}",
        "--email",
        email,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    page = visits.new_page()
    sign_in(page, email)
    if language == "fa":
        switch_language(page, "fa")
    return page


def open_preview(page: Page, slug: str, language: str) -> None:
    page.goto(f"/r/{slug}/links/")
    expect(page.locator("#git-source-waiting")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=REVIEW[language]).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_maintainer_pins_the_rename_and_applies_the_commit(
    site, visits, page, waiting, language, artifacts
):
    staff = maintainer(site, visits, language)
    open_preview(staff, waiting, language)
    retired = staff.locator("#preview-nodes-retired li").filter(has_text="Reading")
    expect(retired).to_contain_text(MARKS[language])
    expect(staff.locator("#sync-waiting")).to_be_visible()
    expect(staff.locator("#preview-nodes-added")).to_contain_text("Study Shelf")
    staff.screenshot(path=artifacts(f"sync-preview-{language}.png"), full_page=True)

    staff.fill("#renames", "Reading=Study Shelf")
    with staff.expect_navigation():
        staff.get_by_role("button", name=PLAN_AGAIN[language]).click()
    matched = staff.locator("#preview-nodes-matched li").filter(has_text="Study Shelf")
    expect(matched).to_contain_text("Reading")
    expect(matched).to_contain_text(PINNED[language])
    expect(staff.locator("#preview-marks")).to_have_count(0)
    expect(staff.locator("#preview-nodes-retired")).to_have_count(0)

    with staff.expect_navigation():
        staff.get_by_role("button", name=APPLY[language]).click()
    assert staff.url.endswith(f"/r/{waiting}/links/")
    expect(staff.locator("#git-source-status")).to_contain_text(SYNCED[language])
    expect(staff.locator("#git-source-waiting")).to_have_count(0)

    page.goto(f"/r/{waiting}/")  # the learner's mark, under the new title
    expect(page.locator("#state-study-shelf-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#retired-notice")).to_have_count(0)


def test_a_bad_pin_names_its_title_and_offers_no_apply(site, visits, waiting):
    staff = maintainer(site, visits, "en")
    open_preview(staff, waiting, "en")
    staff.fill("#renames", "Writing=Study Shelf")
    with staff.expect_navigation():
        staff.get_by_role("button", name=PLAN_AGAIN["en"]).click()
    expect(staff.locator("#pin-error")).to_contain_text("'Writing'")
    expect(staff.locator("#apply")).to_have_count(0)
    expect(staff.locator("#renames")).to_have_value("Writing=Study Shelf")


# --- accessibility: axe-core -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fa"])
def test_axe_finds_no_violation_in_the_preview(site, visits, waiting, language):
    staff = maintainer(site, visits, language)
    open_preview(staff, waiting, language)
    # Injected through DevTools: the page's Content-Security-Policy does not apply.
    results = Axe().run(staff, context="main")
    assert results.violations_count == 0, results.generate_report()
