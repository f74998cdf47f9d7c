"""``{% link_badge resource %}``: the small badge a resource shows when its link is not ok.

The badges of a whole page cost one query: the first tag of a request loads every link the
site shows as not ok (``selectors.link_badges_shown``) and keeps them on the request.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from learnmap.linkcheck import selectors

register = template.Library()

_MEMO = "_learnmap_link_badges"


def _badges(context) -> dict[str, selectors.LinkBadge]:
    request = context.get("request")
    badges = getattr(request, _MEMO, None)
    if badges is None:
        badges = selectors.link_badges_shown()
        if request is not None:
            setattr(request, _MEMO, badges)
    return badges


@register.simple_tag(takes_context=True)
def link_badge(context, resource) -> str:
    """A list item with the badge ("dead since 3 Nov: 404"), or nothing when the link is ok."""
    badge = selectors.link_badge_for(_badges(context), url=getattr(resource, "url", "") or "")
    if badge is None:
        return ""
    return format_html(
        '<li><span class="badge badge--{} link-badge link-badge--{}" title="{}">{}</span></li>',
        badge.tone,
        badge.link_class,
        badge.title,
        badge.text,
    )
