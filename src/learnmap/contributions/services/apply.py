"""A proposal as an edit of the roadmap's Markdown as it is now: the Markdown core's edit
functions (the file's own bullet, indentation, tag style and line endings), aimed through the
catalog's stable keys so a proposal made against an older revision still finds its target
(it is rebased), and a target that is gone is a conflict, never an edit somewhere else."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass

from learnmap import roadmap_md
from learnmap.catalog import structure as catalog_structure
from learnmap.contributions.models import ProposalKind
from learnmap.core.cache import Memo
from learnmap.core.errors import ApplicationError

# The roadmaps' Markdown parsed, by the hash of its text: an accept parses the file it writes,
# and the next proposal's review or accept starts from that same text. Documents are frozen.
# Their lint messages too, by the same hash: an accept checks the file before and after the
# edit, and the catalog's import reads the same messages.
_parsed = Memo(2)
_linted = Memo(4)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse(source: str) -> roadmap_md.Document:
    name = _hash(source)
    found = _parsed.get(name)
    return found if found is not None else _parsed.put(name, roadmap_md.parse(source))


def remember(doc: roadmap_md.Document) -> None:
    """Keep a document parsed elsewhere (the result of an edit) for the next ``parse``."""
    _parsed.put(_hash(roadmap_md.render(doc)), doc)


def lint(doc: roadmap_md.Document) -> list[roadmap_md.Issue]:
    """Every lint message of ``doc`` (errors and warnings), linted once per text."""
    name = _hash(roadmap_md.render(doc))
    found = _linted.get(name)
    return found if found is not None else _linted.put(name, roadmap_md.lint(doc))


# What a contributor may set on a resource, as the Markdown core names it.
RESOURCE_FIELDS = ("title", "url", "author", "languages", "cost", "description", "kind", "level")


class Conflict(ApplicationError):
    """The proposal's target is no longer in the roadmap."""

    def __init__(self, message: str):
        super().__init__(message, code="conflict")


@dataclass(frozen=True)
class Edit:
    """What a proposal does, resolved against the roadmap's current Markdown."""

    before: roadmap_md.Document
    after: roadmap_md.Document
    # For the history and a revert: the resource's fields before and after.
    old_fields: dict
    new_fields: dict

    @property
    def before_text(self) -> str:
        return roadmap_md.render(self.before)

    @property
    def after_text(self) -> str:
        return roadmap_md.render(self.after)

    @property
    def diff(self) -> str:
        return diff_text(self.before_text, self.after_text)


