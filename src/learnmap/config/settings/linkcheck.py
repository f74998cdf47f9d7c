"""Background tasks and link health.

Tasks go through the django-tasks API into the database queue (django-tasks-db): no broker
on a laptop, and a killed worker loses nothing (the task is picked up again).

Every roadmap's links are checked in the background (`learnmap worker`, or the one
`learnmap serve` starts beside the site on the embedded default). Durations are in seconds.
"""

from __future__ import annotations

from learnmap.config.env import env

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# How often every roadmap's links are checked (0: never on its own).
LINKCHECK_INTERVAL = env.int("LEARNMAP_LINKCHECK_INTERVAL", default=24 * 60 * 60, least=0)
# The first check comes this long after the first worker starts.
LINKCHECK_FIRST_DELAY = env.int("LEARNMAP_LINKCHECK_FIRST_DELAY", default=10 * 60, least=0)
# A link is shown as broken only after this many scheduled checks in a row found it so.
LINKCHECK_FAILURES_TO_SHOW = env.int("LEARNMAP_LINKCHECK_FAILURES", default=2, least=1)
# Links checked at once, and at once on one host.
LINKCHECK_CONCURRENCY = env.int("LEARNMAP_LINKCHECK_CONCURRENCY", default=32, least=1)
LINKCHECK_PER_HOST = env.int("LEARNMAP_LINKCHECK_PER_HOST", default=4, least=1)
# Seconds a link has to answer.
LINKCHECK_TIMEOUT = env.int("LEARNMAP_LINKCHECK_TIMEOUT", default=10, least=1)
# A verdict is reused this long (at most half the interval for scheduled checks).
LINKCHECK_CACHE_TTL = env.int("LEARNMAP_LINKCHECK_CACHE_TTL", default=6 * 60 * 60, least=0)
# Days the history of checks (and finished background tasks) is kept: the worker prunes what
# is older, but the latest check of each roadmap.
LINKCHECK_HISTORY_DAYS = env.int("LEARNMAP_LINKCHECK_HISTORY_DAYS", default=90, least=1)
# The User-Agent the checker sends ("": the built-in one).
LINKCHECK_USER_AGENT = env.str("LEARNMAP_LINKCHECK_USER_AGENT", default="").strip()
# Lets the checker reach loopback and private addresses: for tests against local servers only.
LINKCHECK_ALLOW_PRIVATE = env.bool("LEARNMAP_LINKCHECK_ALLOW_PRIVATE", default=False)
