"""Pruning the link-check history: old runs, their verdicts and finished tasks go; the latest
check of each roadmap, unfinished runs and what learners see (the badges) stay."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learnmap.linkcheck import selectors, services, tasks
from learnmap.linkcheck.engine import LinkClass, LinkResult
from learnmap.linkcheck.models import CheckRun, Link, LinkCheck, RunKind, RunStatus
from tests.factories import RoadmapFactory

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
URLS = ["https://example.org/one", "https://example.org/two"]


@pytest.fixture
def history_settings(linkcheck_settings):
    linkcheck_settings.LINKCHECK_HISTORY_DAYS = 90
    return linkcheck_settings


def _run(
    *,
    days_ago: float,
    roadmap=None,
    status: str = RunStatus.DONE,
    kind: str = RunKind.SCHEDULED,
    cls: LinkClass = LinkClass.OK,
    now: datetime = NOW,
) -> CheckRun:
    """A run of one roadmap (None: of every roadmap) that checked ``URLS`` ``days_ago``, and
    finished then unless it is queued or running."""
    run = services.check_run_create(roadmap_id=roadmap.pk if roadmap else None, kind=kind)
    at = now - timedelta(days=days_ago)
    results = [
        LinkResult(url=url, cls=cls, status=200 if cls is LinkClass.OK else 404, checked_at=at)
        for url in URLS
    ]
    services.link_results_record(run=run, results=[(result, True) for result in results])
    if kind == RunKind.SCHEDULED and status == RunStatus.DONE:
        services.link_streaks_apply(run=run, results=results)
    finished = status in (RunStatus.DONE, RunStatus.FAILED)
    CheckRun.objects.filter(pk=run.pk).update(
        status=status, created_at=at, started_at=at, finished_at=at if finished else None
    )
    run.refresh_from_db()
    return run


def _task_result(*, status: str, days_ago: float, now: datetime = NOW) -> DBTaskResult:
    """A task of the queue, finished ``days_ago`` (READY and RUNNING: enqueued then)."""
    task = tasks.check_run_task.enqueue(run_id=0)
    at = now - timedelta(days=days_ago)
    finished = status in ("SUCCESSFUL", "FAILED")
    DBTaskResult.objects.filter(id=task.id).update(
        status=status, enqueued_at=at, finished_at=at if finished else None
    )
    return DBTaskResult.objects.get(id=task.id)


def _run_ids() -> set[int]:
    return set(CheckRun.objects.values_list("pk", flat=True))


def _counts() -> tuple[int, int, int, int]:
    return (
        CheckRun.objects.count(),
        LinkCheck.objects.count(),
        DBTaskResult.objects.count(),
        Link.objects.count(),
    )


@pytest.mark.django_db
def test_old_runs_and_their_checks_go_recent_ones_stay(history_settings):
    old = _run(days_ago=100)
    old_failed = _run(days_ago=95, status=RunStatus.FAILED, kind=RunKind.MANUAL)
    just_within = _run(days_ago=89)
    recent = _run(days_ago=10)

    pruned = services.link_history_prune(now=NOW)

    assert _run_ids() == {just_within.pk, recent.pk}
    assert not LinkCheck.objects.filter(run__in=[old, old_failed]).exists()
    assert LinkCheck.objects.filter(run__in=[just_within, recent]).count() == 2 * len(URLS)
    assert (pruned.runs, pruned.checks, pruned.task_results) == (2, 2 * len(URLS), 0)
    assert pruned.cutoff == NOW - timedelta(days=90)
    assert Link.objects.count() == len(URLS)  # the links themselves stay


@pytest.mark.django_db
def test_days_overrides_the_setting(history_settings):
    month_old = _run(days_ago=40)
    recent = _run(days_ago=10)

    assert services.link_history_prune(now=NOW).runs == 0  # within the 90 days kept
    pruned = services.link_history_prune(now=NOW, days=30)

    assert pruned.runs == 1 and _run_ids() == {recent.pk}
    assert month_old.pk not in _run_ids()


@pytest.mark.django_db
def test_the_latest_done_run_of_each_scope_stays_whatever_its_age(history_settings):
    one, two, three = RoadmapFactory(), RoadmapFactory(), RoadmapFactory()
    every_old = _run(days_ago=300)
    every_latest = _run(days_ago=200)
    one_old = _run(days_ago=250, roadmap=one, kind=RunKind.MANUAL)
    one_latest = _run(days_ago=150, roadmap=one, kind=RunKind.MANUAL)
    two_latest = _run(days_ago=120, roadmap=two, kind=RunKind.MANUAL)
    two_failed = _run(days_ago=100, roadmap=two, kind=RunKind.MANUAL, status=RunStatus.FAILED)
    gone = RoadmapFactory()
    orphan = _run(days_ago=130, roadmap=gone, kind=RunKind.MANUAL)
    gone.delete()  # its runs stay, with no roadmap: nobody's latest check
    before = {r.pk: selectors.roadmap_link_report(roadmap=r).last_run for r in (one, two, three)}

    pruned = services.link_history_prune(now=NOW)

    assert _run_ids() == {every_latest.pk, one_latest.pk, two_latest.pk}
    assert pruned.runs == 4 and {every_old.pk, one_old.pk, two_failed.pk, orphan.pk}.isdisjoint(
        _run_ids()
    )
    # The maintainer page still says when each roadmap's links were last checked.
    after = {r.pk: selectors.roadmap_link_report(roadmap=r).last_run for r in (one, two, three)}
    assert after == before == {one.pk: one_latest, two.pk: two_latest, three.pk: every_latest}
    # Pruning again removes nothing more.
    assert services.link_history_prune(now=NOW).runs == 0


@pytest.mark.django_db
def test_queued_and_running_runs_stay_however_old(history_settings):
    queued = _run(days_ago=400, status=RunStatus.QUEUED)
    running = _run(days_ago=400, status=RunStatus.RUNNING)  # its verdicts so far, old too
    _run(days_ago=300)

    pruned = services.link_history_prune(now=NOW)

    assert {queued.pk, running.pk} <= _run_ids()
    assert LinkCheck.objects.filter(run=running).count() == len(URLS)
    assert CheckRun.objects.get(pk=running.pk).status == RunStatus.RUNNING
    assert pruned.runs == 0  # the one done run is the latest of every roadmap's checks


@pytest.mark.django_db
def test_links_and_a_shown_badge_are_unchanged(history_settings):
    """Two scheduled checks in a row found the links dead: learners see a badge. Pruning the
    first check's history must not take the badge, its date or the streak away."""
    first = _run(days_ago=200, cls=LinkClass.DEAD)
    _run(days_ago=199, cls=LinkClass.DEAD)
    fields = (
        "url",
        "result",
        "link_class",
        "checked_at",
        "failures",
        "failing_since",
        "shown_class",
        "streak_checked_at",
        "updated_at",
    )
    links_before = list(Link.objects.order_by("pk").values_list(*fields))
    badge_before = selectors.link_badge_for(selectors.link_badges_shown(), url=URLS[0])
    assert badge_before is not None and badge_before.text.startswith("dead since ")

    pruned = services.link_history_prune(now=NOW)

    assert pruned.runs == 1 and first.pk not in _run_ids()
    assert list(Link.objects.order_by("pk").values_list(*fields)) == links_before
    badge = selectors.link_badge_for(selectors.link_badges_shown(), url=URLS[0])
    assert badge == badge_before


