"""Syncing the catalog's resource rows with a parsed roadmap (``sync.py`` does the nodes and
what both share). A sync reads every stored resource of the roadmap and compares it with the
file's, so it is written for speed: rows as the database gives them, content as one tuple,
and only the rows that changed written (those that only moved in the file, two columns)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import ExpressionWrapper, Q

from learnmap import roadmap_md
from learnmap.catalog.matching import ResourceRecord, match_resources
from learnmap.catalog.models import Resource
from learnmap.catalog.resource_tags import resource_tags
from learnmap.catalog.services.sync import Counts, Updates, retire_or_delete
from learnmap.catalog.services.sync_pins import Pins
from learnmap.core.db import bulk_insert_rows
from learnmap.roadmap_md import vocab


def _languages(item: roadmap_md.Resource) -> tuple[str, ...]:
    """The resource's languages by their English names, once each: "(فارسی)", "(Farsi)" and
    "(fa)" are all Persian to the filters (the Markdown keeps the tag as written)."""
    return tuple(dict.fromkeys(vocab.canonical_language(tag) or tag for tag in item.languages))


def _resource_values(item: roadmap_md.Resource, position: int, node_id: int) -> dict:
    languages = list(_languages(item))
    tags = resource_tags(item)
    return {
        "node_id": node_id,
        "url": item.url,
        "link_text": item.link_text,
        "title": item.title,
        "author": item.author or "",
        "languages": languages,
        "languages_index": ("|" + "|".join(languages) + "|") if languages else "",
        "cost": item.cost or "",
        "kind": item.kind or "",
        "level": item.level or "",
        "description": item.description or "",
        "formats": list(tags.formats),
        "formats_index": tags.formats_index,
        "tags": list(tags.tags),
        "tags_text": tags.tags_text,
        "position": position,
        "line": item.line,
        "retired_at": None,
    }


# A stored resource as the sync compares it, one tuple a row: its content, then its place in
# the file (position, line), then whether it is retired. The languages, formats and other
# tags are compared by their text columns (the same lists, written with them: no JSON to
# decode). The ORM writes the query;
# the rows are read as the database gives them (ints and strings need no conversion): for
# 3,000 rows 11 ms, where the ORM's iteration took 23 ms (bench/contributions/bench_accept.py).
_CONTENT = (
    "node_id",
    "url",
    "link_text",
    "title",
    "author",
    "languages_index",
    "cost",
    "kind",
    "level",
    "description",
    "formats_index",
    "tags_text",
)
_PLACE = ("position", "line")


def _content(item: roadmap_md.Resource, node_id: int) -> tuple:
    """A parsed resource's content, as ``_CONTENT`` names it (what ``_resource_values``
    writes): built for every resource of the file, the dict only for those that changed."""
    languages = _languages(item)
    tags = resource_tags(item)
    return (
        node_id,
        item.url,
        item.link_text,
        item.title,
        item.author or "",
        ("|" + "|".join(languages) + "|") if languages else "",
        item.cost or "",
        item.kind or "",
        item.level or "",
        item.description or "",
        tags.formats_index,
        tags.tags_text,
    )


def _stored_resources(roadmap) -> list[tuple]:
    retired = ExpressionWrapper(Q(retired_at__isnull=False), output_field=models.BooleanField())
    query = (
        Resource.objects.filter(roadmap=roadmap)
        .annotate(retired=retired)
        .values_list("id", *_CONTENT, *_PLACE, "retired")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# A text column that stands for a JSON list: when the text changed, so did the list.
_LISTED_BY_TEXT = (("languages_index", "languages"), ("formats_index", "formats"))
_LISTED_BY_TEXT += (("tags_text", "tags"),)


def _changed_resource_fields(row: tuple, wanted: dict) -> list[str]:
    names = (*_CONTENT, *_PLACE)
    changed = [name for name, old in zip(names, row[1:-1], strict=True) if old != wanted[name]]
    for text, listed in _LISTED_BY_TEXT:
        if text in changed:
            changed.append(listed)
    if row[-1]:
        changed.append("retired_at")
    return changed


# In a content tuple (a stored row's, after its id), what tells two items with one link and
# one title in one node apart: author, languages, price, kind, level, description, formats,
# other tags.
_DETAIL = slice(4, len(_CONTENT))
_STORED_CONTENT = slice(1, 1 + len(_CONTENT))
_STORED_PLACE = slice(1 + len(_CONTENT), 1 + len(_CONTENT) + len(_PLACE))


@dataclass
class ResourcePlan:
    """What an import does to a roadmap's resources, worked out without writing: the stored
    rows (tuples, ``_stored_resources``), each parsed resource's content (``_content``; a
    resource of a node the import creates has ``-(index of the node + 1)`` for its node id)
    and the stored row each continues, with the rule that paired them."""

    parsed: list
    stored: list[tuple]
    contents: list[tuple]
    matches: dict[int, tuple[int, str]]

    @functools.cached_property
    def gone(self) -> set[int]:
        kept = {row_id for row_id, _ in self.matches.values()}
        return {r[0] for r in self.stored if not r[-1]} - kept

    @functools.cached_property
    def changes(self) -> list[tuple[int, tuple | None, str]]:
        """(position, stored row or None, what changed: "added", "restored", "updated" or
        "" for the same content, at most moved in the file) for each parsed resource; worked
        out once for the plan's description and for the sync that applies it."""
        by_id = {r[0]: r for r in self.stored}
        found = []
        for position, content in enumerate(self.contents):
            match = self.matches.get(position)
            if match is None:
                found.append((position, None, "added"))
                continue
            row = by_id[match[0]]
            if row[-1]:
                found.append((position, row, "restored"))
            elif row[_STORED_CONTENT] != content:
                found.append((position, row, "updated"))
            else:
                found.append((position, row, ""))
        return found


