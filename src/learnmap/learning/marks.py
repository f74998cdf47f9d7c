"""The learning app's answer to the catalog's "how many learners have marks on these items"
(``catalog.marks``; registered in ``LearningConfig.ready``): a mark is a node's progress, an
elective chosen, a note, or a resource marked done, of a signed-in learner. (An anonymous
visitor's marks live in their session, which no query can reach: they are not counted.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from learnmap.learning.models import ElectiveChoice, NodeProgress, Note, ResourceProgress

_BATCH = 10_000  # ids in one IN (...): within SQLite's and PostgreSQL's parameter limits


def marks_by_item(kind: str, ids: Collection[int]) -> dict[int, int]:
    """For each node or resource id that has marks, the number of distinct learners."""
    if kind == "node":
        sources = ((NodeProgress, "node_id"), (ElectiveChoice, "node_id"), (Note, "node_id"))
    else:
        sources = ((ResourceProgress, "resource_id"),)
    learners: dict[int, set[int]] = defaultdict(set)
    ordered = sorted(ids)
    for start in range(0, len(ordered), _BATCH):
        batch = ordered[start : start + _BATCH]
        for model, column in sources:
            rows = model.objects.filter(**{f"{column}__in": batch}).values_list(column, "user_id")
            for item_id, user_id in rows:
                learners[item_id].add(user_id)
    return {item_id: len(users) for item_id, users in learners.items()}
