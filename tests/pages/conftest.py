"""Fixtures for the learner's pages: the seed roadmap, a Persian one, learners and clients."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Roadmap
from learnmap.learning import middleware
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "content" / "python-backend.md").read_text(encoding="utf-8")

PERSIAN = """# نقشهٔ راه بک‌اند

## Step 0: مقدمات

- ### گیت
  - **Book**
    - [آموزش گیت by جادی](https://example.com/git) (Persian) (Free)
    - [كتاب برنامه‌نويسي](https://example.com/book) (Persian) (Paid) - کتابی برای شروع

## Step 1: پایتون

- [پایتون ۳ برای همه by علی رضایی](https://example.com/py) (Persian) (Free) - دورهٔ مقدماتی پایتون
- [Fluent Python by Luciano Ramalho](https://example.com/fluent) (English) (Paid)

## Hands-on Experience

Choose topics that you are interested in.

## پایگاه داده

- [PostgreSQL](https://example.com/pg) (English) (Free)

## Podcasts

- [رادیو گیک](https://example.com/radio)
"""


@pytest.fixture(autouse=True)
def private_cache(settings) -> None:
    """Each test gets its own empty cache (pages, maps, structures, search indexes)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-test-{uuid.uuid4()}",
        }
    }
    from learnmap.core.cache import memos_clear

    memos_clear()


@pytest.fixture
def seed(db) -> Roadmap:
    catalog_services.roadmap_import(source=SEED, slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


@pytest.fixture
def persian(db) -> Roadmap:
    catalog_services.roadmap_import(source=PERSIAN, slug="persian-backend")
    return Roadmap.objects.get(slug="persian-backend")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(params=["anonymous", "signed_in"])
def any_client(request, user) -> Client:
    """Each test using it runs for an anonymous visitor and for a signed-in learner."""
    client = Client()
    if request.param == "signed_in":
        client.force_login(user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def overall(page: str) -> str:
    """The "N of M done" of a roadmap page's summary."""
    match = re.search(r'<p id="overall-text"><strong>([^<]*)</strong>', page)
    assert match, "no progress summary on the page"
    return match.group(1)


def csrf_from(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def without_token(page: str) -> str:
    """The page with its CSRF token (masked anew for every response) replaced by 'T'."""
    return page.replace(csrf_from(page), "T")


def button(page: str, button_id: str) -> dict[str, str]:
    """The attributes of the button with this id on the page."""
    match = re.search(rf'<button [^>]*\bid="{re.escape(button_id)}"[^>]*>', page)
    assert match, f"no button #{button_id} on the page"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(0)))


def pressed(page: str, button_id: str) -> bool:
    return button(page, button_id)["aria-pressed"] == "true"


def click_in_outline(client: Client, page: str, button_id: str, **extra):
    """What a click on a button of the roadmap page's outline sends (with or without htmx:
    the same form): the outline form's fields and the button's name and value, to the
    button's own address."""
    form = re.search(r'<form id="outline-form".*?</form>', page, re.S)
    assert form, "no outline form on the page"
    clicked = button(form.group(0), button_id)
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    data[clicked["name"]] = clicked["value"]
    return client.post(clicked["formaction"], data, **extra)


@pytest.fixture
def early(monkeypatch) -> list[str]:
    """The paths the early middleware (``learning.middleware``) answered itself."""
    served: list[str] = []
    for name in ("roadmap_if_cached", "shared_roadmap_if_cached"):
        original = getattr(middleware, name)

        def spy(request, slug, original=original):
            response = original(request, slug)
            if response is not None:
                served.append(request.path)
            return response

        monkeypatch.setattr(middleware, name, spy)
    return served
