"""What is new since a learner's last visit: a learner looks at a roadmap, a resource is added
to one topic (a maintainer's re-import or an accepted proposal), and when they come back after
a pause the map, the outline and the node pages mark exactly that topic and its section "New",
with a line saying how many sections changed, until they mark it as seen. Other learners
never see someone else's marks; the shared (anonymous) page has none."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import DatabaseError
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Roadmap
from learnmap.contributions import services as contributions
from learnmap.learning import services as learning_services
from learnmap.learning.models import RoadmapVisit
from learnmap.learning.services.visits import SEEN_WRITE_EVERY, VISIT_GAP
from tests.factories import UserFactory
from tests.pages.conftest import SEED, csrf_from, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def seed(db) -> Roadmap:
    catalog_services.roadmap_import(source=SEED, slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


ROADMAP = "/r/python-backend/"
PRO_GIT = "    - [Pro Git](https://git-scm.com/book/en/) (English) (Free)\n"
ADDED = "    - [Git Internals](https://example.org/git-internals) (English) (Free)\n"
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # after the seed's import (today)


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def marked_on_map(page: str) -> set[str]:
    """The slugs of the map's nodes tagged "New" (their link's class, its accessible name
    and the tag drawn in it must agree)."""
    found = set()
    for classes, slug, label, body in re.findall(
        r'<a class="([^"]*)" id="map-([^"]+)" href="[^"]*" aria-label="([^"]*)">(.*?)</a>', page
    ):
        new = "map-node--new" in classes.split()
        # In English, or in Persian on a Persian page.
        said = label.endswith(("new since your last visit", "جدید از آخرین بازدید شما"))
        assert new == said, slug
        assert new == ('<g class="map-new" aria-hidden="true">' in body), slug
        if new:
            assert ">New</text>" in body or ">جدید</text>" in body
            found.add(slug)
    return found


def marked_in_outline(page: str) -> set[str]:
    """The slugs of the outline's rows that carry the "New" badge in their heading."""
    found = set()
    for match in re.finditer(r'<li class="outline__[^"]*" id="outline-([^"]+)"', page):
        head = page[match.end() :].split('<div class="segmented', 1)[0]
        head = head.split('<div class="outline__figures', 1)[0]
        if 'class="badge badge--new"' in head:
            assert 'New<span class="visually-hidden"> (changed since your last visit)' in head
            found.add(match.group(1))
    return found


def summary(page: str) -> str | None:
    match = re.search(r'<p id="news-text">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else None


def add_a_resource_to_git(how: str) -> None:
    """A resource added to the topic Git (Step 0), the way the roadmap really changes."""
    if how == "re-import":
        source = SEED.replace(PRO_GIT, PRO_GIT + ADDED)
        assert source != SEED
        catalog_services.roadmap_import(source=source, slug="python-backend")
        return
    git = Node.objects.get(roadmap__slug="python-backend", slug="git")
    proposal = contributions.proposal_create(
        author=UserFactory(),
        kind="add_resource",
        node_key=git.key,
        fields={
            "title": "Git Internals",
            "url": "https://example.org/git-internals",
            "languages": ["English"],
            "cost": "free",
            "kind": "Book",
        },
        reason="How git stores things.",
    )
    contributions.proposal_accept(proposal_id=proposal.pk, moderator=UserFactory(is_staff=True))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("how", ["re-import", "accepted proposal"])
def test_a_learner_coming_back_sees_exactly_what_changed(seed, clock, how):
    learner = client_for(UserFactory())
    first = text_of(learner.get(ROADMAP))
    assert marked_on_map(first) == marked_in_outline(first) == set()  # a first visit: nothing
    assert summary(first) is None

    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git(how)
    clock.shift(timedelta(minutes=50))  # a pause longer than VISIT_GAP: a new visit

    page = text_of(learner.get(ROADMAP))
    # The topic and its section; nothing else, though every line below Git moved.
    assert marked_on_map(page) == {"git", "step-0-prerequisites"}
    assert marked_in_outline(page) == {"git", "step-0-prerequisites"}
    assert summary(page) == (
        "1 section changed since your last visit on Jan. 4, 2027: it is marked “New”."
    )
    assert '<time datetime="2027-01-04T09:00:00+00:00">' in page
    assert 'id="news-seen"' in page

    git = text_of(learner.get(f"{ROADMAP}n/git/"))
    assert 'id="new-badge"' in git
    assert "Git Internals" in git
    step0 = text_of(learner.get(f"{ROADMAP}n/step-0-prerequisites/"))
    assert 'id="new-badge"' in step0
    topic_rows = re.findall(
        r'<li class="outline__row outline__topic" id="topic-([^"]+)">(.*?)</li>', step0, re.S
    )
    assert {slug for slug, row in topic_rows if "badge--new" in row} == {"git"}
    assert 'id="new-badge"' not in text_of(learner.get(f"{ROADMAP}n/django/"))


def test_a_learner_who_had_not_visited_before_sees_nothing_new(seed, clock):
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(minutes=50))

    newcomer = client_for(UserFactory())
    page = text_of(newcomer.get(ROADMAP))

    assert marked_on_map(page) == marked_in_outline(page) == set()
    assert summary(page) is None
    assert 'id="new-badge"' not in text_of(newcomer.get(f"{ROADMAP}n/git/"))


