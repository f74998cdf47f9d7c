"""The shared cache and sessions.

Cached pages, sign-in rate limits and API rate limits live in the cache, so it has to be
shared by every worker process: one machine, a file cache in the data directory; several
machines, REDIS_URL points every instance at one Redis.
"""

from __future__ import annotations

from learnmap.config.env import env
from learnmap.config.settings.base import DATA_DIR

# e.g. redis://127.0.0.1:6379/0; unset: file caches in the data directory.
REDIS_URL = env.str("REDIS_URL", default="").strip()


def _cache(directory: str, **options: object) -> dict:
    if REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / directory),
        **({"OPTIONS": options} if options else {}),
    }


CACHES = {
    "default": _cache("cache"),
    # Sessions get a cache of their own: the file cache culls a random third of its entries
    # when it is full, and an entry per visitor must not push out the cached pages or the
    # sign-in rate limits.
    "sessions": _cache("sessions", MAX_ENTRIES=5_000),
}

# Sessions (bench/web): read from a cache, every change written through to the database too,
# so a cache that forgets loses nothing. It takes a signed-in page's session read off the
# database (a third of what a signed-in page costs more than an anonymous one). Not signed
# cookies: an anonymous learner's progress lives in their session and outgrows a cookie.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
