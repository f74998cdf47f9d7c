"""Telling a contributor that a moderator decided on their proposal: an email (Django's email
backend: the console on a laptop), sent once the decision is committed. Their account page
shows the same state (``selectors.proposal_list_mine``)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction

from learnmap.contributions.models import Proposal, ProposalKind, ProposalStatus

logger = logging.getLogger(__name__)

_SUBJECTS = {
    ProposalStatus.ACCEPTED: "Your proposal was accepted",
    ProposalStatus.DECLINED: "Your proposal was declined",
    ProposalStatus.CHANGES_REQUESTED: "A moderator asks for changes to your proposal",
    ProposalStatus.CONFLICT: "Your proposal no longer applies",
}


def _body(proposal: Proposal) -> str:
    title = proposal.fields.get("title") or (proposal.resource.title if proposal.resource else "")
    what = f"“{title}” in “{proposal.node.title}”"
    if proposal.kind == ProposalKind.EDIT_INTRO:
        what = f"of “{proposal.node.title}”"
    lines = [
        f"{_SUBJECTS[proposal.status]}: {proposal.get_kind_display().lower()} "
        f"{what} ({proposal.roadmap.title}).",
    ]
    if proposal.decision_reason:
        lines += ["", "The moderator's words:", proposal.decision_reason]
    lines += ["", "Your proposals and their state are on your account page (My proposals)."]
    return "\n".join(lines) + "\n"


def _send(proposal_id: int) -> None:
    proposal = (
        Proposal.objects.select_related("author", "node", "roadmap", "resource")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not proposal.author.email or proposal.status not in _SUBJECTS:
        return
    try:
        send_mail(
            subject=f"[Learnmap] {_SUBJECTS[proposal.status]}",
            message=_body(proposal),
            from_email=None,
            recipient_list=[proposal.author.email],
        )
    except Exception:  # a mail server that fails never undoes the decision
        logger.warning("Could not email the author of proposal %s.", proposal_id, exc_info=True)


def decision_notify(*, proposal: Proposal) -> None:
    """Email the proposal's author about its new state once the transaction commits."""
    transaction.on_commit(lambda: _send(proposal.pk))
