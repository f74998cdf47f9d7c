"""Writing to accounts: the actions a learner takes on their own account."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from learnmap.accounts.models import User
from learnmap.core.errors import ApplicationError


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the learner and everything that belongs to them.

    Every model that holds a learner's data (progress, notes, email addresses) points at the
    user with ``on_delete=CASCADE``, so one delete removes it all, in one transaction. The
    last active administrator cannot delete themselves: nobody could run the site after.
    """
    if user.is_superuser and user.is_active:
        others = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            raise ApplicationError(
                _(
                    "You are the only administrator of this site. Make someone else an "
                    "administrator before you delete your account."
                ),
                code="last_administrator",
            )
    user.delete()
