"""A node's page: intro, resources grouped by level and kind with badges, check-off, notes;
everything from the Markdown or the learner escaped; retired nodes keep their progress."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.learning.models import Note
from learnmap.learning.notes import NOTE_MAX_CHARS
from tests.pages.conftest import SEED, click_in_outline, overall, text_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

XSS = """# Evil <script>alert(1)</script> Roadmap

## Step 0: <b>Basics</b>

- ### Tricks <img src=x onerror=alert(2)>
  - **Book**
    - [<img src=x onerror=alert(1)>](https://e.com/a) (English) (Free) - <script>alert(3)</script>
    - [Safe title by <svg onload=alert(4)>](https://example.com/b) (English) (Paid)
"""


def node_key(roadmap, slug):
    return roadmap.nodes.get(slug=slug, retired_at__isnull=True).key


def test_resources_are_grouped_by_level_then_kind_with_badges(client, seed):
    page = text_of(client.get("/r/python-backend/n/step-1-python/"))

    levels = re.findall(r'<h3 class="resource-level__title">([^<]+)</h3>', page)
    assert levels == ["Beginner", "Intermediate", "Advanced"]
    assert '<h4 class="resource-kind__title">Book</h4>' in page
    fluent = page[page.index("Fluent Python") - 400 : page.index("Fluent Python") + 900]
    assert "by <bdi>Luciano Ramalho</bdi>" in fluent
    assert '<span class="badge badge--info">English</span>' in fluent
    assert '<span class="badge badge--warning">Paid</span>' in fluent
    assert 'rel="noopener noreferrer nofollow"' in fluent
    assert '<span class="badge badge--info">Persian</span>' in page
    assert '<span class="badge badge--success">Free</span>' in page


def test_a_section_page_lists_its_topics_with_their_controls(client, seed):
    page = text_of(client.get("/r/python-backend/n/step-0-prerequisites/"))

    assert 'id="topic-git"' in page
    assert 'id="state-git-done"' in page
    assert 'id="state-step-0-prerequisites-done"' in page  # its own check-off


def test_the_intro_is_rendered_markdown(client, seed):
    page = text_of(client.get("/r/python-backend/n/hands-on-experience/"))

    assert "<strong>interested in</strong>" in page


def test_in_progress_and_empty_nodes_say_they_need_resources(client, seed):
    assert 'id="needs-resources"' in text_of(client.get("/r/python-backend/n/caching/"))
    assert 'id="no-resources"' in text_of(client.get("/r/python-backend/n/sanic/"))
    assert 'id="needs-resources"' not in text_of(client.get("/r/python-backend/n/git/"))


def test_everything_from_the_markdown_is_escaped(client, db):
    catalog_services.roadmap_import(source=XSS, slug="evil")
    roadmap_page = text_of(client.get("/r/evil/"))
    topic_slug = re.search(r'href="/r/evil/n/(tricks[^"/]*)/"', roadmap_page).group(1)
    node_page = text_of(client.get(f"/r/evil/n/{topic_slug}/"))
    search_page = text_of(client.get("/search/?q=img"))

    for page in (roadmap_page, node_page, search_page):
        assert "<img src=x" not in page
        assert "<script>alert" not in page
        assert "<svg onload" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in node_page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in node_page
    assert "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;" in search_page
    # "by <svg ...>" reads as no author's name: it stays in the title, escaped there.
    assert "by &lt;svg onload=alert(4)&gt;</bdi>" in node_page


def test_a_note_is_saved_and_rendered_safely(signed_in, seed, user):
    url = f"/node/{node_key(seed, 'git')}/note/"
    response = signed_in.post(url, {"text": "**Rebase** often <script>alert(1)</script>"})

    assert response.status_code == 302
    assert response["Location"] == "/r/python-backend/n/git/#note"
    page = text_of(signed_in.get("/r/python-backend/n/git/"))
    body = re.search(r'<div class="prose note__body" id="note-body">(.*?)</div>', page, re.S)
    assert "<strong>Rebase</strong>" in body.group(1)
    assert "<script>" not in body.group(1)
    assert Note.objects.get(user=user).text.startswith("**Rebase**")


def test_a_note_with_htmx_returns_the_note_box(signed_in, seed):
    response = signed_in.post(f"/node/{node_key(seed, 'git')}/note/", {"text": "_later_"}, **HTMX)

    fragment = text_of(response)
    assert fragment.lstrip().startswith('<section id="note"')
    assert "<em>later</em>" in fragment
    assert "Your note is saved." in fragment


def test_an_overlong_note_is_refused_and_kept_in_the_form(signed_in, seed):
    text = "x" * (NOTE_MAX_CHARS + 1)
    url = f"/node/{node_key(seed, 'git')}/note/"

    plain = signed_in.post(url, {"text": text})
    assert plain.status_code == 400
    assert 'id="note-error"' in text_of(plain)
    assert f"at most {NOTE_MAX_CHARS:,} characters" in text_of(plain)
    assert text in text_of(plain)  # nothing typed is lost

    htmx = signed_in.post(url, {"text": text}, **HTMX)
    assert htmx.status_code == 200
    assert 'id="note-error"' in text_of(htmx)
    assert not Note.objects.exists()


def test_an_anonymous_learner_keeps_notes_in_the_session(seed):
    visitor = Client()
    visitor.post(f"/node/{node_key(seed, 'git')}/note/", {"text": "remember me"})

    assert "remember me" in text_of(visitor.get("/r/python-backend/n/git/"))
    assert "remember me" not in text_of(Client().get("/r/python-backend/n/git/"))


def test_a_retired_node_keeps_its_progress_and_says_so(signed_in, seed):
    git = node_key(seed, "git")
    signed_in.post(f"/node/{git}/state/", {"state": "done"})
    without_git = (
        SEED.replace("- ### Git\n", "- ### Gone\n")
        .replace(
            "[Git Course by Jadi](https://faradars.org/courses/fvgit9609-git-github-gitlab)",
            "[Another course](https://example.com/another)",
        )
        .replace("[Pro Git](https://git-scm.com/book/en/)", "[Other book](https://example.com/o)")
    )
    catalog_services.roadmap_import(source=without_git, slug="python-backend")

    roadmap_page = text_of(signed_in.get("/r/python-backend/"))
    assert 'id="retired-title"' in roadmap_page
    retired = roadmap_page[roadmap_page.index('id="retired"') :]
    assert "<bdi>Git</bdi>" in retired
    assert '<span class="badge badge--muted">retired</span>' in retired
    assert overall(roadmap_page) == "0 of 12 done (0%)"  # retired progress no longer counts

    node_page = signed_in.get(f"/node/{git}/")
    assert node_page.status_code == 200
    assert 'id="retired-note"' in text_of(node_page)
    assert '<strong id="node-state-label">Done</strong>' in text_of(node_page)

    # "Clear" in the outline (a plain post: back to where the retired list was).
    cleared = click_in_outline(signed_in, roadmap_page, f"clear-{git}")
    assert cleared["Location"] == "/r/python-backend/#retired-title"
    assert 'id="retired-title"' not in text_of(signed_in.get("/r/python-backend/"))


def test_a_retired_node_cannot_be_marked_again(signed_in, seed):
    git = node_key(seed, "git")
    signed_in.post(f"/node/{git}/state/", {"state": "done"})
    catalog_services.roadmap_import(
        source=SEED.replace("- ### Git\n", "- ### Versioning\n")
        .replace("https://faradars.org/courses/fvgit9609-git-github-gitlab", "https://e.com/1")
        .replace("https://git-scm.com/book/en/", "https://e.com/2"),
        slug="python-backend",
    )

    response = signed_in.post(f"/node/{git}/state/", {"state": "in_progress"}, follow=True)

    assert "it can only be cleared now" in text_of(response)


def test_an_active_nodes_permanent_address_redirects_to_its_page(client, seed):
    response = client.get(f"/node/{node_key(seed, 'git')}/")

    assert response.status_code == 302
    assert response["Location"] == "/r/python-backend/n/git/"
