"""Syncing the catalog's rows with a parsed roadmap: the machinery behind ``roadmap_import``.

An import is planned first (``plan_nodes``, ``sync_resources.plan_resources``: reads only,
what the dry run shows, ``sync_plan.py``), then applied (``sync_nodes``, ``sync_resources``):
parsed nodes and resources are matched to stored rows (``matching.py``), then written with a
constant number of statements: existing rows updated in place, new ones inserted, rows gone
from the Markdown retired while another app refers to them and deleted otherwise. The nodes
here, with what both share; the resources in ``sync_resources.py``.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from learnmap import roadmap_md
from learnmap.catalog.matching import NodeRecord, match_nodes
from learnmap.catalog.models import Node, NodeType, Resource, Roadmap
from learnmap.catalog.services.sync_pins import Pins
from learnmap.catalog.services.sync_places import places_write
from learnmap.core.db import bulk_update_rows

NODE_FIELDS = (
    "parent_id",
    "node_type",
    "kind",
    "slug",
    "title",
    "step",
    "in_progress",
    "intro",
    "position",
    "line",
    "retired_at",
)
# Where a row is in the file: an edit above it shifts these on every row below, which is not a
# change of the row (not counted as updated, ``updated_at`` kept), written without the rest.
PLACE_FIELDS = frozenset({"position", "line"})


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return any((self.added, self.updated, self.retired, self.restored, self.deleted))


# --- reading the Markdown --------------------------------------------------------------------


@dataclass
class _ParsedNode:
    node_type: str
    kind: str
    slug: str
    title: str
    step: int | None
    in_progress: bool
    intro: str
    line: int
    parent: int | None  # index in the parsed node list
    urls: set[str] = field(default_factory=set)


def _intro(body) -> str:
    texts = [item.raw for item in body if isinstance(item, roadmap_md.Text)]
    return roadmap_md.without_in_progress("".join(texts))


def flatten(doc: roadmap_md.Document):
    """The document's nodes and resources in file order, each resource with its node's index."""
    nodes: list[_ParsedNode] = []
    resources: list[tuple[roadmap_md.Resource, int]] = []

    def walk(body, node_index: int, section_index: int, kind: str) -> None:
        for item in body:
            if isinstance(item, roadmap_md.Resource):
                resources.append((item, node_index))
                nodes[node_index].urls.add(item.url)
                nodes[section_index].urls.add(item.url)  # a section's include its topics'
            elif isinstance(item, roadmap_md.LabelGroup):
                walk(item.body, node_index, section_index, kind)
            elif isinstance(item, roadmap_md.Topic):
                nodes.append(
                    _ParsedNode(
                        node_type=NodeType.TOPIC,
                        kind=kind,
                        slug=item.slug,
                        title=item.title,
                        step=None,
                        in_progress=item.in_progress,
                        intro=_intro(item.body),
                        line=item.line,
                        parent=section_index,
                    )
                )
                walk(item.body, len(nodes) - 1, section_index, kind)

    for section in doc.sections:
        nodes.append(
            _ParsedNode(
                node_type=NodeType.SECTION,
                kind=section.kind,
                slug=section.slug,
                title=section.title,
                step=section.step,
                in_progress=section.in_progress,
                intro=_intro(section.body),
                line=section.line,
                parent=None,
            )
        )
        index = len(nodes) - 1
        walk(section.body, index, index, section.kind)
    return nodes, resources


# --- references from other apps ---------------------------------------------------------------


def _referenced_ids(model: type[models.Model], ids: set[int]) -> set[int]:
    """Which of these rows something outside the catalog (a learner's progress) points to."""
    if not ids:
        return set()
    found: set[int] = set()
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related._meta.app_label == model._meta.app_label:
            continue
        column = relation.field.attname
        for batch in _batches(ids):
            found.update(
                related._base_manager.filter(**{f"{column}__in": batch})
                .values_list(column, flat=True)
                .distinct()
            )
    return found


# Ids in one ``IN (...)``: PostgreSQL's protocol carries at most 65,535 parameters a statement
# and SQLite's default build 32,766; a re-import can remove more rows than either.
IN_BATCH = 10_000


def _batches(ids: set[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), IN_BATCH):
        yield ordered[start : start + IN_BATCH]


def _changed_fields(row: dict, wanted: dict) -> list[str]:
    return [name for name, value in wanted.items() if row[name] != value]


def _count_change(changed: list[str], counts: Counts) -> None:
    if "retired_at" in changed:
        counts.restored += 1
    if set(changed) - {"retired_at"} - PLACE_FIELDS:
        counts.updated += 1


@dataclass
class NodePlan:
    """What an import does to a roadmap's nodes, worked out without writing: the stored rows
    (``NODE_FIELDS`` and ``key``, stored order), the parsed nodes, and each parsed node's
    stored row with the rule that paired them (``matching.match_nodes``)."""

    parsed: list[_ParsedNode]
    stored: list[dict]
    matches: dict[int, tuple[int, str]]

    @functools.cached_property
    def ids(self) -> list[int | None]:
        """Each parsed node's stored row id (None: a new node)."""
        return [self.matches[i][0] if i in self.matches else None for i in range(len(self.parsed))]

    @functools.cached_property
    def gone(self) -> set[int]:
        """Active stored nodes the file no longer has (retired, or deleted when nothing holds
        on to them)."""
        kept = {row_id for row_id, _ in self.matches.values()}
        return {r["id"] for r in self.stored if r["retired_at"] is None} - kept


def plan_nodes(roadmap: Roadmap | None, parsed: list[_ParsedNode], pins: Pins) -> NodePlan:
    """Pair the parsed nodes with the stored ones (reads only)."""
    if roadmap is None:
        return NodePlan(parsed, [], {})
    stored = list(
        Node.objects.filter(roadmap=roadmap)
        .order_by("position", "id")
        .values("id", "key", *NODE_FIELDS)
    )
    pinned = pins.take(
        old=lambda: {r["id"]: (r["title"], r["retired_at"] is not None) for r in stored},
        new=lambda: {i: n.title for i, n in enumerate(parsed)},
    )
    # The stored nodes' links only help match a retitled node: read them when some parsed
    # node has no stored node of its type and slug to continue (an edit of resources has none).
    urls_by_node: dict[int, set[str]] = defaultdict(set)
    have = Counter((r["node_type"], r["slug"]) for r in stored)
    wanted = Counter((n.node_type, n.slug) for n in parsed)
    if any(have[key] < count for key, count in wanted.items()):
        parents = {r["id"]: r["parent_id"] for r in stored}
        rows = Resource.objects.filter(roadmap=roadmap).values_list("node_id", "url")
        for node_id, url in rows:
            urls_by_node[node_id].add(url)
            if parents.get(node_id) is not None:  # a section's links include its topics'
                urls_by_node[parents[node_id]].add(url)
    matches = match_nodes(
        [
            NodeRecord(i, n.node_type, n.slug, n.title, frozenset(n.urls), parent=n.parent)
            for i, n in enumerate(parsed)
        ],
        [
            NodeRecord(
                r["id"],
                r["node_type"],
                r["slug"],
                r["title"],
                frozenset(urls_by_node[r["id"]]),
                r["retired_at"] is not None,
                r["parent_id"],
            )
            for r in stored
        ],
        pinned,
    )
    return NodePlan(parsed, stored, matches)  # type: ignore[arg-type]


def sync_nodes(roadmap: Roadmap, plan: NodePlan, counts: Counts, now) -> tuple[list[int], set[int]]:
    """Create, update or restore node rows as ``plan`` says; return each parsed node's row id
    and the ids of the nodes gone from the file (retired now)."""
    parsed, stored = plan.parsed, plan.stored
    by_id = {r["id"]: r for r in stored}
    ids = list(plan.ids)  # filled in below with the rows created

    # Nodes gone from the Markdown step aside first (retired now; deleted at the end of the
    # import if nothing holds on to them), then matched nodes whose slug changes are parked on
    # a temporary slug, so that no statement trips the unique slug of active nodes half-way.
    gone = plan.gone
    for batch in _batches(gone):
        Node.objects.filter(id__in=batch).update(retired_at=now, updated_at=now)
    parsed_index = {old: new for new, (old, _) in plan.matches.items()}
    moving = [
        r
        for r in stored
        if r["id"] in parsed_index
        and r["retired_at"] is None
        and parsed[parsed_index[r["id"]]].slug != r["slug"]
    ]
    if moving:
        bulk_update_rows(Node, [Node(id=r["id"], slug=f"~{r['id']}") for r in moving], ["slug"])
        for r in moving:
            r["slug"] = f"~{r['id']}"

    updates = Updates()
    for position, node in enumerate(parsed):
        if node.node_type != NodeType.SECTION:
            continue  # sections first: topics need their parent's id
        ids[position] = _upsert_node(
            roadmap, node, position, None, ids[position], by_id, updates, counts
        )
    creates = [
        (i, n) for i, n in enumerate(parsed) if n.node_type == NodeType.SECTION and ids[i] is None
    ]
    _create_nodes(roadmap, creates, ids, counts)
    for position, node in enumerate(parsed):
        if node.node_type == NodeType.SECTION:
            continue
        ids[position] = _upsert_node(
            roadmap,
            node,
            position,
            ids[node.parent],
            ids[position],
            by_id,
            updates,
            counts,
        )
    creates = [
        (i, n) for i, n in enumerate(parsed) if n.node_type != NodeType.SECTION and ids[i] is None
    ]
    _create_nodes(roadmap, creates, ids, counts)
    active = {r["id"]: (r["position"], r["line"]) for r in stored if r["retired_at"] is None}
    updates.write(Node, roadmap_id=roadmap.id, stored=active)
    return ids, gone  # type: ignore[return-value]  # every parsed node has a row by now


def _node_values(node: _ParsedNode, position: int, parent_id: int | None) -> dict:
    return {
        "parent_id": parent_id,
        "node_type": node.node_type,
        "kind": node.kind,
        "slug": node.slug,
        "title": node.title[:500],
        "step": node.step,
        "in_progress": node.in_progress,
        "intro": node.intro,
        "position": position,
        "line": node.line,
        "retired_at": None,
    }


@dataclass
class Updates:
    """The rows a sync changes: whole rows (a change of content, ``updated_at`` moves on) and
    rows that only moved in the file (new position and line, nothing else written)."""

    rows: list = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    places: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, model, row_id: int, row: dict, wanted: dict, counts: Counts, **extra) -> None:
        self.add_changed(model, row_id, _changed_fields(row, wanted), wanted, counts, **extra)

    def add_changed(
        self, model, row_id: int, changed: list[str], wanted: dict, counts: Counts, **extra
    ) -> None:
        if not changed:
            return
        _count_change(changed, counts)
        if PLACE_FIELDS.issuperset(changed):
            self.places.append((wanted["position"], wanted["line"], row_id))
            return
        self.rows.append(model(id=row_id, **extra, **wanted))
        self.fields.update(changed)

    def write(self, model, *, roadmap_id: int, stored: dict[int, tuple[int, int]]) -> None:
        """``stored``: id -> (position, line) of the roadmap's active rows before the sync."""
        places_write(model, roadmap_id=roadmap_id, places=self.places, stored=stored)
        if self.rows:  # after the places: ``places_write`` shifts rows by their old position
            bulk_update_rows(model, self.rows, sorted(self.fields | {"updated_at"}))


