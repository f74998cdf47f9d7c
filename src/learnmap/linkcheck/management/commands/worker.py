"""``learnmap worker``: run the background tasks, and queue the periodic link check.

django-tasks-db's worker (``db_worker``) runs the queued tasks; around it this command, every
``MAINTENANCE_EVERY`` seconds and when it starts:

- queues the check of every roadmap when ``LEARNMAP_LINKCHECK_INTERVAL`` has passed since the
  last one (``services.schedule_tick``: one row in the database, claimed by one worker);
- queues again the checks whose worker was killed (``services.check_runs_recover``);
- runs the periodic jobs other apps registered (``core.periodic``: the pull of Git sources);
- when it starts and then every ``PRUNE_EVERY`` seconds, deletes the history of checks (and
  finished tasks) older than ``LEARNMAP_LINKCHECK_HISTORY_DAYS`` (``services.link_history_prune``).

SIGTERM or Ctrl-C: a running check stops within a second, keeps what it found and goes back
to the queue; a second signal ends the worker at once. ``--once`` does the work waiting now and
exits; ``--max-tasks N`` exits after N tasks.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from learnmap.core import periodic
from learnmap.core.management.base import DatabaseCommand
from learnmap.linkcheck import services, tasks

logger = logging.getLogger(__name__)

MAINTENANCE_EVERY = 30.0
PRUNE_EVERY = 6 * 60 * 60.0


class _Worker(Worker):
    """django-tasks-db's worker, counting the tasks it ran."""

    ran = 0

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            self.ran += 1


class Command(DatabaseCommand):
    help = (
        "Run the background tasks (link checks) and queue the periodic check of every "
        "roadmap's links. Stops cleanly on Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="do the work waiting now (a due check too), exit"
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after running this many tasks"
        )
        parser.add_argument(
            "--poll", type=float, default=1.0, help="seconds between two looks at the queue"
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=services.RUN_STALE_AFTER,
            help="seconds without news from a running check before it is queued again",
        )
        # `learnmap serve` starts a worker beside the site: it ends when its parent does.
        parser.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, once, max_tasks, poll, stale_after, parent_pid, **options):
        if max_tasks is not None and max_tasks < 1:
            raise CommandError("--max-tasks must be at least 1.")
        if poll <= 0 or stale_after < 0:
            raise CommandError("--poll must be positive and --stale-after not negative.")
        worker = _Worker(
            queue_names=["*"],
            interval=poll,
            batch=True,  # Worker.run returns when the queue is empty: this loop goes on
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )

        def shutdown(signum, frame) -> None:
            tasks.stop_requested.set()
            worker.shutdown(signum, frame)

        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), shutdown)

        self.stdout.write(f"Learnmap worker {worker.worker_id} started; Ctrl-C stops it.")
        self.stdout.flush()
        last_maintenance = last_prune = float("-inf")
        while worker.running:
            if parent_pid is not None and os.getppid() != parent_pid:
                break  # the server that started this worker is gone
            if time.monotonic() - last_maintenance >= MAINTENANCE_EVERY:
                try:
                    services.schedule_tick()
                    services.check_runs_recover(stale_after=stale_after)
                    periodic.jobs_run()  # other apps' periodic work (core.periodic)
                    if time.monotonic() - last_prune >= PRUNE_EVERY:
                        _log_pruned(services.link_history_prune())
                        last_prune = time.monotonic()
                except DatabaseError:  # locked or gone for a moment: try again next time
                    logger.warning(
                        "Could not schedule, recover or prune link checks.", exc_info=True
                    )
                    close_old_connections()
                last_maintenance = time.monotonic()
            worker.run()
            if once or (max_tasks is not None and worker.ran >= max_tasks):
                break
            self._sleep(worker, poll)
        self.stdout.write("Learnmap worker stopped.")

    @staticmethod
    def _sleep(worker: Worker, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while worker.running and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))


def _log_pruned(pruned: services.HistoryPruned) -> None:
    if pruned.runs or pruned.checks or pruned.task_results:
        logger.info(
            "Pruned the link-check history from before %s: %s runs, %s checks, %s task results.",
            pruned.cutoff.isoformat(timespec="seconds"),
            pruned.runs,
            pruned.checks,
            pruned.task_results,
        )
