"""A roadmap's history as an Atom feed (Django's syndication framework): each accepted change,
newest first, linked to its page."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors
from learnmap.contributions.templatetags.contributions import change_summary
from learnmap.core.errors import NotFound

FEED_ENTRIES = 50


class RoadmapHistoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        try:
            return catalog_selectors.roadmap_header_get(slug=slug)
        except NotFound:
            raise Http404(_("There is no such roadmap.")) from None

    def title(self, roadmap) -> str:
        return _("Changes to %(roadmap)s") % {"roadmap": roadmap.title}

    def subtitle(self, roadmap) -> str:
        return _("New, edited and removed resources, as moderators accepted them.")

    def link(self, roadmap) -> str:
        return reverse("contributions:history", args=[roadmap.slug])

    def items(self, roadmap):
        changes = list(selectors.change_list(roadmap=roadmap, limit=FEED_ENTRIES))
        for change in changes:
            change.roadmap = roadmap  # for the links, without a query per entry
        return changes

    def item_title(self, change) -> str:
        return change_summary(change)

    def item_description(self, change) -> str:
        # An Atom summary of type "html": the diff escaped, so a reader shows it as text.
        return format_html("<pre>{}</pre>", change.diff)

    def item_link(self, change) -> str:
        return reverse("contributions:change", args=[change.roadmap.slug, change.pk])

    def item_author_name(self, change) -> str | None:
        return change.author.get_username() if change.author else None

    def item_pubdate(self, change):
        return change.created_at

    def item_updateddate(self, change):
        return change.created_at
