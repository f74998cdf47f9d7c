"""Proposing, and what keeps it from being abused: every proposal waits for review, a daily
quota per account, blocked accounts, http(s) links only, bounded fields; a contributor reads
only their own proposals; the author hears of each decision."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource
from learnmap.contributions import selectors, services
from learnmap.contributions.models import ProposalStatus
from learnmap.core.errors import ApplicationError, NotFound
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_proposal_waits_for_review_and_changes_nothing_by_itself(seed, caching, learner):
    before = catalog_services.roadmap_export(slug="python-backend")

    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )

    assert proposal.status == ProposalStatus.OPEN
    assert proposal.base_revision == seed.revision
    assert catalog_services.roadmap_export(slug="python-backend") == before
    assert not Resource.objects.filter(node=caching).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({**NEW, "url": "javascript:alert(1)"}, "url"),
        ({**NEW, "url": "ftp://example.org/file"}, "url"),
        ({**NEW, "url": "/relative/page"}, "url"),
        ({**NEW, "title": "x" * 301}, "title"),
        ({**NEW, "description": "y" * 501}, "description"),
        ({**NEW, "cost": "cheap"}, "cost"),
        ({**NEW, "languages": ["English"] * 7}, "languages"),
        ({**NEW, "languages": ["Klingon"]}, "languages"),
        ({**NEW, "colour": "red"}, "colour"),
        ({"url": "https://example.org/only-a-url"}, "title"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(seed, caching, learner, fields, field):
    with pytest.raises(ApplicationError) as refused:
        services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=fields
        )
    assert refused.value.code == "invalid_proposal"
    assert refused.value.extra["field"] == field


def test_text_that_would_break_the_markdown_line_is_kept_on_one_line(seed, caching, learner):
    proposal = services.proposal_create(
        author=learner,
        kind="add_resource",
        node_key=caching.key,
        fields={**NEW, "title": "Caching\n\n## Not a heading"},
    )
    preview = services.proposal_preview(proposal=proposal)
    assert "## Not a heading" not in [line[1:] for line in preview.diff.splitlines()]


@override_settings(CONTRIBUTIONS_PER_DAY=2)
def test_an_account_makes_at_most_its_daily_quota_of_proposals(seed, caching, learner):
    with time_machine.travel("2026-12-03 10:00Z", tick=False) as clock:
        for n in range(2):
            services.proposal_create(
                author=learner,
                kind="add_resource",
                node_key=caching.key,
                fields={**NEW, "url": f"https://example.org/{n}"},
            )
        with pytest.raises(ApplicationError) as refused:
            services.proposal_create(
                author=learner, kind="add_resource", node_key=caching.key, fields=NEW
            )
        assert refused.value.code == "rate_limited"
        assert refused.value.extra["retry_after"] == 24 * 60 * 60
        # Another learner is not held back by it.
        services.proposal_create(
            author=UserFactory(), kind="add_resource", node_key=caching.key, fields=NEW
        )
        clock.shift(24 * 60 * 60 + 1)
        services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=NEW
        )


def test_a_blocked_account_cannot_propose_and_its_block_is_audited(seed, caching, learner):
    staff = UserFactory(is_staff=True)
    services.proposer_block(user=learner, by=staff, reason="spam links")

    with pytest.raises(ApplicationError) as refused:
        services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=NEW
        )

    assert refused.value.code == "blocked"
    assert [(e.action, e.actor) for e in selectors.audit_list(viewer=staff)] == [("block", staff)]
    with pytest.raises(ApplicationError):
        selectors.audit_list(viewer=learner)
    with pytest.raises(ApplicationError):
        services.proposer_block(user=staff, by=learner)


def test_a_contributor_reads_only_their_own_proposals(seed, caching, learner):
    mine = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    other = UserFactory()

    assert list(selectors.proposal_list_mine(author=other)) == []
    with pytest.raises(NotFound):
        selectors.proposal_get_mine(author=other, proposal_id=mine.pk)
    with pytest.raises(NotFound):  # nor reviews it
        selectors.proposal_get_for_review(moderator=other, proposal_id=mine.pk)
    with pytest.raises(ApplicationError):
        selectors.review_queue(roadmap=seed, moderator=other)
    assert selectors.proposal_get_mine(author=learner, proposal_id=mine.pk) == mine


def test_the_author_is_emailed_each_decision_once_it_is_committed(
    seed, caching, learner, moderator, django_capture_on_commit_callbacks
):
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_request_changes(
            proposal_id=proposal.pk, moderator=moderator, reason="Which edition is it?"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    assert [m.to for m in mail.outbox] == [[learner.email], [learner.email]]
    assert "asks for changes" in mail.outbox[0].subject
    assert "Which edition is it?" in mail.outbox[0].body
    assert "accepted" in mail.outbox[1].subject and "Caching at Scale" in mail.outbox[1].body


def test_the_review_queue_is_oldest_first_and_filters_by_kind_and_node(
    seed, caching, learner, moderator, clean_code_book
):
    first = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    second = services.proposal_create(
        author=learner, kind="remove_resource", resource_key=clean_code_book.key, reason="gone"
    )

    assert list(selectors.review_queue(roadmap=seed, moderator=moderator)) == [first, second]
    assert list(
        selectors.review_queue(roadmap=seed, moderator=moderator, kind="remove_resource")
    ) == [second]
    assert list(
        selectors.review_queue(roadmap=seed, moderator=moderator, node_key=caching.key)
    ) == [first]
