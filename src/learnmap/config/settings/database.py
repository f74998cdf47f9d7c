"""The database: DATABASE_URL, or SQLite in the data directory on the embedded default."""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from learnmap.config.env import ensure_dir, env
from learnmap.config.settings.base import DATA_DIR, PRODUCTION

# e.g. postgres://learnmap:secret@127.0.0.1:5432/learnmap; required in production.
_URL = env.str("DATABASE_URL", default="")
if not _URL and PRODUCTION:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when LEARNMAP_ENV=production "
        "(for example postgres://learnmap:secret@127.0.0.1:5432/learnmap)."
    )
# Each server worker keeps its connection between requests (seconds; 0: one per request):
# opening one (and, on SQLite, running the PRAGMAs below) cost more than serving a cached page
# (bench/web).
_CONN_MAX_AGE = env.int("DATABASE_CONN_MAX_AGE", default=60, least=0)
# PostgreSQL: parameters bound by the server, so psycopg prepares the statements a worker
# repeats (a signed-in roadmap page's progress query on every request): planning that query
# cost more than running it (bench/web: a signed-in page 1.4 ms -> 0.7 ms). Off behind a
# pooler that cannot keep prepared statements (PgBouncer in transaction mode < 1.21).
_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)


def _database() -> dict:
    url = _URL or f"sqlite:///{ensure_dir(DATA_DIR) / 'learnmap.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=_CONN_MAX_AGE)
    except ValueError as exc:  # the URL is not repeated: it may hold a password
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL ({exc}); for example "
            "postgres://learnmap:secret@127.0.0.1:5432/learnmap."
        ) from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several server workers share one file: WAL lets readers run beside a writer, and
        # IMMEDIATE transactions take the write lock up front instead of failing mid-way.
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=5000;PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        if _PREPARED_STATEMENTS:
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
            # Django's backend, with bulk statements kept under the protocol's 65,535 parameters.
            config["ENGINE"] = "learnmap.core.postgresql"
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
