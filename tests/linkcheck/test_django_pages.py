"""On the site: the badge on a resource whose link is broken, and the maintainer page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Roadmap
from learnmap.linkcheck import services
from learnmap.linkcheck.engine import LinkClass, LinkResult
from learnmap.linkcheck.keys import url_key
from learnmap.linkcheck.models import CheckRun, RunKind
from tests.factories import UserFactory
from tests.linkcheck.conftest import build_corpus

pytestmark = pytest.mark.django_db

NODE_PAGE_QUERY_BUDGET = 10  # tests/pages pins the same budget for a signed-in node page


@pytest.fixture
def roadmap(corpus) -> Roadmap:
    catalog_services.roadmap_import(source=corpus.markdown, slug="links")
    return Roadmap.objects.get(slug="links")


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


def _scheduled_checks(count: int) -> None:
    for _ in range(count):
        run = services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED)
        services.check_run_execute(run_id=run.pk)


def _text(response) -> str:
    return response.content.decode()


def _node_url(roadmap: Roadmap, title: str) -> str:
    return f"/r/{roadmap.slug}/n/{Node.objects.get(roadmap=roadmap, title=title).slug}/"


def _badges(page: str) -> dict[str, str]:
    """Each resource's link badge: resource title -> badge text."""
    found = {}
    for item in re.findall(r'<li class="resource" .*?</li>\s*</ul>', page, re.S):
        title = re.search(r'class="resource__title"[^>]*><bdi>([^<]*)</bdi>', item).group(1)
        badge = re.search(r'class="badge badge--\w+ link-badge[^"]*" title="[^"]*">([^<]*)<', item)
        if badge:
            found[title] = badge.group(1)
    return found


def test_a_broken_link_gets_its_badge_after_the_second_scheduled_check(
    client, roadmap, corpus, fake_hosts, linkcheck_settings
):
    linkcheck_settings.LINKCHECK_CACHE_TTL = 0
    page = _node_url(roadmap, "Step 1: Basics")
    today = datetime.now(UTC)

    _scheduled_checks(1)
    after_one = _badges(_text(client.get(page)))
    _scheduled_checks(1)
    after_two = _badges(_text(client.get(page)))

    assert after_one == {}
    day = f"{today.day} {today:%b}"
    assert after_two == {  # the first five resources; ok links have no badge
        "Gone for good": f"dead since {day}: 404",
        "Removed": f"dead since {day}: 410",
    }
    other = _badges(_text(client.get(_node_url(roadmap, "Step 2: More"))))
    assert other["Nobody home"].startswith(f"dead since {day}: connection refused")
    assert other["Old address"] == f"moved since {day}: 301"
    assert other["Bot wall"] == f"blocked for checkers since {day}: 403"
    assert other["Slow down"] == f"rate-limited since {day}: 429"
    assert other["Server error"] == f"failing since {day}: 500"


def test_the_badge_speaks_persian_and_costs_one_query(
    roadmap, corpus, linkcheck_settings, django_assert_max_num_queries
):
    dead = corpus.urls_of("dead")[0]
    runs = [services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED) for _ in "12"]
    for day, run in ((3, runs[0]), (4, runs[1])):
        result = LinkResult(
            url=url_key(dead),
            cls=LinkClass.DEAD,
            status=404,
            checked_at=datetime(2026, 11, day, 9, tzinfo=UTC),
        )
        services.link_results_record(run=run, results=[(result, True)])
        services.link_streaks_apply(run=run, results=[result])
    learner = Client()
    learner.force_login(UserFactory())
    page = _node_url(roadmap, "Step 1: Basics")
    learner.get(page)  # warm the caches

    with django_assert_max_num_queries(NODE_PAGE_QUERY_BUDGET):
        english = _text(learner.get(page))
    persian = _text(learner.get(page, HTTP_ACCEPT_LANGUAGE="fa"))

    assert _badges(english) == {"Gone for good": "dead since 3 Nov: 404"}
    assert _badges(persian)["Gone for good"].endswith(": 404")
    assert "dead" not in _badges(persian)["Gone for good"]


def test_the_maintainer_page_is_for_staff_only(client, roadmap):
    url = f"/r/{roadmap.slug}/links/"
    learner = Client()
    learner.force_login(UserFactory())

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert learner.get(url).status_code == 403
    assert learner.post(f"{url}recheck/").status_code == 403
    assert client.post(f"{url}recheck/").status_code == 302
    assert not CheckRun.objects.exists()


def test_the_maintainer_page_lists_broken_and_moved_links_by_class_with_their_lines(
    staff, roadmap, corpus, linkcheck_settings
):
    _scheduled_checks(1)

    response = staff.get(f"/r/{roadmap.slug}/links/")
    page = _text(response)

    assert response.status_code == 200
    assert "10 links: 3 ok, 7 not ok, 0 not checked yet." in page
    headings = re.findall(r'<h2 id="class-([a-z-]+)-title">', page)
    assert headings == ["dead", "error", "rate-limited", "blocked", "moved"]
    dead = re.search(r'<section[^>]*id="class-dead".*?</section>', page, re.S).group(0)
    for url in corpus.urls_of("dead"):
        line = corpus.lines[url][0]
        assert re.search(
            rf'<td class="link-row__lines">{line}</td>.*?{re.escape(url_key(url))}', dead, re.S
        )
    assert url_key(corpus.urls_of("ok")[0]) not in page
    moved = re.search(r'<section[^>]*id="class-moved".*?</section>', page, re.S).group(0)
    assert "now at" in moved and "nothing yet (1 of 2 failed checks)" in moved
    assert staff.get("/r/no-such-roadmap/links/").status_code == 404


def test_recheck_now_queues_one_task_for_the_roadmap(
    staff, roadmap, django_capture_on_commit_callbacks
):
    url = f"/r/{roadmap.slug}/links/"

    with django_capture_on_commit_callbacks(execute=True):
        first = staff.post(f"{url}recheck/", follow=True)
        second = staff.post(f"{url}recheck/", follow=True)

    assert first.redirect_chain == [(url, 302)]
    assert "A check of these links is queued" in _text(first)
    assert "already waiting or running" in _text(second)
    assert 'id="pending-check"' in _text(second)
    run = CheckRun.objects.get()
    assert (run.kind, run.roadmap_id, run.force, run.status) == (
        "manual",
        roadmap.pk,
        True,
        "queued",
    )
    task = DBTaskResult.objects.get()
    assert task.task_path == "learnmap.linkcheck.tasks.check_run_task"
    assert task.args_kwargs["kwargs"] == {"run_id": run.pk} and str(task.id) == run.task_id
    assert staff.get(f"{url}recheck/").status_code == 405


def test_a_node_without_broken_links_shows_no_badge(client, fake_hosts, linkcheck_settings):
    corpus = build_corpus(fake_hosts, [("Fine", fake_hosts.url("a", "/fine"), "ok")])
    catalog_services.roadmap_import(source=corpus.markdown, slug="fine")
    _scheduled_checks(2)

    page = _text(client.get(_node_url(Roadmap.objects.get(slug="fine"), "Step 1: Basics")))

    assert "Fine" in page and "link-badge" not in page


def test_staff_find_the_maintainer_page_from_the_roadmap_page(client, staff, roadmap):
    link = f'href="/r/{roadmap.slug}/links/"'
    assert link in _text(staff.get(f"/r/{roadmap.slug}/"))
    client.force_login(UserFactory(is_staff=False))
    assert link not in _text(client.get(f"/r/{roadmap.slug}/"))
