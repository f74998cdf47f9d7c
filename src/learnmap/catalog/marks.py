"""How many learners have marks on catalog items: asked by the import's plan (the dry run says
how many learners have marks on each item it would retire), answered by the apps above.

The learning app keeps learners' progress, choices and notes, and the catalog may not import it
(layers: catalog is below learning). So, as ``core.periodic`` does for the worker's jobs, an
app registers a counter in its ``AppConfig.ready``:

    marks.counter_register(name="learning", counter=marks_by_item)

A counter takes ``kind`` ("node" or "resource") and row ids, and returns for each id that has
any the number of distinct learners with a mark on it. With no counter registered (an app not
installed), nothing has marks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection

MarkCounter = Callable[[str, Collection[int]], dict[int, int]]

_counters: dict[str, MarkCounter] = {}


def counter_register(*, name: str, counter: MarkCounter) -> None:
    """Count marks with ``counter`` too (a second call under one name replaces the first)."""
    _counters[name] = counter


def marks_count(*, kind: str, ids: Collection[int]) -> dict[int, int]:
    """For each of these nodes' or resources' ids, how many learners have marks on it (each
    registered counter counts its own learners; ids without marks are left out)."""
    if kind not in {"node", "resource"}:
        raise ValueError(f"kind must be 'node' or 'resource', not {kind!r}")
    totals: Counter[int] = Counter()
    if not ids:
        return {}
    for counter in list(_counters.values()):
        totals.update(counter(kind, ids))
    return dict(totals)
