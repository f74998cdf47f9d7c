"""Where the sources' services meet the task queue, without knowing task objects.

``learnmap.sources.tasks`` (the one module of the app that knows django-tasks) connects its
``enqueue_sync`` here in ``SourcesConfig.ready``, so imports run one way: tasks -> services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

_enqueue: Callable[[int], str] | None = None


def sync_queue_connect(enqueue: Callable[[int], str]) -> None:
    global _enqueue
    _enqueue = enqueue


def sync_enqueue(*, source_id: int) -> None:
    """Queue a sync of the source once the current transaction commits."""
    if _enqueue is None:
        raise ImproperlyConfigured(
            "No task queue is connected to the sources' services: is 'learnmap.sources' in "
            "INSTALLED_APPS (its AppConfig.ready connects learnmap.sources.tasks)?"
        )
    enqueue = _enqueue
    transaction.on_commit(lambda: enqueue(source_id))
