"""Template helpers for the contribution pages: a diff's lines with what each one does."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from learnmap.contributions.models import ProposalKind, ProposalStatus

register = template.Library()


@register.filter
def diff_lines(diff: str) -> list[tuple[str, str]]:
    """Each line of a unified diff with its role: "file", "hunk", "add", "remove" or "same"
    (the CSS colours them; a sign at the start of each line says the same in text)."""
    lines = []
    for line in (diff or "").splitlines():
        if line.startswith(("+++", "---")):
            role = "file"
        elif line.startswith("@@"):
            role = "hunk"
        elif line.startswith("+"):
            role = "add"
        elif line.startswith("-"):
            role = "remove"
        else:
            role = "same"
        lines.append((role, line))
    return lines


@register.filter
def change_summary(change) -> str:
    """What an accepted change did, in the reader's language (the stored ``summary`` is the
    English sentence, kept for changes recorded before their node's title was)."""
    operation = change.operation or {}
    node = operation.get("node_title")
    if node is None:
        return change.summary
    if change.revert_of_id:
        reverted = change.revert_of
        return _("Reverted: %(summary)s") % {"summary": change_summary(reverted)}
    fields = operation.get("new") or operation.get("old") or {}
    sentences = {
        ProposalKind.ADD_RESOURCE: _("Added “%(title)s” in “%(node)s”"),
        ProposalKind.EDIT_RESOURCE: _("Edited “%(title)s” in “%(node)s”"),
        ProposalKind.REMOVE_RESOURCE: _("Removed “%(title)s” in “%(node)s”"),
        ProposalKind.EDIT_INTRO: _("Edited the introduction of “%(node)s”"),
    }
    if change.kind not in sentences:
        return change.summary
    return sentences[change.kind] % {"title": fields.get("title", ""), "node": node}


@register.filter
def status_label(status: str) -> str:
    labels = {
        ProposalStatus.OPEN: _("Open"),
        ProposalStatus.CHANGES_REQUESTED: _("Changes requested"),
        ProposalStatus.ACCEPTED: _("Accepted"),
        ProposalStatus.DECLINED: _("Declined"),
        ProposalStatus.CONFLICT: _("Conflict"),
    }
    return labels.get(status, status)


@register.filter
def kind_label(kind: str) -> str:
    labels = {
        ProposalKind.ADD_RESOURCE: _("New resource"),
        ProposalKind.EDIT_RESOURCE: _("Edit of a resource"),
        ProposalKind.REMOVE_RESOURCE: _("Removal of a resource"),
        ProposalKind.EDIT_INTRO: _("Fix of an introduction"),
    }
    return labels.get(kind, kind)


@register.filter
def link_class_label(link_class: str) -> str:
    """A link check's class (``core.links.LinkVerdict.link_class``) in words."""
    labels = {
        "ok": _("ok"),
        "moved": _("moved"),
        "blocked": _("blocked"),
        "rate-limited": _("rate-limited"),
        "timeout": _("timed out"),
        "error": _("error"),
        "dead": _("dead"),
    }
    return labels.get(link_class, link_class)


@register.filter
def status_badge(status: str) -> str:
    """The badge modifier for a status."""
    return {
        ProposalStatus.ACCEPTED: "badge--success",
        ProposalStatus.DECLINED: "badge--danger",
        ProposalStatus.CHANGES_REQUESTED: "badge--warning",
        ProposalStatus.CONFLICT: "badge--warning",
    }.get(status, "badge--info")


@register.filter
def proposal_title(proposal) -> str:
    """What a proposal is about: the title it gives, or the resource's it edits or removes."""
    title = (proposal.fields or {}).get("title")
    if title:
        return title
    return proposal.resource.title if proposal.resource_id else ""
