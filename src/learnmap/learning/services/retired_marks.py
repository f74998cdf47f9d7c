"""Clearing the notice about marked items gone from a roadmap (``learning.retired_marks``).

Clearing records, per item, the retirement the learner saw (``models.RetiredMarkSeen``); the
marks themselves are kept. An item that comes back shows its marks again; one retired again
later is in the notice again.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from learnmap.catalog.models import Roadmap
from learnmap.learning.learners import Learner, UserLearner
from learnmap.learning.models import RetiredMarkSeen
from learnmap.learning.retired_marks import retired_marks_get


@transaction.atomic
def retired_marks_clear(
    *, learner: Learner, roadmap: Roadmap, keys: Iterable[UUID] | None = None
) -> int:
    """Clear ``learner``'s notice on ``roadmap``: the items it shows now, or only those of
    ``keys`` (the ones the page showed, so an item removed since is not cleared unseen).
    Returns how many items were cleared (0 for an anonymous learner)."""
    if not isinstance(learner, UserLearner):
        return 0
    marks = retired_marks_get(learner=learner, roadmap=roadmap)
    wanted = None if keys is None else set(keys)
    cleared = 0
    for mark in marks:
        if wanted is not None and mark.key not in wanted:
            continue
        RetiredMarkSeen.objects.update_or_create(
            user=learner.user,
            key=mark.key,
            defaults={"roadmap": roadmap, "retired_at": mark.retired_at},
        )
        cleared += 1
    return cleared
