"""Fixtures for the API: the seed roadmap, two learners with tokens, a client that speaks JSON."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource, Roadmap
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "python-backend.md"


@pytest.fixture(autouse=True)
def fresh_cache(settings) -> None:
    """Each test its own cache: rate-limit counts and cached trees never leak between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-test-{uuid.uuid4()}",
        }
    }
    from learnmap.core.cache import memos_clear

    memos_clear()


@pytest.fixture
def seed(db) -> Roadmap:
    """The built-in roadmap, imported as `learnmap serve` does on first start."""
    catalog_services.roadmap_import(source=SEED.read_text(encoding="utf-8"), slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


@dataclass
class Seeded:
    roadmap: Roadmap
    django: Node  # a topic of an ordered step
    step1: Node  # a step section without topics
    databases: Node  # an elective section
    postgresql: Node  # a topic in it
    resource: Resource  # a resource of the django topic (or the first one)


@pytest.fixture
def seeded(seed) -> Seeded:
    nodes = {n.slug: n for n in Node.objects.filter(roadmap=seed)}
    django_node = nodes["django"]
    return Seeded(
        roadmap=seed,
        django=django_node,
        step1=nodes["step-1-python"],
        databases=nodes["databases"],
        postgresql=nodes["postgresql"],
        resource=Resource.objects.filter(roadmap=seed).order_by("position").first(),
    )


class Api:
    """A test client for the API: JSON in, JSON (or problem details) out, one caller."""

    def __init__(self, client: Client, token: str | None = None):
        self.client = client
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = dict(headers or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def send(
        self, method: str, path: str, body: Any = None, headers=None, raw: bytes | None = None
    ):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(
            method,
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path: str, body: Any = None, **kw):
        return self.send("PUT", path, body, **kw)

    def post(self, path: str, body: Any = None, **kw):
        return self.send("POST", path, body, **kw)

    def delete(self, path: str, **kw):
        return self.send("DELETE", path, **kw)


@dataclass
class Learner:
    user: Any
    token: str
    api: Api


def _learner(name: str) -> Learner:
    user = UserFactory(username=name, email=f"{name}@example.com")
    token = account_services.token_create(user=user, name=f"{name}'s script").secret
    return Learner(user=user, token=token, api=Api(Client(), token))


@pytest.fixture
def ada(db) -> Learner:
    return _learner("ada")


@pytest.fixture
def bob(db) -> Learner:
    return _learner("bob")


@pytest.fixture
def anon(db) -> Api:
    return Api(Client())


def assert_problem(response, status: int, code: str | None = None) -> dict:
    """A problem details response (RFC 9457) with a sentence for people and no traceback."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["type"] == "about:blank"
    assert body["detail"].strip() and "Traceback" not in body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body
