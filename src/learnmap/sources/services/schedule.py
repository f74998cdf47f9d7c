"""The periodic pull of every source (``LEARNMAP_SOURCES_SYNC_INTERVAL``, or the source's
own interval), and the pruning of old webhook deliveries.

Run on each of the worker's upkeep rounds (``core.periodic``). A source is due when its
interval has passed since its last scheduled pull; one worker claims it with a conditional
UPDATE of ``scheduled_at``, so several workers never queue it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap.sources.models import Delivery, Source
from learnmap.sources.services.queue import sync_enqueue

logger = logging.getLogger(__name__)


def sources_schedule_tick(*, now: datetime | None = None) -> list[int]:
    """Queue the pull of every source that is due; their ids. Then prune old deliveries."""
    now = now or timezone.now()
    queued = []
    rows = Source.objects.values_list("pk", "interval", "scheduled_at")
    for pk, interval, scheduled_at in rows:
        period = interval or settings.SOURCES_SYNC_INTERVAL
        if period <= 0:
            continue
        if scheduled_at is not None and scheduled_at > now - timedelta(seconds=period):
            continue
        with transaction.atomic():
            claimed = Source.objects.filter(pk=pk, scheduled_at=scheduled_at).update(
                scheduled_at=now
            )
            if claimed:
                sync_enqueue(source_id=pk)
                queued.append(pk)
    if queued:
        logger.info("Queued the scheduled pull of %s source(s).", len(queued))
    deliveries_prune(now=now)
    return queued


def deliveries_prune(*, now: datetime | None = None) -> int:
    """Forget webhook deliveries older than ``SOURCES_DELIVERY_DAYS``; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOURCES_DELIVERY_DAYS)
    deleted, _ = Delivery.objects.filter(received_at__lt=cutoff).delete()
    return deleted
