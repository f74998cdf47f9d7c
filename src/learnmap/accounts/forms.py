"""Account forms that allauth does not have."""

from allauth.account.forms import ReauthenticateForm


class AccountDeleteForm(ReauthenticateForm):
    """Confirm the deletion with the account's password.

    allauth checks the password, counting wrong ones against the same per-account and
    per-address limits as sign-in attempts.
    """
