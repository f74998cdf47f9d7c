"""Moderating: accept (the Markdown, the catalog and the history move together, or nothing
does), decline with a reason, ask for changes, revert an accepted change; who may moderate a
roadmap, and blocking an account from proposing. Every action goes into the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog import services as catalog_services
from learnmap.contributions.models import (
    PENDING,
    AuditEntry,
    Change,
    ModeratorRole,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposerBlock,
)
from learnmap.contributions.services.apply import (
    Conflict,
    Edit,
    edit_for,
    intro_of,
    lint,
    new_lint_errors,
    remember,
)
from learnmap.contributions.services.notify import decision_notify
from learnmap.contributions.services.proposals import clean_for
from learnmap.contributions.signals import change_accepted_send
from learnmap.core.errors import ApplicationError, NotFound

DECISION_REASON_LIMIT = 2000


def can_moderate(*, user, roadmap) -> bool:
    """Staff moderate every roadmap; a learner with the role, the roadmap it is for."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or ModeratorRole.objects.filter(user=user, roadmap=roadmap).exists()


def _require_moderator(user, roadmap) -> None:
    if not can_moderate(user=user, roadmap=roadmap):
        raise ApplicationError("Only a moderator of this roadmap can do that.", code="forbidden")


def _proposal(proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("roadmap", "node", "resource", "author")
        .defer("roadmap__source")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound("There is no such proposal.", code="unknown_proposal")
    return proposal


def _audit(actor, action: str, *, roadmap=None, proposal=None, **detail) -> None:
    AuditEntry.objects.create(
        actor=actor, action=action, roadmap=roadmap, proposal=proposal, detail=detail
    )


def _claim(proposal: Proposal, moderator, status: str, reason: str = "") -> None:
    """Move a pending proposal to ``status`` for ``moderator``, or tell them who was first: of
    two moderators acting at once, the second finds it decided (one UPDATE, no race)."""
    claimed = Proposal.objects.filter(pk=proposal.pk, status__in=PENDING).update(
        status=status,
        moderator=moderator,
        decision_reason=reason,
        decided_at=timezone.now() if status not in PENDING else None,
        updated_at=timezone.now(),
    )
    if not claimed:
        proposal.refresh_from_db()
        who = proposal.moderator.get_username() if proposal.moderator else "someone"
        raise ApplicationError(
            f"This proposal was already {proposal.get_status_display().lower()} by {who}: "
            "nothing was changed.",
            code="already_decided",
        )
    proposal.refresh_from_db()


def _summary(kind: str, fields: dict, node) -> str:
    if kind == ProposalKind.EDIT_INTRO:
        return f"Edited the introduction of “{node.title}”"[:600]
    title = fields.get("title") or ""
    verb = {
        ProposalKind.ADD_RESOURCE: "Added",
        ProposalKind.EDIT_RESOURCE: "Edited",
        ProposalKind.REMOVE_RESOURCE: "Removed",
    }[kind]
    return f"{verb} “{title}” in “{node.title}”"[:600]


def _apply(*, roadmap, kind: str, node, resource, fields: dict) -> tuple[Edit, int, str]:
    """Edit the roadmap's Markdown (locked) and import it; the new revision and the key of the
    resource the change leaves (or removed)."""
    source = catalog_services.roadmap_source_for_update(slug=roadmap.slug)
    edit = edit_for(source=source, kind=kind, node=node, resource=resource, fields=fields)
    errors = new_lint_errors(edit)
    if errors:
        raise ApplicationError(
            f"The change would add a lint error: {errors[0].format('README.md')}. Edit the "
            "proposal first; nothing was changed.",
            code="lint_errors",
            extra={"errors": [e.format("README.md") for e in errors]},
        )
    catalog_services.roadmap_import(
        source=edit.after_text,
        slug=roadmap.slug,
        source_name=roadmap.source_name,
        parsed=edit.after,
        linted=lint(edit.after),
    )
    remember(edit.after)
    revision = catalog_selectors.roadmap_get(slug=roadmap.slug).revision
    if kind == ProposalKind.REMOVE_RESOURCE:
        key = str(resource.key)
    elif kind == ProposalKind.EDIT_INTRO:
        key = ""  # the node's own text: no resource
    else:
        found = catalog_selectors.resource_find(
            roadmap=roadmap, url=edit.new_fields["url"], title=edit.new_fields["title"]
        )
        key = str(found.key) if found else ""
    return edit, revision, key


def _record(
    *,
    roadmap,
    kind,
    node,
    edit: Edit,
    revision: int,
    key: str,
    proposal=None,
    author=None,
    moderator=None,
    revert_of=None,
) -> Change:
    fields = edit.new_fields or edit.old_fields
    summary = _summary(kind, fields, node)
    if revert_of is not None:
        summary = f"Reverted: {revert_of.summary}"[:600]
    return Change.objects.create(
        roadmap=roadmap,
        proposal=proposal,
        kind=kind,
        summary=summary,
        author=author,
        moderator=moderator,
        diff=edit.diff,
        revision=revision,
        revert_of=revert_of,
        operation={
            "node": str(node.key),
            "node_title": node.title,  # the summary, said in each reader's language
            "resource": key,
            "old": edit.old_fields,
            "new": edit.new_fields,
        },
    )


def proposal_accept(*, proposal_id: int, moderator, fields: dict | None = None) -> Change:
    """Apply the proposal (with ``fields`` instead of its own when the moderator edited it) to
    the roadmap as it is now, in one transaction: the Markdown, the catalog (the revision goes
    up; learners' progress stays on the same items) and the history. A proposal whose target
    is gone is marked "conflict" and raises; one that would add a lint error changes nothing."""
    try:
        return _accept(proposal_id=proposal_id, moderator=moderator, fields=fields)
    except Conflict as exc:
        with transaction.atomic():
            proposal = _proposal(proposal_id)
            _claim(proposal, moderator, ProposalStatus.CONFLICT, exc.message)
            _audit(moderator, "conflict", roadmap=proposal.roadmap, proposal=proposal)
            decision_notify(proposal=proposal)
        raise


@transaction.atomic
def _accept(*, proposal_id: int, moderator, fields: dict | None) -> Change:
    proposal = _proposal(proposal_id)
    _require_moderator(moderator, proposal.roadmap)
    if fields is not None:
        fields = clean_for(proposal.kind, {**proposal.fields, **fields})
    _claim(proposal, moderator, ProposalStatus.ACCEPTED)
    if fields is not None:
        proposal.fields = fields
        proposal.save(update_fields=["fields", "updated_at"])
    roadmap = proposal.roadmap
    edit, revision, key = _apply(
        roadmap=roadmap,
        kind=proposal.kind,
        node=proposal.node,
        resource=proposal.resource,
        fields=proposal.fields,
    )
    change = _record(
        roadmap=roadmap,
        kind=proposal.kind,
        node=proposal.node,
        edit=edit,
        revision=revision,
        key=key,
        proposal=proposal,
        author=proposal.author,
        moderator=moderator,
    )
    _audit(moderator, "accept", roadmap=roadmap, proposal=proposal, revision=revision)
    change_accepted_send(change=change, roadmap_slug=roadmap.slug)
    decision_notify(proposal=proposal)
    return change


def _decide(proposal_id: int, moderator, status: str, reason: str, action: str) -> Proposal:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Give the contributor a reason.", code="invalid", extra={"field": "reason"}
        )
    if len(reason) > DECISION_REASON_LIMIT:
        raise ApplicationError(
            f"The reason is too long (at most {DECISION_REASON_LIMIT} characters).",
            code="invalid",
            extra={"field": "reason"},
        )
    with transaction.atomic():
        proposal = _proposal(proposal_id)
        _require_moderator(moderator, proposal.roadmap)
        _claim(proposal, moderator, status, reason)
        _audit(moderator, action, roadmap=proposal.roadmap, proposal=proposal)
        decision_notify(proposal=proposal)
    return proposal


