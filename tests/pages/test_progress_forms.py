"""Changing progress: one click with htmx (a fragment back), or a plain form post (a redirect)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from learnmap.learning.models import NodeProgress, ResourceProgress
from tests.pages.conftest import click_in_outline, overall, pressed, text_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def node_key(roadmap, slug):
    return roadmap.nodes.get(slug=slug, retired_at__isnull=True).key


def test_htmx_state_change_returns_the_outline_section_and_out_of_band_pieces(
    signed_in, seed, user
):
    page = text_of(signed_in.get("/r/python-backend/"))
    response = click_in_outline(signed_in, page, "state-git-done", **HTMX)

    answer = text_of(response)
    assert response.status_code == 200
    assert "<html" not in answer
    # Everything is swapped in out of band: the outline's form swaps nothing itself.
    assert 'hx-swap="none"' in re.search(r'<form id="outline-form"[^>]*>', page).group(0)
    assert answer.lstrip().startswith('<li class="outline__section')
    assert 'id="outline-step-0-prerequisites" hx-swap-oob="true"' in answer
    assert pressed(answer, "state-git-done") and not pressed(answer, "state-git-not_started")
    assert 'id="roadmap-summary"' in answer and 'id="roadmap-map"' in answer
    assert "1 of 12 done (8%)" in answer
    assert 'role="status" hx-swap-oob="true">“Git”: done.</p>' in answer
    assert NodeProgress.objects.get(user=user).state == "done"


def test_plain_post_redirects_back_and_the_page_shows_the_change(signed_in, seed):
    page = text_of(signed_in.get("/r/python-backend/"))
    response = click_in_outline(signed_in, page, "state-git-in_progress")

    assert response.status_code == 302
    assert response["Location"] == "/r/python-backend/#outline-git"
    page = text_of(signed_in.get("/r/python-backend/"))
    assert "“Git”: in progress." in page  # the message after the redirect
    assert pressed(page, "state-git-in_progress")
    assert "1 in progress" in page


def test_a_foreign_next_is_not_followed(signed_in, seed):
    response = signed_in.post(
        f"/node/{node_key(seed, 'git')}/state/",
        {"state": "done", "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/r/python-backend/n/git/"


def test_the_form_takes_every_state_and_shows_it(signed_in, seed):
    # What each state does to the stored progress: tests/learning/test_progress.py.
    url = f"/node/{node_key(seed, 'git')}/state/"
    labels = {"in_progress": "In progress", "done": "Done", "skipped": "Skipped"}
    for state, label in [*labels.items(), ("not_started", "Not started")]:
        fragment = text_of(signed_in.post(url, {"state": state, "context": "node"}, **HTMX))
        assert f'<strong id="node-state-label">{label}</strong>' in fragment, state


def test_a_bad_state_is_refused_with_a_sentence_not_a_500(signed_in, seed):
    url = f"/node/{node_key(seed, 'git')}/state/"

    plain = signed_in.post(url, {"state": "finished"}, follow=True)
    assert plain.status_code == 200
    assert "That is not a progress state." in text_of(plain)

    htmx = signed_in.post(url, {"state": "finished", "context": "roadmap"}, **HTMX)
    assert htmx.status_code == 200
    assert htmx["HX-Retarget"] == "#messages"
    assert 'role="alert">That is not a progress state.' in text_of(htmx)


def test_anonymous_progress_lives_in_the_session(seed):
    visitor = Client()
    visitor.post(f"/node/{node_key(seed, 'git')}/state/", {"state": "done"})
    visitor.post(f"/node/{node_key(seed, 'django')}/state/", {"state": "done"})

    assert overall(text_of(visitor.get("/r/python-backend/"))) == "2 of 12 done (16%)"
    assert overall(text_of(Client().get("/r/python-backend/"))) == "0 of 12 done (0%)"


def test_choosing_an_elective_changes_the_denominator(any_client, seed):
    page = text_of(any_client.get("/r/python-backend/"))
    assert overall(page) == "0 of 12 done (0%)"
    assert "(0 of 15)" in page

    response = any_client.post(
        f"/node/{node_key(seed, 'databases')}/elective/",
        {"chosen": "1", "context": "roadmap"},
        **HTMX,
    )
    fragment = text_of(response)
    assert "0 of 14 done (0%)" in fragment  # Databases has two topics
    assert 'id="elective-databases"' in fragment
    assert "1 of 15 chosen." in fragment

    page = text_of(any_client.get("/r/python-backend/"))
    assert overall(page) == "0 of 14 done (0%)"
    assert "(1 of 15)" in page
    assert "map-node--chosen" in page

    any_client.post(f"/node/{node_key(seed, 'databases')}/elective/", {"chosen": "0"})
    assert overall(text_of(any_client.get("/r/python-backend/"))) == "0 of 12 done (0%)"


def test_only_elective_sections_can_be_chosen(signed_in, seed):
    response = signed_in.post(
        f"/node/{node_key(seed, 'git')}/elective/", {"chosen": "1"}, follow=True
    )

    assert "Only the elective sections of a roadmap can be chosen." in text_of(response)


def test_a_resource_is_marked_done_with_one_click(signed_in, seed, user):
    resource = seed.resources.get(title="Pro Git")

    fragment = signed_in.post(f"/resource/{resource.key}/done/", {"done": "1"}, **HTMX)
    assert fragment.status_code == 200
    assert f'id="res-{resource.key}-done" aria-pressed="true"' in text_of(fragment)
    assert ResourceProgress.objects.filter(user=user, resource=resource).exists()

    plain = signed_in.post(f"/resource/{resource.key}/done/", {"done": "0"})
    assert plain.status_code == 302
    assert plain["Location"] == f"/r/python-backend/n/git/#r-{resource.key}"
    assert not ResourceProgress.objects.exists()


def test_node_page_state_change_returns_its_progress_box(signed_in, seed):
    response = signed_in.post(
        f"/node/{node_key(seed, 'git')}/state/", {"state": "done", "context": "node"}, **HTMX
    )

    fragment = text_of(response)
    assert fragment.lstrip().startswith('<section id="node-state"')
    assert '<strong id="node-state-label">Done</strong>' in fragment


def test_a_topic_row_on_a_section_page_is_swapped_alone(signed_in, seed):
    response = signed_in.post(
        f"/node/{node_key(seed, 'git')}/state/", {"state": "done", "context": "topic"}, **HTMX
    )

    fragment = text_of(response)
    assert fragment.lstrip().startswith('<li class="outline__row outline__topic" id="topic-git"')
    assert re.search(r'<section id="node-state"[^>]*hx-swap-oob="true"', fragment)
    assert "Topics: 1 of 3 done" in fragment


def test_the_map_shows_states_by_icon_and_in_its_links_names(signed_in, seed):
    signed_in.post(f"/node/{node_key(seed, 'git')}/state/", {"state": "done"})
    signed_in.post(f"/node/{node_key(seed, 'django')}/state/", {"state": "in_progress"})
    signed_in.post(f"/node/{node_key(seed, 'flask')}/state/", {"state": "skipped"})

    page = text_of(signed_in.get("/r/python-backend/"))

    git = re.search(r'<a class="([^"]*)" id="map-git" href="([^"]*)" aria-label="([^"]*)">', page)
    assert git.group(2) == "/r/python-backend/n/git/"
    assert "map-node--done" in git.group(1)
    assert git.group(3) == "Git: topic, done"
    assert 'aria-label="Django: topic, in progress"' in page
    assert 'aria-label="Flask: topic, skipped"' in page
    assert 'aria-label="Sanic: topic, not started, needs resources"' in page
    assert 'aria-label="Caching: elective, not started, needs resources, not chosen"' in page
    # Not by colour alone: a check mark, a half disc and a slash.
    assert page.count('class="map-icon"') == 1
    assert page.count('class="map-half"') == 3  # Django, and Steps 0 and 2 (under way)
    assert page.count('class="map-icon map-icon--skip"') == 1
