"""Template helpers for the learner's pages: state icons and labels, safe links, Markdown."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString

from learnmap.catalog import search
from learnmap.learning import pages
from learnmap.learning.notes import inline_plain, inline_render, note_render

register = template.Library()


@register.simple_tag
def state_icon(state: str) -> SafeString:
    """A small icon for a progress state (decorative: the state is also said in words).
    Pages that use it include ``learning/icons.html`` (the symbols it refers to)."""
    return pages.state_icon_html(state)


@register.filter
def state_label(state: str) -> str:
    return pages.state_label(state)


@register.simple_tag
def state_action(state: str, title: str) -> str:
    """The accessible name of a button that sets ``state`` on the node titled ``title``."""
    return pages.state_action_label(state, title)


@register.filter
def price_label(cost: str) -> str:
    return pages.price_label(cost)


@register.filter
def vocab(word: str) -> str:
    """A level, kind or language from a roadmap file, in the interface's language if known."""
    return pages.vocab_label(word)


@register.filter
def kind_heading(kind: str) -> str:
    return pages.kind_heading(kind)


@register.filter
def safe_href(url: str) -> str:
    """The URL if it is a web or mail link, otherwise "#": a Markdown file never gets to put
    ``javascript:`` (or anything else) in an ``href``."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return "#"
    return url if scheme in ("http", "https", "mailto") else "#"


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown (a node's intro) rendered without raw HTML and sanitised."""
    return note_render(text=text or "")


@register.filter
def markdown_inline(text: str) -> SafeString:
    """A description's inline Markdown rendered without raw HTML and sanitised."""
    return inline_render(text=text or "")


@register.filter
def markdown_plain(text: str) -> str:
    """A description's inline Markdown as plain text (escaped by the template as usual)."""
    return inline_plain(text=text or "")


@register.filter
def contains(collection, item) -> bool:
    return item in collection


@register.filter
def percent_of(part: int, whole: int) -> int:
    return part * 100 // whole if whole else 0


@register.simple_tag
def progress_states() -> tuple[str, ...]:
    """The four node states, in the order the controls offer them."""
    return pages.STATES


@register.filter
def highlight(text: str, query) -> SafeString:
    """``text`` escaped, with the search ``query``'s matches in ``<mark>``."""
    return search.highlight(text or "", query)


@register.filter
def hit_field(hit, name: str) -> str:
    """The raw text of one field of a search hit ("" if it has none)."""
    return hit.field(name)


@register.filter
def pressed(values, state: str) -> str:
    """``aria-pressed`` of the button for ``state``: "true" for the learner's state."""
    return values[f"p_{state}"]
