"""Every page renders for anonymous and signed-in learners, and unknown things are real 404s."""

from __future__ import annotations

import pytest

from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Python Backend Engineer Roadmap"),
        ("/r/python-backend/", 'id="roadmap-map-svg"'),
        ("/r/python-backend/n/step-0-prerequisites/", "Algorithms &amp; Data Structures"),
        ("/r/python-backend/n/django/", "Two Scoops of Django"),
        ("/r/python-backend/resources/", "Fluent Python"),
        ("/search/?q=django", "<mark>Django</mark>"),
        ("/me/progress/", "My progress"),
    ],
)
def test_every_page_renders(any_client, seed, path, expected):
    response = any_client.get(path)

    assert response.status_code == 200
    assert expected in text_of(response)
    assert "<html" in text_of(response)


def test_home_shows_every_roadmap_with_its_size(client, seed, persian):
    page = text_of(client.get("/"))

    assert 'href="/r/python-backend/"' in page
    assert 'href="/r/persian-backend/"' in page
    assert "25 sections" in page
    assert "85 resources" in page


def test_home_shows_the_signed_in_learners_progress(signed_in, seed):
    signed_in.post("/node/{}/state/".format(_key(seed, "git")), {"state": "done"})

    page = text_of(signed_in.get("/"))

    assert "Your progress: 1 of 12 done (8%)" in page
    assert '<progress class="progress" value="1" max="12"' in page


def test_the_layout_leads_to_home_and_search(client, seed):
    from django.urls import reverse

    assert reverse("learning:home") == "/"
    assert reverse("learning:search") == "/search/"
    nav = text_of(client.get("/"))
    assert '<a href="/search/"' in nav
    assert client.get("/search/?q=git").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/r/no-such-roadmap/",
        "/r/no-such-roadmap/n/git/",
        "/r/python-backend/n/no-such-node/",
        "/r/no-such-roadmap/resources/",
        "/node/00000000-0000-0000-0000-000000000000/",
        "/me/progress/no-such-roadmap/checklist.md",
    ],
)
def test_unknown_roadmaps_and_nodes_are_real_404_pages(client, seed, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_a_404_is_in_the_learners_language(client, seed):
    response = client.get("/r/python-backend/n/no-such-node/", HTTP_ACCEPT_LANGUAGE="fa")

    assert response.status_code == 404
    assert 'lang="fa"' in text_of(response)
    assert "Page not found" not in text_of(response)


def test_forms_refuse_a_post_without_a_csrf_token(seed):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/node/{}/state/".format(_key(seed, "git")), {"state": "done"})

    assert response.status_code == 403


def test_state_endpoints_only_accept_posts(client, seed):
    assert client.get("/node/{}/state/".format(_key(seed, "git"))).status_code == 405


def _key(roadmap, slug):
    return roadmap.nodes.get(slug=slug, retired_at__isnull=True).key


def test_a_prose_section_has_no_progress_box(client, seed):
    page = text_of(client.get("/r/python-backend/n/contribution/"))

    assert 'id="node-state"' not in page
    assert 'id="note"' in page


def test_the_pages_stylesheet_mirrors_with_logical_properties():
    import re as regex
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("learning/roadmap.css")).read_text(encoding="utf-8")
    rules = regex.sub(r"/\*.*?\*/", "", css, flags=regex.S)

    physical = regex.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|float:\s*(?:left|right)",
        rules,
    )
    assert physical == []
