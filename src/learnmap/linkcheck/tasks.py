"""Link health tasks (django-tasks, queued in the database by django-tasks-db).

``learnmap worker`` runs them. A task takes a run's id and calls the service; running it again
for the same run (its worker was killed mid-run) finishes the run without writing anything
twice.
"""

from __future__ import annotations

import threading

from django_tasks import task

from learnmap.linkcheck import services

#: Set by the worker when it is asked to stop: a running check ends within a second, keeps
#: what it found and goes back to the queue.
stop_requested = threading.Event()


@task()
def check_run_task(run_id: int) -> dict:
    outcome = services.check_run_execute(run_id=run_id, stop=stop_requested)
    return {"run": outcome.run.pk, "status": outcome.run.status, "summary": outcome.run.summary}
