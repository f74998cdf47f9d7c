"""What contributions announce to the apps above it, which it never imports.

``change_accepted`` is sent when an accepted change has moved a roadmap's Markdown (a
proposal accepted, an introduction fixed, a change reverted), inside that transaction, once
the Markdown, the catalog and the history are written: what a receiver records commits with
the change or not at all. A receiver records and returns; anything slow (git, mail) it runs
after the commit (``transaction.on_commit``, a task). Keyword arguments: ``roadmap_slug``,
``change_id``, ``proposal_id`` (None for a revert), ``contributor`` and ``moderator`` (users,
or None), ``summary`` (one line, English) and ``reverted``.
"""

from __future__ import annotations

from django.dispatch import Signal

from learnmap.contributions.models import Change

change_accepted = Signal()


def change_accepted_send(*, change: Change, roadmap_slug: str) -> None:
    change_accepted.send(
        sender=Change,
        roadmap_slug=roadmap_slug,
        change_id=change.pk,
        proposal_id=change.proposal_id,
        contributor=change.author,
        moderator=change.moderator,
        summary=change.summary,
        reverted=change.revert_of_id is not None,
    )
