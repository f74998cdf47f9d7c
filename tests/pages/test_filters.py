"""Resource filters on the pages: read from the address and shown in the form, bad values
ignored with a note, and remembered as a signed-in learner's defaults. What the filters mean
(alternatives, combinations): tests/catalog/test_filters.py."""

from __future__ import annotations

import re

import pytest

from learnmap.learning.models import LearnerPreferences
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db


def titles(page: str) -> list[str]:
    return re.findall(r'<a class="resource__title" href="[^"]*"[^>]*><bdi>([^<]*)</bdi>', page)


def test_filters_live_in_the_address(client, seed):
    everything = titles(text_of(client.get("/r/python-backend/n/step-1-python/")))
    persian_free = text_of(
        client.get("/r/python-backend/n/step-1-python/?language=Persian&price=free")
    )

    assert len(everything) == 15  # without filters, every resource of the node
    assert titles(persian_free) == ["python coderz"]
    # The form shows what the address says, ready to change and share.
    assert re.search(r'name="language" value="Persian" id="[^"]+" checked', persian_free)
    assert re.search(r'name="price" value="free" id="[^"]+" checked', persian_free)
    assert not re.search(r'name="price" value="paid" id="[^"]+" checked', persian_free)
    assert "1 resource shown." in persian_free


def test_several_values_of_one_filter_are_alternatives(client, seed):
    page = text_of(
        client.get("/r/python-backend/resources/?kind=Video&kind=Platform&language=Persian")
    )

    shown = titles(page)
    assert "Quera" in shown  # a Persian platform
    assert "Git Course" in shown  # a Persian video
    assert "Pro Git" not in shown  # an English book


def test_filter_by_level_and_kind(client, seed):
    page = text_of(client.get("/r/python-backend/resources/?level=Advanced&price=paid"))

    shown = titles(page)
    assert "Python Tricks" in shown
    assert "Python Crash Course" not in shown
    headings = re.findall(r'<h3 class="resource-kind__title">([^<]*)</h3>', page)
    assert headings and all(heading.startswith("Advanced · ") for heading in headings)


def test_bad_filter_values_are_ignored_with_a_note(client, seed):
    response = client.get(
        "/r/python-backend/n/step-1-python/?price=cheap&language=Persian&level=%3Cscript%3E"
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "Ignored the unknown price “cheap”." in page
    assert "Ignored the unknown level “&lt;script&gt;”." in page
    assert "<script>" not in page.split("</header>")[1]
    assert titles(page) == ["python coderz", "Python Tricks"]  # the good filter still applies


def test_too_many_values_are_cut_with_a_note(client, seed):
    query = "&".join(f"kind=K{i}" for i in range(30))

    page = text_of(client.get(f"/r/python-backend/resources/?{query}"))

    assert "Too many values for the kind filter: kept the first 20." in page


def test_a_filter_that_matches_nothing_says_so(client, seed):
    page = text_of(client.get("/r/python-backend/n/git/?language=Persian&kind=Book"))

    assert 'id="no-matching-resources"' in page


def test_a_signed_in_learner_remembers_filters_as_defaults(signed_in, seed, user):
    response = signed_in.post(
        "/me/filters/",
        {"language": ["Persian"], "price": ["free"], "next": "/r/python-backend/n/step-1-python/"},
    )
    assert response.status_code == 302
    assert LearnerPreferences.objects.get(user=user).default_filters == {
        "language": ["Persian"],
        "price": ["free"],
    }

    page = text_of(signed_in.get("/r/python-backend/n/step-1-python/"))
    assert titles(page) == ["python coderz"]
    assert 'id="filters-saved-note"' in page
    assert 'id="filters-forget"' in page

    everything = text_of(signed_in.get("/r/python-backend/n/step-1-python/?all=1"))
    assert len(titles(everything)) == 15

    # The defaults apply on every roadmap page with resources.
    other = text_of(signed_in.get("/r/python-backend/resources/"))
    assert set(titles(other)) >= {"python coderz", "Django for APIs"}
    assert "Pro Git" not in titles(other)

    signed_in.post("/me/filters/", {"forget": "1", "next": "/"})
    assert LearnerPreferences.objects.get(user=user).default_filters == {}
    assert len(titles(text_of(signed_in.get("/r/python-backend/n/step-1-python/")))) == 15


def test_the_remember_button_offers_the_filters_shown(signed_in, seed):
    page = text_of(signed_in.get("/r/python-backend/n/step-1-python/?language=Persian"))

    form = page[page.index('action="/me/filters/"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="language" value="Persian">' in form
    assert 'id="filters-remember"' in form


def test_anonymous_learners_cannot_save_filters(client, seed):
    response = client.post("/me/filters/", {"language": ["Persian"], "next": "/"}, follow=True)

    assert "Sign in to remember your filters." in text_of(response)
    assert not LearnerPreferences.objects.exists()
