"""Speed: the anonymous roadmap page is cached bytes with an ETag (304 on revalidation, a new
key after a re-import); a signed-in learner's page costs a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node
from learnmap.learning.models import NodeProgress
from tests.factories import UserFactory
from tests.learning.conftest import big_roadmap
from tests.pages.conftest import SEED, csrf_from, overall, text_of

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 10


def test_the_anonymous_page_has_an_etag_and_answers_304(client, seed):
    first = client.get("/r/python-backend/")

    etag = first["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{24}-[0-9a-f]{12}"', etag)
    assert first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]

    again = client.get("/r/python-backend/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    other = client.get("/r/python-backend/", HTTP_IF_NONE_MATCH='W/"something-else"')
    assert other.status_code == 200


def test_a_head_request_gets_the_pages_headers(client, seed):
    """Link checkers and uptime monitors ask with HEAD: the page, not a 405."""
    page = client.get("/r/python-backend/")
    head = client.head("/r/python-backend/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]
    assert client.head("/r/python-backend/n/git/").status_code == 200


def test_the_cached_page_is_served_without_rendering_or_catalog_reads(
    client, seed, django_assert_num_queries
):
    client.get("/r/python-backend/")  # renders and stores the page

    # The roadmap's revision is kept in memory for a second: no query at all.
    with django_assert_num_queries(0):
        response = client.get("/r/python-backend/")
    assert response.status_code == 200
    assert 'id="roadmap-map-svg"' in text_of(response)


def test_an_import_by_another_process_shows_at_once(
    client, seed, django_capture_on_commit_callbacks
):
    """Another process (``learnmap import``, another server worker) changes the roadmap: the
    next page this one serves is the new one (the header every process reads from the shared
    cache is deleted when the import commits), not a page a second old."""
    from learnmap.core.cache import memos_clear

    before = text_of(client.get("/r/python-backend/"))
    memos_clear()  # what this process keeps is not what the other one does
    renamed = SEED.replace("# Python Backend Engineer Roadmap", "# Renamed Roadmap", 1)
    assert renamed != SEED
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.roadmap_import(source=renamed, slug="python-backend")

    after = text_of(client.get("/r/python-backend/"))
    assert "Renamed Roadmap" in after and before != after


def test_a_roadmap_renamed_in_the_admin_shows_at_once(
    client, seed, django_capture_on_commit_callbacks
):
    """A write that bypasses the import service (the admin saves the model): the catalog's own
    receiver forgets the header under the old slug and the new one."""
    before = client.get("/r/python-backend/")
    assert before.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        seed.slug = "python-backend-2"
        seed.save()

    assert client.get("/r/python-backend/").status_code == 404
    assert "Python Backend" in text_of(client.get("/r/python-backend-2/"))


def test_each_visitor_gets_their_own_csrf_token_in_the_shared_page(seed):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = (
        text_of(one.get("/r/python-backend/")),
        text_of(two.get("/r/python-backend/")),
    )

    assert "learnmapcsrftokenplaceholder" not in page_one
    assert csrf_from(page_one) != csrf_from(page_two)
    assert f'"X-CSRFToken": "{csrf_from(page_one)}"' in page_one
    # The token in the page works with the visitor's own cookie: the form posts.
    git = Node.objects.get(roadmap=seed, slug="git")
    response = one.post(
        f"/node/{git.key}/state/", {"state": "done", "csrfmiddlewaretoken": csrf_from(page_one)}
    )
    assert response.status_code == 302


def test_an_etag_never_validates_for_another_visitor(seed):
    one, two = Client(), Client()
    etag = one.get("/r/python-backend/")["ETag"]

    assert two.get("/r/python-backend/")["ETag"] != etag
    assert two.get("/r/python-backend/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_reimport_changes_the_cache_key_and_the_page(client, seed):
    etag = client.get("/r/python-backend/")["ETag"]

    catalog_services.roadmap_import(
        source=SEED.replace("## Step 3: Operating System", "## Step 3: Operating Systems"),
        slug="python-backend",
    )

    response = client.get("/r/python-backend/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Step 3: Operating Systems" in text_of(response)


def test_the_cache_key_follows_the_language(client, seed):
    english = client.get("/r/python-backend/")
    persian = client.get("/r/python-backend/", HTTP_ACCEPT_LANGUAGE="fa")

    assert english["ETag"] != persian["ETag"]
    assert 'lang="fa"' in text_of(persian)
    assert 'direction="rtl"' in text_of(persian)


def test_visitors_with_progress_messages_or_accounts_get_their_own_page(client, signed_in, seed):
    git = Node.objects.get(roadmap=seed, slug="git")
    client.post(f"/node/{git.key}/state/", {"state": "done"})

    after_post = client.get("/r/python-backend/")  # a message is waiting: not the shared page
    assert "ETag" not in after_post
    assert "“Git”: done." in text_of(after_post)

    mine = client.get("/r/python-backend/")
    assert "ETag" not in mine
    assert overall(text_of(mine)) == "1 of 12 done (8%)"
    assert mine["Cache-Control"] == "private, no-cache"

    assert "ETag" not in signed_in.get("/r/python-backend/")
    assert "ETag" in Client().get("/r/python-backend/")


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh for every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", text_of(response))


@pytest.mark.parametrize("who", ["signed in", "anonymous"])
def test_a_learners_own_page_is_kept_until_their_progress_changes(
    who, signed_in, seed, django_assert_max_num_queries
):
    learner = signed_in if who == "signed in" else Client()
    git, django = (Node.objects.get(roadmap=seed, slug=slug) for slug in ("git", "django"))
    htmx = {"HTTP_HX_REQUEST": "true"}  # a click: no message left for the next page
    learner.post(f"/node/{git.key}/state/", {"state": "done", "context": "roadmap"}, **htmx)

    first = learner.get("/r/python-backend/")
    with django_assert_max_num_queries(4):  # session, user, roadmap, state
        again = learner.get("/r/python-backend/")
    assert first.templates and not again.templates  # rendered once, then kept
    assert without_tokens(again) == without_tokens(first)
    assert "ETag" not in again  # their own page is never the shared one
    assert overall(text_of(again)) == "1 of 12 done (8%)"

    learner.post(f"/node/{django.key}/state/", {"state": "done", "context": "roadmap"}, **htmx)
    assert overall(text_of(learner.get("/r/python-backend/"))) == "2 of 12 done (16%)"
    assert "ETag" in Client().get("/r/python-backend/")  # the shared page is still shared


def _signed_in_with_progress(roadmap) -> Client:
    user = UserFactory()
    nodes = list(Node.objects.filter(roadmap=roadmap))
    NodeProgress.objects.bulk_create(
        [NodeProgress(user=user, node=node, state="done") for node in nodes[::2]]
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", ["seed", "500 nodes"])
def test_the_signed_in_roadmap_page_costs_a_constant_number_of_queries(
    seed, size, django_assert_max_num_queries
):
    roadmap = seed if size == "seed" else big_roadmap(20, 24)
    client = _signed_in_with_progress(roadmap)
    url = f"/r/{roadmap.slug}/"

    with django_assert_max_num_queries(QUERY_BUDGET):  # cold: structure and map from the DB
        cold = client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGET - 4) as warm_queries:
        warm = client.get(url)

    assert cold.status_code == warm.status_code == 200
    assert overall(text_of(warm)) == overall(text_of(cold))
    assert len(warm_queries.captured_queries) <= 5  # session, user, roadmap, state (+ messages)


def test_big_roadmap_page_is_complete(seed):
    roadmap = big_roadmap(20, 24)
    client = _signed_in_with_progress(roadmap)

    page = text_of(client.get(f"/r/{roadmap.slug}/"))

    # 480 topics are more than a page lists with their controls (issue 12): the map and the
    # outline show every section, each with its topics counted and a link to its page, where
    # every topic has its state buttons.
    sections = Node.objects.filter(roadmap=roadmap, parent=None).count()
    assert page.count('class="map-node ') == sections == 20
    assert page.count("24 topics: open the section to track them") == 20
    section_page = text_of(client.get(f"/r/{roadmap.slug}/n/s0/"))
    assert section_page.count('class="segmented__btn"') == 4 * (1 + 24)  # the section's too


def _corrupt_every_cache_entry() -> int:
    """Make every entry of the (LocMem) cache unreadable, as after a change of format."""
    from django.core.cache import cache

    for key in list(cache._cache):
        cache._cache[key] = b"not a pickle"
    return len(cache._cache)


def test_unreadable_cache_entries_are_rebuilt_not_a_500(client, signed_in, seed):
    assert client.get("/r/python-backend/").status_code == 200
    assert signed_in.get("/r/python-backend/").status_code == 200
    assert client.get("/search/?q=django").status_code == 200
    from learnmap.catalog import search

    search._memo.clear()
    assert _corrupt_every_cache_entry() > 5

    assert client.get("/search/?q=django").status_code == 200
    assert signed_in.get("/r/python-backend/n/git/").status_code == 200
    response = Client().get("/r/python-backend/")
    assert response.status_code == 200
    assert 'id="roadmap-map-svg"' in text_of(response)


@pytest.mark.parametrize(
    "path",
    ["/", "/r/python-backend/n/step-0-prerequisites/", "/r/python-backend/n/git/", "/me/progress/"],
)
def test_other_signed_in_pages_stay_within_the_budget(
    signed_in, seed, path, django_assert_max_num_queries
):
    signed_in.get(path)  # warm the caches

    with django_assert_max_num_queries(QUERY_BUDGET):
        assert signed_in.get(path).status_code == 200
