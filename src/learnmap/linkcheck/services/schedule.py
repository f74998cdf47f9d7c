"""The periodic check of every roadmap's links (``LEARNMAP_LINKCHECK_INTERVAL``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap.linkcheck.models import CheckRun, RunKind, Schedule
from learnmap.linkcheck.services.runs import check_run_request

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "check-all-roadmaps"


def schedule_tick(*, now: datetime | None = None) -> CheckRun | None:
    """Queue the check of every roadmap when the interval has passed since the last one.

    The time of the last one is a database row that one worker claims with a conditional
    UPDATE, so several workers never queue it twice. The very first check comes
    ``LINKCHECK_FIRST_DELAY`` seconds after a worker first looks."""
    interval = settings.LINKCHECK_INTERVAL
    if interval <= 0:
        return None
    now = now or timezone.now()
    period = timedelta(seconds=interval)
    first = now - period + timedelta(seconds=min(settings.LINKCHECK_FIRST_DELAY, interval))
    Schedule.objects.get_or_create(name=SCHEDULE_NAME, defaults={"last_enqueued_at": first})
    with transaction.atomic():
        claimed = Schedule.objects.filter(
            name=SCHEDULE_NAME, last_enqueued_at__lte=now - period
        ).update(last_enqueued_at=now)
        if not claimed:
            return None
        run, _created = check_run_request(roadmap_id=None, kind=RunKind.SCHEDULED)
    logger.info("Queued the periodic link check (run %s).", run.pk)
    return run
