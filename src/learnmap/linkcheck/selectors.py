"""Link health selectors: the badges the site shows, a roadmap's report for maintainers, and one
URL's latest verdict (what a moderator sees of a proposed link)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.links import LinkVerdict
from learnmap.linkcheck.keys import is_web_link, url_hash, url_key
from learnmap.linkcheck.models import CheckRun, Link, RunKind, RunStatus

IN_CHUNK = 500
REASON_MAX = 200
BADGE_REASON_MAX = 40  # the badge is a small pill: its tooltip has the rest

# Worst first, as the maintainer page lists them.
PROBLEM_CLASSES = ("dead", "error", "timeout", "rate-limited", "blocked", "moved")
CLASS_LABELS = {
    "ok": gettext_lazy("OK"),
    "dead": gettext_lazy("Dead"),
    "error": gettext_lazy("Error"),
    "timeout": gettext_lazy("Timed out"),
    "rate-limited": gettext_lazy("Rate-limited"),
    "blocked": gettext_lazy("Blocked for checkers"),
    "moved": gettext_lazy("Moved"),
}
CLASS_HELP = {
    "dead": gettext_lazy(
        "The page is gone (404, 410), its host does not exist, or nothing answers there."
    ),
    "error": gettext_lazy(
        "Server errors, certificate problems, or an address the checker may not visit."
    ),
    "timeout": gettext_lazy("No answer in time."),
    "rate-limited": gettext_lazy(
        "The site asked the checker to slow down: it is tried again later."
    ),
    "blocked": gettext_lazy(
        "The site turns checkers away (401, 403): a person can probably open it."
    ),
    "moved": gettext_lazy("A permanent redirect: link to the new address instead."),
}
# The learner's badge: "dead since 3 Nov", then the reason.
BADGE_TEXTS = {
    "dead": gettext_lazy("dead since %(date)s"),
    "error": gettext_lazy("failing since %(date)s"),
    "timeout": gettext_lazy("timing out since %(date)s"),
    "rate-limited": gettext_lazy("rate-limited since %(date)s"),
    "blocked": gettext_lazy("blocked for checkers since %(date)s"),
    "moved": gettext_lazy("moved since %(date)s"),
}
DANGER_CLASSES = frozenset({"dead", "error"})


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(result: dict | None) -> str:
    """A verdict's reason in a few characters: its HTTP status (a moved link's: the redirect's),
    else its error."""
    if not result:
        return ""
    if result.get("class") == "moved" and result.get("redirects"):
        return str(result["redirects"][0]["status"])
    if result.get("status") is not None:
        return str(result["status"])
    return _shorten((result.get("error") or "").strip(), REASON_MAX)


def _moved_to(result: dict | None) -> str | None:
    """Where a moved link leads (only ever a web address: it goes in an href)."""
    moved_to = (result or {}).get("moved_to")
    return moved_to if moved_to and is_web_link(moved_to) else None


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M")


@dataclass(frozen=True)
class LinkBadge:
    """What a resource shows when the site says its link is not ok."""

    link_class: str
    since: datetime
    reason: str  # "404", or the error
    moved_to: str | None = None

    @property
    def text(self) -> str:
        text = gettext(BADGE_TEXTS[self.link_class]) % {"date": _day(self.since)}
        reason = _shorten(self.reason, BADGE_REASON_MAX)
        return f"{text}: {reason}" if reason else text

    @property
    def tone(self) -> str:
        return "danger" if self.link_class in DANGER_CLASSES else "warning"

    @property
    def title(self) -> str:
        """The longer explanation (a tooltip)."""
        explanation = str(CLASS_HELP[self.link_class])
        if self.reason:
            explanation = f"{self.reason}. {explanation}"
        if self.moved_to:
            return gettext("%(explanation)s Now at %(url)s") % {
                "explanation": explanation,
                "url": self.moved_to,
            }
        return explanation


def link_badges_shown() -> dict[str, LinkBadge]:
    """Every link the site shows as not ok (the consecutive-failures rule said so), by URL
    key. One query, whatever the number of resources on the page."""
    badges = {}
    rows = Link.objects.exclude(shown_class="").values_list(
        "url", "shown_class", "failing_since", "checked_at", "result"
    )
    for url, shown_class, since, checked_at, result in rows:
        if shown_class not in BADGE_TEXTS:
            continue
        badges[url] = LinkBadge(
            link_class=shown_class,
            since=since or checked_at,
            reason=_reason(result),
            moved_to=_moved_to(result),
        )
    return badges


def link_badge_for(badges: dict[str, LinkBadge], *, url: str) -> LinkBadge | None:
    key = url_key(url) if is_web_link(url) else None
    return badges.get(key) if key is not None else None


def link_verdict(*, url: str) -> LinkVerdict | None:
    """The latest verdict on ``url`` (looked up by the key it is checked under), whatever run
    found it; None when it was never checked or is not a web address."""
    key = url_key(url) if is_web_link(url) else None
    if key is None:
        return None
    link = Link.objects.filter(url_hash=url_hash(key), result__isnull=False).first()
    if link is None:
        return None
    return LinkVerdict(
        link_class=link.link_class,
        status=link.result.get("status"),
        final_url=link.result.get("final_url") or "",
        checked_at=link.checked_at,
        reason=_reason(link.result),
    )


# --- a roadmap's links, for maintainers ---------------------------------------------------------


def roadmap_url_lines(*, roadmap) -> dict[str, list[int]]:
    """The roadmap's web links, each with the lines of the Markdown it is on."""
    lines: dict[str, list[int]] = {}
    for url, line in catalog_selectors.resource_list(roadmap=roadmap).values_list("url", "line"):
        if is_web_link(url):
            lines.setdefault(url, []).append(line)
    return lines


