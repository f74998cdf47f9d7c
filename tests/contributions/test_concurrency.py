"""Two moderators accepting one proposal at the same moment, on real connections (threads, each
with its own database connection): exactly one change is applied, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource
from learnmap.contributions import services
from learnmap.contributions.models import Change
from learnmap.core.errors import ApplicationError
from tests.contributions.conftest import NEW
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_moderators_accepting_one_proposal_at_once_apply_it_once(seed, caching, learner):
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    moderators = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(moderator) -> None:
        try:
            start.wait()
            services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
            outcomes.append("applied")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_decided", "applied"]
    assert Change.objects.count() == 1
    assert Resource.objects.filter(node=caching, retired_at=None).count() == 1
    assert catalog_services.roadmap_export(slug="python-backend").count("Caching at Scale") == 1
