"""Learnmap's settings: everything comes from the environment, with safe embedded defaults.

Embedded default (a laptop): SQLite and a generated secret key under ``./var`` (or
``LEARNMAP_DATA_DIR``). Production: ``LEARNMAP_ENV=production`` with ``SECRET_KEY`` and
``DATABASE_URL`` (PostgreSQL) set. Every variable is read once (``config/env.py``), in the
module of its concern below (each imports what it needs from the others, so their order
here does not matter), and listed in the README's Configuration table.
"""

from learnmap.config.settings.accounts import *  # noqa: F403
from learnmap.config.settings.api import *  # noqa: F403
from learnmap.config.settings.base import *  # noqa: F403
from learnmap.config.settings.cache import *  # noqa: F403
from learnmap.config.settings.contributions import *  # noqa: F403
from learnmap.config.settings.database import *  # noqa: F403
from learnmap.config.settings.linkcheck import *  # noqa: F403
from learnmap.config.settings.logs import *  # noqa: F403
from learnmap.config.settings.security import *  # noqa: F403
from learnmap.config.settings.sources import *  # noqa: F403
