"""The link check of a proposed URL: asked for when the proposal is committed, run by the
worker, and shown in the review a moderator reads before deciding (class, status, final URL).

Contributions reaches link health only through the core's port (``learnmap.core.links``):
with no checker connected, proposing works the same and the review shows no verdict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from learnmap.contributions import services
from learnmap.core import links
from tests.contributions.conftest import NEW
from tests.linkcheck.fakehosts import FakeHosts, HostSpec
from tests.linkcheck.worker import run_worker


@pytest.fixture(scope="module")
def hosts() -> Iterator[FakeHosts]:
    with FakeHosts([HostSpec("old"), HostSpec("new")]) as fake:
        yield fake


@pytest.fixture
def checker_settings(settings, hosts):
    """The checker may visit the fake hosts on 127.0.0.1; no periodic check of every roadmap."""
    hosts.reset()
    settings.LINKCHECK_ALLOW_PRIVATE = True
    settings.LINKCHECK_TIMEOUT = 2
    settings.LINKCHECK_CACHE_TTL = 3600
    settings.LINKCHECK_INTERVAL = 0
    return settings


@pytest.fixture
def no_checker() -> Iterator[None]:
    """Link health's checker disconnected from the port, as if the app were not installed."""
    previous = links.checker_connect(None)
    yield
    links.checker_connect(previous)


def _queued_checks() -> list[dict]:
    return [task.args_kwargs["kwargs"] for task in DBTaskResult.objects.all()]


@pytest.mark.django_db(transaction=True)
def test_the_review_shows_the_proposed_links_check_once_the_worker_ran_it(
    seed, caching, learner, hosts, checker_settings
):
    proposed = hosts.url("old", f"/caching?r=301@{hosts.port('new')}")
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields={**NEW, "url": proposed}
    )
    assert len(_queued_checks()) == 1
    assert services.proposal_preview(proposal=proposal).link is None  # not checked yet

    run_worker()

    link = services.proposal_preview(proposal=proposal).link
    assert (link.link_class, link.status, link.reason) == ("moved", 200, "301")
    assert link.final_url == hosts.url("new", "/caching")
    assert hosts.stats("old").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_checked_only_when_it_changes_the_link(
    seed, learner, clean_code_book, hosts, checker_settings
):
    services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=clean_code_book.key,
        fields={"title": "Clean Code, 2nd edition"},
    )
    services.proposal_create(
        author=learner,
        kind="remove_resource",
        resource_key=clean_code_book.key,
        reason="Out of print.",
    )
    assert _queued_checks() == []

    moved_to = hosts.url("new", "/clean-code?s=404")
    edit = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=clean_code_book.key,
        fields={"url": moved_to},
    )
    assert len(_queued_checks()) == 1
    run_worker()

    link = services.proposal_preview(proposal=edit).link
    assert (link.link_class, link.status, link.final_url) == ("dead", 404, moved_to)


@pytest.mark.django_db(transaction=True)
def test_a_revision_with_another_link_has_that_link_checked(
    seed, caching, learner, moderator, hosts, checker_settings
):
    first = hosts.url("old", "/caching?s=404")
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields={**NEW, "url": first}
    )
    services.proposal_request_changes(
        proposal_id=proposal.pk, moderator=moderator, reason="That page is gone."
    )
    services.proposal_update(proposal_id=proposal.pk, author=learner, fields={"title": "Caching"})
    assert len(_queued_checks()) == 1  # the same link: no second check

    services.proposal_update(
        proposal_id=proposal.pk, author=learner, fields={"url": hosts.url("new", "/caching")}
    )
    run_worker()

    proposal.refresh_from_db()
    link = services.proposal_preview(proposal=proposal).link
    assert (link.link_class, link.status) == ("ok", 200)
    assert link.final_url == hosts.url("new", "/caching")


@pytest.mark.django_db
def test_the_check_is_queued_only_once_the_proposal_is_committed(
    seed, caching, learner, checker_settings, django_capture_on_commit_callbacks
):
    fields = {**NEW, "url": "https://example.org/rolled-back"}
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=fields
        )
        raise RuntimeError("the request failed after proposing")
    assert _queued_checks() == []

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=NEW
        )
        assert _queued_checks() == []  # not before the commit
    assert len(_queued_checks()) == 1


@pytest.mark.django_db
def test_with_no_checker_proposing_works_and_the_review_has_no_link_check(
    seed, caching, learner, no_checker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_create(
            author=learner, kind="add_resource", node_key=caching.key, fields=NEW
        )

    preview = services.proposal_preview(proposal=proposal)
    assert preview.link is None and preview.diff  # the rest of the review is there
    assert _queued_checks() == []