@pytest.mark.django_db
def test_a_dry_run_deletes_nothing_but_reports_the_same_counts(history_settings):
    _run(days_ago=300)
    _run(days_ago=200, status=RunStatus.FAILED, kind=RunKind.MANUAL)
    _run(days_ago=100)
    _task_result(status="SUCCESSFUL", days_ago=120)
    before = _counts()

    dry = services.link_history_prune(now=NOW, dry_run=True)

    assert _counts() == before
    real = services.link_history_prune(now=NOW)
    assert (dry.runs, dry.checks, dry.task_results) == (real.runs, real.checks, real.task_results)
    assert (real.runs, real.checks, real.task_results) == (2, 2 * len(URLS), 1)
    assert _counts() != before


@pytest.mark.django_db
def test_old_finished_task_results_go_recent_and_unfinished_ones_stay(history_settings):
    # The queue prunes its own results (django-tasks-db's command), by age on the clock.
    now = timezone.now()
    old_done = _task_result(status="SUCCESSFUL", days_ago=100, now=now)
    old_failed = _task_result(status="FAILED", days_ago=91, now=now)
    recent = _task_result(status="SUCCESSFUL", days_ago=89, now=now)
    waiting = _task_result(status="READY", days_ago=200, now=now)
    running = _task_result(status="RUNNING", days_ago=200, now=now)

    pruned = services.link_history_prune(now=now)

    assert pruned.task_results == 2
    remaining = set(DBTaskResult.objects.values_list("id", flat=True))
    assert remaining == {recent.id, waiting.id, running.id}
    assert {old_done.id, old_failed.id}.isdisjoint(remaining)


