"""A signed-in learner's visits to a roadmap: what tells them what is new since the last one.

A *visit* is a run of page views of one roadmap (its map, its node pages) with gaps shorter
than ``VISIT_GAP``. What changed in the catalog after the end of the learner's previous visit
is new to them, and stays marked for the whole of the current visit (until they mark it as
seen). The first visit ever shows nothing as new.

One row per learner and roadmap (``models.RoadmapVisit``). A page view writes it only when a
visit starts or the time last recorded is ``SEEN_WRITE_EVERY`` old: never on every view. The
price is that the recorded end of a visit may be up to that much before the learner's real last
view, so a change made in those minutes is shown as new next time (never the other way round),
and a gap a little shorter than ``VISIT_GAP`` may start a new visit.

Anonymous learners get no visits: recording one would give every visitor a session (a cookie
and a write on their first view of a page that is otherwise the same for all, served from the
shared cache) and a page of their own. Their progress still lives in their session.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from learnmap.catalog.models import Roadmap
from learnmap.learning.learners import Learner, UserLearner
from learnmap.learning.models import RoadmapVisit

VISIT_GAP = timedelta(minutes=30)  # a longer pause between two page views starts a new visit
SEEN_WRITE_EVERY = timedelta(minutes=5)  # how stale the recorded last view may get


def visit_record(*, learner: Learner, roadmap: Roadmap) -> datetime | None:
    """Record that ``learner`` is looking at ``roadmap`` now; returns the time after which
    changes are new to them (the end of their previous visit), or None (the first visit, or
    an anonymous learner). One query, and a write when a visit starts or every
    ``SEEN_WRITE_EVERY``."""
    if not isinstance(learner, UserLearner):
        return None
    now = timezone.now()
    row = (
        RoadmapVisit.objects.filter(user=learner.user, roadmap=roadmap)
        .values_list("id", "seen_at", "news_since")
        .first()
    )
    if row is None:
        with transaction.atomic():  # two first views at once: one row, the other adds nothing
            RoadmapVisit.objects.bulk_create(
                [RoadmapVisit(user=learner.user, roadmap=roadmap, seen_at=now)],
                ignore_conflicts=True,
            )
        return None
    row_id, seen_at, since = row
    if now - seen_at >= VISIT_GAP:  # a new visit: the previous one ended when last seen
        with transaction.atomic():
            RoadmapVisit.objects.filter(id=row_id, seen_at=seen_at).update(
                news_since=seen_at, seen_at=now, updated_at=now
            )
        return seen_at
    if now - seen_at >= SEEN_WRITE_EVERY:
        with transaction.atomic():
            RoadmapVisit.objects.filter(id=row_id, seen_at__lt=now).update(
                seen_at=now, updated_at=now
            )
    return since


def visit_mark_seen(*, learner: Learner, roadmap: Roadmap) -> None:
    """What changed in ``roadmap`` so far is no longer new to ``learner`` (nothing for an
    anonymous learner)."""
    if not isinstance(learner, UserLearner):
        return
    now = timezone.now()
    RoadmapVisit.objects.update_or_create(
        user=learner.user,
        roadmap=roadmap,
        defaults={"seen_at": now, "news_since": now},
    )
