"""The community loop in a real browser, as people do it: a learner proposes the first
resource of an "(In Progress)" section; a moderator reviews it with the diff, the lint, the
link check and a duplicate warning in front of them, and accepts; the section shows it, the
learner's progress elsewhere is untouched, the history feed lists it, and the exported
Markdown differs from the file before by the added line only. In English, then in Persian."""

from __future__ import annotations

import difflib
import re
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from learnmap.roadmap_md import slugify
from tests.browser.helpers import PASSWORD, new_email, sign_in, sign_up, switch_language

pytestmark = pytest.mark.browser

LOOP = {
    "en": {
        "slug": "community-demo",
        "section": "Queues",
        "topic": "shell",
        "title": "Queue Patterns Explained",
        "author": "Grace Hopper",
        "languages": "English",
        # The link of "Queue Theory Notes" elsewhere in the roadmap, written another way.
        "url": "http://localhost:9/queue-notes/",
        "line": "- [Queue Patterns Explained by Grace Hopper](http://localhost:9/queue-notes/)"
        " (English) (Free)\n",
        "accepted": "Accepted",
    },
    "fa": {
        "slug": "community-fa",
        "section": "صف‌ها",  # noqa: RUF001 (a Persian word: its letters are meant)
        "topic": slugify("ترمینال"),
        "title": "الگوهای صف",
        "author": "مریم میرزاخانی",
        "languages": "Persian",
        "url": "http://localhost:9/fa-queue-notes/",
        "line": "- [الگوهای صف by مریم میرزاخانی](http://localhost:9/fa-queue-notes/)"
        " (Persian) (Free)\n",
        "accepted": "پذیرفته",
    },
}


def _moderator(site) -> str:
    email = new_email()
    site.command(
        "createsuperuser",
        "--noinput",
        "--username",
        f"mod-{uuid.uuid4().hex[:8]}",
        "--email",
        email,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    return email


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_proposal_goes_from_a_learner_through_review_into_the_roadmap(
    visits, site, artifacts, language
):
    case = LOOP[language]
    slug, node = case["slug"], quote(slugify(case["section"]))
    before = site.command("export", slug)

    # The learner: progress on a topic, then the first resource of the waiting section.
    learner = visits.new_page()
    sign_up(learner)
    if language == "fa":
        switch_language(learner, "fa")
        expect(learner.locator("html")).to_have_attribute("dir", "rtl")
    learner.goto(f"/r/{slug}/")
    learner.click(f"#state-{case['topic']}-done")
    expect(learner.locator(f"#state-{case['topic']}-done")).to_have_attribute(
        "aria-pressed", "true"
    )
    learner.goto(f"/r/{slug}/n/{node}/")
    expect(learner.locator("#no-resources")).to_be_visible()  # it invites the first one
    with learner.expect_navigation():
        learner.click("#propose-resource")
    learner.fill("#id_title", case["title"])
    learner.fill("#id_url", case["url"])
    learner.fill("#id_author", case["author"])
    learner.fill("#id_languages", case["languages"])
    learner.select_option("#id_cost", "free")
    learner.fill("#id_reason", "The clearest introduction I know.")
    with learner.expect_navigation():
        learner.click("#propose-submit")
    expect(learner.locator("main")).to_contain_text(case["title"])
    assert site.command("export", slug) == before  # nothing changes before a review

    # The moderator: the queue, then the proposal with its evidence.
    moderator = visits.new_page()
    sign_in(moderator, _moderator(site))
    if language == "fa":
        switch_language(moderator, "fa")
    moderator.goto(f"/r/{slug}/review/")
    with moderator.expect_navigation():
        moderator.get_by_role("link", name=re.compile(re.escape(case["title"]))).first.click()
    diff = moderator.locator("#preview")
    expect(diff).to_contain_text("+" + case["line"].strip())
    expect(moderator.locator("#lint-ok")).to_be_visible()
    expect(moderator.locator("#duplicates")).to_be_visible()  # the same link, elsewhere
    # The link check ran in the background when the proposal arrived (nothing listens on
    # port 9: the check says so); a reload shows it once done.
    for _ in range(40):
        if moderator.locator("#link-check .badge").count():
            break
        moderator.wait_for_timeout(500)
        moderator.reload()
    expect(moderator.locator("#link-check .badge")).to_be_visible()
    if language == "en":
        moderator.screenshot(path=artifacts("review.png"), full_page=True)
    with moderator.expect_navigation():
        moderator.click("#accept")
    # The moderator lands on the change in the history, told it is in the roadmap now.
    expect(moderator.locator("main [role=status]")).to_contain_text(case["accepted"])
    expect(moderator.locator("main")).to_contain_text("+" + case["line"].strip())

    # The section shows it (node page and map), progress elsewhere stays, the feed lists it.
    learner.goto(f"/r/{slug}/n/{node}/")
    expect(learner.locator("#resources")).to_contain_text(case["title"])
    learner.goto(f"/r/{slug}/")
    expect(learner.locator(f"#map-{slugify(case['section'])}")).to_contain_text(re.compile("1"))
    expect(learner.locator(f"#state-{case['topic']}-done")).to_have_attribute(
        "aria-pressed", "true"
    )
    feed = learner.request.get(f"/r/{slug}/history.atom")
    assert feed.ok and case["title"] in feed.text()

    # The Markdown: only the added line (and the blank line that sets it apart) is new.
    after = site.command("export", slug)
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    assert removed == []
    assert [line for line in added if line.strip()] == [case["line"]]
