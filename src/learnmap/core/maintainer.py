"""Panels that apps add to a roadmap's maintainer page.

The maintainer page (link health's, ``/r/<slug>/links/``) shows what other apps know about the
roadmap, without importing them: an app registers a panel in its ``AppConfig.ready``, a
function of the request and the roadmap returning HTML rendered from its own template (escaped
by Django's templates), or "" when it has nothing to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

logger = logging.getLogger(__name__)

Panel = Callable[[HttpRequest, Any], str]

_panels: dict[str, Panel] = {}


def panel_register(*, name: str, panel: Panel) -> None:
    _panels[name] = panel


def panels_render(*, request: HttpRequest, roadmap: Any) -> list[SafeString]:
    """Every registered panel's HTML for ``roadmap`` (empty ones left out)."""
    rendered = []
    for name, panel in list(_panels.items()):
        try:
            html = panel(request, roadmap)
        except Exception:  # a panel that fails leaves the page standing
            logger.exception("The maintainer panel %r failed.", name)
            continue
        if html:
            rendered.append(SafeString(html))
    return rendered
