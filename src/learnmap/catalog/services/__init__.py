"""Catalog services: importing roadmaps from Markdown and exporting them back."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from learnmap import roadmap_md
from learnmap.catalog import cache
from learnmap.catalog.models import NodeType, Roadmap
from learnmap.catalog.services.sync import (
    Counts,
    flatten,
    retire_or_delete_nodes,
    sync_nodes,
)
from learnmap.catalog.services.sync_pins import Pins
from learnmap.catalog.services.sync_plan import (
    ImportPlan,
    plan_describe,
    plan_make,
)
from learnmap.catalog.services.sync_resources import sync_resources
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.roadmap_md.declared import config_beside

logger = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class ImportReport:
    slug: str
    title: str
    created: bool
    sections: int
    topics: int
    resources: int
    nodes: Counts = field(default_factory=Counts)
    links: Counts = field(default_factory=Counts)
    warnings: list[str] = field(default_factory=list)
    source_changed: bool = False
    plan: ImportPlan | None = None  # what the import did, as the dry run tells it

    @property
    def changed(self) -> bool:
        return self.created or self.source_changed or self.nodes.changed or self.links.changed

    def summary(self) -> str:
        if self.created:
            head = f"Imported {self.slug!r}: {self.title}"
        elif not self.changed:
            head = f"{self.slug!r} is up to date: nothing changed"
        else:
            head = f"Updated {self.slug!r}: {self.title}"
        parts = [
            f"{self.sections} sections, {self.topics} topics, {self.resources} resources",
        ]
        for name, counts in (("nodes", self.nodes), ("resources", self.links)):
            detail = [
                f"{getattr(counts, k)} {k}"
                for k in ("added", "updated", "retired", "restored", "deleted")
                if getattr(counts, k)
            ]
            if detail and not self.created:
                parts.append(f"{name}: " + ", ".join(detail))
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return head + " (" + "; ".join(parts) + ")"


def _parse_checked(
    source: str,
    *,
    source_name: str,
    parsed: roadmap_md.Document | None = None,
    linted: list[roadmap_md.Issue] | None = None,
) -> tuple[roadmap_md.Document, list[str]]:
    doc = parsed if parsed is not None else roadmap_md.parse(source)
    issues = linted if parsed is not None and linted is not None else roadmap_md.lint(doc)
    errors = [i.format(source_name) for i in issues if i.severity == "error"]
    warnings = [i.format(source_name) for i in issues if i.severity != "error"]
    if errors:
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise ApplicationError(
            f"Refused to import {source_name}: {errors[0]}{more}. Nothing was changed.",
            code="lint_errors",
            extra={"errors": errors, "warnings": warnings},
        )
    return doc, warnings


def slug_for(*, path: str | Path, title: str | None) -> str:
    """A default slug (one ``SLUG_RE`` accepts): the file's name, or the roadmap's title for a
    README. Django's ``slugify`` (ASCII only; "é" becomes "e") on the name with every run of
    punctuation and underscores read as a space, so "Node.js_guide" is "node-js-guide".
    Not ``roadmap_md.slugify``: that one makes heading anchors (any script, "--" kept)."""
    stem = Path(path).stem
    base = title if stem.lower() in {"readme", "index"} and title else stem
    slug = slugify(re.sub(r"[\W_]+", " ", base))
    return slug[:100].strip("-") or "roadmap"


def _check_slug(slug: str) -> None:
    if not SLUG_RE.match(slug) or len(slug) > 100:
        raise ApplicationError(
            f"{slug!r} is not a valid slug: use lowercase letters, digits and single hyphens "
            "(at most 100 characters), e.g. 'python-backend'.",
            code="invalid_slug",
        )


@transaction.atomic
def roadmap_import(
    *,
    source: str,
    slug: str,
    source_name: str = "",
    builtin: bool = False,
    parsed: roadmap_md.Document | None = None,
    linted: list[roadmap_md.Issue] | None = None,
    renames: Sequence[str] = (),
) -> ImportReport:
    """Parse, lint, then sync the catalog with the Markdown in one transaction.

    Lint errors refuse the import and change nothing; warnings are reported. Re-importing the
    same text changes nothing. Existing rows are updated in place; removed items are retired
    while anything refers to them, deleted otherwise. The roadmap's stored size
    (``section_count``, ``topic_count``, ``resource_count``) is written with the rows.
    ``parsed``: what ``roadmap_md.parse(source)`` returns, from a caller that has it already
    (an edit of the Markdown core parses its result): the file is not parsed again; and
    ``linted``, what ``roadmap_md.lint(parsed)`` returns, when the caller has linted it too.
    ``renames``: "Old title=New title" pins for the matching (``sync_pins.py``).

    The sync makes the plan ``roadmap_import_plan`` shows (``sync_plan.py``), then applies it;
    the report's ``plan`` is that plan.
    """
    _check_slug(slug)
    pins = Pins(renames, slug=slug)
    source_name = source_name or f"{slug}.md"
    doc, warnings = _parse_checked(source, source_name=source_name, parsed=parsed, linted=linted)
    parsed_nodes, parsed_resources = flatten(doc)
    now = timezone.now()
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    title = (doc.title or slug).strip()[:300]

    # What is active after the sync: every parsed item (the rest is retired or deleted).
    counts = {
        "section_count": sum(1 for n in parsed_nodes if n.node_type == NodeType.SECTION),
        "topic_count": sum(1 for n in parsed_nodes if n.node_type == NodeType.TOPIC),
        "resource_count": len(parsed_resources),
    }

    roadmap = Roadmap.objects.select_for_update().filter(slug=slug).first()
    created = roadmap is None
    if created:
        roadmap = Roadmap.objects.create(
            slug=slug,
            title=title,
            source=source,
            source_sha256=sha,
            source_name=source_name,
            builtin=builtin,
            electives_start=doc.electives_start or "",
            imported_at=now,
            **counts,
        )
    report = ImportReport(
        slug=slug,
        title=title,
        created=created,
        sections=counts["section_count"],
        topics=counts["topic_count"],
        resources=counts["resource_count"],
        warnings=warnings,
    )

    planned = plan_make(None if created else roadmap, parsed_nodes, parsed_resources, pins)
    report.plan = plan_describe(planned, slug=slug, created=created)
    node_ids, gone = sync_nodes(roadmap, planned.nodes, report.nodes, now)
    sync_resources(roadmap, planned.resources, node_ids, report.links, now)
    retire_or_delete_nodes(gone, report.nodes)

    if not created:
        wanted = {
            "title": title,
            "source": source,
            "source_sha256": sha,
            "source_name": source_name,
            "electives_start": doc.electives_start or "",
            "builtin": builtin or roadmap.builtin,
            **counts,  # stored with the rows they count, in this transaction
        }
        report.source_changed = roadmap.source != source
        changed = [name for name, value in wanted.items() if getattr(roadmap, name) != value]
        if changed or report.changed:
            for name, value in wanted.items():
                setattr(roadmap, name, value)
            roadmap.imported_at = now
            roadmap.revision += 1
            roadmap.save(update_fields=[*wanted, "imported_at", "revision", "updated_at"])
    # Every process asks the shared cache for the header: forgotten now and at commit.
    cache.header_forget(slug)
    return report


def _load_file(path: str | Path, slug: str | None) -> dict:
    """A Markdown file read, parsed and linted for ``roadmap_import`` (or its plan).

    A ``.learnmap.toml`` beside it (its declared tags, its ``[lint] ignore``) counts as it
    does for ``learnmap lint``."""
    try:
        source, doc = roadmap_md.load(path)
        config = config_beside(str(path))
    except roadmap_md.RoadmapInputError as exc:
        raise ApplicationError(str(exc), code="bad_input") from None
    linted = roadmap_md.lint(doc, extra_tags=config.tags, ignore=config.ignore)
    return {
        "source": source,
        "slug": slug or slug_for(path=path, title=doc.title),
        "source_name": str(path),
        "parsed": doc,
        "linted": linted,
    }


def roadmap_import_file(
    *,
    path: str | Path,
    slug: str | None = None,
    builtin: bool = False,
    renames: Sequence[str] = (),
) -> ImportReport:
    """Import a Markdown file; bad files give an ApplicationError naming the file."""
    return roadmap_import(**_load_file(path, slug), builtin=builtin, renames=renames)


def roadmap_import_plan(
    *,
    source: str,
    slug: str,
    source_name: str = "",
    renames: Sequence[str] = (),
    parsed: roadmap_md.Document | None = None,
    linted: list[roadmap_md.Issue] | None = None,
) -> ImportPlan:
    """What ``roadmap_import`` of ``source`` would do (the dry run), writing nothing: the same
    checks (a lint error or a bad rename refuses it the same way) and the same plan."""
    _check_slug(slug)
    pins = Pins(renames, slug=slug)
    source_name = source_name or f"{slug}.md"
    doc, warnings = _parse_checked(source, source_name=source_name, parsed=parsed, linted=linted)
    parsed_nodes, parsed_resources = flatten(doc)
    roadmap = Roadmap.objects.filter(slug=slug).first()
    planned = plan_make(roadmap, parsed_nodes, parsed_resources, pins)
    plan = plan_describe(planned, slug=slug, created=roadmap is None)
    plan.warnings = warnings
    return plan


def roadmap_import_file_plan(
    *, path: str | Path, slug: str | None = None, renames: Sequence[str] = ()
) -> ImportPlan:
    """``roadmap_import_plan`` of a Markdown file (what ``learnmap import --dry-run`` shows)."""
    return roadmap_import_plan(**_load_file(path, slug), renames=renames)


# --- export -----------------------------------------------------------------------------------


def roadmap_export(*, slug: str) -> str:
    """The roadmap's Markdown, byte-identical to the last import when nothing was edited."""
    source = Roadmap.objects.filter(slug=slug).values_list("source", flat=True).first()
    if source is None:
        raise NotFound(f"There is no roadmap with the slug {slug!r}.", code="unknown_roadmap")
    return source


