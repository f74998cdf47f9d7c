"""The plan of an import: what importing a text would add, retire, update, restore, and which
items it would pair with stored ones by which rule (``matching.py``), worked out without
writing anything.

The import itself (``roadmap_import``) makes the same plan (``plan_make``) and applies it, so
the dry run (``roadmap_import_plan``, ``learnmap import --dry-run``) and what happens never
differ. ``ImportPlan`` is the plan told for people: plain data (titles, keys, rules, learners'
marks), for the CLI, a maintainer page's preview, or a sync that waits for a maintainer's yes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from learnmap.catalog import marks
from learnmap.catalog.models import Resource, Roadmap
from learnmap.catalog.services.sync import (
    PLACE_FIELDS,
    NodePlan,
    _batches,
    _node_values,
    _ParsedNode,
    plan_nodes,
)
from learnmap.catalog.services.sync_pins import Pins
from learnmap.catalog.services.sync_resources import ResourcePlan, plan_resources

RULES = {
    "pinned": "pinned by a rename",
    "slug": "same heading",
    "urls": "same links",
    "children": "same topics",
    "title-words": "title words",
    "title-similar": "similar title",
    "neighbours": "same place among unchanged neighbours",
    "same": "same link and title",
    "link": "same link",
    "moved": "same link, elsewhere",
    "tidied-link": "same link once tidied",
    "title": "same title",
}


@dataclass(frozen=True)
class PlannedItem:
    """One item of a plan. ``key``: the stored item's stable key (None for an added one);
    ``old_title``: its stored title (when paired); ``rule``: the matching rule that paired it
    (``matching.py``; ``RULES`` has a phrase for each); ``marks``: how many learners have
    marks on it (counted for retired items); ``line``: where it is in the new file."""

    title: str
    key: UUID | None = None
    old_title: str = ""
    rule: str = ""
    marks: int = 0
    line: int | None = None


@dataclass
class PlanPart:
    """What the import does to one kind of item (nodes: sections and topics; resources).

    ``added``: new in the file. ``retired``: gone from the file, off the map (a row that
    something refers to, a learner's mark, is kept retired; the others are deleted).
    ``restored``: a retired item back in the file, with its key (and its marks; listed there
    only, changed or not). ``updated``:
    paired items whose content changed (a line or position moving is no change). ``matched``:
    items paired with a stored one under another title or place (renamed, moved, their link
    tidied), each with its rule."""

    added: list[PlannedItem] = field(default_factory=list)
    retired: list[PlannedItem] = field(default_factory=list)
    restored: list[PlannedItem] = field(default_factory=list)
    updated: list[PlannedItem] = field(default_factory=list)
    matched: list[PlannedItem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.retired or self.restored or self.updated)

    @property
    def marks_retired(self) -> int:
        return sum(item.marks for item in self.retired)


@dataclass
class ImportPlan:
    slug: str
    created: bool  # no roadmap has this slug yet
    nodes: PlanPart = field(default_factory=PlanPart)
    resources: PlanPart = field(default_factory=PlanPart)
    warnings: list[str] = field(default_factory=list)  # the file's lint warnings

    @property
    def changed(self) -> bool:
        return self.created or self.nodes.changed or self.resources.changed

    @property
    def marks_retired(self) -> int:
        """Learners' marks on items the import retires (the sum over those items)."""
        return self.nodes.marks_retired + self.resources.marks_retired

    def lines(self) -> list[str]:
        """The plan in sentences, one item a line (what ``learnmap import --dry-run`` prints)."""
        if self.created:
            head = f"{self.slug!r} is new: every item would be added."
        elif not self.changed:
            head = f"{self.slug!r} would not change (its items are all the same)."
        else:
            head = f"Importing would change {self.slug!r}:"
        out = [head]
        for name, part in (("Sections and topics", self.nodes), ("Resources", self.resources)):
            if self.created:
                out.append(f"{name}: {len(part.added)} added")
                continue
            counts = [
                f"{len(items)} {label}"
                for label, items in (
                    ("added", part.added),
                    ("retired", part.retired),
                    ("restored", part.restored),
                    ("updated", part.updated),
                    ("matched by a rule", part.matched),
                )
                if items
            ]
            if not counts:
                continue
            out.append(f"{name}: " + ", ".join(counts))
            out += [f"  + added: {_said(i)}" for i in part.added]
            out += [f"  - retired: {_said(i)}{_marks_said(i.marks)}" for i in part.retired]
            out += [f"  ^ restored: {_said(i)} ({RULES[i.rule]})" for i in part.restored]
            out += [
                f"  = {_said(i)}"
                + (f", was {i.old_title!r}" if i.old_title != i.title else "")
                + f" (matched by {i.rule}: {RULES[i.rule]})"
                for i in part.matched
            ]
        return out


def _said(item: PlannedItem) -> str:
    return f"{item.title!r}" + (f" (line {item.line})" if item.line is not None else "")


def _marks_said(count: int) -> str:
    if not count:
        return ", no learner has marks on it"
    return (
        f", {count} learner{'s' if count != 1 else ''} ha{'ve' if count != 1 else 's'} marks on it"
    )


# --- making the plan (reads only) -------------------------------------------------------------


@dataclass
class Planned:
    """What ``roadmap_import`` applies: the pairings of nodes and resources."""

    nodes: NodePlan
    resources: ResourcePlan


def plan_make(
    roadmap: Roadmap | None, parsed_nodes: list[_ParsedNode], parsed_resources, pins: Pins
) -> Planned:
    """Pair what the file has with what is stored (``roadmap`` None: nothing is). Refuses a
    pin that paired nothing (``Pins.check_all_taken``)."""
    nodes = plan_nodes(roadmap, parsed_nodes, pins)
    resources = plan_resources(roadmap, parsed_resources, nodes.ids, pins)
    pins.check_all_taken()
    return Planned(nodes, resources)


def plan_describe(planned: Planned, *, slug: str, created: bool) -> ImportPlan:
    """The plan told for people; reads the keys of the resources it names and the learners'
    marks on what it retires (nothing when nothing changes)."""
    plan = ImportPlan(slug=slug, created=created)
    _describe_nodes(planned.nodes, plan.nodes)
    _describe_resources(planned.resources, plan.resources)
    return plan


def _with_marks(kind: str, gone: Iterable[tuple[int, PlannedItem]]) -> list[PlannedItem]:
    gone = list(gone)
    counted = marks.marks_count(kind=kind, ids=[row_id for row_id, _ in gone])
    return [
        PlannedItem(item.title, item.key, item.old_title, item.rule, counted.get(row_id, 0))
        for row_id, item in gone
    ]


def _describe_nodes(nodes: NodePlan, part: PlanPart) -> None:
    by_id = {r["id"]: r for r in nodes.stored}
    ids = nodes.ids
    for index, node in enumerate(nodes.parsed):
        match = nodes.matches.get(index)
        if match is None:
            part.added.append(PlannedItem(node.title, line=node.line))
            continue
        row, rule = by_id[match[0]], match[1]
        item = PlannedItem(node.title, row["key"], row["title"], rule, line=node.line)
        if row["retired_at"] is not None:
            part.restored.append(item)
            continue
        parent = ids[node.parent] if node.parent is not None else None
        wanted = _node_values(
            node, index, -1 if node.parent is not None and parent is None else parent
        )
        if any(
            row[k] != v for k, v in wanted.items() if k not in PLACE_FIELDS and k != "retired_at"
        ):
            part.updated.append(item)
        if rule != "slug" or row["title"] != node.title:
            part.matched.append(item)
    gone = [
        (r["id"], PlannedItem(r["title"], r["key"])) for r in nodes.stored if r["id"] in nodes.gone
    ]
    part.retired = _with_marks("node", gone)


def _describe_resources(resources: ResourcePlan, part: PlanPart) -> None:
    matches = resources.matches
    # What a person would notice (usually a handful of the thousands of rows): what changed,
    # and what a rule other than "same link and title" paired.
    named = [
        (position, row, change)
        for position, row, change in resources.changes
        if change or matches[position][1] != "same"
    ]
    gone = resources.gone
    wanted_keys = {row[0] for _, row, _ in named if row is not None} | gone
    keys = {}
    for batch in _batches(wanted_keys):  # an edit of every resource names them all
        keys.update(Resource.objects.filter(id__in=batch).values_list("id", "key"))
    for position, row, change in named:
        item, _ = resources.parsed[position]
        if row is None:
            part.added.append(PlannedItem(item.title, line=item.line))
            continue
        rule = matches[position][1]
        planned = PlannedItem(item.title, keys.get(row[0]), row[4], rule, line=item.line)
        if change == "restored":
            part.restored.append(planned)
            continue
        if change == "updated":
            part.updated.append(planned)
        if rule != "same":
            part.matched.append(planned)
    part.retired = _with_marks(
        "resource",
        ((r[0], PlannedItem(r[4], keys.get(r[0]))) for r in resources.stored if r[0] in gone),
    )
