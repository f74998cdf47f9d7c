"""`learnmap proposals` and `learnmap history`, in process (``call_command``; a refusal is a
``CommandError``, which the installed command prints as one line on stderr, exit status 1).
The rules behind them are tested at service level (test_proposals.py, test_moderation.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from learnmap.catalog import services as catalog_services
from learnmap.contributions import services
from learnmap.contributions.models import ModeratorRole, ProposalStatus
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    stderr = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command(*args, stdout=io.StringIO(), stderr=stderr)
    message = str(refusal.value)
    assert "\n" not in message and "Traceback" not in message and stderr.getvalue() == ""
    return message


@pytest.fixture
def proposal(seed, caching, learner):
    return services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW, reason="Good."
    )


def test_list_shows_the_open_proposals_and_filters(proposal, learner):
    listed = run("proposals", "list")
    assert f"{proposal.pk:>5}" in listed and "“Caching at Scale”" in listed
    assert "python-backend / Caching" in listed and f"by {learner.username}" in listed
    assert "No declined proposals." in run("proposals", "list", "--status", "declined")
    assert "Caching at Scale" in run("proposals", "list", "--roadmap", "python-backend")
    assert "There is no roadmap with the slug 'nope'" in refused(
        "proposals", "list", "--roadmap", "nope"
    )


def test_accept_applies_it_and_prints_the_change(proposal, moderator):
    printed = run("proposals", "accept", str(proposal.pk), "--as", moderator.username)

    assert printed.startswith(f"Accepted proposal {proposal.pk}: Added “Caching at Scale”")
    assert "[Caching at Scale by Ada Lovelace]" in catalog_services.roadmap_export(
        slug="python-backend"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.moderator) == (ProposalStatus.ACCEPTED, moderator)
    # Twice: told who was first, nothing applied again.
    assert "already accepted by" in refused(
        "proposals", "accept", str(proposal.pk), "--as", moderator.username
    )


def test_who_decides_must_be_said_unless_there_is_one_superuser(proposal):
    assert "--as USERNAME" in refused("proposals", "accept", str(proposal.pk))
    boss = UserFactory(is_staff=True, is_superuser=True)
    stderr = io.StringIO()
    call_command("proposals", "accept", str(proposal.pk), stdout=io.StringIO(), stderr=stderr)
    assert f"Acting as {boss.username}" in stderr.getvalue()
    proposal.refresh_from_db()
    assert proposal.moderator == boss


def test_only_a_moderator_of_the_roadmap_decides(proposal, learner):
    assert "Only a moderator of this roadmap" in refused(
        "proposals", "accept", str(proposal.pk), "--as", learner.username
    )
    assert "There is no user" in refused("proposals", "accept", str(proposal.pk), "--as", "nobody")
    assert "There is no such proposal" in refused(
        "proposals", "accept", "999999", "--as", learner.username
    )
    role_holder = UserFactory()
    ModeratorRole.objects.create(user=role_holder, roadmap=proposal.roadmap)
    run("proposals", "accept", str(proposal.pk), "--as", role_holder.username)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_decline_needs_a_reason(proposal, moderator):
    with pytest.raises(CommandError, match="--reason"):
        call_command("proposals", "decline", str(proposal.pk), "--as", moderator.username)
    assert "Give the contributor a reason" in refused(
        "proposals", "decline", str(proposal.pk), "--reason", " ", "--as", moderator.username
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN

    printed = run(
        "proposals", "decline", str(proposal.pk), "--reason", "Dated.", "--as", moderator.username
    )
    assert printed == f"Declined proposal {proposal.pk}: Dated.\n"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == (ProposalStatus.DECLINED, "Dated.")


def test_history_prints_each_change_and_its_diff(proposal, moderator, learner):
    assert run("history", "python-backend") == "No changes to python-backend yet.\n"
    change = services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    line = run("history", "python-backend")
    assert "Added “Caching at Scale” in “Caching”" in line
    assert f"author {learner.username}, moderator {moderator.username}" in line
    assert len(line.splitlines()) == 1
    with_diff = run("history", "python-backend", "--diff")
    assert change.diff in with_diff and "+  - [Caching at Scale by Ada Lovelace]" in with_diff
    assert "There is no roadmap" in refused("history", "nope")
