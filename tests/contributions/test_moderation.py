"""The community loop at service level: a proposal, a review that shows the diff, lint and
duplicates, and an accept that moves the Markdown, the catalog and the history together."""

from __future__ import annotations

import difflib

import pytest

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.contributions import services
from learnmap.contributions.models import AuditEntry, Change, ModeratorRole, ProposalStatus
from learnmap.core.errors import ApplicationError
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import NodeProgress, ResourceProgress
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and put in, as a line diff sees them."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def test_an_accepted_resource_is_written_in_the_files_style_and_nothing_else_moves(
    seed, caching, learner, moderator
):
    before = catalog_services.roadmap_export(slug="python-backend")
    git = Node.objects.get(roadmap=seed, slug="git")
    learning_services.progress_set(learner=UserLearner(user=learner), node=git, state="done")
    proposal = services.proposal_create(
        author=learner,
        kind="add_resource",
        node_key=caching.key,
        fields=NEW,
        reason="The best book on caching I know.",
    )

    change = services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    after = catalog_services.roadmap_export(slug="python-backend")
    removed, added = _changed_lines(before, after)
    assert removed == []
    assert added == [
        "- **Book**\n",
        "  - [Caching at Scale by Ada Lovelace](https://example.org/caching-at-scale)"
        " (English) (Free)\n",
        "\n",  # the blank line before the next heading, as around every list in the file
    ]
    assert Resource.objects.get(node=caching, retired_at=None).title == "Caching at Scale"
    assert Roadmap.objects.get(pk=seed.pk).revision == seed.revision + 1
    # Progress elsewhere is where it was: on the same node row.
    assert NodeProgress.objects.get(user=learner).node_id == git.pk
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.moderator == moderator
    assert change.author == learner and "+  - [Caching at Scale" in change.diff
    assert change.revision == seed.revision + 1
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["accept", "propose"]


def test_the_review_shows_the_diff_new_lint_errors_and_duplicates(seed, learner, clean_code_book):
    clean_code = clean_code_book.node
    same_book = {
        "title": "Clean Code in Python",  # near-identical to the title there
        "url": clean_code_book.url.replace("https://www.", "http://") + "?utm_source=feed",
    }
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=clean_code.key, fields=same_book
    )

    preview = services.proposal_preview(proposal=proposal)

    assert preview.diff.startswith("--- a/README.md\n+++ b/README.md\n")
    assert "+- [Clean Code in Python](http://amazon.com/" in preview.diff
    assert [(d.title, d.why, d.same_node) for d in preview.duplicates] == [
        ("Clean Code in Python", "same-url", True)
    ]
    assert preview.lint_errors == []
    assert not preview.conflict


def test_two_moderators_accepting_at_once_apply_it_once(seed, caching, learner, moderator):
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    other = UserFactory(is_staff=True)
    services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    with pytest.raises(ApplicationError) as told:
        services.proposal_accept(proposal_id=proposal.pk, moderator=other)

    assert told.value.code == "already_decided"
    assert moderator.get_username() in told.value.message
    assert Resource.objects.filter(node=caching, retired_at=None).count() == 1
    assert Change.objects.count() == 1


def test_a_proposal_whose_resource_was_removed_since_is_a_conflict(
    seed, learner, moderator, clean_code_book
):
    edit = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=clean_code_book.key,
        fields={"cost": "paid"},
        reason="It is not free.",
    )
    removal = services.proposal_create(
        author=UserFactory(),
        kind="remove_resource",
        resource_key=clean_code_book.key,
        reason="Out of print.",
    )
    services.proposal_accept(proposal_id=removal.pk, moderator=moderator)
    source = catalog_services.roadmap_export(slug="python-backend")

    with pytest.raises(services.Conflict):
        services.proposal_accept(proposal_id=edit.pk, moderator=moderator)

    edit.refresh_from_db()
    assert edit.status == ProposalStatus.CONFLICT
    assert catalog_services.roadmap_export(slug="python-backend") == source


def test_a_proposal_made_against_an_older_revision_is_rebased(seed, learner, moderator, caching):
    first = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    testing = Node.objects.get(roadmap=seed, slug="testing")
    second = services.proposal_create(
        author=learner,
        kind="add_resource",
        node_key=testing.key,
        fields={**NEW, "title": "Testing Python", "url": "https://example.org/testing"},
    )
    services.proposal_accept(proposal_id=first.pk, moderator=moderator)  # the file moved on

    services.proposal_accept(proposal_id=second.pk, moderator=moderator)

    source = catalog_services.roadmap_export(slug="python-backend")
    assert "[Caching at Scale by Ada Lovelace]" in source
    assert source.index("## Testing") < source.index("[Testing Python by Ada Lovelace]")


