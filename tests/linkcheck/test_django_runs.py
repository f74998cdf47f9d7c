"""Background checks: the task, its history, the consecutive-failures rule, scheduling and
runs whose worker died, against the fake hosts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django_tasks_db.models import DBTaskResult

from learnmap.catalog import services as catalog_services
from learnmap.linkcheck import selectors, services, tasks
from learnmap.linkcheck.engine import LinkClass, LinkResult
from learnmap.linkcheck.keys import url_key
from learnmap.linkcheck.models import CheckRun, Link, LinkCheck, RunKind, RunStatus, Schedule
from tests.linkcheck.conftest import build_corpus

pytestmark = pytest.mark.django_db

TASK_PATH = "learnmap.linkcheck.tasks.check_run_task"


def _import(corpus, slug: str = "links"):
    catalog_services.roadmap_import(source=corpus.markdown, slug=slug)
    from learnmap.catalog.selectors import roadmap_get

    return roadmap_get(slug=slug)


def _classes() -> dict[str, str]:
    return dict(Link.objects.values_list("url", "link_class"))


def test_the_task_checks_a_roadmap_and_records_each_verdict(
    corpus, fake_hosts, linkcheck_settings, django_capture_on_commit_callbacks
):
    roadmap = _import(corpus)
    with django_capture_on_commit_callbacks(execute=True):
        run, created = services.check_run_request(roadmap_id=roadmap.pk)
    queued = DBTaskResult.objects.get()
    assert created and (queued.task_path, queued.args_kwargs["kwargs"]) == (
        TASK_PATH,
        {"run_id": run.pk},
    )

    tasks.check_run_task.call(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.finished_at is not None
    assert run.urls_total == run.urls_checked == len(corpus.truth)
    assert run.summary["dead"] == 3 and run.summary["ok"] == 3
    assert _classes() == {url_key(url): cls for url, cls in corpus.truth.items()}
    dead = LinkCheck.objects.get(link__url=url_key(corpus.urls_of("dead")[0]))
    assert (dead.run, dead.link_class, dead.status) == (run, "dead", 404)


def test_one_url_in_several_resources_and_roadmaps_is_checked_once(fake_hosts, linkcheck_settings):
    shared = fake_hosts.url("a", "/shared")
    one = build_corpus(fake_hosts, [("A", shared, "ok"), ("A again", shared + "#part", "ok")])
    two = build_corpus(fake_hosts, [("B", shared.replace("http://", "HTTP://"), "ok")])
    _import(one, "one")
    _import(two, "two")
    run = services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED)

    services.check_run_execute(run_id=run.pk)

    assert fake_hosts.stats("a").count("/shared") == 1
    assert Link.objects.count() == LinkCheck.objects.count() == 1


def test_running_the_task_twice_writes_the_history_once(corpus, fake_hosts, linkcheck_settings):
    run = services.check_run_create(roadmap_id=_import(corpus).pk, kind=RunKind.MANUAL)

    tasks.check_run_task.call(run_id=run.pk)
    requests = len(fake_hosts.total().requests)
    tasks.check_run_task.call(run_id=run.pk)  # the queue delivered it twice

    assert LinkCheck.objects.count() == len(corpus.truth)
    assert len(fake_hosts.total().requests) == requests


def test_a_run_stopped_mid_way_goes_on_where_it_was_without_duplicates(
    fake_hosts, linkcheck_settings
):
    """A worker stopped (or killed) mid-run: the task runs again, skips the links it had
    checked, and writes no verdict twice."""
    linkcheck_settings.LINKCHECK_PER_HOST = 1  # one request at a time: a slow, steady run
    urls = [fake_hosts.url("a", f"/page/{n}?d=60") for n in range(12)]
    corpus = build_corpus(fake_hosts, [(f"Page {n}", url, "ok") for n, url in enumerate(urls)])
    run = services.check_run_create(roadmap_id=_import(corpus).pk, kind=RunKind.SCHEDULED)
    stop = threading.Event()
    seen: list[str] = []

    def kill_after_three(result: LinkResult, done: int, total: int) -> None:
        seen.append(result.url)
        if len(seen) >= 3:
            stop.set()

    with pytest.raises(services.CheckInterrupted):
        services.check_run_execute(run_id=run.pk, stop=stop, on_result=kill_after_three)
    run.refresh_from_db()
    first = set(LinkCheck.objects.values_list("link__url", flat=True))
    assert run.status == RunStatus.QUEUED and 3 <= len(first) < len(urls)

    services.check_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.attempts == 2
    assert LinkCheck.objects.filter(run=run).count() == len(urls) == run.urls_checked
    for url in first:  # checked in the first attempt: never requested again
        parts = urlsplit(url)
        assert fake_hosts.stats("a").count(f"{parts.path}?{parts.query}", "HEAD") == 1


def _result(url: str, cls: LinkClass, day: int, status: int | None = None) -> LinkResult:
    return LinkResult(
        url=url, cls=cls, status=status, checked_at=datetime(2026, 11, day, 9, tzinfo=UTC)
    )


def test_a_link_is_shown_broken_only_after_two_scheduled_checks_in_a_row(linkcheck_settings):
    url = "https://example.org/gone"
    scheduled = [services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED) for _ in "123"]
    manual = services.check_run_create(roadmap_id=None, kind=RunKind.MANUAL)

    def record(run, result) -> str:
        services.link_results_record(run=run, results=[(result, True)])
        services.link_streaks_apply(run=run, results=[result])
        badge = selectors.link_badge_for(selectors.link_badges_shown(), url=url)
        return badge.text if badge else ""

    assert record(scheduled[0], _result(url, LinkClass.DEAD, 3, 404)) == ""
    assert record(manual, _result(url, LinkClass.DEAD, 4, 404)) == ""  # by hand: not counted
    assert record(scheduled[0], _result(url, LinkClass.DEAD, 3, 404)) == ""  # counted once
    assert record(scheduled[1], _result(url, LinkClass.DEAD, 5, 404)) == "dead since 3 Nov: 404"
    # One good answer, from any check, clears it; the count starts again.
    assert record(manual, _result(url, LinkClass.OK, 6, 200)) == ""
    assert record(scheduled[2], _result(url, LinkClass.TIMEOUT, 7)) == ""
    link = Link.objects.get()
    assert (link.failures, link.link_class) == (1, "timeout")
    assert LinkCheck.objects.count() == 4  # one per (link, run)


def test_scheduled_checks_against_real_hosts_show_the_badge_on_the_second(
    fake_hosts, linkcheck_settings
):
    linkcheck_settings.LINKCHECK_CACHE_TTL = 0  # each scheduled check asks again
    dead = fake_hosts.url("a", "/missing?s=404")
    corpus = build_corpus(
        fake_hosts, [("Ok", fake_hosts.url("a", "/fine"), "ok"), ("X", dead, "dead")]
    )
    _import(corpus)

    shown = []
    for _ in range(2):
        run = services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED)
        services.check_run_execute(run_id=run.pk)
        shown.append(sorted(selectors.link_badges_shown()))

    assert shown == [[], [url_key(dead)]]
    assert fake_hosts.stats("a").count("/missing?s=404", "HEAD") == 2


def test_a_check_that_reached_no_host_at_all_does_not_count(fake_hosts, linkcheck_settings):
    """The server's own network was down: every link "dead", none answered. Learners must not
    see every link of the site turn broken."""
    linkcheck_settings.LINKCHECK_CACHE_TTL = 0
    urls = [fake_hosts.url("gone", f"/{n}") for n in range(services.OFFLINE_MIN_LINKS)]
    _import(build_corpus(fake_hosts, [(f"L{n}", url, "dead") for n, url in enumerate(urls)]))

    for _ in range(3):
        run = services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED)
        services.check_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.summary["dead"] == len(urls) and "offline" in run.error
    assert selectors.link_badges_shown() == {}
    assert set(Link.objects.values_list("failures", flat=True)) == {0}


def test_the_periodic_check_is_queued_once_per_interval_by_one_worker(
    linkcheck_settings, django_capture_on_commit_callbacks
):
    linkcheck_settings.LINKCHECK_FIRST_DELAY = 600
    now = datetime(2026, 11, 3, 12, tzinfo=UTC)

    assert services.schedule_tick(now=now) is None  # a fresh site waits a little first
    assert services.schedule_tick(now=now + timedelta(seconds=599)) is None
    with django_capture_on_commit_callbacks(execute=True):
        first = services.schedule_tick(now=now + timedelta(seconds=600))
        # A second worker looking at the same moment finds it claimed.
        again = services.schedule_tick(now=now + timedelta(seconds=600))

    assert first is not None and again is None
    assert (first.kind, first.all_roadmaps) == (RunKind.SCHEDULED, True)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert Schedule.objects.get().last_enqueued_at == now + timedelta(seconds=600)
    day_later = now + timedelta(seconds=600, days=1)
    assert services.schedule_tick(now=day_later - timedelta(seconds=1)) is None
    # Due again, but the first is still waiting: no second run piles up behind it.
    assert services.schedule_tick(now=day_later) == first


def test_interval_zero_turns_the_periodic_check_off(linkcheck_settings):
    linkcheck_settings.LINKCHECK_INTERVAL = 0

    assert services.schedule_tick(now=datetime(2030, 1, 1, tzinfo=UTC)) is None
    assert not Schedule.objects.exists()


def _queued(run: CheckRun) -> CheckRun:
    task = tasks.check_run_task.enqueue(run_id=run.pk)
    CheckRun.objects.filter(pk=run.pk).update(task_id=str(task.id))
    run.refresh_from_db()
    return run


def test_runs_whose_worker_died_are_queued_again_the_others_left_alone(linkcheck_settings):
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    waiting = _queued(services.check_run_create(roadmap_id=None, kind=RunKind.MANUAL))
    busy = _queued(services.check_run_create(roadmap_id=None, kind=RunKind.MANUAL))
    dead = _queued(services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED))
    hopeless = _queued(services.check_run_create(roadmap_id=None, kind=RunKind.SCHEDULED))
    DBTaskResult.objects.filter(id__in=[busy.task_id, dead.task_id, hopeless.task_id]).update(
        status="RUNNING"
    )
    CheckRun.objects.filter(pk=busy.pk).update(status="running", heartbeat_at=datetime.now(UTC))
    CheckRun.objects.filter(pk=dead.pk).update(status="running", heartbeat_at=long_ago)
    CheckRun.objects.filter(pk=hopeless.pk).update(
        status="running", heartbeat_at=long_ago, attempts=services.RUN_MAX_ATTEMPTS
    )
    command = services.check_run_create(roadmap_id=None)  # `links check SLUG`, killed
    CheckRun.objects.filter(pk=command.pk).update(status="running", heartbeat_at=long_ago)

    recovered = services.check_runs_recover()
    assert services.check_runs_recover() == []  # claimed once

    assert [run.pk for run in recovered] == [dead.pk]
    dead_after = CheckRun.objects.get(pk=dead.pk)
    assert dead_after.status == RunStatus.QUEUED and dead_after.task_id != dead.task_id
    assert DBTaskResult.objects.get(id=dead.task_id).status == "FAILED"
    # The queue says why, with an exception class that exists (the task admin shows it).
    (error,) = tasks.check_run_task.get_result(dead.task_id).errors
    assert error.exception_class is services.WorkerLost
    assert "queued again" in error.traceback
    assert DBTaskResult.objects.get(id=dead_after.task_id).status == "READY"
    assert CheckRun.objects.get(pk=hopeless.pk).status == RunStatus.FAILED
    assert CheckRun.objects.get(pk=command.pk).status == RunStatus.FAILED  # not re-run
    assert CheckRun.objects.get(pk=busy.pk).task_id == busy.task_id
    assert CheckRun.objects.get(pk=waiting.pk).task_id == waiting.task_id
