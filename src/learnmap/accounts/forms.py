"""Account forms that allauth does not have."""

from allauth.account.forms import ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from learnmap.accounts.services import TOKEN_NAME_MAX_CHARS


class AccountDeleteForm(ReauthenticateForm):
    """Confirm the deletion with the account's password.

    allauth checks the password, counting wrong ones against the same per-account and
    per-address limits as sign-in attempts.
    """


class TokenCreateForm(forms.Form):
    """A new personal access token: a name, and when it stops working."""

    EXPIRY_CHOICES = (
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("", _("Never (until you revoke it)")),
    )

    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX_CHARS,
        help_text=_("What the token is for, such as the program or machine that will use it."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
