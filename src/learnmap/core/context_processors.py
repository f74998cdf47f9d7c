"""What the page layout (``base.html``) needs on every page: navigation, theme, languages."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# The header's links, in order: (URL name, label, only for signed-in learners). A link whose
# page does not exist (yet) is left out, so apps can be added without touching the layout.
NAV_LINKS = (
    ("learning:home", _("Roadmaps"), False),
    ("learning:search", _("Search"), False),
    ("learning:progress", _("My progress"), True),
)
# The colour theme the learner picked; no cookie means "follow the system".
THEME_COOKIE = "learnmap_theme"
THEMES = ("light", "dark")
# What the theme button switches to next: auto (the system's choice) -> light -> dark -> auto.
NEXT_THEME = {"": "light", "light": "dark", "dark": ""}


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in its own language: "فارسی", "English"


def layout(request: HttpRequest) -> dict:
    theme = theme_from_request(request)
    return {
        "nav_links": _nav_links(request),
        "theme": theme,
        "theme_next": NEXT_THEME[theme],
        "theme_cookie": THEME_COOKIE,
        "other_languages": _other_languages(),
    }


def theme_from_request(request: HttpRequest) -> str:
    """The learner's chosen theme, or "" to follow the system (``prefers-color-scheme``)."""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    return theme if theme in THEMES else ""


def _nav_links(request: HttpRequest) -> list[NavLink]:
    signed_in = request.user.is_authenticated if hasattr(request, "user") else False
    links = []
    for name, label, needs_login in NAV_LINKS:
        if needs_login and not signed_in:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        links.append(NavLink(url=url, label=str(label), current=current))
    return links


def _other_languages() -> list[Language]:
    current = get_language()
    return [
        Language(code=code, name=get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
        if code != current
    ]
