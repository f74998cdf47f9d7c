"""Recording a run's verdicts as they come, and counting them in each link's failure streak.

Each verdict is keyed by (URL, run): a run executed again after its worker was killed finds
what it already recorded, and no verdict is written twice or counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap.core.db import bulk_update_rows
from learnmap.linkcheck.engine import LinkClass, LinkResult
from learnmap.linkcheck.keys import url_hash
from learnmap.linkcheck.models import CheckRun, Link, LinkCheck, RunKind

IN_CHUNK = 500  # values in one `IN (...)`


def chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    """``items`` in slices small enough for one ``IN (...)``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _streak(link: Link, result: LinkResult, *, scheduled: bool, threshold: int) -> None:
    """The consecutive-failures rule, for a verdict not counted yet.

    A scheduled check that finds the link not ok adds one; once ``threshold`` are counted the
    site shows the latest class (since the first of them). An ok verdict, from any check,
    clears it. A check asked for by hand that fails counts for nothing (the next scheduled
    check, if it reuses that verdict, counts it then), but keeps a shown class current."""
    at = result.checked_at
    if link.streak_checked_at is not None and at <= link.streak_checked_at:
        return
    if result.cls is LinkClass.OK:
        link.failures, link.failing_since, link.shown_class = 0, None, ""
        link.streak_checked_at = at
    elif scheduled:
        link.failures += 1
        if link.failing_since is None:
            link.failing_since = at
        link.streak_checked_at = at
        if link.failures >= threshold:
            link.shown_class = result.cls.value
    elif link.shown_class:
        link.shown_class = result.cls.value


def _links_for(results: Sequence[LinkResult]) -> dict[str, Link]:
    """The Link row of each result's URL, created when missing (locked on PostgreSQL)."""
    wanted = {url_hash(r.url): r.url for r in results}
    links = {
        link.url_hash: link
        for link in Link.objects.select_for_update().filter(url_hash__in=list(wanted))
    }
    missing = [Link(url_hash=h, url=url) for h, url in wanted.items() if h not in links]
    if missing:
        Link.objects.bulk_create(missing, ignore_conflicts=True)
        links.update(
            (link.url_hash, link)
            for link in Link.objects.select_for_update().filter(
                url_hash__in=[m.url_hash for m in missing]
            )
        )
    return links


LATEST_FIELDS = ["result", "link_class", "checked_at", "updated_at"]
STREAK_FIELDS = ["failures", "failing_since", "streak_checked_at", "shown_class", "updated_at"]


@transaction.atomic
def link_results_record(*, run: CheckRun, results: Sequence[tuple[LinkResult, bool]]) -> None:
    """Store a batch of a run's verdicts as they come: ``(result, fresh)`` pairs, ``fresh``
    when the verdict comes from a request (not from the cache).

    Idempotent: each (URL, run) has at most one history row, and a Link's latest verdict
    only moves forward in time."""
    by_url = {result.url: (result, fresh) for result, fresh in results}
    if not by_url:
        return
    links = _links_for([result for result, _ in by_url.values()])
    history = []
    now = timezone.now()
    for result, fresh in by_url.values():
        link = links[url_hash(result.url)]
        if fresh:
            history.append(
                LinkCheck(
                    link=link,
                    run=run,
                    link_class=result.cls.value,
                    status=result.status,
                    final_url=result.final_url or "",
                    error=result.error or "",
                    elapsed_ms=result.elapsed_ms,
                    checked_at=result.checked_at,
                )
            )
        if link.checked_at is None or result.checked_at > link.checked_at:
            link.result = result.to_dict()
            link.link_class = result.cls.value
            link.checked_at = result.checked_at
        link.updated_at = now
    LinkCheck.objects.bulk_create(history, ignore_conflicts=True)
    bulk_update_rows(Link, list(links.values()), LATEST_FIELDS)


@transaction.atomic
def link_streaks_apply(*, run: CheckRun, results: Iterable[LinkResult]) -> None:
    """Count a finished run's verdicts in each link's failure streak (``_streak``): what the
    site shows. Idempotent: a verdict counts at most once, whatever runs reuse it."""
    unique = list({result.url: result for result in results}.values())
    scheduled = run.kind == RunKind.SCHEDULED
    threshold = settings.LINKCHECK_FAILURES_TO_SHOW
    now = timezone.now()
    for chunk in chunks(unique):
        links = _links_for(chunk)
        for result in chunk:
            link = links[url_hash(result.url)]
            _streak(link, result, scheduled=scheduled, threshold=threshold)
            link.updated_at = now
        bulk_update_rows(Link, list(links.values()), STREAK_FIELDS)
