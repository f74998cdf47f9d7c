"""The layout in a real browser: Persian pages read right to left, the map works with the
keyboard alone, and a 360 px phone never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    ROADMAP,
    css_class,
    horizontal_overflow,
    sign_up,
    switch_language,
)

pytestmark = pytest.mark.browser


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def center_x(found: dict) -> float:
    return found["x"] + found["width"] / 2


# --- right to left ---------------------------------------------------------------------------


def test_the_persian_interface_reads_right_to_left(page):
    page.goto(ROADMAP)
    english_dot = box(page, "#map-step-0-prerequisites circle.map-dot")
    english_label = box(page, "#map-step-0-prerequisites text.map-label")
    assert english_dot["x"] + english_dot["width"] <= english_label["x"]  # dot, then label

    switch_language(page, "fa")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator("h1")).to_have_text("Python Backend Engineer Roadmap")
    expect(page.locator("#summary-title")).to_have_text("پیشرفت شما")  # "Your progress"
    width = page.viewport_size["width"]
    # The brand sits at the right end of the header, the language switch towards the left.
    assert center_x(box(page, ".brand")) > width / 2
    assert center_x(box(page, ".language-switch")) < center_x(box(page, ".brand"))
    # Headings start on the right.
    outline_title = box(page, "#outline-title")
    outline = box(page, ".roadmap-outline")
    assert outline_title["x"] + outline_title["width"] == pytest.approx(
        outline["x"] + outline["width"], abs=2
    )
    # The map is mirrored: the path on the right, each label to the left of its dot.
    persian_dot = box(page, "#map-step-0-prerequisites circle.map-dot")
    persian_label = box(page, "#map-step-0-prerequisites text.map-label")
    assert persian_label["x"] + persian_label["width"] <= persian_dot["x"]
    assert center_x(box(page, "#roadmap-map-svg")) < center_x(persian_dot)
    # The state buttons run from the right: "not started" first.
    group = page.locator("#outline-git .segmented")
    first, last = (box(page, f"#state-git-{state}") for state in ("not_started", "skipped"))
    assert first["x"] > last["x"]
    expect(group).to_be_visible()
    # Persian glyphs come from the vendored Vazirmatn font, not a fallback.
    page.evaluate("document.fonts.ready")
    assert page.evaluate(
        "[...document.fonts].some((f) => f.family.includes('Vazirmatn') && f.status === 'loaded')"
    )


# --- the keyboard ----------------------------------------------------------------------------


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


def tab_until(page, predicate, *, limit: int) -> int:
    """Press Tab until ``predicate(id of the focused element)``; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if predicate(focused_id(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses (focus on #{focused_id(page)})")


def test_the_map_can_be_used_with_the_keyboard_alone(page):
    page.goto(ROADMAP)
    map_ids = page.locator("#roadmap-map-svg a.map-node").evaluate_all(
        "(nodes) => nodes.map((node) => node.id)"
    )
    assert map_ids[:4] == [
        "map-step-0-prerequisites",
        "map-algorithms--data-structures",
        "map-system-design",
        "map-git",
    ]

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")  # skip the header
    tab_until(page, lambda found: found == map_ids[0], limit=20)

    # The focus ring shows (keyboard focus is :focus-visible) and each node says its state.
    first = page.locator(f"#{map_ids[0]}")
    ring = first.locator(".map-hit").evaluate("(hit) => getComputedStyle(hit).strokeWidth")
    assert float(ring.removesuffix("px")) >= 2
    expect(first).to_have_attribute(
        "aria-label", "Step 0: Prerequisites: ordered step, not started"
    )

    # Every node in turn, in the map's order; the one focused is scrolled into view.
    visited = [map_ids[0]]
    scroller = page.locator(".roadmap-map")
    for _ in map_ids[1:]:
        page.keyboard.press("Tab")
        visited.append(focused_id(page))
        shown = box(page, f"#{visited[-1]} .map-hit")
        area = scroller.bounding_box()
        assert (
            area["y"] - 1 <= shown["y"]
            and shown["y"] + shown["height"] <= area["y"] + area["height"] + 1
        ), f"#{visited[-1]} has the focus but is scrolled out of sight"
    assert visited == map_ids

    # Enter follows a node's link; on its page the state buttons are reachable too.
    page.keyboard.press("Shift+Tab")
    while focused_id(page) != "map-git":
        page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Git")
    tab_until(page, lambda found: found == "state-git-done", limit=40)
    page.keyboard.press("Space")
    expect(page.locator("#state-git-done")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#node-state-label")).to_have_text("Done")
    page.goto(ROADMAP)
    expect(page.locator("#map-git")).to_have_attribute("aria-label", "Git: topic, done")

    # In the outline, a state button pressed from the keyboard keeps the focus while htmx
    # swaps its section in: the learner carries on from where they were.
    page.locator("#state-git-skipped").focus()
    page.keyboard.press("Space")
    expect(page.locator("#state-git-skipped")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#map-git")).to_have_attribute("aria-label", "Git: topic, skipped")
    expect(page.locator("#state-git-skipped")).to_be_focused()


# --- a phone -----------------------------------------------------------------------------------

PHONE_PAGES = [
    "/",
    ROADMAP,
    "/r/python-backend/n/step-1-python/",
    "/r/python-backend/n/step-2-python-web-frameworks/",
    "/r/python-backend/resources/?language=Persian&price=free",
    "/search/?q=django",
    "/me/progress/",
    "/accounts/",
]


def sticking_out(page) -> list[str]:
    """Visible elements reaching past either side of the viewport (and not in a scroller)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            if (box.right <= width + 0.5 && box.left >= -0.5) continue;
            const style = getComputedStyle(el);
            const clipped = style.clipPath !== 'none' || style.clip !== 'auto';
            if (style.visibility === 'hidden' || (style.position === 'absolute' && clipped))
              continue;  // not shown (.visually-hidden)
            let scroller = el.parentElement;
            while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX))
              scroller = scroller.parentElement;
            if (scroller && scroller !== document.documentElement) continue;
            found.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')}`);
          }
          return found.slice(0, 5);
        }"""
    )


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_360px_phone_never_scrolls_sideways(visits, language):
    page = visits.new_page(phone=True)
    page.goto("/")
    if language != "en":
        switch_language(page, language)

    def check(path: str) -> None:
        page.goto(path)
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.documentElement.clientWidth") == 360
        assert horizontal_overflow(page) == 0, f"{path} scrolls sideways"
        assert sticking_out(page) == [], f"{path}: these reach past the screen's edge"

    for path in ("/accounts/signup/", "/accounts/login/", ROADMAP):
        check(path)
    sign_up(page)  # signed in: the header has the most links, the pages the most controls
    page.goto(ROADMAP)
    page.click("#elective-databases")
    expect(page.locator("#elective-databases")).not_to_have_class(css_class("btn--primary"))
    for path in PHONE_PAGES:
        check(path)
