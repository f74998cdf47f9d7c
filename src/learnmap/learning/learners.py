"""Who is learning: a signed-in user (rows in the database) or an anonymous visitor (their session).

Views call ``learner_for_request(request)`` and hand the result to the services and selectors,
which behave the same for both. An anonymous learner's data lives in ``request.session`` under
one key, keyed by the catalog's stable ``key`` UUIDs (as strings), bounded in size; it is merged
into the account on sign-in or sign-up (``services.progress_merge_session``).

Session layout (JSON)::

    {"v": 1,
     "nodes": {"<node key>": ["done", "<iso time>"]},
     "resources": {"<resource key>": "<iso time>"},
     "electives": {"<node key>": "<iso time>"},
     "notes": {"<node key>": ["markdown text", "<iso time>"]}}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from learnmap.core.errors import ApplicationError

SESSION_KEY = "learnmap.learning"
SESSION_VERSION = 1
# Bounds that keep an anonymous session small; signing in lifts them.
SESSION_MAX_ITEMS = 2_000  # node states + resources done + electives
SESSION_NOTES_MAX_CHARS = 50_000  # all of an anonymous learner's notes together

_SECTIONS = ("nodes", "resources", "electives", "notes")


@dataclass(frozen=True, eq=False)
class UserLearner:
    """A signed-in learner: their data is rows in the database."""

    user: Any  # accounts.User

    is_authenticated = True


@dataclass(frozen=True, eq=False)
class SessionLearner:
    """An anonymous learner: their data lives in their session until they sign in."""

    session: SessionBase

    is_authenticated = False


Learner = UserLearner | SessionLearner


def learner_for_request(request: HttpRequest) -> Learner:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return UserLearner(user=user)
    return SessionLearner(session=request.session)


class SessionData:
    """Read and write an anonymous learner's data in their session (``SESSION_KEY``)."""

    def __init__(self, session: SessionBase):
        self.session = session
        raw = session.get(SESSION_KEY)
        valid = isinstance(raw, dict) and raw.get("v") == SESSION_VERSION
        self.data: dict[str, Any] = raw if valid else {"v": SESSION_VERSION}
        for name in _SECTIONS:
            if not isinstance(self.data.get(name), dict):
                self.data[name] = {}

    # --- reading ---

    @property
    def nodes(self) -> dict[str, list]:
        return self.data["nodes"]

    @property
    def resources(self) -> dict[str, str]:
        return self.data["resources"]

    @property
    def electives(self) -> dict[str, str]:
        return self.data["electives"]

    @property
    def notes(self) -> dict[str, list]:
        return self.data["notes"]

    @property
    def is_empty(self) -> bool:
        return not any(self.data[name] for name in _SECTIONS)

    def node_states(self) -> dict[UUID, str]:
        return {UUID(key): value[0] for key, value in self.nodes.items()}

    # --- writing ---

    def put(self, section: str, key: UUID, value: Any) -> None:
        """Set (``value``) or remove (``None``) one entry, refusing to grow past the bounds."""
        entries = self.data[section]
        name = str(key)
        if value is None:
            if entries.pop(name, None) is not None:
                self._save()
            return
        if name not in entries and section != "notes" and self._items() >= SESSION_MAX_ITEMS:
            raise ApplicationError(
                "Your browser session holds as much progress as it can. Sign in (or create a "
                "free account) to keep tracking: what you have tracked so far comes with you.",
                code="session_full",
            )
        if section == "notes":
            others = sum(len(v[0]) for k, v in self.notes.items() if k != name)
            if others + len(value[0]) > SESSION_NOTES_MAX_CHARS:
                raise ApplicationError(
                    "Notes kept without an account are limited to "
                    f"{SESSION_NOTES_MAX_CHARS:,} characters in all. Sign in (or create a free "
                    "account) to keep longer notes: the ones you wrote come with you.",
                    code="session_notes_full",
                )
        entries[name] = value
        self._save()

    def replace(self, data: dict[str, dict]) -> None:
        """Keep only these entries (what could not be merged into an account)."""
        for name in _SECTIONS:
            self.data[name] = data.get(name, {})
        if self.is_empty:
            self.session.pop(SESSION_KEY, None)
        else:
            self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def _items(self) -> int:
        return len(self.nodes) + len(self.resources) + len(self.electives)

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True


def now_iso() -> str:
    return timezone.now().isoformat()


def parse_time(value: Any) -> datetime | None:
    """An ISO time from a session or a file, or None if it is missing or not a time."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
