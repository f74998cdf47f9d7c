"""The contributions API: what HTTP adds to the services (tested in test_proposals.py and
test_moderation.py): status codes, problem codes, who may read and act on what, and a whole
round trip with access tokens."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Roadmap
from learnmap.config.api import application_status
from learnmap.contributions import services
from learnmap.contributions.models import ModeratorRole
from learnmap.core.errors import ApplicationError
from tests.api.conftest import Api, assert_problem, fresh_cache  # noqa: F401 (a fixture)
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _api(user) -> Api:
    secret = account_services.token_create(user=user, name="script").secret
    return Api(Client(), secret)


@pytest.fixture
def ada(learner) -> Api:
    return _api(learner)


@pytest.fixture
def grace(moderator) -> Api:
    """Staff: moderates every roadmap."""
    return _api(moderator)


def _propose(api: Api, node, **fields) -> dict:
    response = api.post(
        "/proposals",
        {"kind": "add_resource", "node_key": str(node.key), "fields": {**NEW, **fields}},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_proposal_goes_from_the_contributor_to_the_queue_to_the_history(
    seed, caching, ada, grace, learner, moderator
):
    mine = _propose(ada, caching)
    assert (mine["status"], mine["author"], mine["roadmap"]) == (
        "open",
        learner.username,
        seed.slug,
    )
    listed = ada.get("/me/proposals").json()
    assert [p["id"] for p in listed["items"]] == [mine["id"]]

    queue = grace.get(f"/roadmaps/{seed.slug}/proposals", node=str(caching.key)).json()
    assert [p["id"] for p in queue["items"]] == [mine["id"]]
    review = grace.get(f"/proposals/{mine['id']}").json()
    assert (
        "+  - [Caching at Scale by Ada Lovelace](https://example.org/caching-at-scale)"
        in (review["diff"])
    )
    assert review["acceptable"] and review["lint_errors"] == [] and review["conflict"] == ""

    accepted = grace.post(f"/proposals/{mine['id']}/accept", {})
    assert accepted.status_code == 200, accepted.content
    change = accepted.json()
    assert change["summary"] == "Added “Caching at Scale” in “Caching”"
    assert change["revision"] == seed.revision + 1

    anon = Api(Client())
    history = anon.get(f"/roadmaps/{seed.slug}/history").json()
    assert [(c["id"], c["author"], c["moderator"]) for c in history["items"]] == [
        (change["id"], learner.username, moderator.username)
    ]
    detail = anon.get(f"/roadmaps/{seed.slug}/history/{change['id']}").json()
    assert detail["diff"] == review["diff"] and detail["reverted"] is False
    assert ada.get(f"/me/proposals/{mine['id']}").json()["status"] == "accepted"
    tree = anon.get(f"/roadmaps/{seed.slug}").json()
    caching_section = next(s for s in tree["sections"] if s["slug"] == "caching")
    assert [r["title"] for r in caching_section["resources"]] == ["Caching at Scale"]
    # Accepted once: a second moderator is told, nothing is applied twice.
    again = _api(UserFactory(is_staff=True)).post(f"/proposals/{mine['id']}/accept", {})
    assert_problem(again, 409, "already_decided")


def test_decline_and_request_changes_need_a_reason_and_tell_the_author(seed, caching, ada, grace):
    first, second = _propose(ada, caching), _propose(ada, caching, url="https://example.org/2")

    assert_problem(grace.post(f"/proposals/{first['id']}/decline", {}), 422, "invalid_request")
    assert_problem(
        grace.post(f"/proposals/{first['id']}/decline", {"reason": "  "}), 422, "invalid_request"
    )
    declined = grace.post(f"/proposals/{first['id']}/decline", {"reason": "Already there."})
    asked = grace.post(f"/proposals/{second['id']}/request-changes", {"reason": "Which one?"})

    assert (declined.json()["status"], declined.json()["decision_reason"]) == (
        "declined",
        "Already there.",
    )
    assert asked.json()["status"] == "changes_requested"
    mine = {p["id"]: p for p in ada.get("/me/proposals").json()["items"]}
    assert mine[first["id"]]["decision_reason"] == "Already there."
    assert_problem(grace.post(f"/proposals/{first['id']}/accept", {}), 409, "already_decided")


def test_another_learners_proposal_is_not_found_and_cannot_be_decided(seed, caching, ada):
    mine = _propose(ada, caching)
    bob = _api(UserFactory())

    assert_problem(bob.get(f"/me/proposals/{mine['id']}"), 404, "unknown_proposal")
    assert bob.get("/me/proposals").json()["count"] == 0
    assert_problem(bob.get(f"/proposals/{mine['id']}"), 404, "unknown_proposal")
    assert_problem(bob.get(f"/roadmaps/{seed.slug}/proposals"), 403, "forbidden")
    assert_problem(bob.post(f"/proposals/{mine['id']}/accept", {}), 403, "forbidden")
    # Nor its own author: proposing is not moderating.
    assert_problem(
        ada.post(f"/proposals/{mine['id']}/decline", {"reason": "mine"}), 403, "forbidden"
    )
    assert ada.get(f"/me/proposals/{mine['id']}").json()["status"] == "open"


def test_a_moderator_of_another_roadmap_cannot_review_or_accept(seed, caching, ada):
    catalog_services.roadmap_import(
        source="# Other\n\n## Basics\n\n- [Site](https://example.com) (English) (Free)\n",
        slug="other",
    )
    helper = UserFactory()
    ModeratorRole.objects.create(user=helper, roadmap=Roadmap.objects.get(slug="other"))
    theirs = _api(helper)
    mine = _propose(ada, caching)

    assert theirs.get("/roadmaps/other/proposals").status_code == 200
    assert_problem(theirs.get(f"/roadmaps/{seed.slug}/proposals"), 403, "forbidden")
    assert_problem(theirs.get(f"/proposals/{mine['id']}"), 404, "unknown_proposal")
    assert_problem(theirs.post(f"/proposals/{mine['id']}/accept", {}), 403, "forbidden")
    assert ada.get(f"/me/proposals/{mine['id']}").json()["status"] == "open"


def test_refusals_are_problems_with_their_status(seed, caching, clean_code_book, ada, grace):
    anon = Api(Client())
    body = {"kind": "add_resource", "node_key": str(caching.key), "fields": NEW}
    assert_problem(anon.post("/proposals", body), 401, "not_authenticated")
    assert_problem(
        ada.post("/proposals", {**body, "node_key": str(uuid.uuid4())}), 404, "unknown_node"
    )
    assert_problem(ada.get("/me/proposals/999999"), 404, "unknown_proposal")
    assert_problem(anon.get("/roadmaps/nope/history"), 404, "unknown_roadmap")
    assert_problem(anon.get(f"/roadmaps/{seed.slug}/history/999999"), 404, "unknown_change")
    # A link that is not http(s) never reaches the service.
    javascript = {**body, "fields": {**NEW, "url": "javascript:alert(1)"}}
    assert_problem(ada.post("/proposals", javascript), 422, "invalid_request")
    same = {
        "kind": "edit_resource",
        "resource_key": str(clean_code_book.key),
        "fields": {"url": clean_code_book.url},
    }
    # Refused by the state of the resource named (the same edit of another would be taken).
    assert_problem(ada.post("/proposals", same), 409, "nothing_to_change")
    assert_problem(ada.post("/proposals", {**same, "fields": {}}), 422, "invalid_request")


def test_a_proposal_whose_target_is_gone_is_a_conflict(seed, clean_code_book, ada, grace):
    edit = ada.post(
        "/proposals",
        {
            "kind": "edit_resource",
            "resource_key": str(clean_code_book.key),
            "fields": {"cost": "paid"},
            "reason": "It is not free.",
        },
    ).json()
    removal = ada.post(
        "/proposals",
        {"kind": "remove_resource", "resource_key": str(clean_code_book.key), "reason": "Gone."},
    ).json()
    assert grace.post(f"/proposals/{removal['id']}/accept", {}).status_code == 200

    assert_problem(grace.post(f"/proposals/{edit['id']}/accept", {}), 409, "conflict")
    assert ada.get(f"/me/proposals/{edit['id']}").json()["status"] == "conflict"


def test_a_blocked_account_is_forbidden_to_propose(seed, caching, ada, learner, moderator):
    services.proposer_block(user=learner, by=moderator, reason="Spam.")
    body = {"kind": "add_resource", "node_key": str(caching.key), "fields": NEW}
    assert_problem(ada.post("/proposals", body), 403, "blocked")
    assert ada.get("/me/proposals").json()["count"] == 0


def test_the_daily_quota_answers_429_with_when_to_come_back(seed, caching, ada, settings):
    settings.CONTRIBUTIONS_PER_DAY = 1
    with time_machine.travel("2026-12-03 10:00Z", tick=False) as clock:
        _propose(ada, caching)
        clock.shift(60)
        refused = ada.post(
            "/proposals", {"kind": "add_resource", "node_key": str(caching.key), "fields": NEW}
        )
    body = assert_problem(refused, 429, "rate_limited")
    assert refused["Retry-After"] == str(24 * 60 * 60 - 60) == str(body["retry_after"])


def test_a_moderators_edit_is_applied_instead(seed, caching, ada, grace):
    mine = _propose(ada, caching)
    accepted = grace.post(
        f"/proposals/{mine['id']}/accept", {"fields": {"title": "Caching at Scale, 2e"}}
    )
    assert accepted.status_code == 200, accepted.content
    assert "[Caching at Scale, 2e by Ada Lovelace]" in catalog_services.roadmap_export(
        slug=seed.slug
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("not_authenticated", 401),
        ("forbidden", 403),
        ("blocked", 403),
        ("unknown_proposal", 404),
        ("unknown_change", 404),
        ("already_decided", 409),
        ("conflict", 409),
        ("already_reverted", 409),
        ("invalid_proposal", 422),
        ("lint_errors", 422),
        ("nothing_to_change", 409),
        ("invalid", 422),
        ("rate_limited", 429),
        ("invalid_import", 400),  # a code of its own keeps its 400
    ],
)
def test_each_code_a_service_raises_has_its_status(code, status):
    assert application_status(ApplicationError("Refused.", code=code)) == status


def test_a_language_the_roadmap_cannot_tag_is_refused_by_name(seed, caching, ada):
    # Found by schemathesis: the Markdown's "(...)" tags know languages by name, so any other
    # word was refused only after writing, as "reads back as ()".
    body = {
        "kind": "add_resource",
        "node_key": str(caching.key),
        "fields": {**NEW, "languages": ["Klingon"]},
    }
    refused = assert_problem(ada.post("/proposals", body), 422, "invalid_request")
    assert refused["errors"][0]["where"].endswith("fields.languages.0")
    persian = {**body, "fields": {**NEW, "languages": ["English", "Persian"]}}
    assert ada.post("/proposals", persian).status_code == 201


def test_the_lists_read_a_page_in_a_fixed_number_of_queries(
    seed, caching, ada, grace, moderator, django_assert_max_num_queries
):
    for n in range(5):
        _propose(ada, caching, url=f"https://example.org/{n}")
    for proposal_id in [p["id"] for p in ada.get("/me/proposals").json()["items"]][:3]:
        assert grace.post(f"/proposals/{proposal_id}/accept", {}).status_code == 200
    # (the token, cached) the count, the page with its roadmap, node, resource and people
    with django_assert_max_num_queries(3):
        assert len(ada.get("/me/proposals").json()["items"]) == 5
    # ... and the roadmap (staff moderate every roadmap: no role to read)
    with django_assert_max_num_queries(4):
        assert len(grace.get(f"/roadmaps/{seed.slug}/proposals").json()["items"]) == 2
    with django_assert_max_num_queries(3):
        assert len(Api(Client()).get(f"/roadmaps/{seed.slug}/history").json()["items"]) == 3
