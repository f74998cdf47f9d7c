"""Contribution pages: propose from a node, my proposals, the review queue and a proposal's
review, a roadmap's history and a change's diff (the Atom feed is in ``feeds``).

Thin: check who asks, read the input with a form, call one service or selector, render or
redirect (POST, then a redirect, then GET). A service's refusal comes back as its sentence on
the form field it names, at the top of the form, or as a 403/404/429 page.

By job: ``propose`` (and My proposals), ``review``, ``history``; what they share is in
``common``.
"""

from learnmap.contributions.views.history import (
    change_detail,
    change_revert,
    history,
)
from learnmap.contributions.views.propose import (
    my_proposal,
    my_proposal_revise,
    my_proposals,
    propose_add,
    propose_edit,
    propose_intro,
    propose_remove,
)
from learnmap.contributions.views.review import (
    review_accept,
    review_decline,
    review_detail,
    review_queue,
    review_request_changes,
)

__all__ = [
    "change_detail",
    "change_revert",
    "history",
    "my_proposal",
    "my_proposal_revise",
    "my_proposals",
    "propose_add",
    "propose_edit",
    "propose_intro",
    "propose_remove",
    "review_accept",
    "review_decline",
    "review_detail",
    "review_queue",
    "review_request_changes",
]
