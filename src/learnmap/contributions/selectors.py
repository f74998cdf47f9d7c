"""Reads of contributions: a contributor's own proposals, a moderator's review queue, a
roadmap's history. Who may read what is decided here, once: a contributor reads only their
own proposals, a moderator only the proposals of the roadmaps they moderate."""

from __future__ import annotations

from django.db.models import QuerySet

from learnmap.contributions.models import (
    PENDING,
    AuditEntry,
    Change,
    ModeratorRole,
    Proposal,
    ProposerBlock,
)
from learnmap.contributions.services.moderation import can_moderate
from learnmap.core.errors import ApplicationError, NotFound

_PROPOSAL_RELATED = ("roadmap", "node", "resource", "author", "moderator")
# Never shown with a proposal: the roadmap's whole Markdown (read apart when a change needs it).
_NOT_READ = ("roadmap__source",)


def proposal_list_mine(*, author) -> QuerySet[Proposal]:
    """The contributor's proposals, newest first."""
    return (
        Proposal.objects.filter(author=author)
        .select_related(*_PROPOSAL_RELATED)
        .defer(*_NOT_READ)
        .order_by("-created_at", "-pk")
    )


def proposal_get_mine(*, author, proposal_id: int) -> Proposal:
    found = proposal_list_mine(author=author).filter(pk=proposal_id).first()
    if found is None:  # another's proposal is not found either: nothing to learn from it
        raise NotFound("There is no such proposal of yours.", code="unknown_proposal")
    return found


def proposal_list_all(*, roadmap=None, status: str | None = None) -> QuerySet[Proposal]:
    """Every proposal (of one roadmap, in one status, when asked), oldest first: for operators
    at the command line, who are trusted as the site's administrators are."""
    found = Proposal.objects.all()
    if roadmap is not None:
        found = found.filter(roadmap=roadmap)
    if status:
        found = found.filter(status=status)
    return found.select_related(*_PROPOSAL_RELATED).defer(*_NOT_READ).order_by("created_at", "pk")


def review_queue(
    *, roadmap, moderator, kind: str | None = None, node_key=None
) -> QuerySet[Proposal]:
    """The roadmap's proposals waiting for a decision, oldest first; by kind of change and by
    node when asked."""
    if not can_moderate(user=moderator, roadmap=roadmap):
        raise ApplicationError(
            "Only a moderator of this roadmap can see its queue.", code="forbidden"
        )
    found = Proposal.objects.filter(roadmap=roadmap, status__in=PENDING)
    if kind:
        found = found.filter(kind=kind)
    if node_key:
        found = found.filter(node__key=node_key)
    return found.select_related(*_PROPOSAL_RELATED).defer(*_NOT_READ).order_by("created_at", "pk")


def proposal_get_for_review(*, moderator, proposal_id: int) -> Proposal:
    found = (
        Proposal.objects.select_related(*_PROPOSAL_RELATED)
        .defer(*_NOT_READ)
        .filter(pk=proposal_id)
        .first()
    )
    if found is None or not can_moderate(user=moderator, roadmap=found.roadmap):
        raise NotFound("There is no such proposal to review.", code="unknown_proposal")
    return found


def roadmaps_moderated(*, user) -> list[int]:
    """Ids of the roadmaps ``user`` moderates by role (staff moderate all of them)."""
    return list(ModeratorRole.objects.filter(user=user).values_list("roadmap_id", flat=True))


def change_list(*, roadmap, limit: int | None = None) -> QuerySet[Change]:
    """The roadmap's history, newest first."""
    found = (
        Change.objects.filter(roadmap=roadmap)
        .select_related("author", "moderator", "revert_of", "proposal")
        .order_by("-created_at", "-pk")
    )
    return found[:limit] if limit else found


def change_get(*, roadmap, change_id: int) -> Change:
    found = change_list(roadmap=roadmap).filter(pk=change_id).first()
    if found is None:
        raise NotFound("There is no such change in this roadmap's history.", code="unknown_change")
    return found


def change_is_reverted(*, change: Change) -> bool:
    return Change.objects.filter(revert_of=change).exists()


def is_blocked(*, user) -> bool:
    return ProposerBlock.objects.filter(user=user).exists()


def audit_list(*, viewer, limit: int = 200) -> QuerySet[AuditEntry]:
    """Every moderation action, newest first: staff only."""
    if not viewer.is_staff:
        raise ApplicationError("Only staff can read the audit log.", code="forbidden")
    return AuditEntry.objects.select_related("actor", "roadmap", "proposal")[:limit]