def test_each_learner_sees_only_their_own_marks_and_the_shared_page_none(seed, clock):
    before, after = UserFactory(), UserFactory()
    learner_a, learner_b = client_for(before), client_for(after)
    learner_a.get(ROADMAP)  # 09:00, before the change
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(minutes=10))
    learner_b.get(ROADMAP)  # 09:20, after it
    clock.shift(timedelta(minutes=50))

    for _ in range(2):  # rendered, then each learner's own page from the page cache
        page_a, page_b = text_of(learner_a.get(ROADMAP)), text_of(learner_b.get(ROADMAP))
        assert marked_on_map(page_a) == {"git", "step-0-prerequisites"}
        assert marked_on_map(page_b) == marked_in_outline(page_b) == set()
        assert summary(page_b) is None
        anonymous = Client().get(ROADMAP)
        assert "ETag" in anonymous  # the shared page, cached
        shared = text_of(anonymous)
        assert marked_on_map(shared) == marked_in_outline(shared) == set()
        assert summary(shared) is None and "badge--new" not in shared


def test_marks_stay_for_the_whole_visit_until_marked_as_seen(seed, clock):
    learner = client_for(UserFactory(), csrf=True)
    learner.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(minutes=50))
    assert marked_on_map(text_of(learner.get(ROADMAP))) == {"git", "step-0-prerequisites"}

    # Views less than VISIT_GAP apart are one visit: the marks stay, however long it lasts.
    for _ in range(4):
        clock.shift(VISIT_GAP - timedelta(minutes=5))
        page = text_of(learner.get(f"{ROADMAP}n/git/"))
        assert 'id="new-badge"' in page
    page = text_of(learner.get(ROADMAP))
    assert marked_on_map(page) == {"git", "step-0-prerequisites"}

    # "Mark as seen": a plain form post (with its CSRF token) that clears them.
    form = re.search(r'id="news-summary".*?<form method="post" action="([^"]+)">', page, re.S)
    assert form and form.group(1) == "/r/python-backend/seen/"
    refused = learner.post(form.group(1))
    assert refused.status_code == 403  # no token, no change
    answer = learner.post(form.group(1), {"csrfmiddlewaretoken": csrf_from(page)})
    assert answer.status_code == 302 and answer["Location"] == ROADMAP
    seen = text_of(learner.get(ROADMAP))
    assert marked_on_map(seen) == marked_in_outline(seen) == set()
    assert summary(seen) is None
    assert "The changes are marked as seen." in seen
    assert 'id="new-badge"' not in text_of(learner.get(f"{ROADMAP}n/git/"))

    clock.shift(timedelta(hours=3))  # the next visit: nothing changed since
    assert marked_on_map(text_of(learner.get(ROADMAP))) == set()


def test_a_line_shift_alone_marks_nothing(seed, clock):
    learner = client_for(UserFactory())
    learner.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    # An edit above every section (a line more before "## Step 0") moves every node's line.
    source = SEED.replace("## Step 0: Prerequisites", "\n## Step 0: Prerequisites", 1)
    report = catalog_services.roadmap_import(source=source, slug="python-backend")
    assert report.source_changed
    clock.shift(timedelta(hours=1))

    page = text_of(learner.get(ROADMAP))

    assert Node.objects.get(roadmap=seed, slug="git").line == 59  # it did move
    assert marked_on_map(page) == marked_in_outline(page) == set()
    assert summary(page) is None


def test_views_write_the_visit_only_now_and_then(seed, clock):
    user = UserFactory()
    learner = client_for(user)
    learner.get(ROADMAP)
    row = RoadmapVisit.objects.get(user=user)
    assert (row.seen_at, row.news_since) == (START, None)

    clock.shift(SEEN_WRITE_EVERY - timedelta(seconds=1))
    learner.get(f"{ROADMAP}n/git/")
    learner.get(ROADMAP)
    assert RoadmapVisit.objects.get(user=user).seen_at == START  # not written on every view

    clock.shift(timedelta(seconds=1))
    learner.get(ROADMAP)
    assert RoadmapVisit.objects.get(user=user).seen_at == START + SEEN_WRITE_EVERY

    clock.shift(VISIT_GAP)
    learner.get(ROADMAP)
    row = RoadmapVisit.objects.get(user=user)
    assert row.news_since == START + SEEN_WRITE_EVERY  # the end of the previous visit
    assert row.seen_at == START + SEEN_WRITE_EVERY + VISIT_GAP


