"""Screenshots of the roadmap page (English, Persian, dark, phone) for people to look at, in
test-artifacts/browser/: the whole page, and the whole map. Each also checks what makes the map
readable: its words drawn at 11 px or more on the screen, in colours that stand out from what
is behind them (WCAG's 4.5:1), and no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ROADMAP, horizontal_overflow, switch_language

pytestmark = pytest.mark.browser

READABLE_PX = 11  # the smallest text on the map, as drawn (font size times the map's scale)
CONTRAST = 4.5  # WCAG AA for text of that size

# The smallest on-screen font size and the lowest contrast of each kind of text on the map.
MAP_TEXT = """() => {
  const svg = document.getElementById('roadmap-map-svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const channels = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = channels(colour).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const page = getComputedStyle(document.body).backgroundColor;
  const found = {};
  for (const text of svg.querySelectorAll('text')) {
    const kind = text.getAttribute('class');
    const card = text.closest('a') && text.closest('a').querySelector('.map-card');
    const behind = card ? getComputedStyle(card).fill : page;
    const style = getComputedStyle(text);
    const px = parseFloat(style.fontSize) * scale;
    const ratio = contrast(style.fill, behind);
    const seen = found[kind] || {px, ratio};
    found[kind] = {px: Math.min(seen.px, px), ratio: Math.min(seen.ratio, ratio)};
  }
  return found;
}"""


def track_some_progress(page) -> None:
    """Every state on the map at least once, and a chosen elective."""
    for target in (
        "#state-git-done",
        "#state-system-design-in_progress",
        "#state-algorithms--data-structures-skipped",
        "#elective-databases",
        "#state-postgresql-done",
    ):
        page.click(target)
        expect(page.locator("#roadmap-status")).not_to_be_empty()
        page.evaluate("document.getElementById('roadmap-status').textContent = ''")


@pytest.mark.parametrize(
    ("name", "language", "theme", "phone"),
    [
        ("roadmap-en", "en", "light", False),
        ("roadmap-fa", "fa", "light", False),
        ("roadmap-dark", "en", "dark", False),
        ("roadmap-phone", "en", "light", True),
        ("roadmap-phone-fa-dark", "fa", "system-dark", True),
    ],
)
def test_roadmap_page_screenshots(visits, artifacts, name, language, theme, phone):
    system_dark = theme == "system-dark"  # "auto": the site follows the system's preference
    page = visits.new_page(phone=phone, color_scheme="dark" if system_dark else "light")
    page.goto(ROADMAP)
    if language != "en":
        switch_language(page, language)
    if theme == "dark":  # the header's switch: auto, light, dark
        for _ in range(3):
            if page.locator("html").get_attribute("data-theme") == "dark":
                break
            page.click(".theme-switch button")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (theme == "light"), background
    track_some_progress(page)
    page.reload()
    page.evaluate("document.fonts.ready")

    page.evaluate("window.scrollTo(0, 0)")  # the reload kept the place: start at the top
    page.screenshot(path=artifacts(f"{name}.png"), full_page=True)
    # The whole map: on a desktop it scrolls in a column as tall as the window, so the window
    # is made taller than the map for this picture.
    height = page.locator("#roadmap-map-svg").bounding_box()["height"]
    page.set_viewport_size({"width": page.viewport_size["width"], "height": int(height) + 200})
    page.locator("#roadmap-map").screenshot(path=artifacts(f"{name}-map.png"))

    text = page.evaluate(MAP_TEXT)
    assert {"map-label map-label--step", "map-meta map-meta--needs"} <= set(text)
    small = {kind: round(seen["px"], 1) for kind, seen in text.items() if seen["px"] < READABLE_PX}
    assert not small, f"map text drawn smaller than {READABLE_PX} px: {small}"
    faint = {
        kind: round(seen["ratio"], 2) for kind, seen in text.items() if seen["ratio"] < CONTRAST
    }
    assert not faint, f"map text with a contrast under {CONTRAST}:1: {faint}"
    assert horizontal_overflow(page) == 0
