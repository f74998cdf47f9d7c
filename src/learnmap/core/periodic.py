"""Periodic work that apps ask the background worker to do.

The worker (``learnmap worker``, link health's command) runs every registered job each time it
does its own upkeep (about every 30 seconds). An app above link health (a roadmap's Git source)
cannot be imported by the worker: it registers its job here in its ``AppConfig.ready``:

    periodic.job_register(name="sources-sync", job=services.sources_schedule_tick)

A job decides itself whether its time has come (a row claimed in the database, as link
health's schedule does), so running it often costs one small query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_jobs: dict[str, Callable[[], object]] = {}


def job_register(*, name: str, job: Callable[[], object]) -> None:
    """Run ``job`` on each of the worker's upkeep rounds (a second call replaces the first)."""
    _jobs[name] = job


def jobs_run() -> None:
    """Run every registered job; one that fails is logged and does not stop the others."""
    for name, job in list(_jobs.items()):
        try:
            job()
        except Exception:
            logger.exception("The periodic job %r failed; it runs again next time.", name)
