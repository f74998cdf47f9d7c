"""Where the link-health services meet the task queue, without knowing task objects.

The services ask for a run's task to be queued, read the queue's status of a task, mark a task
whose worker died as failed, and prune the queue's finished results; ``RunQueue`` says how.
``learnmap.linkcheck.tasks`` (the one module that knows django-tasks) implements it and
``LinkcheckConfig.ready`` connects it here, so imports run one way: tasks -> services.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class WorkerLost(Exception):
    """The worker running a check's task stopped before it finished (killed, or its machine
    went away): the queue records the task as failed with this error, and the run is queued
    again."""


class RunQueue(Protocol):
    def enqueue(self, *, run_id: int) -> str:
        """Queue the task that executes the run; the task's id."""

    def status(self, *, task_id: str) -> str | None:
        """The queue's status of the task (READY, RUNNING, SUCCESSFUL, FAILED); None when the
        queue does not know it."""

    def abandon(self, *, task_id: str, error: WorkerLost) -> None:
        """Record a task still marked running, whose worker is gone, as failed with ``error``."""

    def prune(self, *, days: int, dry_run: bool) -> int:
        """Delete the queue's results that finished more than ``days`` ago (on a dry run,
        count them); how many."""


_queue: RunQueue | None = None


def run_queue_connect(queue: RunQueue) -> None:
    """Use ``queue`` from now on (``LinkcheckConfig.ready`` connects the django-tasks one)."""
    global _queue
    _queue = queue


def run_queue() -> RunQueue:
    if _queue is None:
        raise ImproperlyConfigured(
            "No task queue is connected to the link-check services: is 'learnmap.linkcheck' "
            "in INSTALLED_APPS (its AppConfig.ready connects learnmap.linkcheck.tasks)?"
        )
    return _queue
