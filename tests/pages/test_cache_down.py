"""A cache server that does not answer (every get and set raising) is a miss for everything
the site keeps (pages, skeletons, maps, structures, search indexes, headers, API bytes):
the pages are rendered and the API answers built every time, never a 500."""

from __future__ import annotations

import socket

import pytest
from django.test import Client

from learnmap.core.cache import memos_clear
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    """Django's Redis cache pointed at a port nothing listens on: connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    settings.SESSION_CACHE_ALIAS = "default"
    memos_clear()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/r/python-backend/",
        "/r/python-backend/n/git/",
        "/r/python-backend/resources/",
        "/api/v1/roadmaps",
        "/api/v1/roadmaps/python-backend",
        "/api/v1/roadmaps/python-backend/markdown",
    ],
)
def test_every_page_answers_while_the_cache_server_is_down(seed, cache_down, path):
    for _ in range(2):  # cold, and again (nothing could be stored)
        memos_clear()
        response = Client().get(path)
        assert response.status_code == 200, path
        assert "Python Backend" in text_of(response) or b"python-backend" in response.content
