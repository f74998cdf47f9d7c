"""The sources' background task (django-tasks, queued in the database by django-tasks-db).

``learnmap worker`` runs it: a pull of one source, queued by its webhook, by the schedule or
by "Sync now". The task takes the source's id and calls the service.
"""

from __future__ import annotations

from django_tasks import task

from learnmap.sources import services


@task()
def source_sync_task(source_id: int) -> dict:
    outcome = services.source_sync(source_id=source_id)
    if outcome is None:
        return {"source": source_id, "status": "gone"}
    return {"source": source_id, "status": outcome.status, "sha": outcome.sha}


def enqueue_sync(source_id: int) -> str:
    return str(source_sync_task.enqueue(source_id=source_id).id)
