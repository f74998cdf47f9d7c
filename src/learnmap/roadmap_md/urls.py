"""When two links point at the same resource, as a reader would say.

``identity`` folds what does not change the page: the scheme (http and https), a ``www.``
prefix, letter case in the host, a default port, a trailing slash, the fragment, tracking
parameters (``utm_*``, ``fbclid``...) and the order of the other query parameters.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "ref_src"}
)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def _tracking(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMETERS


def identity(url: str) -> str:
    """A key equal for two URLs of one resource; "" for a URL without a host.

    >>> identity("https://www.Example.com/docs/?utm_source=x&b=2&a=1#intro")
    'example.com/docs?a=1&b=2'
    >>> identity("http://example.com/docs") == identity("https://example.com/docs/")
    True
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return ""
    host = host.removeprefix("www.")
    if port is not None and str(port) != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)
    )
    path = parts.path.rstrip("/")
    return host + path + (f"?{urlencode(query)}" if query else "")
