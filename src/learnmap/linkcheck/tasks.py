"""Link health tasks (django-tasks, queued in the database by django-tasks-db).

``learnmap worker`` runs them. A task takes a run's id and calls the service; running it again
for the same run (its worker was killed mid-run) finishes the run without writing anything
twice.

This is the one module of the app that knows django-tasks. ``DjangoTasksQueue`` is what the
services need from the queue (``services.RunQueue``), on django-tasks' API and
django-tasks-db's prune command; ``LinkcheckConfig.ready`` connects it to the services.
"""

from __future__ import annotations

import io
import logging
import threading

from django.core.management import call_command
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from learnmap.linkcheck import services

#: Set by the worker when it is asked to stop: a running check ends within a second, keeps
#: what it found and goes back to the queue.
stop_requested = threading.Event()


@task()
def check_run_task(run_id: int) -> dict:
    outcome = services.check_run_execute(run_id=run_id, stop=stop_requested)
    return {"run": outcome.run.pk, "status": outcome.run.status, "summary": outcome.run.summary}


class _Counted(logging.Handler):
    """The number in the one line ``prune_db_task_results`` logs ("Deleted %d task result(s)",
    or "Would delete %d ..." on a dry run)."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.args and isinstance(record.args[0], int):
            self.count = record.args[0]


class DjangoTasksQueue:
    """``services.RunQueue`` on django-tasks, with the django-tasks-db backend."""

    def enqueue(self, *, run_id: int) -> str:
        return str(check_run_task.enqueue(run_id=run_id).id)

    def status(self, *, task_id: str) -> str | None:
        try:
            return str(check_run_task.get_result(task_id).status)
        except (TaskResultDoesNotExist, TaskResultMismatch):
            return None

    def abandon(self, *, task_id: str, error: services.WorkerLost) -> None:
        try:
            result = check_run_task.get_result(task_id)
        except (TaskResultDoesNotExist, TaskResultMismatch):
            return
        if result.status == TaskResultStatus.RUNNING:
            # django-tasks has no call to fail a task whose worker is gone: this is the
            # backend's own method, the one its worker calls when a task raises.
            result.db_result.set_failed(error)

    def prune(self, *, days: int, dry_run: bool) -> int:
        """django-tasks-db's ``prune_db_task_results`` over every queue of the task's backend;
        how many results it deleted (would delete)."""
        counted = _Counted()
        logger = logging.getLogger("django_tasks_db.prune_db_task_results")
        logger.addHandler(counted)
        propagate, logger.propagate = logger.propagate, False  # the caller reports the count
        try:
            call_command(
                "prune_db_task_results",
                f"--backend={check_run_task.backend}",
                "--queue-name=*",
                f"--min-age-days={days}",
                *(["--dry-run"] if dry_run else []),
                verbosity=1,  # its count is logged at INFO
                stdout=io.StringIO(),
            )
        finally:
            logger.removeHandler(counted)
            logger.propagate = propagate
        return counted.count
