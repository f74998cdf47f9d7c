"""Link health services: asking for a check, running it, recording verdicts, scheduling.

A check is a ``CheckRun``; a task (``tasks.check_run_task``) takes its id and calls
``check_run_execute``. Verdicts are written as they come, each keyed by (URL, run), so a run
that is executed again after its worker was killed skips what it already found (those
verdicts are its cache) and never writes a verdict twice.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.db import bulk_update_rows
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.linkcheck.engine import (
    DEFAULT_USER_AGENT,
    CheckConfig,
    LinkClass,
    LinkResult,
    check_urls,
)
from learnmap.linkcheck.keys import is_web_link, url_hash, url_key
from learnmap.linkcheck.models import CheckRun, Link, LinkCheck, RunKind, RunStatus, Schedule

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "check-all-roadmaps"
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)
FINISHED = (RunStatus.DONE, RunStatus.FAILED)
RUN_STALE_AFTER = 120  # seconds without a heartbeat: the worker on the run is gone
RUN_MAX_ATTEMPTS = 5
HEARTBEAT_EVERY = 10.0
BATCH_MAX = 200  # verdicts written in one transaction
OFFLINE_MIN_LINKS = 10  # a run of this many links with no HTTP answer at all: offline
IN_CHUNK = 500  # values in one `IN (...)`


class CheckInterrupted(Exception):
    """The worker was asked to stop: the run goes back to the queue, its verdicts kept."""


def _chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_config(*, scheduled: bool = False, **overrides: Any) -> CheckConfig:
    """The engine's settings from Learnmap's (``LEARNMAP_LINKCHECK_*``).

    A scheduled check reuses a verdict for at most half the interval, so that each scheduled
    check sees the link anew (the consecutive-failures rule counts them)."""
    ttl = float(settings.LINKCHECK_CACHE_TTL)
    if scheduled and settings.LINKCHECK_INTERVAL:
        ttl = min(ttl, settings.LINKCHECK_INTERVAL / 2)
    values: dict[str, Any] = {
        "concurrency": settings.LINKCHECK_CONCURRENCY,
        "per_host": settings.LINKCHECK_PER_HOST,
        "timeout": float(settings.LINKCHECK_TIMEOUT),
        "user_agent": settings.LINKCHECK_USER_AGENT or DEFAULT_USER_AGENT,
        "allow_private": settings.LINKCHECK_ALLOW_PRIVATE,
        "cache_ttl": ttl,
        "transient_cache_ttl": min(ttl, 3600.0),
    }
    values.update({name: value for name, value in overrides.items() if value is not None})
    return CheckConfig(**values)


# --- asking for a check -------------------------------------------------------------------------


def _enqueue(run: CheckRun) -> None:
    """Queue the run's task once the transaction that made the run commits."""
    from learnmap.linkcheck import tasks

    def send() -> None:
        result = tasks.check_run_task.enqueue(run_id=run.pk)
        CheckRun.objects.filter(pk=run.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


@transaction.atomic
def check_run_request(
    *, roadmap_id: int | None, kind: str = RunKind.MANUAL, requested_by=None
) -> tuple[CheckRun, bool]:
    """A check of one roadmap's links (``roadmap_id``) or of every roadmap's (None), queued
    for the worker; ``(run, created)``. A check of the same links still waiting or running is
    returned instead of a second one. A check asked for on the site ignores the cache."""
    scope = Q(all_roadmaps=True) if roadmap_id is None else Q(roadmap_id=roadmap_id)
    pending = (
        CheckRun.objects.filter(scope, status__in=UNFINISHED)
        .exclude(kind=RunKind.COMMAND)
        .order_by("created_at")
        .first()
    )
    if pending is not None:
        return pending, False
    run = CheckRun.objects.create(
        kind=kind,
        roadmap_id=roadmap_id,
        all_roadmaps=roadmap_id is None,
        requested_by=requested_by,
        force=kind == RunKind.MANUAL,
    )
    _enqueue(run)
    return run, True


def check_run_create(*, roadmap_id: int | None, kind: str = RunKind.COMMAND) -> CheckRun:
    """A run to execute at once, in this process (``learnmap links check SLUG``)."""
    return CheckRun.objects.create(
        kind=kind, roadmap_id=roadmap_id, all_roadmaps=roadmap_id is None
    )


# --- the periodic check and lost runs -----------------------------------------------------------


def schedule_tick(*, now: datetime | None = None) -> CheckRun | None:
    """Queue the check of every roadmap when the interval has passed since the last one.

    The time of the last one is a database row that one worker claims with a conditional
    UPDATE, so several workers never queue it twice. The very first check comes
    ``LINKCHECK_FIRST_DELAY`` seconds after a worker first looks."""
    interval = settings.LINKCHECK_INTERVAL
    if interval <= 0:
        return None
    now = now or timezone.now()
    period = timedelta(seconds=interval)
    first = now - period + timedelta(seconds=min(settings.LINKCHECK_FIRST_DELAY, interval))
    Schedule.objects.get_or_create(name=SCHEDULE_NAME, defaults={"last_enqueued_at": first})
    with transaction.atomic():
        claimed = Schedule.objects.filter(
            name=SCHEDULE_NAME, last_enqueued_at__lte=now - period
        ).update(last_enqueued_at=now)
        if not claimed:
            return None
        run, _created = check_run_request(roadmap_id=None, kind=RunKind.SCHEDULED)
    logger.info("Queued the periodic link check (run %s).", run.pk)
    return run


def _task_status(task_id: str) -> str | None:
    """The queue's status of a run's task (READY, RUNNING, ...), None when unknown."""
    if not task_id:
        return None
    from django_tasks.exceptions import TaskResultDoesNotExist

    from learnmap.linkcheck import tasks

    try:
        return str(tasks.check_run_task.get_result(task_id).status)
    except (TaskResultDoesNotExist, ValueError):
        return None


def _task_abandon(task_id: str, now: datetime) -> None:
    """Mark a task whose worker died as failed in the queue (it stays "running" otherwise)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="learnmap.linkcheck.services.WorkerLost",
        traceback="The worker running this task stopped before it finished; "
        "the link check was queued again.",
    )


def check_runs_recover(*, stale_after: float = RUN_STALE_AFTER) -> list[CheckRun]:
    """Queue again every unfinished run that no worker has: its worker was killed or stopped
    mid-run (its task failed or is "running" without a heartbeat), or its task was never
    queued. Each is claimed with a conditional UPDATE, so two workers never both do it."""
    from learnmap.linkcheck import tasks

    now = timezone.now()
    stale = now - timedelta(seconds=stale_after)
    recovered = []
    # A `learnmap links check SLUG` that died (no heartbeat) is not the worker's to finish.
    CheckRun.objects.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale),
        kind=RunKind.COMMAND,
        status__in=UNFINISHED,
    ).update(status=RunStatus.FAILED, finished_at=now, error="The command stopped.")
    unfinished = CheckRun.objects.filter(status__in=UNFINISHED).exclude(kind=RunKind.COMMAND)
    for run in unfinished.order_by("created_at"):
        status = _task_status(run.task_id)
        if status == "READY":
            continue  # waiting its turn
        alive = run.heartbeat_at is not None and run.heartbeat_at > stale
        if status == "RUNNING" and alive:
            continue  # a worker is on it
        if status is None and not run.task_id and run.created_at > stale:
            continue  # just asked for: its task is being queued
        with transaction.atomic():
            # The run row exists already: its new task is queued in the same transaction as
            # the claim, so no other worker ever sees the run claimed without a task.
            claimed = CheckRun.objects.filter(
                pk=run.pk, task_id=run.task_id, status__in=UNFINISHED
            ).update(status=RunStatus.QUEUED)
            if not claimed:
                continue
            if status == "RUNNING":
                _task_abandon(run.task_id, now)
            if run.attempts >= RUN_MAX_ATTEMPTS:
                CheckRun.objects.filter(pk=run.pk).update(
                    status=RunStatus.FAILED,
                    finished_at=now,
                    error=f"Gave up after {run.attempts} attempts.",
                )
                logger.warning("Link check run %s failed %s times: gave up.", run.pk, run.attempts)
                continue
            task = tasks.check_run_task.enqueue(run_id=run.pk)
            CheckRun.objects.filter(pk=run.pk).update(task_id=str(task.id))
        logger.info("Queued link check run %s again (its worker stopped).", run.pk)
        recovered.append(run)
    return recovered


# --- recording verdicts -------------------------------------------------------------------------


def _streak(link: Link, result: LinkResult, *, scheduled: bool, threshold: int) -> None:
    """The consecutive-failures rule, for a verdict not counted yet.

    A scheduled check that finds the link not ok adds one; once ``threshold`` are counted the
    site shows the latest class (since the first of them). An ok verdict, from any check,
    clears it. A check asked for by hand that fails counts for nothing (the next scheduled
    check, if it reuses that verdict, counts it then), but keeps a shown class current."""
    at = result.checked_at
    if link.streak_checked_at is not None and at <= link.streak_checked_at:
        return
    if result.cls is LinkClass.OK:
        link.failures, link.failing_since, link.shown_class = 0, None, ""
        link.streak_checked_at = at
    elif scheduled:
        link.failures += 1
        if link.failing_since is None:
            link.failing_since = at
        link.streak_checked_at = at
        if link.failures >= threshold:
            link.shown_class = result.cls.value
    elif link.shown_class:
        link.shown_class = result.cls.value


def _links_for(results: Sequence[LinkResult]) -> dict[str, Link]:
    """The Link row of each result's URL, created when missing (locked on PostgreSQL)."""
    wanted = {url_hash(r.url): r.url for r in results}
    links = {
        link.url_hash: link
        for link in Link.objects.select_for_update().filter(url_hash__in=list(wanted))
    }
    missing = [Link(url_hash=h, url=url) for h, url in wanted.items() if h not in links]
    if missing:
        Link.objects.bulk_create(missing, ignore_conflicts=True)
        links.update(
            (link.url_hash, link)
            for link in Link.objects.select_for_update().filter(
                url_hash__in=[m.url_hash for m in missing]
            )
        )
    return links


LATEST_FIELDS = ["result", "link_class", "checked_at", "updated_at"]
STREAK_FIELDS = ["failures", "failing_since", "streak_checked_at", "shown_class", "updated_at"]


@transaction.atomic
def link_results_record(*, run: CheckRun, results: Sequence[tuple[LinkResult, bool]]) -> None:
    """Store a batch of a run's verdicts as they come: ``(result, fresh)`` pairs, ``fresh``
    when the verdict comes from a request (not from the cache).

    Idempotent: each (URL, run) has at most one history row, and a Link's latest verdict
    only moves forward in time."""
    by_url = {result.url: (result, fresh) for result, fresh in results}
    if not by_url:
        return
    links = _links_for([result for result, _ in by_url.values()])
    history = []
    now = timezone.now()
    for result, fresh in by_url.values():
        link = links[url_hash(result.url)]
        if fresh:
            history.append(
                LinkCheck(
                    link=link,
                    run=run,
                    link_class=result.cls.value,
                    status=result.status,
                    final_url=result.final_url or "",
                    error=result.error or "",
                    elapsed_ms=result.elapsed_ms,
                    checked_at=result.checked_at,
                )
            )
        if link.checked_at is None or result.checked_at > link.checked_at:
            link.result = result.to_dict()
            link.link_class = result.cls.value
            link.checked_at = result.checked_at
        link.updated_at = now
    LinkCheck.objects.bulk_create(history, ignore_conflicts=True)
    bulk_update_rows(Link, list(links.values()), LATEST_FIELDS)


@transaction.atomic
def link_streaks_apply(*, run: CheckRun, results: Iterable[LinkResult]) -> None:
    """Count a finished run's verdicts in each link's failure streak (``_streak``): what the
    site shows. Idempotent: a verdict counts at most once, whatever runs reuse it."""
    unique = list({result.url: result for result in results}.values())
    scheduled = run.kind == RunKind.SCHEDULED
    threshold = settings.LINKCHECK_FAILURES_TO_SHOW
    now = timezone.now()
    for chunk in _chunks(unique):
        links = _links_for(chunk)
        for result in chunk:
            link = links[url_hash(result.url)]
            _streak(link, result, scheduled=scheduled, threshold=threshold)
            link.updated_at = now
        bulk_update_rows(Link, list(links.values()), STREAK_FIELDS)


def _offline(results: Sequence[LinkResult]) -> bool:
    """No host at all gave an HTTP answer: the checker's own network was down, and what it
    found says nothing about the links."""
    return len(results) >= OFFLINE_MIN_LINKS and all(r.status is None for r in results)


# --- running a check ----------------------------------------------------------------------------


@dataclass
class RunOutcome:
    run: CheckRun
    results: dict[str, LinkResult]  # each input URL -> its verdict


def _run_urls(run: CheckRun) -> list[str]:
    """The web links the run checks: its roadmap's active resources', or every roadmap's."""
    if run.all_roadmaps:
        resources = catalog_selectors.resource_list()
    else:
        resources = catalog_selectors.resource_list(roadmap=run.roadmap)
    urls = resources.values_list("url", flat=True)
    return list(dict.fromkeys(url for url in urls if is_web_link(url)))


class _RunCache:
    """The engine's cache for one run, loaded before the engine starts (it runs in another
    thread, where the ORM must not be used): the verdicts this run already recorded (a run
    executed again after a crash skips them), then, unless the run is forced, the latest
    verdict of each URL. Writes go nowhere: the caller records every verdict it reports."""

    def __init__(self, known: dict[str, LinkResult]) -> None:
        self.known = known

    def get(self, url: str) -> LinkResult | None:
        return self.known.get(url)

    def set(self, url: str, result: LinkResult) -> None:
        return None

    def is_cached(self, result: LinkResult) -> bool:
        return self.known.get(result.url) is result

    @classmethod
    def load(cls, run: CheckRun, keys: Sequence[str]) -> _RunCache:
        known: dict[str, LinkResult] = {}
        done = {
            check.link.url: check
            for check in LinkCheck.objects.filter(run=run).select_related("link")
        }
        hashes = [url_hash(key) for key in keys]
        for chunk in _chunks(hashes):
            for link in Link.objects.filter(url_hash__in=chunk, result__isnull=False):
                check = done.get(link.url)
                # This run's own verdict, or (unless forced) the latest of another run.
                ours = check is not None and link.checked_at == check.checked_at
                if ours or (check is None and not run.force):
                    known[link.url] = LinkResult.from_dict(link.result)
        for url, check in done.items():
            known.setdefault(
                url,
                LinkResult(
                    url=url,
                    cls=LinkClass(check.link_class),
                    status=check.status,
                    final_url=check.final_url or None,
                    error=check.error or None,
                    elapsed_ms=check.elapsed_ms,
                    checked_at=check.checked_at,
                ),
            )
        return cls(known)


async def _until_stopped(work: Any, stopped: Callable[[], bool]) -> Any:
    task = asyncio.ensure_future(work)
    while not task.done():
        if stopped():
            task.cancel()
            break
        await asyncio.wait({task}, timeout=0.2)
    return await task


def _drain(inbox: queue.Queue, timeout: float) -> list:
    items = []
    try:
        items.append(inbox.get(timeout=timeout) if timeout else inbox.get_nowait())
        while len(items) < BATCH_MAX:
            items.append(inbox.get_nowait())
    except queue.Empty:
        pass
    return items


def _check_in_thread(
    urls: list[str],
    config: CheckConfig,
    cache: _RunCache,
    *,
    stop: threading.Event,
    handle: Callable[[list[tuple[LinkResult, int, int]]], None],
    beat: Callable[[], None],
) -> dict[str, LinkResult]:
    """Run the engine in a thread of its own; hand its verdicts to ``handle`` in batches, in
    this thread (the one with the database connection), and ``beat`` now and then."""
    inbox: queue.Queue = queue.Queue()
    outcome: dict[str, Any] = {}
    abandon = threading.Event()  # this thread failed: the engine must not go on alone

    def work() -> None:
        try:
            outcome["results"] = asyncio.run(
                _until_stopped(
                    check_urls(
                        urls,
                        config,
                        cache=cache,
                        on_result=lambda result, done, total: inbox.put((result, done, total)),
                    ),
                    lambda: stop.is_set() or abandon.is_set(),
                )
            )
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="linkcheck-engine", daemon=True)
    thread.start()
    last_beat = time.monotonic()
    try:
        while True:
            alive = thread.is_alive()
            batch = _drain(inbox, 0.2 if alive else 0)
            if batch:
                handle(batch)
            if time.monotonic() - last_beat >= HEARTBEAT_EVERY:
                beat()
                last_beat = time.monotonic()
            if not alive and inbox.empty():
                break
    finally:
        if thread.is_alive():
            abandon.set()
            thread.join(30)
    if "error" in outcome:
        if isinstance(outcome["error"], asyncio.CancelledError):
            raise CheckInterrupted("the worker is stopping")
        raise outcome["error"]
    return outcome["results"]


