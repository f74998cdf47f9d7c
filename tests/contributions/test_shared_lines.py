"""Proposals about a resource that shares its line with others (``- Type checking:
[mypy](...), [Pyright](...)``): a fix changes only its link's span in the Markdown and the
resource keeps its identity (learners' progress on it stays); what the line cannot hold is
refused when proposed, with a sentence next to the field; and a refusal at accept time is
shown to the moderator, with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource
from learnmap.contributions import services
from learnmap.contributions.models import Change, Proposal, ProposalStatus
from learnmap.core.errors import ApplicationError
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import NodeProgress, ResourceProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

SOURCE = (
    Path(__file__).resolve().parents[1] / "roadmap_md" / "fixtures_styles" / "leading_text.md"
).read_text(encoding="utf-8")
PYRIGHT = "[Pyright](https://github.com/microsoft/pyright)"


@pytest.fixture
def tooling(db) -> dict[str, Resource]:
    catalog_services.roadmap_import(source=SOURCE, slug="tooling")
    return {r.title: r for r in Resource.objects.filter(roadmap__slug="tooling")}


def _export() -> str:
    return catalog_services.roadmap_export(slug="tooling")


def test_an_accepted_fix_of_one_link_of_a_line_changes_only_that_link(tooling, learner, moderator):
    pyright, mypy = tooling["Pyright"], tooling["mypy"]
    learning_services.resource_progress_set(
        learner=UserLearner(user=learner), resource=pyright, done=True
    )
    proposal = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=pyright.key,
        fields={"url": "https://microsoft.github.io/pyright/"},
        reason="The docs moved.",
    )

    change = services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    assert _export() == SOURCE.replace(PYRIGHT, "[Pyright](https://microsoft.github.io/pyright/)")
    assert change.diff.count("\n-- ") == 1 and change.diff.count("\n+- ") == 1
    pyright.refresh_from_db()
    assert (pyright.url, pyright.retired_at) == ("https://microsoft.github.io/pyright/", None)
    # The learner's tick stays on the same row; mypy, on the same line, is untouched.
    assert ResourceProgress.objects.get(user=learner).resource_id == pyright.pk
    mypy_after = Resource.objects.get(pk=mypy.pk)
    assert (mypy_after.url, mypy_after.description, mypy_after.retired_at) == (
        mypy.url,
        mypy.description,
        None,
    )


def test_a_removal_of_one_link_of_a_line_keeps_the_other(tooling, learner, moderator):
    pyright, mypy = tooling["Pyright"], tooling["mypy"]
    proposal = services.proposal_create(
        author=learner, kind="remove_resource", resource_key=pyright.key, reason="Duplicate."
    )
    services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    assert _export() == SOURCE.replace(f", {PYRIGHT}", "")
    assert Resource.objects.get(pk=pyright.pk).retired_at is not None
    assert Resource.objects.get(pk=mypy.pk).retired_at is None


def test_what_the_line_cannot_hold_is_refused_when_proposed(tooling, learner):
    with pytest.raises(ApplicationError) as refused:
        services.proposal_create(
            author=learner,
            kind="edit_resource",
            resource_key=tooling["Pyright"].key,
            fields={"description": "A fast type checker."},
        )
    assert refused.value.code == "invalid_proposal"
    assert refused.value.extra == {"field": "description"}
    assert "the description of “Pyright” cannot be changed: it shares its line" in str(
        refused.value
    )
    assert not Proposal.objects.exists()


def test_the_proposal_form_says_so_next_to_the_field(tooling, learner):
    client = Client()
    client.force_login(learner)
    pyright = tooling["Pyright"]
    response = client.post(
        f"/propose/resource/{pyright.key}/edit/",
        {
            "title": "Pyright",
            "url": pyright.url,
            "description": "A fast type checker.",
            "reason": "Say what it is.",
        },
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "cannot be changed: it shares its line with other resources" in page
    assert not Proposal.objects.exists()


def test_a_refusal_at_accept_is_shown_to_the_moderator_and_changes_nothing(
    tooling, learner, moderator
):
    proposal = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=tooling["Pyright"].key,
        fields={"languages": ["English"]},
    )
    # Meanwhile the maintainer writes the line's price after both links: Pyright's tags are
    # no longer its own to change.
    shared = SOURCE.replace(PYRIGHT, f"{PYRIGHT} - both free (Free)")
    catalog_services.roadmap_import(source=shared, slug="tooling")
    client = Client()
    client.force_login(moderator)

    response = client.post(f"/review/{proposal.pk}/accept/", {"action": "accept"})

    assert response.status_code == 400
    assert "the languages of “Pyright” cannot be changed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert _export() == shared
    assert not Change.objects.exists()


HEADINGS = (
    Path(__file__).resolve().parents[1] / "roadmap_md" / "fixtures_styles" / "links_in_headings.md"
).read_text(encoding="utf-8")


def test_a_heading_s_resource_renamed_or_removed_keeps_its_node_and_progress(
    db, learner, moderator
):
    catalog_services.roadmap_import(source=HEADINGS, slug="systems")
    acid = Resource.objects.get(roadmap__slug="systems", title="ACID")
    topic = acid.node
    learning_services.progress_set(learner=UserLearner(user=learner), node=topic, state="done")
    renamed = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=acid.key,
        fields={"title": "ACID properties"},
    )
    services.proposal_accept(proposal_id=renamed.pk, moderator=moderator)

    text = catalog_services.roadmap_export(slug="systems")
    assert text == HEADINGS.replace("### [ACID](", "### [ACID properties](")
    topic.refresh_from_db()
    acid.refresh_from_db()
    assert (topic.title, topic.retired_at, acid.title, acid.node_id) == (
        "ACID properties",
        None,
        "ACID properties",
        topic.pk,
    )
    assert NodeProgress.objects.get(user=learner).node_id == topic.pk

    removal = services.proposal_create(
        author=learner, kind="remove_resource", resource_key=acid.key, reason="Wikipedia."
    )
    services.proposal_accept(proposal_id=removal.pk, moderator=moderator)
    assert catalog_services.roadmap_export(slug="systems") == HEADINGS.replace(
        "### [ACID](https://en.wikipedia.org/wiki/ACID)", "### ACID properties"
    )
    topic.refresh_from_db()
    assert (topic.title, topic.retired_at) == ("ACID properties", None)
    assert Resource.objects.get(pk=acid.pk).retired_at is not None
    assert NodeProgress.objects.get(user=learner).node_id == topic.pk


def test_a_link_listed_twice_is_found_on_its_own_line(db, learner, moderator):
    twice = SOURCE.replace(
        "- MySQL - ", f"- {PYRIGHT} - Listed again.\n- MySQL - "
    )  # Pyright alone on line 13 too
    catalog_services.roadmap_import(source=twice, slug="tooling")
    shared = Resource.objects.get(roadmap__slug="tooling", title="Pyright", line=5)
    proposal = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=shared.key,
        fields={"url": "https://microsoft.github.io/pyright/"},
    )
    services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    assert _export() == twice.replace(
        f"[mypy](https://mypy-lang.org/), {PYRIGHT}",
        "[mypy](https://mypy-lang.org/), [Pyright](https://microsoft.github.io/pyright/)",
    )