def diff_text(before: str, after: str, *, name: str = "README.md") -> str:
    """A unified diff of two versions of the file, lines as written (endings kept)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)


def resource_fields(resource: roadmap_md.Resource) -> dict:
    return {
        "title": resource.title,
        "url": resource.url,
        "author": resource.author,
        "languages": list(resource.languages),
        "cost": resource.cost,
        "description": resource.description,
        "kind": resource.kind,
        "level": resource.level,
    }


def _where(node) -> dict:
    """The section and topic slugs the Markdown core addresses ``node`` (a catalog Node) by."""
    if node.retired_at is not None:
        raise Conflict(f"“{node.title}” is no longer in the roadmap.")
    if node.parent_id is None:
        return {"section": node.slug, "topic": None}
    parent = catalog_structure.node_by_id(node_id=node.parent_id)
    if parent is None or parent.retired_at is not None:
        raise Conflict(f"The section of “{node.title}” is no longer in the roadmap.")
    return {"section": parent.slug, "topic": node.slug}


def _parsed_resource(doc: roadmap_md.Document, resource) -> roadmap_md.Resource:
    """The Markdown item of a catalog resource now: on its stored line, or found by its URL."""
    if resource.retired_at is not None:
        raise Conflict(f"“{resource.title}” is no longer in the roadmap.")
    # On its stored line (which may hold several links: the one with its link and title).
    here = [
        r
        for r in doc.resources
        if r.line == resource.line and (r.url, r.title) == (resource.url, resource.title)
    ]
    if len(here) == 1:
        return here[0]
    # Moved, or a stale line: by its link and title, then by its link alone (a list may hold
    # one link twice, under two titles: never take the other one).
    for same in ((resource.url, resource.title), (resource.url,)):
        candidates = [r for r in doc.resources if (r.url, r.title)[: len(same)] == same]
        if len(candidates) == 1:
            return candidates[0]
    raise Conflict(f"“{resource.title}” cannot be found in the roadmap's Markdown any more.")


def _index_on_line(doc: roadmap_md.Document, current: roadmap_md.Resource) -> int:
    """Which of the resources read from its line ``current`` is (an item or a heading may
    hold several links: ``- Type checking: [mypy](...), [Pyright](...)``)."""
    same = [r for r in doc.resources if r.line == current.line]
    return next(i for i, r in enumerate(same) if r is current)


def _edit_error(exc: roadmap_md.RoadmapError) -> ApplicationError:
    if isinstance(exc, roadmap_md.TargetNotFoundError):
        return Conflict(str(exc))
    field = getattr(exc, "field", None)  # a field the resource cannot take where it is written
    return ApplicationError(
        str(exc), code="invalid_proposal", extra={"field": field} if field else None
    )


def edit_for(*, source: str, kind: str, node, resource=None, fields: dict) -> Edit:
    """The edit ``kind`` with ``fields`` makes to ``source`` (the roadmap's Markdown now)."""
    doc = parse(source)
    try:
        if kind == ProposalKind.EDIT_INTRO:
            return _intro_edit(doc, node, fields.get("intro") or "")
        if kind == ProposalKind.ADD_RESOURCE:
            new = roadmap_md.add_resource(doc, **_where(node), **fields)
            return Edit(doc, new, {}, dict(fields))
        current = _parsed_resource(doc, resource)
        old = resource_fields(current)
        if kind == ProposalKind.EDIT_RESOURCE:
            changes = {k: v for k, v in fields.items() if old.get(k) != v}
            if not changes:
                raise ApplicationError(
                    "The proposal changes nothing: the resource already reads like this.",
                    code="nothing_to_change",
                )
            new = roadmap_md.update_resource(
                doc, line=current.line, index=_index_on_line(doc, current), **changes
            )
            return Edit(doc, new, old, {**old, **changes})
        if kind == ProposalKind.REMOVE_RESOURCE:
            new = roadmap_md.remove_resource(
                doc, line=current.line, index=_index_on_line(doc, current)
            )
            _only_itself_removed(doc, new, current)
            return Edit(doc, new, old, {})
    except roadmap_md.RoadmapError as exc:
        raise _edit_error(exc) from None
    raise ApplicationError(f"Unknown kind of proposal {kind!r}.", code="invalid_proposal")


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def intro_of(*, source: str, node) -> str:
    """The introduction of ``node`` in ``source`` as written, lines ended by "\n" (what an
    intro fix starts from)."""
    try:
        return _lf(roadmap_md.node_intro(parse(source), **_where(node)))
    except roadmap_md.RoadmapError as exc:
        raise _edit_error(exc) from None


def _intro_edit(doc: roadmap_md.Document, node, text: str) -> Edit:
    where = _where(node)
    old = _lf(roadmap_md.node_intro(doc, **where))
    new = roadmap_md.update_intro(doc, **where, text=text)
    written = _lf(roadmap_md.node_intro(new, **where))
    if written == old:
        raise ApplicationError(
            "The proposal changes nothing: the introduction already reads like this.",
            code="nothing_to_change",
        )
    return Edit(doc, new, {"intro": old}, {"intro": written})


def _only_itself_removed(
    before: roadmap_md.Document, after: roadmap_md.Document, resource: roadmap_md.Resource
) -> None:
    """A removal takes the resource's list item with what is nested in it: refused when other
    resources are nested there (in awesome lists, "- [lib](...)" with "- [awesome-lib](...)"
    under it), which the proposer did not ask to remove."""
    left = {(r.url, r.title) for r in after.resources}
    nested = [r for r in before.resources if r is not resource and (r.url, r.title) not in left]
    if nested:
        names = ", ".join(f"“{r.title}”" for r in nested[:3])
        raise ApplicationError(
            f"“{resource.title}” has other resources nested under it ({names}): removing it "
            "would remove them too. Propose to edit it instead, or to remove those first.",
            code="invalid_proposal",
            extra={"field": "resource"},
        )


def lint_errors(doc: roadmap_md.Document) -> list[roadmap_md.Issue]:
    return [i for i in lint(doc) if i.severity == "error"]


def new_lint_errors(edit: Edit) -> list[roadmap_md.Issue]:
    """The lint errors the edited file has that the file before did not (by code and text)."""
    before = {(i.code, i.message) for i in lint_errors(edit.before)}
    return [i for i in lint_errors(edit.after) if (i.code, i.message) not in before]
