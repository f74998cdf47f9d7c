"""The link-check engine: pure Python (httpx/httpcore, no Django, no other learnmap module).

    from learnmap.linkcheck.engine import CheckConfig, check_urls_sync, format_text

    results = check_urls_sync(urls, CheckConfig(per_host=4, timeout=10))
    print(format_text(results, lines={url: [12, 40]}))

The Django side plugs in its cache (`Cache`: get/set), reads the environment (for
example LEARNMAP_LINKCHECK_ALLOW_PRIVATE into `CheckConfig.allow_private`) and stores
`LinkResult.to_dict()`.
"""

from .cache import Cache, MemoryCache, is_fresh
from .checker import OnResult, check_urls, check_urls_sync
from .config import DEFAULT_USER_AGENT, CheckConfig, Resolver
from .guard import address_problem, resolve_allowed, system_resolver
from .politeness import retry_after_seconds
from .report import format_json, format_markdown, format_text
from .results import STABLE_CLASSES, Hop, LinkClass, LinkResult, summarize
from .urls import BadURL, is_checkable, normalize_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "STABLE_CLASSES",
    "BadURL",
    "Cache",
    "CheckConfig",
    "Hop",
    "LinkClass",
    "LinkResult",
    "MemoryCache",
    "OnResult",
    "Resolver",
    "address_problem",
    "check_urls",
    "check_urls_sync",
    "format_json",
    "format_markdown",
    "format_text",
    "is_checkable",
    "is_fresh",
    "normalize_url",
    "resolve_allowed",
    "retry_after_seconds",
    "summarize",
    "system_resolver",
]
