"""Finding things in a real browser: the resource filters (a form that puts its choices in the
address) and search, typed in Persian in the Persian interface."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import switch_language

pytestmark = pytest.mark.browser


def test_filter_resources_to_persian_and_free(page, visits):
    page.goto("/r/python-backend/resources/")
    total = int(re.match(r"\d+", page.inner_text("#resource-count")).group())

    page.click("#filters-toggle")  # the filters fold out
    page.check("#filter-language-persian")
    page.check("#filter-price-free")
    with page.expect_navigation():
        page.click("#filters-apply")

    query = parse_qs(urlsplit(page.url).query)
    assert (query["language"], query["price"]) == (["Persian"], ["free"])
    expect(page.locator("#filter-language-persian")).to_be_checked()
    expect(page.locator("#filter-price-free")).to_be_checked()
    expect(page.locator("#filter-language-english")).not_to_be_checked()
    shown = int(re.match(r"\d+", page.inner_text("#resource-count")).group())
    assert 0 < shown < total
    resources = page.locator("li.resource")
    expect(resources).to_have_count(shown)
    for badges in resources.locator(".resource__badges").all():
        expect(badges).to_contain_text("Persian")
        expect(badges).to_contain_text("Free")
    expect(page.locator("#resources")).to_contain_text("Git Course by Jadi")
    expect(page.locator("#resources")).not_to_contain_text("Pro Git")  # English

    # The filtered address is one to share: a new visitor who opens it sees the same list.
    other = visits.new_page()
    other.goto(page.url)
    expect(other.locator("li.resource")).to_have_count(shown)


def test_search_in_persian_in_the_persian_interface(page):
    page.goto("/")
    switch_language(page, "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.fill("#home-search", "گیت")
    with page.expect_navigation():
        page.press("#home-search", "Enter")

    expect(page.locator("#search-q")).to_have_value("گیت")
    results = page.locator("#search-results")
    # The Persian roadmap's topic "گیت" and its resource "آموزش گیت", the match highlighted.
    topic = results.locator("a.search-result__title", has_text=re.compile(r"^گیت$"))
    expect(topic).to_have_count(1)
    expect(topic.locator("mark")).to_have_text("گیت")
    expect(results).to_contain_text("آموزش گیت")

    # Arabic letters (an Arabic keyboard's kaf and yeh) find the Persian spelling too.
    page.fill("#search-q", "كتاب برنامه نويسي")
    with page.expect_navigation():
        page.click("#search-submit")
    expect(page.locator("#search-results")).to_contain_text("كتاب برنامه‌نويسي")

    # A result leads to the topic's page.
    page.fill("#search-q", "گیت")
    with page.expect_navigation():
        page.press("#search-q", "Enter")
    with page.expect_navigation():
        page.locator("#search-results a.search-result__title", has_text=re.compile("^گیت$")).click()
    expect(page.locator("h1")).to_have_text("گیت")
    assert "/r/persian-backend/" in page.url
