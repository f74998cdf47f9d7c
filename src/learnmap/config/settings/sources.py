"""Roadmaps that follow a Git repository (learnmap.sources).

Git runs as Debian's ``git`` command, without the user's or the system's git configuration,
never prompting. Credentials never go into the database: a source's URL names them as
``${LEARNMAP_GIT_...}`` placeholders read from this process's environment (README,
"Following a Git repository"). Durations are in seconds.
"""

from __future__ import annotations

from learnmap.config.env import env
from learnmap.config.settings.base import DATA_DIR

# How often the worker pulls every source (0: only on a webhook or `learnmap sync`).
SOURCES_SYNC_INTERVAL = env.int("LEARNMAP_SOURCES_SYNC_INTERVAL", default=60 * 60, least=0)
# Where the local clones live ("": the data directory's sources/).
SOURCES_DIR = env.str("LEARNMAP_SOURCES_DIR", default="") or str(DATA_DIR / "sources")
# Seconds one git command (a fetch) may take before it is stopped.
SOURCES_GIT_TIMEOUT = env.int("LEARNMAP_SOURCES_GIT_TIMEOUT", default=120, least=1)
# The private key for ssh:// and git@host:path sources ("": ssh's agent, SSH_AUTH_SOCK).
SOURCES_SSH_KEY = env.str("LEARNMAP_GIT_SSH_KEY", default="")
# Days a webhook's delivery id is remembered (a delivery sent again in that time is a 409).
SOURCES_DELIVERY_DAYS = env.int("LEARNMAP_SOURCES_DELIVERY_DAYS", default=7, least=1)
# Webhook requests per client address ("requests/period" or "off"), as the API's rates.
SOURCES_WEBHOOK_RATE_PER_IP = env.str("LEARNMAP_SOURCES_WEBHOOK_RATE", default="60/m")
# The branch the changes accepted on the site are committed to (and pushed to, when a source
# allows pushing), based on the source's branch.
SOURCES_CHANGES_BRANCH = env.str("LEARNMAP_GIT_CHANGES_BRANCH", default="learnmap/changes")
# The committer of those commits (their author is the contributor).
SOURCES_COMMITTER_NAME = env.str("LEARNMAP_GIT_COMMITTER_NAME", default="Learnmap")
# The domain of the no-reply addresses: <username>@<domain> ("": users.noreply.<first of
# ALLOWED_HOSTS>); the committer is learnmap@<domain>.
SOURCES_NOREPLY_DOMAIN = env.str("LEARNMAP_GIT_NOREPLY_DOMAIN", default="")
# A sync that would retire items carrying learners' marks waits for a maintainer's yes (the
# preview on the maintainer page, or `learnmap sync SLUG --yes`); a source's own choice wins.
SOURCES_CONFIRM_RETIRING = env.bool("LEARNMAP_SOURCES_CONFIRM_RETIRING", default=True)
