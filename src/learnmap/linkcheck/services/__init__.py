"""Link health services, one module per job:

- ``runs``: asking for a check (queued, or created to execute at once) and executing it;
- ``record``: storing a run's verdicts as they come, and the consecutive-failures rule;
- ``schedule``: the periodic check of every roadmap;
- ``recover``: runs whose worker is gone, queued again;
- ``prune``: the old history (runs, verdicts, the queue's finished results);
- ``task_queue``: what the services need from the task queue (``tasks`` implements it).

The public functions are re-exported here: ``from learnmap.linkcheck import services``.
"""

from learnmap.linkcheck.services.prune import HistoryPruned, link_history_prune
from learnmap.linkcheck.services.record import link_results_record, link_streaks_apply
from learnmap.linkcheck.services.recover import (
    RUN_MAX_ATTEMPTS,
    RUN_STALE_AFTER,
    check_runs_recover,
)
from learnmap.linkcheck.services.runs import (
    FINISHED,
    OFFLINE_MIN_LINKS,
    UNFINISHED,
    CheckInterrupted,
    RunOutcome,
    check_config,
    check_run_create,
    check_run_enqueue,
    check_run_execute,
    check_run_request,
    link_check_request,
)
from learnmap.linkcheck.services.schedule import SCHEDULE_NAME, schedule_tick
from learnmap.linkcheck.services.task_queue import RunQueue, WorkerLost, run_queue_connect

__all__ = [
    "FINISHED",
    "OFFLINE_MIN_LINKS",
    "RUN_MAX_ATTEMPTS",
    "RUN_STALE_AFTER",
    "SCHEDULE_NAME",
    "UNFINISHED",
    "CheckInterrupted",
    "HistoryPruned",
    "RunOutcome",
    "RunQueue",
    "WorkerLost",
    "check_config",
    "check_run_create",
    "check_run_enqueue",
    "check_run_execute",
    "check_run_request",
    "check_runs_recover",
    "link_check_request",
    "link_history_prune",
    "link_results_record",
    "link_streaks_apply",
    "run_queue_connect",
    "schedule_tick",
]
