"""What every deployment shares: where state lives, the apps, the middleware, templates,
languages and static files."""

from __future__ import annotations

from pathlib import Path

from learnmap.config.env import data_dir, env

# "embedded" (a laptop: SQLite and a generated secret key in the data directory) or
# "production" (SECRET_KEY and DATABASE_URL required, cookies secure behind HTTPS).
ENVIRONMENT = env.choice("LEARNMAP_ENV", choices=("embedded", "production"), default="embedded")
PRODUCTION = ENVIRONMENT == "production"
# The embedded default's state: SQLite file, secret key, file caches, static files.
DATA_DIR = data_dir()
# Django's debug pages; never in production.
DEBUG = env.bool("DEBUG", default=False)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent

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
    "csp",  # its system checks (settings in the old format are an error)
    "learnmap.core",
    "learnmap.accounts",
    "learnmap.catalog",
    "learnmap.learning",
    "learnmap.linkcheck",
    "learnmap.contributions",
    "learnmap.sources",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # /healthz and /readyz for load balancers, answered before anything else runs.
    "learnmap.core.health.HealthCheckMiddleware",
    # HTTPS redirect, HSTS, nosniff, Referrer-Policy (security.py).
    "django.middleware.security.SecurityMiddleware",
    # /static/ files, compressed and cached forever, before any session is read.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy (security.py) on every page, the cached pages served early
    # below included: django-csp's, with the site's policy built once (core/csp.py).
    "learnmap.core.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The learner's language: the switcher's cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    # ALLOWED_HOSTS, and the trailing-slash redirect.
    "django.middleware.common.CommonMiddleware",
    # X-Frame-Options: DENY (older browsers; CSP's frame-ancestors for the others).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A cached roadmap page for a visitor without a session (learning.middleware): their
    # language, CSRF cookie and security headers are settled above it.
    "learnmap.learning.middleware.SharedPageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A learner's own cached roadmap page, once their user and messages are known.
    "learnmap.learning.middleware.LearnerPageMiddleware",
    # allauth's request context (its flows need it).
    "allauth.account.middleware.AccountMiddleware",
    # request.htmx: views answer an htmx request with only the fragment it asked for.
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "learnmap.config.urls"
WSGI_APPLICATION = "learnmap.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our layout overrides third-party templates (allauth's pages): searched first.
        "DIRS": [_PACKAGE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "learnmap.core.context_processors.layout",
            ],
        },
    },
]
# Every form, ours and allauth's, renders its fields with our markup (labels, errors, help).
FORM_RENDERER = "learnmap.core.forms.FormRenderer"

# Languages: English and Persian, chosen by the browser or the switcher (a cookie).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fa", "فارسی")]
# Translations: .po files under src/learnmap/locale, compiled to .mo by the build
# (`learnmap compiletranslations`), never at request time.
LOCALE_PATHS = [_PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` puts the static files.
STATIC_ROOT = env.str("STATIC_ROOT", default="") or str(DATA_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Static file names carry a hash of their content: browsers may keep them for a year.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Where the built-in roadmaps live: every Markdown file in it is loaded on first start
# ("": the checkout's content/).
LEARNMAP_CONTENT_DIR = env.str("LEARNMAP_CONTENT_DIR", default="")
