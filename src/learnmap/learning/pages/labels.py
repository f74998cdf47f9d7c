"""Words and small pieces the learner's pages share: state and vocabulary labels (translated),
state icons, node addresses."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

STATES = ("not_started", "in_progress", "done", "skipped")
STATE_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "done": _("Done"),
    "skipped": _("Skipped"),
}
# What a button that sets the state says (the state's label is its visible text).
STATE_ACTIONS = {
    "not_started": _("Mark “%(title)s” as not started"),
    "in_progress": _("Mark “%(title)s” as in progress"),
    "done": _("Mark “%(title)s” as done"),
    "skipped": _("Mark “%(title)s” as skipped"),
}
FILTER_LABELS = {
    "language": _("Language"),
    "price": _("Price"),
    "kind": _("Kind"),
    "level": _("Level"),
    "format": _("Format"),
}
PRICE_LABELS = {"free": _("Free"), "paid": _("Paid")}
# The roadmap files' own words for levels, kinds and the commonest languages, translated for
# the interface (any other word is shown as the file writes it).
VOCAB_LABELS = {
    "Beginner": _("Beginner"),
    "Intermediate": _("Intermediate"),
    "Advanced": _("Advanced"),
    "Article": _("Article"),
    "Blog": _("Blog"),
    "Book": _("Book"),
    "Cheat Sheet": _("Cheat sheet"),
    "Community": _("Community"),
    "Conference": _("Conference"),
    "Course": _("Course"),
    "Documentation": _("Documentation"),
    "Exercise": _("Exercise"),
    "Newsletter": _("Newsletter"),
    "Paper": _("Paper"),
    "Platform": _("Platform"),
    "Playlist": _("Playlist"),
    "Podcast": _("Podcast"),
    "Repository": _("Repository"),
    "Talk": _("Talk"),
    "Tool": _("Tool"),
    "Tutorial": _("Tutorial"),
    "Video": _("Video"),
    "Website": _("Website"),
    "English": _("English"),
    "Persian": _("Persian"),
    "Arabic": _("Arabic"),
}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def state_icon_html(state: str) -> SafeString:
    """A state's icon, by reference to ``learning/icons.html`` (decorative; sized by the
    ``state-icon`` class). Short: the roadmap page has one per node and button."""
    return _STATE_ICONS.get(state, _STATE_ICONS["not_started"])


_STATE_ICONS = {
    state: SafeString(f'<svg class="state-icon" aria-hidden="true"><use href="#si-{state}"/></svg>')
    for state in STATES
}


# --- node URLs ------------------------------------------------------------------------------------


class NodeUrls:
    """Node page addresses of one roadmap, without a ``reverse`` per node."""

    _PLACEHOLDER = "__node__"

    def __init__(self, roadmap_slug: str):
        self.roadmap_slug = roadmap_slug
        self._pattern = reverse("learning:node", args=[roadmap_slug, self._PLACEHOLDER])

    def __call__(self, node_slug: str) -> str:
        return self._pattern.replace(self._PLACEHOLDER, quote(node_slug, safe=""))


def node_key_url(key: UUID) -> str:
    return reverse("learning:node-key", args=[key])


def state_action_label(state: str, title: str) -> str:
    return str(STATE_ACTIONS[state]) % {"title": title}


def price_label(cost: str) -> str:
    return str(PRICE_LABELS.get(cost, cost))


def kind_heading(kind: str) -> str:
    return vocab_label(kind) if kind else pgettext("resource kind", "Other")


def vocab_label(word: str) -> str:
    return str(VOCAB_LABELS.get(word, word))
