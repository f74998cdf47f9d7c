"""Pruning the link-check history: old runs with their verdicts, and the queue's old results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from learnmap.core.errors import ApplicationError
from learnmap.linkcheck.models import CheckRun, LinkCheck, RunStatus
from learnmap.linkcheck.services.runs import FINISHED
from learnmap.linkcheck.services.task_queue import run_queue


@dataclass(frozen=True)
class HistoryPruned:
    """What ``link_history_prune`` removed (on a dry run: would remove)."""

    runs: int
    checks: int  # the verdicts those runs found (LinkCheck rows)
    task_results: int  # the queue's finished task results, older than the same days
    cutoff: datetime  # those runs had finished before this


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
    touched. ``dry_run``: count, delete nothing.

    The queue's results are pruned by the queue itself (django-tasks-db's
    ``prune_db_task_results``), by age on the clock: ``now`` moves the runs' cutoff only."""
    days = settings.LINKCHECK_HISTORY_DAYS if days is None else days
    if days < 1:
        raise ApplicationError(
            f"Keep at least 1 day of link-check history (not {days}).", code="history_days"
        )
    cutoff = (now or timezone.now()) - timedelta(days=days)
    runs = CheckRun.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(
        _latest_done_of_its_scope()
    )
    if dry_run:
        counts = (runs.count(), LinkCheck.objects.filter(run__in=runs).count())
    else:
        _total, deleted = runs.delete()  # the verdicts go with their run (CASCADE)
        counts = (deleted.get(CheckRun._meta.label, 0), deleted.get(LinkCheck._meta.label, 0))
    return HistoryPruned(
        runs=counts[0],
        checks=counts[1],
        task_results=run_queue().prune(days=days, dry_run=dry_run),
        cutoff=cutoff,
    )