def check_run_execute(
    *,
    run_id: int,
    stop: threading.Event | None = None,
    on_result: Callable[[LinkResult, int, int], None] | None = None,
    config_overrides: dict[str, Any] | None = None,
) -> RunOutcome:
    """Check the run's links, recording each verdict as it comes; mark the run done.

    Safe to call again for the same run, finished or not (a task picked up again after its
    worker was killed): verdicts it already recorded are reused, none is written twice.
    ``stop`` set: the check ends soon, the run goes back to the queue (CheckInterrupted)."""
    run = CheckRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"There is no link check {run_id}.", code="unknown_run")
    if run.finished:
        return RunOutcome(run=run, results={})
    now = timezone.now()
    if not run.all_roadmaps and run.roadmap_id is None:
        CheckRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=now, error="Its roadmap was deleted."
        )
        run.refresh_from_db()
        return RunOutcome(run=run, results={})
    CheckRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        started_at=Coalesce(F("started_at"), now),
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    urls = _run_urls(run)
    keys = list(dict.fromkeys(key for key in map(url_key, urls) if key is not None))
    cache = _RunCache.load(run, keys)
    config = check_config(scheduled=run.kind == RunKind.SCHEDULED, **(config_overrides or {}))

    def handle(batch: list[tuple[LinkResult, int, int]]) -> None:
        link_results_record(
            run=run, results=[(result, not cache.is_cached(result)) for result, _, _ in batch]
        )
        if on_result is not None:
            for item in batch:
                on_result(*item)

    def beat() -> None:
        CheckRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())

    stop = stop or threading.Event()
    try:
        results = _check_in_thread(urls, config, cache, stop=stop, handle=handle, beat=beat)
    except CheckInterrupted:
        CheckRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED)
        logger.info("Link check run %s stopped; it will go on where it was.", run.pk)
        raise
    except KeyboardInterrupt:  # Ctrl-C on `learnmap links check SLUG`
        CheckRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error="Interrupted."
        )
        raise
    unique = list({result.url: result for result in results.values()}.values())
    summary = {link_class.value: 0 for link_class in LinkClass}
    for result in unique:
        summary[result.cls.value] += 1
    note = ""
    if _offline(unique):
        note = "No host answered: the checker seemed offline, so this check does not count."
        logger.warning("Link check run %s: %s", run.pk, note)
    else:
        link_streaks_apply(run=run, results=unique)
    CheckRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        urls_total=len(unique),
        urls_checked=LinkCheck.objects.filter(run=run).count(),
        summary=summary,
        error=note,
    )
    run.refresh_from_db()
    logger.info(
        "Link check run %s: %s links, %s checked now, %s dead.",
        run.pk,
        run.urls_total,
        run.urls_checked,
        summary[LinkClass.DEAD.value],
    )
    return RunOutcome(run=run, results=results)


