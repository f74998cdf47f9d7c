"""Learnmap settings: everything comes from the environment, with safe embedded defaults.

Embedded default (a laptop): SQLite and a generated secret key under ``./var`` (or
``LEARNMAP_DATA_DIR``). Production: ``LEARNMAP_ENV=production`` with ``SECRET_KEY`` and
``DATABASE_URL`` (PostgreSQL) set.
"""

from __future__ import annotations

import dj_database_url

from learnmap.config import env

ENVIRONMENT = env.env_str("LEARNMAP_ENV", "embedded").strip().lower()
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(production=PRODUCTION, directory=DATA_DIR)
DEBUG = env.env_bool("DEBUG", False)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "template_partials",
    "django_htmx",
    "learnmap.core",
    "learnmap.accounts",
    "learnmap.catalog",
    "learnmap.learning",
    "learnmap.linkcheck",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Cached roadmap pages, each served where what it depends on is known (learning.middleware):
    # the shared page for a visitor without a session, a learner's own page once the user and
    # messages are.
    "learnmap.learning.middleware.SharedPageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learnmap.learning.middleware.LearnerPageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "learnmap.config.urls"
WSGI_APPLICATION = "learnmap.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = env.env_str("DATABASE_URL", "")
    if not url:
        if PRODUCTION:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "DATABASE_URL must be set when LEARNMAP_ENV=production "
                "(for example postgres://learnmap:secret@127.0.0.1:5432/learnmap)."
            )
        url = f"sqlite:///{env.ensure_dir(DATA_DIR) / 'learnmap.sqlite3'}"
    # Each server worker keeps its connection between requests: opening one (and, on SQLite,
    # running the PRAGMAs below) cost more than serving a cached page (bench/web).
    config = dj_database_url.parse(url, conn_max_age=env.env_int("DATABASE_CONN_MAX_AGE", 60))
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
        # Parameters bound by the server, so psycopg prepares the statements a worker repeats
        # (a signed-in roadmap page's progress query on every request): planning that query
        # cost more than running it (bench/web: a signed-in page 1.4 ms -> 0.7 ms). Off behind
        # a pooler that cannot keep prepared statements (PgBouncer in transaction mode < 1.21).
        if env.env_bool("DATABASE_PREPARED_STATEMENTS", True):
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Django's and allauth's backends, loading a session's user with one written-out query.
AUTHENTICATION_BACKENDS = [
    "learnmap.accounts.backends.ModelBackend",
    "learnmap.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fa", "فارسی")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.env_str("STATIC_ROOT", "") or str(DATA_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Where the built-in roadmaps live: every Markdown file in it is loaded on first start.
LEARNMAP_CONTENT_DIR = env.env_str("LEARNMAP_CONTENT_DIR", "")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env.env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "learnmap": {
            "handlers": ["console"],
            "level": env.env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# --- accounts, email, i18n (accounts engineer) ---
# Accounts are django-allauth's flows (email + password); languages are English and Persian,
# chosen by the browser or the switcher (cookie); email goes out through Django's backend.
from pathlib import Path  # noqa: E402

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Our layout overrides third-party templates (allauth's pages): searched before app dirs.
TEMPLATES[0]["DIRS"] = [_PACKAGE_DIR / "core" / "templates"]
TEMPLATES[0]["OPTIONS"]["context_processors"] += [
    "django.template.context_processors.i18n",
    "learnmap.core.context_processors.layout",
]
# Every form, ours and allauth's, renders its fields with our markup (labels, errors, help).
FORM_RENDERER = "learnmap.core.forms.FormRenderer"

# Translations: .po files under src/learnmap/locale, compiled to .mo by the build
# (`learnmap compiletranslations`), never at request time.
LOCALE_PATHS = [_PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION and env.env_bool("SECURE_COOKIES", True)

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
# No username to invent: allauth fills the model's username from the email address.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Nobody can learn from the pages whether an address has an account (sign-up, password reset):
# the answer is the same, and only the mailbox's owner is told. On sign-up allauth can hide it
# only when the address must be verified before the account is used ("mandatory"); with
# "optional" or "none" signing up signs in at once, so a taken address is refused, and says
# so. Hence verification is mandatory by default wherever email is delivered (EMAIL_HOST set),
# optional where it is only printed on the console (a laptop: no link reaches anyone else).
# A learner who follows the link in the browser they signed up in is signed in.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_VERIFICATION = (
    env.env_str(
        "ACCOUNT_EMAIL_VERIFICATION",
        "mandatory" if env.env_str("EMAIL_HOST", "").strip() else "optional",
    )
    .strip()
    .lower()
)
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"ACCOUNT_EMAIL_VERIFICATION={ACCOUNT_EMAIL_VERIFICATION!r}: "
        "use none, optional or mandatory."
    )
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Learnmap] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed sign-ins are limited per client address and per account (the email typed in);
# a successful password reset lifts the per-account limit.
LOGIN_FAILURES_PER_ACCOUNT = env.env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_WINDOW = env.env_int("LOGIN_FAILURES_WINDOW", 300)
LOGIN_FAILURES_PER_IP_PER_MINUTE = env.env_int("LOGIN_FAILURES_PER_IP_PER_MINUTE", 10)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_FAILURES_PER_IP_PER_MINUTE}/m/ip,"
        f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_FAILURES_WINDOW}s/key"
    ),
}
# Behind a reverse proxy, the client address is the proxy's unless this says how many
# proxies put their X-Forwarded-For entry in front of the app.
ALLAUTH_TRUSTED_PROXY_COUNT = env.env_int("TRUSTED_PROXY_COUNT", 0)