def plan_resources(roadmap, parsed, node_ids: list[int | None], pins: Pins) -> ResourcePlan:
    """Pair the parsed resources with the stored ones (reads only). ``node_ids``: each parsed
    node's stored row id (None for a node the import creates)."""
    stored = _stored_resources(roadmap) if roadmap is not None else []
    contents = [
        _content(item, node_ids[n] if node_ids[n] is not None else -(n + 1)) for item, n in parsed
    ]
    pinned = pins.take(
        old=lambda: {r[0]: (r[4], bool(r[-1])) for r in stored},
        new=lambda: {i: item.title for i, (item, _) in enumerate(parsed)},
    )
    matches = match_resources(
        [ResourceRecord(i, c[0], c[1], c[3], False, c[_DETAIL]) for i, c in enumerate(contents)],
        [
            ResourceRecord(r[0], r[1], r[2], r[4], bool(r[-1]), r[_STORED_CONTENT][_DETAIL])
            for r in stored
        ],
        pinned,
    )
    return ResourcePlan(parsed, stored, contents, matches)  # type: ignore[arg-type]


def sync_resources(roadmap, plan: ResourcePlan, node_ids: list[int], counts: Counts, now) -> None:
    """Write what ``plan`` says, the nodes' rows written (``node_ids``)."""
    parsed, contents = plan.parsed, plan.contents
    creates: list[dict] = []
    updates = Updates()
    for position, row, _change in plan.changes:
        item, n = parsed[position]
        content = contents[position]
        if content[0] < 0:  # the resource of a node created by this import
            content = (node_ids[n], *content[1:])
        if row is None:
            values = _resource_values(item, position, node_ids[n])
            creates.append({"roadmap_id": roadmap.id, **values})
            continue
        if not row[-1] and row[_STORED_CONTENT] == content:
            # The same resource: at most moved in the file (the usual row after an edit).
            if row[_STORED_PLACE] != (position, item.line):
                updates.places.append((position, item.line, row[0]))
            continue
        values = _resource_values(item, position, node_ids[n])
        changed = _changed_resource_fields(row, values)
        updates.add_changed(
            Resource, row[0], changed, values, counts, roadmap=roadmap, updated_at=now
        )
    active = {r[0]: r[_STORED_PLACE] for r in plan.stored if not r[-1]}
    updates.write(Resource, roadmap_id=roadmap.id, stored=active)
    if creates:
        bulk_insert_rows(Resource, creates)
        counts.added += len(creates)
    retire_or_delete(Resource, plan.gone, counts, now)
