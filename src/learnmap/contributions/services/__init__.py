"""Contributions' services: proposing (``proposals``), what a review shows (``review``),
moderating (``moderation``), and the edit of the Markdown under them all (``apply``)."""

from learnmap.contributions.services.apply import Conflict, diff_text
from learnmap.contributions.services.moderation import (
    can_moderate,
    change_revert,
    moderator_grant,
    proposal_accept,
    proposal_decline,
    proposal_request_changes,
    proposer_block,
)
from learnmap.contributions.services.proposals import (
    clean_fields,
    clean_for,
    intro_current,
    proposal_create,
    proposal_update,
)
from learnmap.contributions.services.review import Preview, duplicates_for, proposal_preview

__all__ = [
    "Conflict",
    "Preview",
    "can_moderate",
    "change_revert",
    "clean_fields",
    "clean_for",
    "diff_text",
    "duplicates_for",
    "intro_current",
    "moderator_grant",
    "proposal_accept",
    "proposal_create",
    "proposal_decline",
    "proposal_preview",
    "proposal_request_changes",
    "proposal_update",
    "proposer_block",
]
