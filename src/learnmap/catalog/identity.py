"""What makes two versions of a link or a title "the same" to a person: the pure pieces of the
catalog's matching (``matching.py``). No database, no Django.

``url_key`` is a URL as matching compares it, never as it is shown or stored: a maintainer who
tidies a link (``http`` to ``https``, ``www.`` dropped, a trailing slash, a ``#fragment`` or a
``?utm_source=...`` added or removed) has not changed what it points to. Written with the
standard library rather than a dependency: ``w3lib.url.canonicalize_url`` and ``url-normalize``
keep ``www.``, the scheme, trailing slashes and tracking parameters (they make a URL canonical
for fetching; this is looser, for recognising), so either would cover only part of it.

``title_words`` and ``word_overlap`` compare titles by their words ("Caching" and "Caching
Strategies" share all the words of the shorter), folded the way search folds text (case,
diacritics, Arabic and Persian letter forms).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from learnmap.catalog.search.normalise import normalise

# Query parameters that say where a visitor came from, not what the page is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "si",  # YouTube's and Spotify's share links
    }
)
TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = frozenset({80, 443})  # http and https are one scheme here


@functools.lru_cache(maxsize=65_536)
def url_key(url: str) -> str:
    """``url`` as matching compares it: scheme (http or https), ``www.``, the default port, a
    trailing slash, the fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``,
    ``ref``...) left out; the host in lower case; the other parameters in a fixed order.
    A URL that is not http(s) (``mailto:``, a relative link) is compared as written."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 host: compared as written
        return text
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return text
    host = parts.hostname  # lower case already
    if host.startswith("www."):
        host = host[4:]
    if port is not None and port not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMETERS
        and not name.lower().startswith(TRACKING_PREFIXES)
    ]
    return f"//{host}{path}" + (f"?{urlencode(sorted(query))}" if query else "")


# Words that say nothing about what a heading is about ("Where to Go Next?" is about going).
STOP_WORDS = frozenset(
    {"a", "an", "and", "or", "of", "the", "to", "in", "on", "for", "with", "by", "from"}
    | {"at", "as", "is", "are", "then", "what", "where", "who", "how", "your", "you", "its"}
)
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=4096)
def title_words(title: str) -> frozenset[str]:
    """The words of a title that carry its meaning, folded for comparison."""
    return frozenset(w for w in _WORD.findall(normalise(title)) if w not in STOP_WORDS)


WORD_OVERLAP_MIN = 0.5


def word_overlap(a: str, b: str) -> float:
    """How much of the shorter title's words the other has (0 when they share none): 1.0 for
    "Caching" / "Caching Strategies", 0.5 for "Reactive Systems" / "Reactive Programming"."""
    words_a, words_b = title_words(a), title_words(b)
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def parse_rename(text: str) -> tuple[str, str]:
    """One ``--rename`` pin, "Old title=New title", as (old, new); a clear error otherwise.
    (Raises ``ValueError``: the service turns it into an ``ApplicationError``.)"""
    old, sep, new = text.partition("=")
    old, new = old.strip(), new.strip()
    if not sep or not old or not new:
        raise ValueError(
            f'{text!r} is not a rename: write it as "Old title=New title" (the title stored '
            "now, then the title in the new file)."
        )
    return old, new
