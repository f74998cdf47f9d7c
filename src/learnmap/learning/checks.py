"""System checks (``manage.py check``, run at every start): the order of middleware the early
page middlewares (``learning.middleware``) rely on, so a deployment that moves them fails at
start instead of serving pages without a header, a language or a user. Modelled on
``django.contrib.admin.checks``: a middleware counts if it is the one named or a subclass."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from learnmap.learning.middleware import LearnerPageMiddleware, SharedPageMiddleware

# What each middleware's page needs settled above it (their headers, language, cookie, user).
_SHARED_NEEDS = (
    ("django.middleware.security.SecurityMiddleware", "the security headers"),
    ("csp.middleware.CSPMiddleware", "the Content-Security-Policy"),
    ("django.middleware.locale.LocaleMiddleware", "the visitor's language"),
    ("django.middleware.common.CommonMiddleware", "ALLOWED_HOSTS and the slash redirect"),
    ("django.middleware.clickjacking.XFrameOptionsMiddleware", "X-Frame-Options"),
    ("django.middleware.csrf.CsrfViewMiddleware", "the visitor's CSRF cookie"),
)
_LEARNER_NEEDS = (
    *_SHARED_NEEDS,
    ("django.contrib.sessions.middleware.SessionMiddleware", "the learner's session"),
    ("django.contrib.auth.middleware.AuthenticationMiddleware", "the signed-in user"),
    ("django.contrib.messages.middleware.MessageMiddleware", "the messages waiting"),
)
EARLY = ((SharedPageMiddleware, _SHARED_NEEDS), (LearnerPageMiddleware, _LEARNER_NEEDS))


def _position(middleware: list[str], wanted: type) -> int | None:
    for index, path in enumerate(middleware):
        try:
            cls = import_string(path)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, wanted):
            return index
    return None


@checks.register(checks.Tags.security, checks.Tags.compatibility)
def check_early_page_middleware(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    middleware = list(settings.MIDDLEWARE)
    errors: list[checks.CheckMessage] = []
    for early, needs in EARLY:
        here = _position(middleware, early)
        if here is None:
            continue
        name = f"{early.__module__}.{early.__qualname__}"
        for path, what in needs:
            there = _position(middleware, import_string(path))
            if there is None:
                errors.append(
                    checks.Error(
                        f"'{path}' must be in MIDDLEWARE to use '{name}' ({what}).",
                        hint=f"Add '{path}' to MIDDLEWARE above '{name}'.",
                        id="learning.E001",
                    )
                )
            elif there > here:
                errors.append(
                    checks.Error(
                        f"'{path}' must come before '{name}' in MIDDLEWARE: the pages it "
                        f"serves early would go out without {what}.",
                        hint=f"Move '{name}' below '{path}'.",
                        id="learning.E002",
                    )
                )
    return errors
