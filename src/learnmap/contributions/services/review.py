"""What a moderator sees before deciding: the diff the proposal would make to the Markdown as
it is now, the lint errors it would add, the duplicates it may be, and the latest link check
of the resource's URL after the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog import services as catalog_services
from learnmap.contributions.models import Proposal, ProposalKind
from learnmap.contributions.services.apply import Conflict, edit_for, new_lint_errors
from learnmap.core import links
from learnmap.core.errors import ApplicationError
from learnmap.core.links import LinkVerdict
from learnmap.roadmap_md.urls import identity

TITLE_SIMILARITY = 0.85  # near-identical titles in one node


@dataclass(frozen=True)
class Duplicate:
    title: str
    url: str
    why: str  # "same-url" or "similar-title"
    same_node: bool


@dataclass(frozen=True)
class Preview:
    diff: str = ""
    lint_errors: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    conflict: str = ""  # why the proposal no longer applies, when it does not
    problem: str = ""  # why it cannot be applied as it stands (invalid fields)
    link: LinkVerdict | None = None  # the URL's latest check (None: not yet, or a removal)

    @property
    def acceptable(self) -> bool:
        return not (self.conflict or self.problem or self.lint_errors)


def _norm(title: str) -> str:
    return " ".join(title.casefold().split())


def duplicates_for(*, roadmap, node, url: str, title: str, ignore_url: str = "") -> list[Duplicate]:
    """The roadmap's resources at the same URL (anywhere: after ``identity``) and those in the
    same node with a near-identical title; ``ignore_url`` is the resource being edited."""
    wanted, wanted_title = identity(url), _norm(title)
    ignored = identity(ignore_url) if ignore_url else None
    found = []
    for row in catalog_selectors.resource_urls(roadmap=roadmap):
        key = identity(row["url"])
        if ignored is not None and key == ignored:
            continue
        same_node = row["node_id"] == node.pk
        if wanted and key == wanted:
            found.append(Duplicate(row["title"], row["url"], "same-url", same_node))
        elif (
            same_node
            and wanted_title
            and (
                SequenceMatcher(None, _norm(row["title"]), wanted_title).ratio() >= TITLE_SIMILARITY
            )
        ):
            found.append(Duplicate(row["title"], row["url"], "similar-title", same_node))
    return found


def proposal_preview(*, proposal: Proposal, fields: dict | None = None) -> Preview:
    """The proposal (with ``fields`` instead of its own, as a moderator may edit it) against the
    roadmap's Markdown now."""
    fields = proposal.fields if fields is None else fields
    roadmap = proposal.roadmap
    source = catalog_services.roadmap_export(slug=roadmap.slug)
    try:
        edit = edit_for(
            source=source,
            kind=proposal.kind,
            node=proposal.node,
            resource=proposal.resource,
            fields=fields,
        )
    except Conflict as exc:
        return Preview(conflict=exc.message)
    except ApplicationError as exc:
        return Preview(problem=exc.message)
    duplicates, link = [], None
    if proposal.kind in (ProposalKind.ADD_RESOURCE, ProposalKind.EDIT_RESOURCE):
        merged = edit.new_fields
        link = links.verdict(merged["url"]) if merged.get("url") else None
        duplicates = duplicates_for(
            roadmap=roadmap,
            node=proposal.node,
            url=merged.get("url", ""),
            title=merged.get("title", ""),
            ignore_url=proposal.resource.url if proposal.resource else "",
        )
    errors = [i.format("README.md") for i in new_lint_errors(edit)]
    return Preview(diff=edit.diff, lint_errors=errors, duplicates=duplicates, link=link)