def _prune_command(*args: str) -> str:
    out = io.StringIO()
    call_command("links", "prune", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_prune_command_prints_what_it_removed(history_settings):
    now = timezone.now()
    _run(days_ago=60, now=now)
    _run(days_ago=50, now=now)
    kept = _run(days_ago=5, now=now)
    _task_result(status="SUCCESSFUL", days_ago=45, now=now)

    dry = _prune_command("--days", "30", "--dry-run")
    assert dry.startswith("Would remove 2 link-check runs (4 checks) and 1 finished task result ")
    assert len(dry.splitlines()) == 1 and len(_run_ids()) == 3

    out = _prune_command("--days", "30")
    assert out.startswith("Removed 2 link-check runs (4 checks) and 1 finished task result ")
    cutoff = now - timedelta(days=30)
    assert f"from before {cutoff:%Y-%m-%d} " in out
    assert _run_ids() == {kept.pk}

    # The setting's 90 days: nothing that old is left.
    assert _prune_command().startswith("Removed 0 link-check runs (0 checks) and 0 finished ")


@pytest.mark.django_db
def test_the_prune_command_says_what_it_removed_once(history_settings, caplog):
    now = timezone.now()
    _run(days_ago=120, now=now)
    _run(days_ago=100, now=now)  # the latest check: kept
    _task_result(status="SUCCESSFUL", days_ago=100, now=now)
    caplog.set_level("INFO")

    out = _prune_command()

    assert out.startswith("Removed 1 link-check run (2 checks) and 1 finished task result ")
    # Neither the service nor the queue's own prune logs the same news again on the console.
    assert [record.getMessage() for record in caplog.records] == []


@pytest.mark.django_db
def test_the_prune_command_refuses_less_than_a_day(history_settings):
    _run(days_ago=2)

    with pytest.raises(CommandError, match="at least 1 day") as error:
        _prune_command("--days", "0")

    assert error.value.returncode == 2
    assert CheckRun.objects.count() == 1


# --- the worker prunes on its own (a real `learnmap worker --once`, on SQLite) -----------------

SEED = """
from datetime import timedelta
from django.utils import timezone
from learnmap.linkcheck import services, tasks
from learnmap.linkcheck.engine import LinkClass, LinkResult
from learnmap.linkcheck.models import CheckRun
from django_tasks_db.models import DBTaskResult

now = timezone.now()
for days in (120, 100, 5):
    at = now - timedelta(days=days)
    run = services.check_run_create(roadmap_id=None, kind="scheduled")
    result = LinkResult(url="https://example.org/x", cls=LinkClass.OK, status=200, checked_at=at)
    services.link_results_record(run=run, results=[(result, True)])
    CheckRun.objects.filter(pk=run.pk).update(status="done", finished_at=at)
    task = tasks.check_run_task.enqueue(run_id=run.pk)
    DBTaskResult.objects.filter(id=task.id).update(status="SUCCESSFUL", finished_at=at)
"""


def _query(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "learnmap.sqlite3", timeout=10) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.slow
def test_the_worker_prunes_the_old_history_when_it_starts(learnmap, learnmap_env, tmp_path):
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}
    content = tmp_path / "content"
    content.mkdir()  # no built-in roadmaps
    env.update(LEARNMAP_LINKCHECK_INTERVAL="0", LEARNMAP_CONTENT_DIR=str(content))
    data_dir = Path(env["LEARNMAP_DATA_DIR"])
    assert learnmap("migrate", env=env).returncode == 0
    seeded = learnmap("shell", "-c", SEED, env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert _query(data_dir, "SELECT count(*) FROM linkcheck_checkrun") == [(3,)]

    worker = learnmap("worker", "--once", env=env)

    assert worker.returncode == 0, worker.stderr
    # The two runs older than the 90 days kept went, with their verdicts and their tasks.
    finished = _query(
        data_dir, "SELECT julianday('now') - julianday(finished_at) FROM linkcheck_checkrun"
    )
    assert sorted(round(age) for (age,) in finished) == [5]
    assert _query(data_dir, "SELECT count(*) FROM linkcheck_linkcheck") == [(1,)]
    assert _query(data_dir, "SELECT count(*) FROM django_tasks_database_dbtaskresult") == [(1,)]
    assert _query(data_dir, "SELECT count(*) FROM linkcheck_link") == [(1,)]
