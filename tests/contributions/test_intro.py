"""A fix to a node's introduction: proposed from the node page (prefilled with the text as the
Markdown has it), reviewed with its diff, accepted into the Markdown on the intro's lines only
(an "(In Progress)" marker kept), shown on the node page, in the history and revertable; and the
same through the API. Structure in the text is refused with the line it is on."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node
from learnmap.contributions import services
from learnmap.contributions.models import Change, ProposalStatus
from learnmap.core.errors import ApplicationError
from tests.api.conftest import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

INTRO = "Caches keep answers close to who asks.\n\nStart with HTTP caching, then Redis."


def _changed(before: str, after: str) -> list[str]:
    import difflib

    return [
        line
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_intro_for_an_in_progress_section_is_written_after_its_marker(
    seed, caching, learner, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    before = catalog_services.roadmap_export(slug=seed.slug)
    proposal = services.proposal_create(
        author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": INTRO}
    )
    preview = services.proposal_preview(proposal=proposal)
    assert preview.acceptable and preview.duplicates == [] and preview.link is None
    assert "+Caches keep answers close to who asks." in preview.diff

    with django_capture_on_commit_callbacks(execute=True):
        change = services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
    assert mail.outbox[-1].body.startswith(
        "Your proposal was accepted: fix of an introduction of “Caching” "
    )

    after = catalog_services.roadmap_export(slug=seed.slug)
    assert _changed(before, after) == [
        "+Caches keep answers close to who asks.\n",
        "+\n",
        "+Start with HTTP caching, then Redis.\n",
        "+\n",
    ]
    assert "## Caching\n\n(In Progress)\n\nCaches keep" in after
    node = Node.objects.get(pk=caching.pk)
    assert node.intro == INTRO and node.in_progress
    assert change.summary == "Edited the introduction of “Caching”"
    assert change.operation["old"] == {"intro": ""} and change.operation["new"] == {"intro": INTRO}

    # Reverted: the Markdown is byte for byte what it was; a revert after a later fix of the
    # same text is refused (it would undo that one too).
    later = services.proposal_create(
        author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": "Later."}
    )
    later_change = services.proposal_accept(proposal_id=later.pk, moderator=moderator)
    with pytest.raises(ApplicationError, match="changed again since"):
        services.change_revert(change_id=change.pk, by=moderator)
    services.change_revert(change_id=later_change.pk, by=moderator)
    services.change_revert(change_id=change.pk, by=moderator)
    assert catalog_services.roadmap_export(slug=seed.slug) == before
    assert Node.objects.get(pk=caching.pk).intro == ""


def test_an_unchanged_or_structural_intro_is_refused_with_what_is_wrong(seed, caching, learner):
    with pytest.raises(ApplicationError, match="already reads like this"):
        services.proposal_create(
            author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": ""}
        )
    with pytest.raises(ApplicationError, match=r"line 2 of the introduction .* a list item"):
        services.proposal_create(
            author=learner,
            kind="edit_intro",
            node_key=caching.key,
            fields={"intro": "Fine words.\n- [sneaky](https://example.org)"},
        )
    with pytest.raises(ApplicationError, match="at most 3000 characters"):
        services.proposal_create(
            author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": "x" * 3001}
        )


def test_the_intro_of_a_removed_node_is_a_conflict(seed, caching, learner, moderator):
    proposal = services.proposal_create(
        author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": INTRO}
    )
    source = catalog_services.roadmap_export(slug=seed.slug)
    catalog_services.roadmap_import(
        source=source.replace("## Caching\n\n(In Progress)\n\n", ""), slug=seed.slug
    )
    with pytest.raises(services.Conflict):
        services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFLICT


def test_the_node_page_offers_the_fix_and_the_form_starts_from_the_current_text(
    seed, learner, moderator
):
    from learnmap.contributions.models import Proposal

    step2 = Node.objects.get(roadmap=seed, slug="step-2-python-web-frameworks")
    page_path = f"/r/{seed.slug}/n/{step2.slug}/"
    client = Client()
    client.force_login(learner)
    page = client.get(page_path).content.decode()
    assert f'href="/propose/{step2.key}/intro/"' in page

    form = client.get(f"/propose/{step2.key}/intro/")
    assert form.status_code == 200
    current = services.intro_current(node=step2)
    assert current.startswith("Choose a library")  # the seed's Step 2 has an introduction...
    assert "Choose a library according to your project" in form.content.decode()  # ...prefilled

    refused = client.post(f"/propose/{step2.key}/intro/", {"intro": "## A heading", "reason": ""})
    assert refused.status_code == 400
    assert "would be read as a heading" in refused.content.decode()

    sent = client.post(
        f"/propose/{step2.key}/intro/", {"intro": "Version control, by hand.", "reason": "short"}
    )
    assert sent.status_code == 302
    listed = client.get("/me/proposals/").content.decode()
    assert "Fix of an introduction" in listed

    reviewer = Client()
    reviewer.force_login(moderator)
    proposal = Proposal.objects.get(kind="edit_intro")
    review = reviewer.get(f"/review/{proposal.pk}/").content.decode()
    assert "+Version control, by hand." in review
    accepted = reviewer.post(f"/review/{proposal.pk}/accept/", {})
    assert accepted.status_code == 302
    shown = client.get(page_path).content.decode()
    assert "Version control, by hand." in shown and "Choose a library" not in shown
    summary = Change.objects.get(proposal=proposal).summary
    assert summary == "Edited the introduction of “Step 2: Python Web Frameworks”"


def test_the_api_takes_an_intro_fix_and_shows_the_link_check_of_others(
    seed, caching, learner, moderator
):
    ada = Api(Client(), account_services.token_create(user=learner, name="s").secret)
    grace = Api(Client(), account_services.token_create(user=moderator, name="s").secret)
    made = ada.post(
        "/proposals",
        {"kind": "edit_intro", "node_key": str(caching.key), "fields": {"intro": INTRO}},
    )
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "edit_intro"
    review = grace.get(f"/proposals/{made.json()['id']}").json()
    assert review["acceptable"] and review["link"] is None
    edited = grace.post(
        f"/proposals/{made.json()['id']}/accept", {"fields": {"intro": "Shorter, better."}}
    )
    assert edited.status_code == 200, edited.content
    assert Node.objects.get(pk=caching.pk).intro == "Shorter, better."
    resource_proposal = services.proposal_create(
        author=learner,
        kind="add_resource",
        node_key=caching.key,
        fields={"title": "Caching", "url": "https://example.org/caching"},
    )
    mismatch = grace.post(
        f"/proposals/{resource_proposal.pk}/accept", {"fields": {"intro": "Not a resource"}}
    )
    assert mismatch.status_code == 409
    assert mismatch.json()["code"] == "fields_mismatch"
    bad = ada.post(
        "/proposals",
        {"kind": "edit_intro", "node_key": str(caching.key), "fields": {"title": "x"}},
    )
    assert bad.status_code == 422


def test_the_history_says_each_change_in_the_readers_language(seed, caching, learner, moderator):
    services.proposal_accept(
        proposal_id=services.proposal_create(
            author=learner, kind="edit_intro", node_key=caching.key, fields={"intro": INTRO}
        ).pk,
        moderator=moderator,
    )
    history = f"/r/{seed.slug}/history/"
    english = Client().get(history, headers={"accept-language": "en"}).content.decode()
    assert "Edited the introduction of “<bdi>" not in english  # one sentence, escaped once
    assert "Edited the introduction of “Caching”" in english
    persian = Client().get(history, headers={"accept-language": "fa"}).content.decode()
    assert "مقدمهٔ «Caching» ویرایش شد" in persian
    feed = Client().get(f"/r/{seed.slug}/history.atom", headers={"accept-language": "fa"})
    assert "مقدمهٔ «Caching» ویرایش شد" in feed.content.decode()