# The rate limits live in the cache, so it has to be shared by every worker process:
# a directory under the data dir (the default cache is per process).
# One machine: a file cache in the data dir, shared by every server worker. Several machines:
# REDIS_URL points every instance at one Redis.
REDIS_URL = env.env_str("REDIS_URL", "").strip()
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Sessions (bench/web): read from a cache, every change written through to the database too,
# so a cache that forgets loses nothing. It takes a signed-in page's session read off the
# database (a third of what a signed-in page costs more than an anonymous one). Sessions get
# a cache of their own: the file cache culls a random third of its entries when it is full, and
# an entry per visitor must not push out the cached pages or the sign-in rate limits. Not signed
# cookies: an anonymous learner's progress lives in their session and outgrows a cookie.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
CACHES["sessions"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "sessions"),
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
)

# Email: SMTP when EMAIL_HOST is set, otherwise printed on the console.
EMAIL_HOST = env.env_str("EMAIL_HOST", "").strip()
EMAIL_BACKEND = env.env_str("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env.env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env.env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
EMAIL_TIMEOUT = env.env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Learnmap <learnmap@localhost>")
SERVER_EMAIL = env.env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# --- end accounts, email, i18n ---

# --- API (api engineer) ---
# The JSON API under /api/v1/ (config/api.py) and the health checks (/healthz, /readyz).
# Rates are "requests/period" (s, m, h, d; "10/5m" for ten per five minutes) or "off", counted
# in the shared cache above, per caller (access token or signed-in user) and per client address.
MIDDLEWARE.insert(0, "learnmap.core.health.HealthCheckMiddleware")
API_RATE_WRITE_PER_CALLER = env.env_str("API_RATE_WRITE_PER_CALLER", "120/m")
API_RATE_WRITE_PER_IP = env.env_str("API_RATE_WRITE_PER_IP", "600/m")
API_RATE_SEARCH_PER_CALLER = env.env_str("API_RATE_SEARCH_PER_CALLER", "60/m")
API_RATE_SEARCH_PER_IP = env.env_str("API_RATE_SEARCH_PER_IP", "120/m")
# The client address behind reverse proxies: the same count as allauth's.
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT
# Request bodies: most endpoints take small JSON; importing a progress export takes more.
API_MAX_BODY_BYTES = env.env_int("API_MAX_BODY_BYTES", 256 * 1024)
API_IMPORT_MAX_BYTES = env.env_int("API_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Django refuses any body past this before a view sees it: let an import through.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, API_IMPORT_MAX_BYTES + 64 * 1024)
API_TOKENS_PER_USER_MAX = env.env_int("API_TOKENS_PER_USER_MAX", 50)
# --- end API ---

# --- background tasks and link health ---
# Tasks go through the django-tasks API into the database queue (django-tasks-db): no broker
# on a laptop, and a killed worker loses nothing (the task is picked up again).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- link health (linkcheck engineer) ---
# Every roadmap's links are checked in the background (`learnmap worker`, or the one
# `learnmap serve` starts beside the site on the embedded default), every
# LEARNMAP_LINKCHECK_INTERVAL seconds (0: never on its own; the first check comes
# LEARNMAP_LINKCHECK_FIRST_DELAY after the first worker starts). A link is shown as broken
# only after LEARNMAP_LINKCHECK_FAILURES scheduled checks in a row found it so. A verdict is
# reused for LEARNMAP_LINKCHECK_CACHE_TTL (at most half the interval for scheduled checks).
# Durations are in seconds. The history of checks (and finished background tasks) is kept for
# LEARNMAP_LINKCHECK_HISTORY_DAYS days: the worker prunes what is older, but the latest check
# of each roadmap.


def _linkcheck_int(variable: str, default: int, least: int) -> int:
    value = env.env_int(variable, default)
    if value < least:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{variable}={value} is too small: use {least} or more.")
    return value


LINKCHECK_INTERVAL = _linkcheck_int("LEARNMAP_LINKCHECK_INTERVAL", 24 * 60 * 60, 0)
LINKCHECK_FIRST_DELAY = _linkcheck_int("LEARNMAP_LINKCHECK_FIRST_DELAY", 10 * 60, 0)
LINKCHECK_FAILURES_TO_SHOW = _linkcheck_int("LEARNMAP_LINKCHECK_FAILURES", 2, 1)
LINKCHECK_CONCURRENCY = _linkcheck_int("LEARNMAP_LINKCHECK_CONCURRENCY", 32, 1)
LINKCHECK_PER_HOST = _linkcheck_int("LEARNMAP_LINKCHECK_PER_HOST", 4, 1)
LINKCHECK_TIMEOUT = _linkcheck_int("LEARNMAP_LINKCHECK_TIMEOUT", 10, 1)
LINKCHECK_CACHE_TTL = _linkcheck_int("LEARNMAP_LINKCHECK_CACHE_TTL", 6 * 60 * 60, 0)
LINKCHECK_HISTORY_DAYS = _linkcheck_int("LEARNMAP_LINKCHECK_HISTORY_DAYS", 90, 1)
LINKCHECK_USER_AGENT = env.env_str("LEARNMAP_LINKCHECK_USER_AGENT", "").strip()  # "": built in
# Lets the checker reach loopback and private addresses: for tests against local servers only.
LINKCHECK_ALLOW_PRIVATE = env.env_bool("LEARNMAP_LINKCHECK_ALLOW_PRIVATE", False)
# --- end link health ---
