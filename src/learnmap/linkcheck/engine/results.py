"""What a link check finds: the class of a link and the evidence behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class LinkClass(StrEnum):
    """The verdict on one URL, from best to worst for a reader."""

    OK = "ok"
    MOVED = "moved"  # a permanent redirect: the roadmap should link to `moved_to`
    BLOCKED = "blocked"  # 401/403/999 bot walls: a person can probably open it
    RATE_LIMITED = "rate-limited"  # still 429 after honouring Retry-After
    TIMEOUT = "timeout"
    ERROR = "error"  # TLS, 5xx after retries, refused by the SSRF guard, others
    DEAD = "dead"  # 404/410, unknown host, refused connection, redirect loop


#: Classes that describe the page itself; the others describe a moment (retry sooner).
STABLE_CLASSES = frozenset({LinkClass.OK, LinkClass.MOVED, LinkClass.BLOCKED, LinkClass.DEAD})


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect: `url` answered `status` and pointed elsewhere."""

    url: str
    status: int


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The verdict on one URL and its evidence.

    `url` is the URL as checked (fragment removed); `final_url` is the last URL
    requested (after redirects); `moved_to` is where the permanent redirects at the
    start of the chain lead, the URL a maintainer should write instead.
    """

    url: str
    cls: LinkClass
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    elapsed_ms: int = 0
    redirects: tuple[Hop, ...] = ()
    checked_at: datetime = field(default_factory=_now)
    moved_to: str | None = None
    requests: int = 0  # HTTP requests this verdict cost (0 when refused before any)

    @property
    def is_dead(self) -> bool:
        return self.cls is LinkClass.DEAD

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for a cache row or an API); `from_dict` reverses it."""
        return {
            "url": self.url,
            "class": self.cls.value,
            "status": self.status,
            "final_url": self.final_url,
            "error": self.error,
            "elapsed_ms": self.elapsed_ms,
            "redirects": [{"url": hop.url, "status": hop.status} for hop in self.redirects],
            "checked_at": self.checked_at.isoformat(),
            "moved_to": self.moved_to,
            "requests": self.requests,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinkResult:
        return cls(
            url=data["url"],
            cls=LinkClass(data["class"]),
            status=data.get("status"),
            final_url=data.get("final_url"),
            error=data.get("error"),
            elapsed_ms=data.get("elapsed_ms", 0),
            redirects=tuple(Hop(h["url"], h["status"]) for h in data.get("redirects", ())),
            checked_at=datetime.fromisoformat(data["checked_at"]),
            moved_to=data.get("moved_to"),
            requests=data.get("requests", 0),
        )


def summarize(results: Iterable[LinkResult]) -> dict[str, int]:
    """Count results by class, every class present (zeros included), in a stable order."""
    counts = Counter(result.cls for result in results)
    return {link_class.value: counts.get(link_class, 0) for link_class in LinkClass}
