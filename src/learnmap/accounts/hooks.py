"""allauth's signals that accounts acts on (connected in ``AccountsConfig.ready``).

allauth changes and resets passwords itself; its signals are the documented place to add to
that. Each receiver is thin, as a view is: it calls one service and tells the learner.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import ngettext

from learnmap.accounts import services
from learnmap.accounts.models import User


def password_replaced(sender, *, request: HttpRequest, user: User, **kwargs) -> None:
    """A new password (changed, or reset by email): the access tokens made under the old one
    stop working, and the learner is told."""
    revoked = services.tokens_revoke_all(user=user)
    if revoked:
        messages.info(
            request,
            ngettext(
                "Your %(count)d access token was revoked with the old password: make a new "
                "one for the program that used it.",
                "Your %(count)d access tokens were revoked with the old password: make new "
                "ones for the programs that used them.",
                revoked,
            )
            % {"count": revoked},
        )