def test_a_failing_visit_record_shows_the_page_without_marks(seed, clock, monkeypatch, caplog):
    learner = client_for(UserFactory())
    learner.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(hours=1))

    def broken(**kwargs):
        raise DatabaseError("the visits table is locked")

    monkeypatch.setattr(learning_services, "visit_record", broken)
    for path in (ROADMAP, f"{ROADMAP}n/git/"):
        response = learner.get(path)
        assert response.status_code == 200
        assert "badge--new" not in text_of(response)
    assert "Could not work out what is new on python-backend" in caplog.text


def test_anonymous_learners_get_no_marks_and_no_session(seed, clock):
    visitor = Client()
    visitor.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(hours=1))

    response = visitor.get(ROADMAP)

    assert "sessionid" not in response.cookies and "sessionid" not in visitor.cookies
    assert marked_on_map(text_of(response)) == set()
    assert not RoadmapVisit.objects.exists()


def test_on_a_changed_topics_page_the_added_resource_is_marked(seed, clock):
    learner = client_for(UserFactory())
    learner.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(hours=1))

    page = text_of(learner.get(f"{ROADMAP}n/git/"))

    items = re.findall(r'<li class="resource" id="r-[^"]+">(.*?)</button></li>', page, re.S)
    new = {
        re.search(r"<bdi>([^<]+)</bdi>", item).group(1) for item in items if "badge--new" in item
    }
    assert len(items) == 3  # Jadi's course, Pro Git and the one added
    assert new == {"Git Internals"}
    everything = text_of(learner.get(f"{ROADMAP}resources/"))
    assert "Git Internals" in everything and "badge--new" not in everything


PERSIAN_GIT = "- ### گیت\n"


def test_the_maps_tag_follows_the_reading_direction(seed, clock):
    from tests.pages.conftest import PERSIAN

    catalog_services.roadmap_import(source=PERSIAN, slug="persian-backend")
    learner = client_for(UserFactory())
    learner.get("/r/persian-backend/")
    clock.shift(timedelta(minutes=10))
    added = PERSIAN.replace(PERSIAN_GIT, PERSIAN_GIT + "\n- ### گیت‌هاب\n")
    catalog_services.roadmap_import(source=added, slug="persian-backend")
    clock.shift(timedelta(hours=1))
    slugs = dict(Node.objects.filter(roadmap__slug="persian-backend").values_list("title", "slug"))

    tags = {}
    for language in ("en", "fa"):
        page = text_of(learner.get("/r/persian-backend/", HTTP_ACCEPT_LANGUAGE=language))
        assert marked_on_map(page) == {slugs["گیت‌هاب"], slugs["Step 0: مقدمات"]}
        topic = next(
            body
            for body in re.findall(r'<a class="map-node map-node--stop[^"]*"[^>]*>(.*?)</a>', page)
            if "map-new" in body
        )
        label = re.search(r'<text class="map-label[^"]*"[^>]*><tspan x="([\d.]+)"', topic)
        tag = re.search(
            r'<g class="map-new"[^>]*><rect x="([\d.]+)" y="[^"]*" width="([\d.]+)"', topic
        )
        tags[language] = (float(label[1]), float(tag[1]), float(tag[2]))

    (en_label, en_x, _en_width), (fa_label, fa_x, fa_width) = tags["en"], tags["fa"]
    assert en_x > en_label  # after the title, on its right
    assert fa_x + fa_width < fa_label  # after the title, on its left
    # The drawing mirrored: the Persian tag ends where the English one starts (its own width:
    # "جدید" is not as wide as "New").
    assert fa_x + fa_width == pytest.approx(360 - en_x, abs=0.11)


def test_a_click_during_the_visit_keeps_the_marks(seed, clock):
    learner = client_for(UserFactory())
    learner.get(ROADMAP)
    clock.shift(timedelta(minutes=10))
    add_a_resource_to_git("re-import")
    clock.shift(timedelta(hours=1))
    learner.get(ROADMAP)
    git = Node.objects.get(roadmap=seed, slug="git")
    htmx = {"HTTP_HX_REQUEST": "true"}

    # The roadmap page's answer (the section's row and the map, out of band) keeps them...
    answer = text_of(
        learner.post(f"/node/{git.key}/state/", {"state": "done", "context": "roadmap"}, **htmx)
    )
    assert marked_in_outline(answer) == {"git", "step-0-prerequisites"}
    assert marked_on_map(answer) == {"git", "step-0-prerequisites"}
    # ... and so does a node page's (a topic's row on its section's page).
    answer = text_of(
        learner.post(
            f"/node/{git.key}/state/", {"state": "in_progress", "context": "topic"}, **htmx
        )
    )
    assert 'id="topic-git"' in answer and "badge--new" in answer
    page = text_of(learner.get(ROADMAP))  # the page after the change, rendered again
    assert marked_on_map(page) == {"git", "step-0-prerequisites"}
    assert summary(page) is not None
