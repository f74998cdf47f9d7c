from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings) -> None:
    """allauth counts attempts in the cache: each test gets its own, empty one (the shared
    file cache would mix the counts of tests running side by side)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-test-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def user(db):
    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def signed_in(client: Client, user) -> Client:
    client.force_login(user)
    return client