def roadmap_source_for_update(*, slug: str) -> str:
    """The roadmap's Markdown, its row locked until the transaction ends (PostgreSQL; SQLite
    serialises writers anyway): two edits of one roadmap at once are applied one after the
    other, each to the Markdown the other left, never both to the same old text."""
    source = (
        Roadmap.objects.select_for_update().filter(slug=slug).values_list("source", flat=True)
    ).first()
    if source is None:
        raise NotFound(f"There is no roadmap with the slug {slug!r}.", code="unknown_roadmap")
    return source


# --- built-in roadmaps ------------------------------------------------------------------------


def builtin_content_dir() -> Path:
    configured = getattr(settings, "LEARNMAP_CONTENT_DIR", "")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "content"


def roadmaps_load_builtin(*, directory: Path | None = None) -> list[ImportReport]:
    """Import every Markdown file in ``content/`` that is new or changed since its last load.

    A built-in roadmap is reloaded only when its file changed, so a roadmap imported by hand
    under the same slug is not overwritten on every start.
    """
    directory = directory or builtin_content_dir()
    if not directory.is_dir():
        logger.warning("No built-in roadmaps: %s is not a directory.", directory)
        return []
    reports = []
    known = dict(Roadmap.objects.filter(builtin=True).values_list("slug", "source_sha256"))
    existing = set(Roadmap.objects.values_list("slug", flat=True))
    for path in sorted(directory.glob("*.md")):
        slug = slug_for(path=path, title=None)
        data = path.read_bytes()
        if slug in existing and (
            slug not in known or known[slug] == hashlib.sha256(data).hexdigest()
        ):
            continue
        reports.append(roadmap_import_file(path=path, slug=slug, builtin=True))
    return reports
