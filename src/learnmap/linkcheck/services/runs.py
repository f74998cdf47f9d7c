"""Asking for a link check and running it.

A check is a ``CheckRun``. Asked for on the site or by ``learnmap links recheck``, it is queued
(``check_run_request``) and the worker's task (``tasks.check_run_task``) takes its id and calls
``check_run_execute``; ``learnmap links check SLUG`` creates one and executes it at once. A URL
of no roadmap yet (a proposed resource's) is checked by a run of its own
(``link_check_request``), queued the same way.
Verdicts are recorded as they come (``record``), so a run executed again after its worker was
killed skips what it already found (those verdicts are its cache).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.errors import NotFound
from learnmap.linkcheck.engine import (
    DEFAULT_USER_AGENT,
    CheckConfig,
    LinkClass,
    LinkResult,
    check_urls,
    is_fresh,
)
from learnmap.linkcheck.keys import is_web_link, url_hash, url_key
from learnmap.linkcheck.models import CheckRun, Link, LinkCheck, RunKind, RunStatus
from learnmap.linkcheck.services.record import chunks, link_results_record, link_streaks_apply
from learnmap.linkcheck.services.task_queue import run_queue

logger = logging.getLogger(__name__)

UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)
FINISHED = (RunStatus.DONE, RunStatus.FAILED)
HEARTBEAT_EVERY = 10.0
BATCH_MAX = 200  # verdicts written in one transaction
OFFLINE_MIN_LINKS = 10  # a run of this many links with no HTTP answer at all: offline


class CheckInterrupted(Exception):
    """The worker was asked to stop: the run goes back to the queue, its verdicts kept."""


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


def check_run_enqueue(*, run_id: int) -> None:
    """Queue the task that executes the run, and note the task's id on the run."""
    task_id = run_queue().enqueue(run_id=run_id)
    CheckRun.objects.filter(pk=run_id).update(task_id=task_id)


@transaction.atomic
def check_run_request(
    *, roadmap_id: int | None, kind: str = RunKind.MANUAL, requested_by=None
) -> tuple[CheckRun, bool]:
    """A check of one roadmap's links (``roadmap_id``) or of every roadmap's (None), queued
    for the worker once this transaction commits; ``(run, created)``. A check of the same
    links still waiting or running is returned instead of a second one. A check asked for on
    the site ignores the cache."""
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
    transaction.on_commit(lambda: check_run_enqueue(run_id=run.pk))
    return run, True


@transaction.atomic
def link_check_request(*, url: str) -> CheckRun | None:
    """A check of one URL (a proposed resource's), queued for the worker once this transaction
    commits; the run, or None when none is needed: not a web address, or its latest verdict is
    still fresh (the cache's TTL, as in any run). A check of the same URL still waiting or
    running is returned instead of a second one."""
    key = url_key(url) if is_web_link(url) else None
    if key is None:
        return None
    link = Link.objects.filter(url_hash=url_hash(key), result__isnull=False).first()
    if link is not None and is_fresh(LinkResult.from_dict(link.result), check_config()):
        return None
    pending = (
        CheckRun.objects.filter(kind=RunKind.LINK, urls=[key], status__in=UNFINISHED)
        .order_by("created_at")
        .first()
    )
    if pending is not None:
        return pending
    run = CheckRun.objects.create(kind=RunKind.LINK, urls=[key])
    transaction.on_commit(lambda: check_run_enqueue(run_id=run.pk))
    return run


def check_run_create(*, roadmap_id: int | None, kind: str = RunKind.COMMAND) -> CheckRun:
    """A run to execute at once, in this process (``learnmap links check SLUG``)."""
    return CheckRun.objects.create(
        kind=kind, roadmap_id=roadmap_id, all_roadmaps=roadmap_id is None
    )


# --- running a check ----------------------------------------------------------------------------


@dataclass
class RunOutcome:
    run: CheckRun
    results: dict[str, LinkResult]  # each input URL -> its verdict


def _offline(results: Sequence[LinkResult]) -> bool:
    """No host at all gave an HTTP answer: the checker's own network was down, and what it
    found says nothing about the links."""
    return len(results) >= OFFLINE_MIN_LINKS and all(r.status is None for r in results)


def _run_urls(run: CheckRun) -> list[str]:
    """The web links the run checks: its own list (a proposed link's), its roadmap's active
    resources', or every roadmap's."""
    if run.kind == RunKind.LINK:
        return list(run.urls)
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
        for chunk in chunks(hashes):
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
    if not run.all_roadmaps and run.roadmap_id is None and run.kind != RunKind.LINK:
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
