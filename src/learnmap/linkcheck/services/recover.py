"""Runs whose worker is gone: queued again, or given up on."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from learnmap.linkcheck.models import CheckRun, RunKind, RunStatus
from learnmap.linkcheck.services.runs import UNFINISHED, check_run_enqueue
from learnmap.linkcheck.services.task_queue import WorkerLost, run_queue

logger = logging.getLogger(__name__)

RUN_STALE_AFTER = 120  # seconds without a heartbeat: the worker on the run is gone
RUN_MAX_ATTEMPTS = 5


def check_runs_recover(*, stale_after: float = RUN_STALE_AFTER) -> list[CheckRun]:
    """Queue again every unfinished run that no worker has: its worker was killed or stopped
    mid-run (its task failed or is "running" without a heartbeat), or its task was never
    queued. Each is claimed with a conditional UPDATE, so two workers never both do it."""
    queue = run_queue()
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
        status = queue.status(task_id=run.task_id) if run.task_id else None
        if status == "READY":
            continue  # waiting its turn
        alive = run.heartbeat_at is not None and run.heartbeat_at > stale
        if status == "RUNNING" and alive:
            continue  # a worker is on it
        if status is None and not run.task_id and run.created_at > stale:
            continue  # just asked for: its task is being queued
        with transaction.atomic():
            # The queue is in the same database: the new task is written in the transaction
            # of the claim, so no other worker ever sees the run claimed without a task.
            claimed = CheckRun.objects.filter(
                pk=run.pk, task_id=run.task_id, status__in=UNFINISHED
            ).update(status=RunStatus.QUEUED)
            if not claimed:
                continue
            if status == "RUNNING":
                queue.abandon(
                    task_id=run.task_id,
                    error=WorkerLost(
                        "The worker running this task stopped before it finished; "
                        "the link check was queued again."
                    ),
                )
            if run.attempts >= RUN_MAX_ATTEMPTS:
                CheckRun.objects.filter(pk=run.pk).update(
                    status=RunStatus.FAILED,
                    finished_at=now,
                    error=f"Gave up after {run.attempts} attempts.",
                )
                logger.warning("Link check run %s failed %s times: gave up.", run.pk, run.attempts)
                continue
            check_run_enqueue(run_id=run.pk)
        logger.info("Queued link check run %s again (its worker stopped).", run.pk)
        recovered.append(run)
    return recovered
