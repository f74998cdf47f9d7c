"""Signal receivers: thin, each only calls a service."""

from __future__ import annotations

import logging

from learnmap.learning.services import progress_merge_session

logger = logging.getLogger(__name__)


def merge_session_progress(sender, request=None, user=None, **kwargs) -> None:
    """On sign-in or sign-up, move the visitor's anonymous progress into their account.

    A failure must not stop the sign-in: it is logged, and the merge (one transaction) leaves
    the session as it was, so the progress is merged at the next sign-in instead of being lost.
    """
    session = getattr(request, "session", None)
    if session is None or user is None or user.pk is None:
        return
    try:
        progress_merge_session(request_session=session, user=user)
    except Exception:
        logger.exception("Could not merge anonymous progress into user %s", user.pk)