def test_a_revert_takes_the_change_back_and_is_itself_in_the_history(
    seed, learner, moderator, clean_code_book
):
    before = catalog_services.roadmap_export(slug="python-backend")
    learning_services.resource_progress_set(
        learner=UserLearner(user=learner), resource=clean_code_book, done=True
    )
    removal = services.proposal_create(
        author=learner,
        kind="remove_resource",
        resource_key=clean_code_book.key,
        reason="Out of print.",
    )
    change = services.proposal_accept(proposal_id=removal.pk, moderator=moderator)
    assert "Clean Code in Python" not in catalog_services.roadmap_export(slug="python-backend")

    revert = services.change_revert(change_id=change.pk, by=moderator)

    assert catalog_services.roadmap_export(slug="python-backend") == before
    assert revert.revert_of == change and revert.summary.startswith("Reverted: Removed")
    # The same resource came back, with the learner's progress on it.
    book = Resource.objects.get(pk=clean_code_book.pk)
    assert book.retired_at is None
    assert ResourceProgress.objects.get(user=learner).resource_id == book.pk
    with pytest.raises(ApplicationError) as again:
        services.change_revert(change_id=change.pk, by=moderator)
    assert again.value.code == "already_reverted"


def test_a_moderators_bad_edit_is_refused_and_the_proposal_stays_open(
    seed, learner, moderator, clean_code_book
):
    proposal = services.proposal_create(
        author=learner,
        kind="edit_resource",
        resource_key=clean_code_book.key,
        fields={"title": "Clean Code in Python, 2nd edition"},
    )
    before = catalog_services.roadmap_export(slug="python-backend")
    with pytest.raises(ApplicationError) as refused:
        services.proposal_accept(
            proposal_id=proposal.pk, moderator=moderator, fields={"url": "javascript:alert(1)"}
        )
    assert (refused.value.code, refused.value.extra["field"]) == ("invalid_proposal", "url")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert catalog_services.roadmap_export(slug="python-backend") == before

    services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
    assert "[Clean Code in Python, 2nd edition by Mariano Anaya]" in (
        catalog_services.roadmap_export(slug="python-backend")
    )


def test_a_proposal_that_would_add_a_lint_error_is_shown_so_and_cannot_be_accepted(
    db, learner, moderator
):
    # Removing a roadmap's only resource leaves it with none: the "no-resources" error.
    source = "# Tiny\n\n## Basics\n\n- [Only](https://example.org/only) (English) (Free)\n"
    catalog_services.roadmap_import(source=source, slug="tiny")
    only = Resource.objects.get(roadmap__slug="tiny")
    proposal = services.proposal_create(
        author=learner, kind="remove_resource", resource_key=only.key, reason="outdated"
    )

    preview = services.proposal_preview(proposal=proposal)
    with pytest.raises(ApplicationError) as refused:
        services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)

    assert ["error: the roadmap has no resources" in e for e in preview.lint_errors] == [True]
    assert not preview.acceptable
    assert refused.value.code == "lint_errors"
    assert refused.value.extra["errors"] == preview.lint_errors
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert catalog_services.roadmap_export(slug="tiny") == source
    assert not Change.objects.exists()


def test_a_moderator_of_one_roadmap_cannot_moderate_another(seed, caching, learner):
    other = catalog_services.roadmap_import(
        source="# Other\n\n## Basics\n\n- [Site](https://example.com) (English) (Free)\n",
        slug="other",
    )
    assert other
    helper = UserFactory()
    ModeratorRole.objects.create(user=helper, roadmap=Roadmap.objects.get(slug="other"))
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )

    with pytest.raises(ApplicationError) as refused:
        services.proposal_accept(proposal_id=proposal.pk, moderator=helper)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        services.proposal_decline(proposal_id=proposal.pk, moderator=learner, reason="mine")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_declining_and_asking_for_changes_need_a_reason_the_author_sees(
    seed, caching, learner, moderator
):
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=caching.key, fields=NEW
    )
    with pytest.raises(ApplicationError):
        services.proposal_request_changes(proposal_id=proposal.pk, moderator=moderator, reason=" ")

    services.proposal_request_changes(
        proposal_id=proposal.pk, moderator=moderator, reason="Which edition?"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("changes_requested", "Which edition?")

    services.proposal_update(
        proposal_id=proposal.pk, author=learner, fields={"title": "Caching, 2e"}
    )
    services.proposal_decline(proposal_id=proposal.pk, moderator=moderator, reason="Too dated.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.fields["title"]) == ("declined", "Caching, 2e")


def test_removing_a_resource_with_others_nested_under_it_is_refused(db, learner):
    catalog_services.roadmap_import(
        source=(
            "# Awesome Things\n\n## ORM\n\n"
            "- [sqlalchemy](https://example.org/sqlalchemy) - The toolkit.\n"
            "  - [awesome-sqlalchemy](https://example.org/awesome-sqlalchemy)\n"
            "- [peewee](https://example.org/peewee) - A small ORM.\n"
        ),
        slug="awesome-things",
    )
    parent = Resource.objects.get(title="sqlalchemy")

    with pytest.raises(ApplicationError) as refused:
        services.proposal_create(
            author=learner, kind="remove_resource", resource_key=parent.key, reason="old"
        )

    assert "“awesome-sqlalchemy”" in refused.value.message
    # The nested one alone can go.
    nested = Resource.objects.get(title="awesome-sqlalchemy")
    services.proposal_create(
        author=learner, kind="remove_resource", resource_key=nested.key, reason="old"
    )
