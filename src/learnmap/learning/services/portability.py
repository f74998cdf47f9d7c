"""A learner's data out and back in: a JSON export and import (the Markdown checklist is
``checklist.py``).

The JSON names roadmaps by slug and nodes/resources by their stable keys, with titles for
people reading the file. Importing validates the whole file first and reports every problem
(bad JSON, wrong version, unknown roadmaps, nodes or resources), then merges in one transaction
by the rules of ``merging`` (nothing already in the account is lost). Importing the same file
twice changes nothing the second time.

Every import path (the site's form, the API) takes the same limits from here: at most
``import_max_bytes()`` of UTF-8 text, nesting at most ``IMPORT_MAX_DEPTH`` levels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learnmap.catalog import structure as catalog_structure
from learnmap.core.errors import ApplicationError
from learnmap.learning.learners import parse_time
from learnmap.learning.models import (
    ElectiveChoice,
    LearnerPreferences,
    NodeProgress,
    NodeState,
    Note,
    ResourceProgress,
)
from learnmap.learning.notes import NOTE_MAX_CHARS
from learnmap.learning.services.merging import (
    Incoming,
    MergeSummary,
    progress_apply,
)
from learnmap.learning.services.progress import filters_clean

EXPORT_FORMAT = "learnmap-progress"
EXPORT_VERSION = 1
# A merged note may be longer than one typed at once; an imported one may not be endless.
IMPORT_NOTE_MAX_CHARS = 5 * NOTE_MAX_CHARS
IMPORT_MAX_ERRORS = 50
# An export nests 6 levels (file, roadmaps, a roadmap, nodes, a node, a value); the JSON
# parser recurses once per level, so a file must not choose how deep.
IMPORT_MAX_DEPTH = 32
STARTED_STATES = frozenset(NodeState.values) - {NodeState.NOT_STARTED}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


# --- export -----------------------------------------------------------------------------------


def progress_export(*, user) -> dict[str, Any]:
    """Everything the learner tracked, as JSON-ready data (``json.dumps`` it as is).

    Shape: ``{"format", "version", "exported_at", "preferences": {"default_filters"},
    "roadmaps": {slug: {"title", "nodes": {key: {...}}, "resources": {key: {...}}}}}``; a node
    entry has its ``title``, ``section``, ``retired`` and whichever of ``state``,
    ``state_updated_at``, ``elective_chosen``, ``note``, ``note_updated_at`` apply.
    Five queries whatever the amount of data.
    """
    roadmaps: dict[str, dict[str, Any]] = {}

    def node_entry(node) -> dict[str, Any]:
        roadmap = roadmaps.setdefault(
            node.roadmap.slug, {"title": node.roadmap.title, "nodes": {}, "resources": {}}
        )
        entry = roadmap["nodes"].get(str(node.key))
        if entry is None:
            entry = roadmap["nodes"][str(node.key)] = {
                "title": node.title,
                "section": node.parent.title if node.parent_id else None,
                "retired": node.retired_at is not None,
            }
        return entry

    related = ("node__roadmap", "node__parent")
    for row in NodeProgress.objects.filter(user=user).select_related(*related):
        node_entry(row.node).update(state=row.state, state_updated_at=_iso(row.updated_at))
    for row in ElectiveChoice.objects.filter(user=user).select_related(*related):
        node_entry(row.node).update(elective_chosen=True)
    for row in Note.objects.filter(user=user).select_related(*related):
        node_entry(row.node).update(note=row.text, note_updated_at=_iso(row.updated_at))
    for row in ResourceProgress.objects.filter(user=user).select_related(
        "resource__roadmap", "resource__node"
    ):
        resource = row.resource
        roadmap = roadmaps.setdefault(
            resource.roadmap.slug, {"title": resource.roadmap.title, "nodes": {}, "resources": {}}
        )
        roadmap["resources"][str(resource.key)] = {
            "title": resource.title,
            "url": resource.url,
            "node": str(resource.node.key),
            "retired": resource.retired_at is not None,
            "done": True,
            "done_at": _iso(row.updated_at),
        }
    preferences = LearnerPreferences.objects.filter(user=user).first()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "preferences": {"default_filters": preferences.default_filters if preferences else {}},
        "roadmaps": dict(sorted(roadmaps.items())),
    }


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    roadmaps: list[str] = field(default_factory=list)
    merged: MergeSummary = field(default_factory=MergeSummary)
    preferences_imported: bool = False

    @property
    def changed(self) -> bool:
        return self.merged.changed or self.preferences_imported

    def message(self) -> str:
        if not self.changed:
            return "Nothing to import: your account already had everything in this file."
        total = self.merged.total
        return (
            f"Imported your progress on {len(self.roadmaps)} roadmap(s): "
            f"{total.added} item(s) added, {total.updated} updated, "
            f"{total.unchanged} already there."
        )


def import_max_bytes() -> int:
    """The largest file (or API body) an import reads: ``API_IMPORT_MAX_BYTES``."""
    return settings.API_IMPORT_MAX_BYTES


def _too_large(limit: int) -> ApplicationError:
    megabytes = f"{limit / (1024 * 1024):g} MB ({limit:,} bytes)" if limit >= 1024 * 1024 else ""
    return ApplicationError(
        f"This file is larger than {megabytes or f'{limit:,} bytes'}, the most a progress "
        "export can be. Nothing was imported.",
        code="file_too_large",
        extra={"max_bytes": limit},
    )


def _too_deep() -> ApplicationError:
    return ApplicationError(
        f"This file nests deeper than {IMPORT_MAX_DEPTH} levels, which no progress export "
        "does. Nothing was imported.",
        code="too_deep",
        extra={"max_depth": IMPORT_MAX_DEPTH},
    )


def _depth_check(data: Any) -> None:
    """Refuse data whose objects and lists nest deeper than ``IMPORT_MAX_DEPTH`` (the
    document itself is level 1). Walks without recursion, so any depth is measured."""
    level = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > IMPORT_MAX_DEPTH:
            raise _too_deep()
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, dict | list)
        ]


def progress_json_load(*, text: str | bytes) -> dict[str, Any]:
    """Parse an uploaded export, within the limits every import path shares: at most
    ``import_max_bytes()`` bytes of UTF-8 text, nesting at most ``IMPORT_MAX_DEPTH`` levels,
    a JSON object. Each is refused with a sentence naming it; bad JSON with the line and
    column. (A caller reading a file reads at most one byte past the limit.)"""
    limit = import_max_bytes()
    if len(text.encode() if isinstance(text, str) else text) > limit:
        raise _too_large(limit)
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise ApplicationError(
            "This file is not a Learnmap progress export: it is not text (UTF-8). "
            "Nothing was imported.",
            code="bad_json",
        ) from None
    except RecursionError:  # nested past Python's own limit (~1,000): far past ours
        raise _too_deep() from None
    except json.JSONDecodeError as exc:
        raise ApplicationError(
            f"This file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Nothing was imported.",
            code="bad_json",
        ) from None
    if not isinstance(data, dict):
        raise ApplicationError(
            "This file is not a Learnmap progress export (it is JSON, but not an object). "
            "Nothing was imported.",
            code="bad_format",
        )
    _depth_check(data)
    return data


class _Checker:
    """Collects every problem in a file, each with where it is."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, where: str, problem: str) -> None:
        self.errors.append(f"{where}: {problem}")

    def mapping(self, value: Any, where: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(where, "expected an object")
            return {}
        return value


def _check_header(data: dict[str, Any]) -> None:
    if data.get("format") != EXPORT_FORMAT:
        raise ApplicationError(
            'This file is not a Learnmap progress export (its "format" is not '
            f"{EXPORT_FORMAT!r}). Nothing was imported.",
            code="bad_format",
        )
    if data.get("version") != EXPORT_VERSION:
        raise ApplicationError(
            f"This export has version {data.get('version')!r}; this Learnmap reads version "
            f"{EXPORT_VERSION}. Nothing was imported.",
            code="wrong_version",
        )


def _key(value: str) -> UUID | None:
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _collect(data: dict[str, Any], check: _Checker) -> tuple[Incoming, list[str]]:
    """Validate every entry against the catalog (a few queries in all) and resolve keys."""
    roadmaps_in = check.mapping(data.get("roadmaps"), "roadmaps")
    known_roadmaps = catalog_structure.roadmaps_by_slug(
        slugs=[s for s in roadmaps_in if isinstance(s, str)]
    )
    entries = []  # (where, slug, kind, key, entry)
    for slug, body in roadmaps_in.items():
        where = f"roadmaps.{slug}"
        if slug not in known_roadmaps:
            check.error(where, f"there is no roadmap {slug!r} on this site")
            continue
        body = check.mapping(body, where)
        for kind in ("nodes", "resources"):
            for key, entry in check.mapping(body.get(kind), f"{where}.{kind}").items():
                entries.append((f"{where}.{kind}.{key}", slug, kind, _key(key), entry))

    nodes = catalog_structure.nodes_by_key(keys=[e[3] for e in entries if e[2] == "nodes" and e[3]])
    resources = catalog_structure.resources_by_key(
        keys=[e[3] for e in entries if e[2] == "resources" and e[3]]
    )
    incoming = Incoming()
    for where, slug, kind, key, entry in entries:
        row = (nodes if kind == "nodes" else resources).get(key) if key else None
        what = "node" if kind == "nodes" else "resource"
        if key is None:
            check.error(where, f"not a {what} key (a UUID)")
        elif row is None:
            check.error(where, f"unknown {what}: it is not in this site's {slug!r} roadmap")
        elif row["roadmap_id"] != known_roadmaps[slug].pk:
            check.error(where, f"this {what} belongs to another roadmap, not {slug!r}")
        elif not isinstance(entry, dict):
            check.error(where, "expected an object")
        elif kind == "nodes":
            _collect_node(entry, row, where, check, incoming)
        elif entry.get("done", True) is True:
            incoming.resources.add(row["id"])
        elif entry.get("done") is not False:
            check.error(f"{where}.done", "expected true or false")
    return incoming, sorted(known_roadmaps[s].slug for s in roadmaps_in if s in known_roadmaps)


def _collect_node(entry: dict, row: dict, where: str, check: _Checker, incoming: Incoming) -> None:
    state = entry.get("state", NodeState.NOT_STARTED)
    if state not in NodeState.values:
        check.error(f"{where}.state", f"{state!r} is not one of {', '.join(NodeState.values)}")
    elif state in STARTED_STATES:
        incoming.node_states[row["id"]] = state
    chosen = entry.get("elective_chosen", False)
    if chosen not in (True, False):
        check.error(f"{where}.elective_chosen", "expected true or false")
    elif chosen and (row["node_type"], row["kind"]) != ("section", "elective"):
        check.error(f"{where}.elective_chosen", "this node is not an elective section")
    elif chosen:
        incoming.electives.add(row["id"])
    note = entry.get("note")
    if note is None or note == "":
        return
    if not isinstance(note, str):
        check.error(f"{where}.note", "expected text")
    elif len(note) > IMPORT_NOTE_MAX_CHARS:
        check.error(f"{where}.note", f"longer than {IMPORT_NOTE_MAX_CHARS:,} characters")
    else:
        incoming.notes[row["id"]] = (note, parse_time(entry.get("note_updated_at")))


@transaction.atomic
def progress_import(*, user, data: dict[str, Any]) -> ImportSummary:
    """Validate an export (``progress_export``'s shape) and merge it into ``user``'s account.

    Any problem refuses the whole file with an ApplicationError whose message names the first
    problem and whose ``extra["errors"]`` lists them all; nothing is written. Idempotent.
    Default filters in the file are taken only when the account has none.
    """
    if not isinstance(data, dict):
        raise ApplicationError(
            "This file is not a Learnmap progress export. Nothing was imported.", code="bad_format"
        )
    _depth_check(data)
    _check_header(data)
    check = _Checker()
    incoming, slugs = _collect(data, check)
    preferences = check.mapping(data.get("preferences"), "preferences")
    filters: dict = {}
    try:
        filters = filters_clean(
            check.mapping(preferences.get("default_filters"), "preferences.default_filters")
        )
    except ApplicationError as exc:
        check.error("preferences.default_filters", exc.message)
    if check.errors:
        errors = check.errors
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ApplicationError(
            f"This file was not imported: {errors[0]}{more}. Nothing was changed.",
            code="invalid_import",
            extra={"errors": errors[:IMPORT_MAX_ERRORS], "error_count": len(errors)},
        )
    summary = ImportSummary(roadmaps=slugs, merged=progress_apply(user=user, incoming=incoming))
    if filters:
        _, created = LearnerPreferences.objects.get_or_create(
            user=user, defaults={"default_filters": filters}
        )
        summary.preferences_imported = created
    return summary
