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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    config = dj_database_url.parse(url, conn_max_age=0)
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
        config["CONN_MAX_AGE"] = env.env_int("DATABASE_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
        "learnmap": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO"),
                     "propagate": False},
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
ACCOUNT_EMAIL_VERIFICATION = env.env_str("ACCOUNT_EMAIL_VERIFICATION", "optional").strip().lower()
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
