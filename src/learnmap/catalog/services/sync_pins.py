"""Pinned renames: "Old title=New title" pairs (``learnmap import --rename``) that force a
pairing the matching rules miss (``matching.py`` pairs them before any rule).

A pin names a stored item by its title (an active one first, a retired one when no active item
has it) and an item of the new file by its title; nodes are looked up first, then resources.
A pin naming a title that is on neither side, or the title of several items, is refused with
an error saying which: the import or the dry run changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence

from learnmap.catalog.identity import parse_rename
from learnmap.core.errors import ApplicationError


def _norm(title: str) -> str:
    return " ".join(title.casefold().split())


class Pins:
    """The renames of one import, taken by the nodes' then the resources' matching."""

    def __init__(self, renames: Sequence[str], *, slug: str) -> None:
        self.slug = slug
        self.pending: list[tuple[str, str]] = []
        for text in renames:
            try:
                self.pending.append(parse_rename(text))
            except ValueError as exc:
                raise ApplicationError(str(exc), code="bad_rename") from None
        self._old_titles: set[str] = set()
        self._new_titles: set[str] = set()

    def _error(self, old: str, new: str, problem: str) -> ApplicationError:
        return ApplicationError(
            f"--rename {old}={new}: {problem} Nothing was changed.",
            code="bad_rename",
            extra={"rename": f"{old}={new}"},
        )

    def take(
        self,
        *,
        old: Callable[[], Mapping[Hashable, tuple[str, bool]]],
        new: Callable[[], Mapping[Hashable, str]],
    ) -> dict[Hashable, Hashable]:
        """The pins whose titles are both here: parsed ref -> stored ref. ``old``: gives stored
        ref -> (title, retired); ``new``: parsed ref -> title (asked only when there are pins
        left: an import without pins builds neither)."""
        if not self.pending:
            return {}
        old_by_title: dict[str, list[tuple[bool, Hashable]]] = defaultdict(list)
        for ref, (title, retired) in old().items():
            old_by_title[_norm(title)].append((retired, ref))
        new_by_title: dict[str, list[Hashable]] = defaultdict(list)
        for ref, title in new().items():
            new_by_title[_norm(title)].append(ref)
        self._old_titles.update(old_by_title)
        self._new_titles.update(new_by_title)
        pinned: dict[Hashable, Hashable] = {}
        for old_title, new_title in list(self.pending):
            stored = old_by_title.get(_norm(old_title), [])
            active = [ref for retired, ref in stored if not retired]
            stored_refs = active or [ref for _, ref in stored]
            parsed = new_by_title.get(_norm(new_title), [])
            if not stored_refs or not parsed:
                continue
            for title, refs in ((old_title, stored_refs), (new_title, parsed)):
                if len(refs) > 1:
                    raise self._error(
                        old_title,
                        new_title,
                        f"{title!r} is the title of {len(refs)} items; a rename pins one item "
                        "(make the title unique first, or leave the pairing to the rules).",
                    )
            pinned[parsed[0]] = stored_refs[0]
            self.pending.remove((old_title, new_title))
        return pinned

    def check_all_taken(self) -> None:
        """Refuse the import when a pin paired nothing, naming the title that is missing."""
        for old, new in self.pending:
            if _norm(old) not in self._old_titles:
                problem = (
                    f"the roadmap {self.slug!r} has no section, topic or resource titled {old!r}."
                )
            elif _norm(new) not in self._new_titles:
                problem = f"the new file has no section, topic or resource titled {new!r}."
            else:
                problem = (
                    f"{old!r} and {new!r} are not the same kind of item (a section or topic "
                    "and a resource)."
                )
            raise self._error(old, new, problem)