def _upsert_node(
    roadmap, node, position, parent_id, row_id, by_id, updates: Updates, counts: Counts
) -> int | None:
    if row_id is None:
        return None
    wanted = _node_values(node, position, parent_id)
    updates.add(
        Node, row_id, by_id[row_id], wanted, counts, roadmap=roadmap, updated_at=timezone.now()
    )
    return row_id


def _create_nodes(roadmap, creates, ids, counts: Counts) -> None:
    if not creates:
        return
    rows = [
        Node(roadmap=roadmap, **_node_values(n, i, ids[n.parent] if n.parent is not None else None))
        for i, n in creates
    ]
    made = Node.objects.bulk_create(rows)
    for (index, _), row in zip(creates, made, strict=True):
        ids[index] = row.id
    counts.added += len(made)


def retire_or_delete(model, gone: set[int], counts: Counts, now) -> None:
    if not gone:
        return
    keep = _referenced_ids(model, gone)
    for batch in _batches(keep):
        counts.retired += model.objects.filter(id__in=batch).update(retired_at=now, updated_at=now)
    for batch in _batches(gone - keep):
        model.objects.filter(id__in=batch).delete()
    counts.deleted += len(gone - keep)


def retire_or_delete_nodes(gone: set[int], counts: Counts) -> None:
    """Nodes gone from the Markdown were retired; delete those nothing holds on to."""
    if not gone:
        return
    # A node that still holds retired resources or retired topics must stay (retired).
    held: set[int] = set()
    for batch in _batches(gone):
        held.update(Resource.objects.filter(node_id__in=batch).values_list("node_id", flat=True))
        held.update(Node.objects.filter(parent_id__in=batch).values_list("parent_id", flat=True))
    keep = _referenced_ids(Node, gone) | held
    counts.retired += len(keep)
    for batch in _batches(gone - keep):
        Node.objects.filter(id__in=batch).delete()
    counts.deleted += len(gone - keep)
