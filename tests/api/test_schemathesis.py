"""Schemathesis against the live OpenAPI schema: every operation, positive and negative cases.

The schema is the one the app serves at ``/api/v1/openapi.json``, fetched through the WSGI app
in this process; every generated request goes through the whole Django stack (middleware,
authentication, throttles) on a database seeded with the built-in roadmap, with a learner's
access token. A case fails on any 5xx, on a response that breaks its documented schema
(status, content type, headers, body) and on the other checks schemathesis runs by default.

The seed roadmap's nodes and resources get deterministic keys, added to the schema as
examples, so the explicit-examples phase reaches real rows rather than only unknown keys; the
Django topic and one of its resources get the keys of the schema's own examples, so those are
real too. Every check schemathesis has runs on every operation, none excluded.

An import names roadmaps, nodes and resources by key, and is refused (400, every unknown one
listed) when one is not on the site: the served schema can say what an export looks like, not
which rows a site has. Here, where the site is known, the import's schema is narrowed to it
(its roadmap, and node and resource keys among the seeded ones, the elective choice only on
the elective section), so every request generated as valid names real rows and must be taken.

The learner also moderates the seed roadmap, whose review queue holds a few proposals of
another learner at fixed ids (the schema's examples for ``proposal_id``) and whose history
has one change (``change_id``), so review, accept, decline and history reach real rows too.
The daily proposal quota is lifted with the rate limits (tests/contributions tests it).

Generation is seeded (reproducible) and bounded: the whole file runs in about a minute and a
half (two cores; half of it before the contributions' ten operations).
"""

from __future__ import annotations

import copy
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from learnmap.accounts import services as account_services
from learnmap.catalog.models import Node, Resource
from learnmap.config.wsgi import application
from learnmap.contributions import services as contribution_services
from learnmap.contributions.models import Change, ModeratorRole, Proposal, ProposalKind
from learnmap.learning.schemas import NODE_KEY_EXAMPLE, RESOURCE_KEY_EXAMPLE
from tests.factories import UserFactory

NAMESPACE = uuid.UUID("5f3b2a10-0c4e-4b8e-9d61-0a6c7e2b9f31")
MAX_EXAMPLES = 50
SEED = 20250131


# The Django topic and its first resource are the schema's examples (learning/schemas.py).
EXAMPLE_NODE = "django"
EXAMPLE_RESOURCE_POSITION = 29
ELECTIVE = "databases"


def node_key(slug: str) -> uuid.UUID:
    if slug == EXAMPLE_NODE:
        return uuid.UUID(NODE_KEY_EXAMPLE)
    return uuid.uuid5(NAMESPACE, f"node:{slug}")


def resource_key(position: int) -> uuid.UUID:
    if position == EXAMPLE_RESOURCE_POSITION:
        return uuid.UUID(RESOURCE_KEY_EXAMPLE)
    return uuid.uuid5(NAMESPACE, f"resource:{position}")


# Real rows of the seed roadmap, per path parameter of the operations that take them.
NODE_EXAMPLES = [node_key(EXAMPLE_NODE), node_key(ELECTIVE), node_key("step-1-python")]
RESOURCE_EXAMPLES = [resource_key(0), resource_key(5), resource_key(EXAMPLE_RESOURCE_POSITION)]
# Proposals waiting in the seed roadmap's queue (the fuzzer moderates it) and one accepted
# change in its history, at fixed ids.
PROPOSAL_EXAMPLES = [1001, 1002, 1003]
CHANGE_EXAMPLE = 2001
ID_EXAMPLES = {"proposal_id": PROPOSAL_EXAMPLES, "change_id": [CHANGE_EXAMPLE]}


