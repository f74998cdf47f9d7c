"""Proposals, the roadmap's history of accepted changes, who moderates what, and the audit log.

A proposal names its target by the catalog's stable keys (a node's, a resource's), never by
a line number: the roadmap may change between the proposal and the review, and the keys stay
with "the same item" across edits (``catalog.matching``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from learnmap.core.models import BaseModel


class ProposalKind(models.TextChoices):
    ADD_RESOURCE = "add_resource", "New resource"
    EDIT_RESOURCE = "edit_resource", "Edit of a resource"
    REMOVE_RESOURCE = "remove_resource", "Removal of a resource"
    EDIT_INTRO = "edit_intro", "Fix of an introduction"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CONFLICT = "conflict", "Conflict"


# A moderator can act on these; the others are decided.
PENDING = (ProposalStatus.OPEN, ProposalStatus.CHANGES_REQUESTED)


class Proposal(BaseModel):
    """A change a learner asks for: ``fields`` holds what they typed (for an edit, only the
    fields that change), ``reason`` why it belongs here."""

    roadmap = models.ForeignKey(
        "catalog.Roadmap", on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    # Where it goes (a new resource) or where the resource was when proposed.
    node = models.ForeignKey("catalog.Node", on_delete=models.CASCADE, related_name="proposals")
    # The resource an edit or a removal is about.
    resource = models.ForeignKey(
        "catalog.Resource",
        on_delete=models.CASCADE,
        related_name="proposals",
        null=True,
        blank=True,
    )
    fields = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    base_revision = models.PositiveIntegerField(help_text="The roadmap's revision when proposed.")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_proposals",
    )
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["roadmap", "status", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"


class Change(BaseModel):
    """An accepted change in a roadmap's history: what moved the Markdown from one revision to
    the next (a proposal accepted, or a revert), with the diff as it was written."""

    roadmap = models.ForeignKey("catalog.Roadmap", on_delete=models.CASCADE, related_name="changes")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="change"
    )
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    summary = models.CharField(max_length=600)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_changes",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applied_changes",
    )
    diff = models.TextField()
    revision = models.PositiveIntegerField(help_text="The roadmap's revision this change made.")
    # What a revert needs: the resource's key and its fields before and after.
    operation = models.JSONField(default=dict)
    revert_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverted_by"
    )

    class Meta:
        indexes = [models.Index(fields=["roadmap", "-created_at"])]

    def __str__(self) -> str:
        return self.summary


class ModeratorRole(BaseModel):
    """A learner who moderates one roadmap (staff moderate every roadmap)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_roles"
    )
    roadmap = models.ForeignKey(
        "catalog.Roadmap", on_delete=models.CASCADE, related_name="moderator_roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "roadmap"], name="contributions_moderator_once")
        ]


class ProposerBlock(BaseModel):
    """An account a moderator stopped from proposing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposer_block"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)


class AuditEntry(models.Model):
    """Every moderation action: who did what, to which proposal or account, when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    roadmap = models.ForeignKey(
        "catalog.Roadmap", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