def proposal_decline(*, proposal_id: int, moderator, reason: str) -> Proposal:
    return _decide(proposal_id, moderator, ProposalStatus.DECLINED, reason, "decline")


def proposal_request_changes(*, proposal_id: int, moderator, reason: str) -> Proposal:
    return _decide(
        proposal_id, moderator, ProposalStatus.CHANGES_REQUESTED, reason, "request_changes"
    )


_INVERSE = {
    ProposalKind.ADD_RESOURCE: ProposalKind.REMOVE_RESOURCE,
    ProposalKind.REMOVE_RESOURCE: ProposalKind.ADD_RESOURCE,
    ProposalKind.EDIT_RESOURCE: ProposalKind.EDIT_RESOURCE,
    ProposalKind.EDIT_INTRO: ProposalKind.EDIT_INTRO,
}


@transaction.atomic
def change_revert(*, change_id: int, by) -> Change:
    """Undo an accepted change, itself recorded as a change: a new resource is removed, a
    removed one comes back where it was (with the learners' progress on it: the same item), an
    edit (of a resource or an introduction) is edited back. A change already reverted, or
    whose resource changed since in a way the revert cannot undo, is refused."""
    change = Change.objects.select_related("roadmap").filter(pk=change_id).first()
    if change is None:
        raise NotFound("There is no such change.", code="unknown_change")
    roadmap = change.roadmap
    _require_moderator(by, roadmap)
    if Change.objects.filter(revert_of=change).exists():
        raise ApplicationError("This change was reverted already.", code="already_reverted")
    op = change.operation
    node = catalog_selectors.node_get_by_key(key=op["node"])
    kind = _INVERSE[change.kind]
    resource, fields = None, {}
    if kind == ProposalKind.EDIT_INTRO:
        fields = {"intro": op["old"].get("intro", "")}
        source = catalog_services.roadmap_source_for_update(slug=roadmap.slug)
        if intro_of(source=source, node=node) != op["new"].get("intro", ""):
            raise ApplicationError(
                "The introduction was changed again since: reverting this change would undo "
                "that one too. Propose the text you want instead.",
                code="conflict",
            )
    elif kind == ProposalKind.ADD_RESOURCE:
        fields = {k: v for k, v in op["old"].items() if v not in (None, [], "")}
    else:
        resource = catalog_selectors.resource_get_by_key(key=op["resource"])
        if kind == ProposalKind.EDIT_RESOURCE:
            fields = {k: v for k, v in op["old"].items() if op["new"].get(k) != v}
    edit, revision, key = _apply(
        roadmap=roadmap, kind=kind, node=node, resource=resource, fields=fields
    )
    revert = _record(
        roadmap=roadmap,
        kind=kind,
        node=node,
        edit=edit,
        revision=revision,
        key=key,
        author=by,
        moderator=by,
        revert_of=change,
    )
    _audit(by, "revert", roadmap=roadmap, change=change.pk, revision=revision)
    change_accepted_send(change=revert, roadmap_slug=roadmap.slug)
    return revert


@transaction.atomic
def moderator_grant(*, roadmap, user, by) -> ModeratorRole:
    if not by.is_staff:
        raise ApplicationError("Only staff can name moderators.", code="forbidden")
    role, _ = ModeratorRole.objects.get_or_create(user=user, roadmap=roadmap)
    _audit(by, "grant_moderator", roadmap=roadmap, user=user.pk)
    return role


@transaction.atomic
def proposer_block(*, user, by, reason: str = "", roadmap=None) -> ProposerBlock:
    """Stop ``user`` from proposing (their open proposals stay for the moderators)."""
    if roadmap is not None:
        _require_moderator(by, roadmap)
    elif not by.is_staff:
        raise ApplicationError("Only staff or a roadmap's moderators can block.", code="forbidden")
    block, _ = ProposerBlock.objects.update_or_create(
        user=user, defaults={"blocked_by": by, "reason": reason.strip()[:2000]}
    )
    _audit(by, "block", roadmap=roadmap, user=user.pk)
    return block
