"""How a URL is named in the link tables: the engine's key, and its hash (the unique column)."""

from __future__ import annotations

import hashlib

from learnmap.linkcheck.engine import BadURL, normalize_url

WEB_SCHEMES = ("http://", "https://")


def is_web_link(url: str) -> bool:
    """http(s) links are checked; mailto: and other schemes are not."""
    return url.strip().lower().startswith(WEB_SCHEMES)


def url_key(url: str) -> str | None:
    """The key a URL is checked and stored under (fragment, default port and case dropped;
    None: not a URL the checker requests)."""
    try:
        return normalize_url(url)
    except BadURL:
        return None


def url_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
