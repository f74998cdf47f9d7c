"""What the browser tests do the way a learner does: sign up, switch language, read figures."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

ROADMAP = "/r/python-backend/"
PASSWORD = "a-long-and-unguessable-passphrase-42"


def new_email() -> str:
    return f"learner-{uuid.uuid4().hex[:12]}@example.com"


def sign_up(page: Page, email: str | None = None) -> str:
    """Create an account with the sign-up form, as a visitor would; returns its email."""
    email = email or new_email()
    page.goto("/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()
    expect_signed_in(page)
    return email


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()
    expect_signed_in(page)


def expect_signed_in(page: Page) -> None:
    """The header offers to sign out (whatever the language)."""
    expect(page.locator("header form[action='/accounts/logout/'] button")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    """Use the header's language switch (a form post that sets the language cookie)."""
    with page.expect_navigation():
        page.locator(f".language-switch button[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def figures(page: Page) -> tuple[int, int]:
    """The roadmap summary's "N of M done": (N, M), whichever digits the language writes."""
    text = page.locator("#overall-text").inner_text()
    digits = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    done, total = re.findall(r"\d+", digits)[:2]
    return int(done), int(total)


def css_class(name: str) -> re.Pattern:
    """For ``expect(...).to_have_class``: the class list includes ``name``."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scroll)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