# --- pruning the history ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPruned:
    """What ``link_history_prune`` removed (on a dry run: would remove)."""

    runs: int
    checks: int  # the verdicts those runs found (LinkCheck rows)
    task_results: int  # finished tasks of django-tasks-db's queue
    cutoff: datetime  # each of them had finished before this


def _latest_done_of_its_scope() -> Q:
    """A done run that no done run of the same scope (every roadmap, or one roadmap) finished
    after: what the maintainer page shows as the last check (``roadmap_link_report``)."""
    later = CheckRun.objects.filter(status=RunStatus.DONE, finished_at__gt=OuterRef("finished_at"))
    latest_of_all = Q(all_roadmaps=True) & ~Exists(later.filter(all_roadmaps=True))
    latest_of_roadmap = Q(all_roadmaps=False, roadmap__isnull=False) & ~Exists(
        later.filter(all_roadmaps=False, roadmap_id=OuterRef("roadmap_id"))
    )
    return Q(status=RunStatus.DONE) & (latest_of_all | latest_of_roadmap)


@transaction.atomic
def link_history_prune(
    *, now: datetime | None = None, days: int | None = None, dry_run: bool = False
) -> HistoryPruned:
    """Delete the link-check history older than ``days`` (``LINKCHECK_HISTORY_DAYS``): runs
    that finished (done or failed) before the cutoff, with their verdicts, and the queue's
    finished task results. The latest done run of every roadmap, and of every-roadmap checks,
    is kept whatever its age, so the maintainer page still says when links were last checked.
    Unfinished runs and ``Link`` rows (latest verdicts, failure streaks, badges) are never
    touched. ``dry_run``: count, delete nothing."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.models import DBTaskResult

    days = settings.LINKCHECK_HISTORY_DAYS if days is None else days
    if days < 1:
        raise ApplicationError(
            f"Keep at least 1 day of link-check history (not {days}).", code="history_days"
        )
    cutoff = (now or timezone.now()) - timedelta(days=days)
    runs = CheckRun.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(
        _latest_done_of_its_scope()
    )
    # As django-tasks-db's prune_db_task_results selects them (every queue of the backend).
    task_results = DBTaskResult.objects.finished().filter(
        backend_name=DEFAULT_TASK_BACKEND_ALIAS, finished_at__lt=cutoff
    )
    if dry_run:
        return HistoryPruned(
            runs=runs.count(),
            checks=LinkCheck.objects.filter(run__in=runs).count(),
            task_results=task_results.count(),
            cutoff=cutoff,
        )
    _total, deleted = runs.delete()  # the verdicts go with their run (CASCADE)
    pruned = HistoryPruned(
        runs=deleted.get(CheckRun._meta.label, 0),
        checks=deleted.get(LinkCheck._meta.label, 0),
        task_results=task_results.delete()[0],
        cutoff=cutoff,
    )
    if pruned.runs or pruned.checks or pruned.task_results:
        logger.info(
            "Pruned the link-check history from before %s: %s runs, %s checks, %s task results.",
            cutoff.isoformat(timespec="seconds"),
            pruned.runs,
            pruned.checks,
            pruned.task_results,
        )
    return pruned
