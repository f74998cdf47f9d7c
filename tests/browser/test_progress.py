"""Progress in a real browser: one click to mark a topic, kept across reloads and devices,
carried from an anonymous visit into a new account, and electives changing what counts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ROADMAP, css_class, figures, sign_in, sign_up

pytestmark = pytest.mark.browser


def test_a_learner_signs_up_marks_a_topic_done_and_it_stays_done(page):
    sign_up(page)
    page.goto(ROADMAP)
    done_before, total = figures(page)
    assert done_before == 0

    page.click("#state-git-done")

    # htmx swaps the outline row, the summary and the map in place: no page load.
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#overall-text")).to_contain_text(f"1 of {total} done")
    expect(page.locator("#map-git")).to_have_class(css_class("map-node--done"))
    expect(page.locator("#map-git")).to_have_attribute("aria-label", "Git: topic, done")

    page.reload()
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#state-git-not_started")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#map-git")).to_have_class(css_class("map-node--done"))
    # The topic's section counts it: "Step 0" has three topics, one done now.
    expect(page.locator("#outline-step-0-prerequisites .outline__figures")).to_contain_text(
        "1 of 3"
    )


def test_anonymous_progress_is_merged_into_the_new_account(visits):
    page = visits.new_page()
    page.goto(ROADMAP)
    expect(page.get_by_text("Your progress is kept in this browser.")).to_be_visible()
    page.click("#state-git-done")
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    page.click("#state-system-design-in_progress")
    expect(page.locator("#state-system-design-in_progress")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.click("#elective-databases")
    expect(page.locator("#electives-head")).to_contain_text("1 of 15 chosen.")
    anonymous_figures = figures(page)
    assert anonymous_figures == (1, 14)  # Git done of the steps' 12 and Databases' 2 topics

    email = sign_up(page)

    page.goto(ROADMAP)
    expect(page.get_by_text("Your progress is kept in this browser.")).to_have_count(0)
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#state-system-design-in_progress")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert figures(page) == anonymous_figures  # the chosen elective counts as before

    # It is in the account, not in this browser: another device signs in and sees it.
    other_device = visits.new_page()
    sign_in(other_device, email)
    other_device.goto(ROADMAP)
    expect(other_device.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    assert figures(other_device) == anonymous_figures
    other_device.goto("/me/progress/")
    expect(other_device.locator("main")).to_contain_text("Python Backend Engineer Roadmap")


def test_choosing_electives_changes_the_progress_denominator(page):
    sign_up(page)
    page.goto(ROADMAP)
    assert figures(page) == (0, 12)  # the ordered steps' topics (and steps without topics)
    expect(page.locator("#denominator-note")).to_contain_text("(0 of 15)")

    page.click("#elective-databases")  # a section with two topics: General, PostgreSQL
    expect(page.locator("#electives-head")).to_contain_text("1 of 15 chosen.")
    expect(page.locator("#map-databases")).to_have_class(css_class("map-node--chosen"))
    assert figures(page) == (0, 14)

    page.click("#elective-security")  # a section without topics: it counts once
    expect(page.locator("#electives-head")).to_contain_text("2 of 15 chosen.")
    assert figures(page) == (0, 15)

    page.click("#elective-databases")  # dropped again
    expect(page.locator("#electives-head")).to_contain_text("1 of 15 chosen.")
    expect(page.locator("#map-databases")).not_to_have_class(css_class("map-node--chosen"))
    assert figures(page) == (0, 13)

    page.reload()
    assert figures(page) == (0, 13)
    expect(page.locator("#denominator-note")).to_contain_text("(1 of 15)")


def test_without_javascript_the_outline_buttons_post_and_come_back_to_the_row(visits):
    page = visits.new_page(java_script_enabled=False)
    page.goto(ROADMAP)

    with page.expect_navigation():
        page.click("#state-git-done")
    assert page.url.endswith(f"{ROADMAP}#outline-git")
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#overall-text")).to_contain_text("1 of")
    with page.expect_navigation():
        page.click("#elective-databases")
    assert page.url.endswith(f"{ROADMAP}#outline-databases")
    expect(page.locator("#elective-databases")).to_have_text("Drop")