@dataclass
class ProblemLink:
    url: str
    link_class: str
    reason: str
    checked_at: datetime
    moved_to: str | None
    shown_since: datetime | None  # learners see a badge since then (None: not yet)
    failures: int
    resources: list[dict] = field(default_factory=list)  # title, line, node_title

    @property
    def lines(self) -> list[int]:
        return sorted({resource["line"] for resource in self.resources})


@dataclass
class ClassGroup:
    link_class: str
    links: list[ProblemLink]

    @property
    def label(self) -> str:
        return str(CLASS_LABELS[self.link_class])

    @property
    def help(self) -> str:
        return str(CLASS_HELP[self.link_class])


@dataclass
class RoadmapLinkReport:
    roadmap: object
    groups: list[ClassGroup]
    total: int  # distinct web links
    checked: int  # with a verdict
    ok: int
    last_run: CheckRun | None
    pending: CheckRun | None
    threshold: int  # scheduled checks in a row that must fail before learners see a badge

    @property
    def problems(self) -> int:
        return sum(len(group.links) for group in self.groups)

    @property
    def unchecked(self) -> int:
        return self.total - self.checked


def roadmap_link_report(*, roadmap) -> RoadmapLinkReport:
    """The roadmap's links that are not ok, by their latest verdict, grouped by class (worst
    first), each with the resources and Markdown lines that use it; the last and the waiting
    check. Four queries for a roadmap of up to 500 distinct links."""
    by_key: dict[str, list[dict]] = {}
    rows = catalog_selectors.resource_list(roadmap=roadmap).values_list(
        "url", "line", "title", "node__title"
    )
    for url, line, title, node_title in rows:
        key = url_key(url) if is_web_link(url) else None
        if key is not None:
            by_key.setdefault(key, []).append(
                {"title": title, "line": line, "node_title": node_title, "url": url}
            )
    hashes = [url_hash(key) for key in by_key]
    links: list[Link] = []
    for start in range(0, len(hashes), IN_CHUNK):
        chunk = hashes[start : start + IN_CHUNK]
        links += Link.objects.filter(url_hash__in=chunk, checked_at__isnull=False)
    groups: dict[str, list[ProblemLink]] = {name: [] for name in PROBLEM_CLASSES}
    for link in links:
        if link.link_class not in groups:
            continue
        groups[link.link_class].append(
            ProblemLink(
                url=link.url,
                link_class=link.link_class,
                reason=_reason(link.result),
                checked_at=link.checked_at,
                moved_to=_moved_to(link.result),
                shown_since=link.failing_since if link.shown_class else None,
                failures=link.failures,
                resources=by_key.get(link.url, []),
            )
        )
    for problems in groups.values():
        problems.sort(key=lambda problem: (problem.lines[:1], problem.url))
    scope = Q(roadmap=roadmap) | Q(all_roadmaps=True)
    runs = CheckRun.objects.filter(scope)
    return RoadmapLinkReport(
        roadmap=roadmap,
        groups=[ClassGroup(name, problems) for name, problems in groups.items() if problems],
        total=len(by_key),
        checked=len(links),
        ok=sum(1 for link in links if link.link_class == "ok"),
        last_run=runs.filter(status=RunStatus.DONE).order_by("-finished_at").first(),
        pending=runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .exclude(kind=RunKind.COMMAND)
        .order_by("created_at")
        .first(),
        threshold=settings.LINKCHECK_FAILURES_TO_SHOW,
    )
