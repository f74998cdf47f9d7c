"""The page layout in English and Persian: direction, language choice, errors, landmarks."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils.translation import override

import learnmap

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(learnmap.__file__).resolve().parent / "locale"


@pytest.fixture(autouse=True)
def private_cache(settings) -> None:
    """Sign-in attempts count in the cache: keep this module's apart from other tests'."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"i18n-test-{uuid.uuid4()}",
        }
    }


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


# ---- Language and direction ------------------------------------------------------------------


def test_english_by_default_left_to_right(client):
    page = client.get("/accounts/login/").content.decode()

    assert 'lang="en"' in html_tag(page)
    assert 'dir="ltr"' in html_tag(page)
    assert "Sign in" in page


def test_persian_browser_gets_persian_right_to_left(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9,en;q=0.5")
    text = page.content.decode()

    assert 'lang="fa"' in html_tag(text)
    assert 'dir="rtl"' in html_tag(text)
    assert "<h1>ورود</h1>" in text
    assert "رفتن به محتوای اصلی" in text  # the skip link
    assert ">English</button>" in text  # the switch offers the other language by its own name
    assert page["Content-Language"] == "fa"


def test_language_switch_is_remembered_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/accounts/signup/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"
    # The choice beats the browser's own language.
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'dir="rtl"' in html_tag(page)
    assert "ساخت حساب کاربری" in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="ltr"' in html_tag(page)


def test_language_switch_form_works_without_javascript(client):
    page = client.get("/accounts/login/").content.decode()
    form = re.search(r'<form method="post" action="/i18n/setlang/".*?</form>', page, re.S)

    assert form, "the header has a language form"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'name="next" value="/accounts/login/"' in form.group(0)
    assert '<button type="submit" name="language" value="fa" lang="fa"' in form.group(0)


def test_allauth_messages_follow_the_learner_language(client, django_user_model):
    django_user_model.objects.create_user("ada", "ada@example.com", "correct horse battery")

    response = client.post(
        "/accounts/login/",
        {"login": "ada@example.com", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )

    assert "نشانی ایمیل یا گذرواژه‌ای که وارد کردید درست نیست." in response.content.decode()


# ---- Error pages ------------------------------------------------------------------------------


def test_unknown_page_is_a_real_404_in_the_learner_language(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="fa")
    page = response.content.decode()

    assert response.status_code == 404
    assert 'dir="rtl"' in html_tag(page)
    assert "صفحه پیدا نشد" in page
    assert '<main id="main"' in page  # the whole layout, so the learner can go on from here


def test_unknown_page_in_english(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_csrf_failure_page_in_the_learner_language():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "a@example.com"}, HTTP_ACCEPT_LANGUAGE="fa"
    )
    page = response.content.decode()

    assert response.status_code == 403
    assert 'dir="rtl"' in html_tag(page)
    assert "اعتبار فرم تمام شده است" in page


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("en", "ltr", "Something went wrong"), ("fa", "rtl", "مشکلی پیش آمد")],
)
def test_server_error_page_renders_without_a_request(language, direction, heading):
    """Django renders 500.html with no context at all: it must stand on its own."""
    with override(language):
        page = render_to_string("500.html")

    assert f'dir="{direction}"' in html_tag(page)
    assert heading in page


# ---- Layout, accessibility and the assets it needs --------------------------------------------


def test_layout_has_landmarks_skip_link_and_htmx_csrf(client):
    page = client.get("/accounts/login/").content.decode()

    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert re.search(r'<a class="skip-link" href="#main">', page)
    assert re.search(r'<script src="[^"]*core/vendor/htmx/htmx\.min\.js" defer>', page)
    token = re.search(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""", page)
    assert token and len(token.group(1)) >= 32
    assert '<label for="id_login">' in page  # every field has a label


def test_user_input_in_the_address_is_escaped(client):
    page = client.get('/accounts/login/?next="><script>alert(1)</script>').content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(
    "path",
    [
        "core/learnmap.css",
        "core/learnmap.js",
        "core/vendor/htmx/htmx.min.js",
        "core/vendor/htmx/LICENSE",
        "core/vendor/vazirmatn/Vazirmatn-NL-Variable.woff2",
        "core/vendor/vazirmatn/OFL.txt",
    ],
)
def test_static_assets_are_served_by_the_app(path):
    assert finders.find(path), f"{path} is missing from the static files"


def test_stylesheet_mirrors_for_rtl_with_logical_properties():
    css = Path(finders.find("core/learnmap.css")).read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)

    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|float:\s*(?:left|right)",
        rules,
    )
    assert physical == [], "use logical properties (inline-start/end) so Persian pages mirror"
    assert "prefers-color-scheme: dark" in rules
    assert ':root[data-theme="dark"]' in rules


# Text colours, each checked on every background of its theme.
TEXT_COLOURS = ("fg", "muted", "accent", "accent-strong", "success", "warning", "danger")


def _theme(css: str, selector: str) -> dict[str, str]:
    start = css.index(selector)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", css[start : css.index("}", start)]))


def _contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_both_themes_meet_wcag_aa_contrast():
    css = Path(finders.find("core/learnmap.css")).read_text(encoding="utf-8")
    light = _theme(css, ":root {")
    dark = _theme(css, ':root[data-theme="dark"] {')
    assert _theme(css, ':root:not([data-theme="light"]) {') == dark, "the two dark blocks differ"

    failures = []
    for name, theme in (("light", light), ("dark", dark)):
        pairs = [(fg, bg, 4.5) for fg in TEXT_COLOURS for bg in ("bg", "surface", "surface-2")]
        pairs += [("border-strong", bg, 3) for bg in ("bg", "surface", "surface-2")]
        pairs += [("on-accent", "accent", 4.5), ("on-accent", "accent-strong", 4.5)]
        pairs += [("focus", bg, 3) for bg in ("bg", "surface")]
        failures += [
            f"{name}: {fg} on {bg} is {_contrast(theme[fg], theme[bg]):.2f}:1 (< {need})"
            for fg, bg, need in pairs
            if _contrast(theme[fg], theme[bg]) < need
        ]
    assert failures == []


# ---- Translations -----------------------------------------------------------------------------


def test_every_message_has_a_persian_translation():
    with (LOCALE_DIR / "fa" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle)

    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_compiletranslations_writes_mo_files(tmp_path):
    messages = tmp_path / "locale" / "fa" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "سلام %(name)s"\n',
        encoding="utf-8",
    )

    call_command("compiletranslations", root=tmp_path, verbosity=0)

    assert (messages / "django.mo").stat().st_size > 0


def test_compiletranslations_refuses_broken_placeholders(tmp_path):
    messages = tmp_path / "locale" / "fa" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "سلام %(nam)s"\n',
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="Hello"):
        call_command("compiletranslations", root=tmp_path, verbosity=0)
    assert not (messages / "django.mo").exists()
