"""A cache is only a cache: with every entry the site wrote corrupted (bytes that do not
unpickle, or a value of another type under the key) and the per-process memos emptied (as a
fresh worker starts), every page and API answer is still a 200 with the right content."""

from __future__ import annotations

import pickle
import re

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog.models import Node
from learnmap.core.cache import memos_clear
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db

PAGES = (
    "/",
    "/r/python-backend/",
    "/r/python-backend/resources/",
    "/r/python-backend/n/git/",
    "/search/?q=git",
    "/me/progress/",
)
API = (
    "/api/v1/roadmaps",
    "/api/v1/roadmaps/python-backend",
    "/api/v1/roadmaps/python-backend/markdown",
    "/api/v1/roadmaps/python-backend/document",
    "/api/v1/resources?roadmap=python-backend",
    "/api/v1/search?q=git",
    "/api/v1/me/progress/python-backend",
)

GARBAGE = {
    "unpicklable bytes": lambda value: b"\x80\x05garbage that is no pickle",
    "truncated pickle": lambda value: value[: len(value) // 2],
    "a value of another type": lambda value: pickle.dumps({"not": "what was stored"}),
    "a string": lambda value: pickle.dumps("garbage"),
}

# The API's rate-limit counters (core/api/ratelimit.py): corrupted with the rest, and on their
# own in test_a_corrupted_rate_limit_counter_is_a_miss below.
RATE_COUNTS = ":api:rate:"
# Sessions (Django's cached_db engine; in "default" in the tests, their own cache in
# production) survive unreadable bytes, but Django takes whatever else it reads as the
# session's data: left out of the wrong-type cases (Django's own engine, not the site's).
SESSIONS = "django.contrib.sessions"
WRONG_TYPES = ("a value of another type", "a string")


def _answers(anonymous: Client, learner: Client, token: str) -> dict[str, str]:
    """What each address answers, with what changes per response (CSRF tokens) taken out."""
    answers = {}
    for client, who in ((anonymous, "anonymous"), (learner, "learner")):
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            answers[f"{who} {path}"] = re.sub(
                r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "T", text_of(response)
            )
    for path in API:
        response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, path
        answers[f"api {path}"] = response.content.decode()
    return answers


@pytest.mark.parametrize("garbage", GARBAGE)
# The clock stands still: a rate-limit window that ended mid-test would leave its corrupted
# counter behind, never read again (and the healing check below would find it).
@time_machine.travel("2026-12-03 12:00:00Z", tick=False)
def test_every_page_and_api_answer_survives_every_cache_entry_corrupted(seed, user, garbage):
    git = Node.objects.get(roadmap=seed, slug="git")
    learner = Client()
    learner.force_login(user)
    learner.post(f"/node/{git.key}/state/", {"state": "done"})
    learner.get("/r/python-backend/")  # the message shown once
    token = account_services.token_create(user=user, name="test").secret
    anonymous = Client()
    expected = _answers(anonymous, learner, token)  # cold: every kind of entry written
    assert expected == _answers(anonymous, learner, token)  # warm: the same answers

    store = caches["default"]._cache  # LocMem: full key -> pickled value
    written = {key.split(":", 2)[2].split(":")[1] for key in store if ":learnmap:" in key}
    # Every kind of entry the site keeps was written, so each is corrupted below.
    assert {"page", "outline", "map", "facets", "structure", "search-index", "header"} <= written
    assert {"api-tree", "api-roadmaps", "api-markdown", "api-document", "user"} <= written
    for key, value in list(store.items()):
        if SESSIONS in key and garbage in WRONG_TYPES:
            continue
        store[key] = GARBAGE[garbage](value)
    memos_clear()

    assert _answers(anonymous, learner, token) == expected
    # And the cache heals: the entries were written again, readable.
    assert all(pickle.loads(value) is not None for value in caches["default"]._cache.values())


def test_a_corrupted_rate_limit_counter_is_a_miss(seed):
    assert Client().get("/api/v1/search?q=git").status_code == 200
    store = caches["default"]._cache
    for key in [k for k in store if RATE_COUNTS in k]:
        store[key] = b"\x80\x05garbage that is no pickle"

    assert Client().get("/api/v1/search?q=git").status_code == 200
    # The counters start again from this request, readable: the limit still counts.
    counters = [pickle.loads(store[k]) for k in store if RATE_COUNTS in k]
    assert counters and all(count == 1 for count in counters)
