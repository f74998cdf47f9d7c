"""Writing where rows moved in the file (``position``, ``line``), which is not a change of the
rows: one line inserted near the top of a long file moves every row below it by one.

Those rows move together: ``places_write`` finds the runs of rows (in stored order) that moved
by the same amount and writes the runs of ``RUN_MIN`` rows or more in one statement,
``UPDATE ... SET position = position + CASE WHEN position BETWEEN a AND b THEN d ... END``
(one statement: every row is moved once, from where it was, even when it lands in another
run's range, as a moved section's rows do); the few others one by one (one ``executemany``).
So an insert near the top of 3,000 resources is one statement, whatever the rows below it.

A run's range holds exactly its rows: the stored active rows' positions are distinct (every
import numbers them 0, 1, 2...) and a run is consecutive in their order; a row that changed
otherwise, or leaves the file, breaks a run. Written before the rows whose content changed (so
their new positions are not shifted), and bounded by the largest id of the run (rows created
by this import have larger ids). When positions are not distinct (a row edited by hand), every
row is written one by one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import connections, router

from learnmap.core.db import bulk_update_plain

RUN_MIN = 8
RUNS_MAX = 200  # ranges in the one statement (4 parameters each, 3 times)


def _shift_runs(model, roadmap_id: int, runs: list[tuple[int, int, int, int]], max_id: int):
    """One UPDATE moving the active rows whose position is in [a, b] by (d, e), for each run
    (a, b, d, e). One statement, so every expression reads the row as it was: a row moved by
    one run is never moved again by another whose range it lands in."""
    connection = connections[router.db_for_write(model)]
    column = {
        name: connection.ops.quote_name(model._meta.get_field(name).column)
        for name in ("id", "roadmap", "position", "line", "retired_at")
    }
    position = column["position"]
    within = f"{position} BETWEEN %s AND %s"
    by = " ".join(f"WHEN {within} THEN CAST(%s AS INTEGER)" for _ in runs)
    sql = (
        f"UPDATE {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
        f" SET {position} = {position} + (CASE {by} END),"
        f" {column['line']} = {column['line']} + (CASE {by} END)"
        f" WHERE {column['roadmap']} = %s AND {column['retired_at']} IS NULL"
        f" AND {column['id']} <= %s AND ({' OR '.join([within] * len(runs))})"
    )
    params = [value for a, b, d, _ in runs for value in (a, b, d)]
    params += [value for a, b, _, e in runs for value in (a, b, e)]
    params += [roadmap_id, max_id]
    params += [value for a, b, _, _ in runs for value in (a, b)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def places_write(
    model,
    *,
    roadmap_id: int,
    places: Sequence[tuple[int, int, int]],
    stored: Mapping[int, tuple[int, int]],
) -> None:
    """Write ``places`` ((position, line, id) of rows that only moved); ``stored``: id ->
    (position, line) of every active row of the roadmap before the sync."""
    if not places:
        return
    order = sorted(stored.items(), key=lambda item: item[1][0])
    if len({place[0] for _, place in order}) != len(order):
        bulk_update_plain(model, ("position", "line"), places)
        return
    delta = {}
    for position, line, row_id in places:
        old_position, old_line = stored[row_id]
        delta[row_id] = (position - old_position, line - old_line)
    runs: list[list[int]] = []
    previous = None
    for row_id, _ in order:
        shift = delta.get(row_id)
        if shift is None or shift != previous:
            runs.append([])
        if shift is not None:
            runs[-1].append(row_id)
        previous = shift
    # The longest runs, in one statement (each row moved once, by its old position).
    ranged = sorted((run for run in runs if len(run) >= RUN_MIN), key=len)[-RUNS_MAX:]
    if ranged:
        _shift_runs(
            model,
            roadmap_id,
            [(stored[run[0]][0], stored[run[-1]][0], *delta[run[0]]) for run in ranged],
            max(stored),
        )
    in_runs = {row_id for run in ranged for row_id in run}
    rest = [place for place in places if place[2] not in in_runs]
    bulk_update_plain(model, ("position", "line"), rest)
