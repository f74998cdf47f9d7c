"""Schemathesis against the live OpenAPI schema: every operation, positive and negative cases.

The schema is the one the app serves at ``/api/v1/openapi.json``, fetched through the WSGI app
in this process; every generated request goes through the whole Django stack (middleware,
authentication, throttles) on a database seeded with the built-in roadmap, with a learner's
access token. A case fails on any 5xx, on a response that breaks its documented schema
(status, content type, headers, body) and on the other checks schemathesis runs by default.

The seed roadmap's nodes and resources get deterministic keys, added to the schema as
examples, so the explicit-examples phase reaches real rows rather than only unknown keys.
Generation is seeded (reproducible) and bounded: the whole file runs in well under a minute.
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from learnmap.accounts import services as account_services
from learnmap.catalog.models import Node, Resource
from learnmap.config.wsgi import application
from tests.factories import UserFactory

NAMESPACE = uuid.UUID("5f3b2a10-0c4e-4b8e-9d61-0a6c7e2b9f31")
MAX_EXAMPLES = 50
SEED = 20250131


def node_key(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"node:{slug}")


def resource_key(position: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"resource:{position}")


# Real rows of the seed roadmap, per path parameter of the operations that take them.
NODE_EXAMPLES = [node_key("django"), node_key("databases"), node_key("step-1-python")]
RESOURCE_EXAMPLES = [resource_key(0), resource_key(5)]


def _served_schema() -> dict:
    response = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json")
    assert response.status_code == 200, response.content[:300]
    raw = response.json()
    for path, methods in raw["paths"].items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path" or parameter["name"] != "key":
                    continue
                keys = RESOURCE_EXAMPLES if "/resources/" in path else NODE_EXAMPLES
                parameter["examples"] = {
                    f"seed{i}": {"value": str(key)} for i, key in enumerate(keys)
                }
    return raw


schema = schemathesis.openapi.from_dict(_served_schema(), config=schemathesis.Config(seed=SEED))
schema.app = application
schema.location = "/api/v1/openapi.json"


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The app is called as plain WSGI, not through Django's test client, so Django's
    per-request close_old_connections would run, see the test's open transaction and close
    the connection (PostgreSQL; SQLite's in-memory database ignores it). Do what Django's
    test client does: leave the connection to the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(seed, settings) -> str:
    """The seed roadmap with fixed keys, a learner and their token; rate limits lifted (429s
    are tested on their own)."""
    for node in Node.objects.filter(roadmap=seed):
        Node.objects.filter(pk=node.pk).update(key=node_key(node.slug))
    for resource in Resource.objects.filter(roadmap=seed):
        Resource.objects.filter(pk=resource.pk).update(key=resource_key(resource.position))
    settings.API_RATE_WRITE_PER_CALLER = "off"
    settings.API_RATE_WRITE_PER_IP = "off"
    settings.API_RATE_SEARCH_PER_CALLER = "off"
    settings.API_RATE_SEARCH_PER_IP = "off"
    user = UserFactory(username="fuzzer", email="fuzzer@example.com")
    return account_services.token_create(user=user, name="schemathesis").secret


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_every_operation_conforms(case, token):
    # An import that fits the schema still names roadmaps, nodes and resources, which random
    # ones never are: refusing it (400, with every problem listed) is the right answer there.
    excluded = [positive_data_acceptance] if case.path.endswith("/me/import") else []
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)
