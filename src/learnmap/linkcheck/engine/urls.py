"""Which URLs the checker requests, and how it names them and their hosts."""

from __future__ import annotations

import httpx

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """A URL the checker will not request: unparsable, no host, or not http(s)."""


def parse(url: str) -> httpx.URL:
    """Parse an absolute http(s) URL and drop its fragment (fragments are not requested)."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise BadURL(f"not a valid URL: {exc}") from None
    if parsed.scheme not in SCHEMES:
        shown = parsed.scheme or "none"
        raise BadURL(f"scheme '{shown}' is not checked: only http and https are")
    if not parsed.host:
        raise BadURL("the URL has no host")
    return parsed.copy_with(fragment=None) if parsed.fragment else parsed


def normalize_url(url: str) -> str:
    """The key one URL is checked and cached under: scheme and host lower-cased, IDNA
    host, default port and fragment dropped. Raises BadURL."""
    return str(parse(url))


def is_checkable(url: str) -> bool:
    """True for absolute http(s) URLs with a host (callers skip mailto:, relative links)."""
    try:
        parse(url)
    except BadURL:
        return False
    return True


def port_of(url: httpx.URL) -> int:
    return url.port or DEFAULT_PORTS[url.scheme]


def host_key(url: httpx.URL) -> tuple[str, int]:
    """Limits apply per (hostname, port): two ports of one name are two servers."""
    return url.host, port_of(url)


def host_header(url: httpx.URL) -> bytes:
    host = url.raw_host
    if b":" in host:  # an IPv6 literal
        host = b"[" + host + b"]"
    if url.port is not None and url.port != DEFAULT_PORTS[url.scheme]:
        host += b":%d" % url.port
    return host
