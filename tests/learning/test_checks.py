"""The system check for the early page middlewares: a deployment that places them above what
their pages need (headers, language, CSRF cookie, session, user, messages) fails at start."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from learnmap.learning.checks import check_early_page_middleware

SHARED = "learnmap.learning.middleware.SharedPageMiddleware"
LEARNER = "learnmap.learning.middleware.LearnerPageMiddleware"


def _moved(name: str, *, before: str) -> list[str]:
    middleware = [m for m in settings.MIDDLEWARE if m != name]
    middleware.insert(middleware.index(before), name)
    return middleware


def test_the_sites_own_order_passes():
    assert check_early_page_middleware() == []


def test_the_shared_page_middleware_above_the_csrf_middleware_is_an_error(settings):
    settings.MIDDLEWARE = _moved(SHARED, before="django.middleware.csrf.CsrfViewMiddleware")

    errors = check_early_page_middleware()

    assert [e.id for e in errors] == ["learning.E002"]
    assert "CsrfViewMiddleware" in errors[0].msg and "CSRF cookie" in errors[0].msg


def test_the_learner_page_middleware_above_sessions_and_users_is_an_error(settings):
    settings.MIDDLEWARE = _moved(
        LEARNER, before="django.contrib.sessions.middleware.SessionMiddleware"
    )

    messages = [e.msg for e in check_early_page_middleware()]

    for needed in ("SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware"):
        assert any(needed in m for m in messages), needed


def test_a_missing_middleware_is_an_error_and_stops_the_start(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csp" not in m.lower()]

    errors = check_early_page_middleware()
    assert {e.id for e in errors} == {"learning.E001"}
    try:
        call_command("check")
    except SystemCheckError as error:
        assert "learning.E001" in str(error)
    else:
        raise AssertionError("manage.py check passed with a middleware missing")
