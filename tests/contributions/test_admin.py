"""Staff name moderators and block accounts in the admin; the rest is read there, never
edited (a decision goes through review, which writes the Markdown)."""

from __future__ import annotations

import pytest

from learnmap.contributions.models import ModeratorRole, ProposerBlock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_make_a_learner_moderator_of_one_roadmap_in_the_admin(client, seed, learner):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(learner)
    assert client.get("/r/python-backend/review/").status_code == 403

    client.force_login(admin)
    response = client.post(
        "/admin/contributions/moderatorrole/add/", {"user": learner.pk, "roadmap": seed.pk}
    )

    assert response.status_code == 302
    assert ModeratorRole.objects.filter(user=learner, roadmap=seed).exists()
    client.force_login(learner)
    assert client.get("/r/python-backend/review/").status_code == 200


def test_a_block_made_in_the_admin_names_who_made_it(client, learner):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/contributions/proposerblock/add/", {"user": learner.pk, "reason": "spam"}
    )
    assert response.status_code == 302
    assert ProposerBlock.objects.get(user=learner).blocked_by == admin


@pytest.mark.parametrize("model", ["proposal", "change", "auditentry"])
def test_proposals_history_and_audit_are_read_only_in_the_admin(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/contributions/{model}/").status_code == 200
    assert client.get(f"/admin/contributions/{model}/add/").status_code == 403