def _import_of_this_site(components: dict) -> dict:
    """The import's body, narrowed to the seeded site (see the module's docstring)."""
    body = copy.deepcopy(components["ProgressExport"])
    roadmap = copy.deepcopy(components["ExportRoadmap"])
    node = components["ExportNode"]
    not_elective = copy.deepcopy(node)
    not_elective["properties"]["elective_chosen"] = {"const": False}
    roadmap["properties"]["nodes"] = {
        "type": "object",
        "propertyNames": {"enum": [str(key) for key in NODE_EXAMPLES]},
        "properties": {str(node_key(ELECTIVE)): node},
        "additionalProperties": not_elective,
    }
    roadmap["properties"]["resources"] = {
        "type": "object",
        "propertyNames": {"enum": [str(key) for key in RESOURCE_EXAMPLES]},
        "additionalProperties": {"$ref": "#/components/schemas/ExportResource"},
    }
    body["properties"]["roadmaps"] = {
        "type": "object",
        "propertyNames": {"enum": ["python-backend"]},
        "additionalProperties": roadmap,
    }
    return body


def _served_schema() -> dict:
    response = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json")
    assert response.status_code == 200, response.content[:300]
    raw = response.json()
    for path, methods in raw["paths"].items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in ID_EXAMPLES:
                    parameter["examples"] = {
                        f"seed{i}": {"value": value}
                        for i, value in enumerate(ID_EXAMPLES[parameter["name"]])
                    }
                if parameter["in"] != "path" or parameter["name"] != "key":
                    continue
                keys = RESOURCE_EXAMPLES if "/resources/" in path else NODE_EXAMPLES
                parameter["examples"] = {
                    f"seed{i}": {"value": str(key)} for i, key in enumerate(keys)
                }
    components = raw["components"]["schemas"]
    components["ImportOfThisSite"] = _import_of_this_site(components)
    body = raw["paths"]["/api/v1/me/import"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"] = {"$ref": "#/components/schemas/ImportOfThisSite"}
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
    settings.CONTRIBUTIONS_PER_DAY = 1_000_000  # the daily quota too (tests/contributions)
    user = UserFactory(username="fuzzer", email="fuzzer@example.com")
    _review_queue(seed, moderator=user)
    return account_services.token_create(user=user, name="schemathesis").secret


def _review_queue(roadmap, *, moderator) -> None:
    """The fuzzer moderates the seed roadmap, whose queue holds a few proposals of another
    learner (at the ids the schema's examples name) and whose history has one change."""
    ModeratorRole.objects.create(user=moderator, roadmap=roadmap)
    author = UserFactory(username="contributor", email="contributor@example.com")
    nodes = [node_key("caching"), node_key("testing"), node_key("docker"), node_key("git")]
    for n, (pk, key) in enumerate(zip([*PROPOSAL_EXAMPLES, 1004], nodes, strict=True)):
        Proposal.objects.create(
            pk=pk,
            roadmap=roadmap,
            author=author,
            kind=ProposalKind.ADD_RESOURCE,
            node=Node.objects.get(key=key),
            fields={"title": f"Proposed {n}", "url": f"https://example.org/proposed/{n}"},
            base_revision=roadmap.revision,
        )
    change = contribution_services.proposal_accept(proposal_id=1004, moderator=moderator)
    Change.objects.filter(pk=change.pk).update(id=CHANGE_EXAMPLE)


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
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


# --- sequences of calls -------------------------------------------------------------------------

# Sequences along the links schemathesis infers between operations (a token listed then
# revoked, a note put then read and deleted, a roadmap listed then fetched), with every check
# after every step: the ones that compare a step with earlier ones (use_after_free,
# ensure_resource_availability) only act here. object_level_authorization needs several
# identities that schemathesis can sign in as by itself (an auth provider with peers); it has
# nothing to compare with one token, and test_learning_api.py and test_tokens_and_auth.py test
# that one learner never reads or changes another's rows.
Stateful = schema.as_state_machine()


@pytest.mark.django_db
def test_sequences_of_calls_conform(token):
    class Learner(Stateful):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The checks are told the token is ours (as call_and_validate tells them above):
            # otherwise they take the session cookie schemathesis makes up for the other
            # scheme as the request's only credentials, and its 200 for ignored auth.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=kwargs["headers"],
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Learner.run(
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
