"""The proposal and moderation forms: they read what a person typed into the shape the services
take (a resource's fields as a dict, languages as a list). The rules (lengths, an http(s) link,
what a proposal needs) are the services'; their refusals come back onto the form's fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learnmap.contributions.services.proposals import LIMITS, REASON_LIMIT
from learnmap.roadmap_md import INTRO_MAX_CHARS
from learnmap.roadmap_md.vocab import LEVELS

# The resource fields a proposal may set, in the order the forms show them.
RESOURCE_FIELDS = ("title", "url", "author", "kind", "level", "languages", "cost", "description")


class ResourceForm(forms.Form):
    """A resource as a contributor (or a moderator editing a proposal) writes it. ``initial``
    holds the resource's fields as the services name them (languages as a list)."""

    title = forms.CharField(label=_("Title"), required=False, max_length=LIMITS["title"])
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=LIMITS["url"],
        widget=forms.URLInput(attrs={"dir": "ltr", "inputmode": "url"}),
        help_text=_("The whole web address, starting with https:// or http://."),
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=LIMITS["author"])
    kind = forms.CharField(
        label=_("Kind"),
        required=False,
        max_length=LIMITS["kind"],
        help_text=_("Such as Book, Course, Video, Article or Documentation."),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Any level"))] + [(level, level) for level in LEVELS],
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("In English words, separated by commas: English, Persian."),
    )
    cost = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("Not said")), ("free", _("Free")), ("paid", _("Paid"))],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Why it belongs here"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the moderator who reviews it."),
    )

    def __init__(self, *args, new: bool = False, with_reason: bool = True, **kwargs):
        initial = dict(kwargs.pop("initial", None) or {})
        if isinstance(initial.get("languages"), list | tuple):
            initial["languages"] = ", ".join(initial["languages"])
        super().__init__(*args, initial=initial, **kwargs)
        if new:  # said to the browser too; the service refuses a new resource without them
            self.fields["title"].widget.attrs["required"] = True
            self.fields["url"].widget.attrs["required"] = True
        if not with_reason:
            del self.fields["reason"]

    def resource_fields(self) -> dict:
        """Every resource field as the services take it (an empty one is ``None``)."""
        data = self.cleaned_data
        fields: dict = {name: (data.get(name) or "").strip() or None for name in RESOURCE_FIELDS}
        languages = (data.get("languages") or "").replace("،", ",")  # the Persian comma too
        fields["languages"] = [lang.strip() for lang in languages.split(",") if lang.strip()]
        return fields

    def changed_fields(self, base: dict) -> dict:
        """The fields whose value differs from ``base`` (a resource's or a proposal's fields)."""
        return {
            name: value
            for name, value in self.resource_fields().items()
            if _same(value) != _same(base.get(name))
        }


def _same(value):
    """Empty is empty, whether "", None or [] (the catalog and the Markdown say it differently)."""
    return value or None


class IntroForm(forms.Form):
    """A section's or topic's introduction as a contributor (or a moderator) rewrites it."""

    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=INTRO_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain paragraphs, separated by an empty line; *emphasis* and [links](https://...) "
            "as in Markdown. Leave it empty to remove the introduction."
        ),
    )
    reason = forms.CharField(
        label=_("Why it is better"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the moderator who reviews it."),
    )

    def __init__(self, *args, with_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["reason"]

    def changed_fields(self, base: dict) -> dict:
        intro = self.cleaned_data.get("intro") or ""
        return {"intro": intro} if intro.strip() != (base.get("intro") or "").strip() else {}


class ReasonForm(forms.Form):
    """A reason, required: a removal, a decline, a request for changes."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
