"""A learner's data out (JSON, Markdown checklist) and back in (validated, atomic)."""

from __future__ import annotations

import copy
import json

import pytest
from django.utils import timezone

from learnmap.core.errors import ApplicationError
from learnmap.learning import selectors, services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import ElectiveChoice, NodeProgress, Note, ResourceProgress
from tests.factories import NodeFactory, RoadmapFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(user_learner, small):
    learner = user_learner
    services.progress_set(learner=learner, node=small.git, state="done")
    services.progress_set(learner=learner, node=small.sql, state="skipped")
    services.progress_set(learner=learner, node=small.postgres, state="in_progress")
    services.resource_progress_set(learner=learner, resource=small.pro_git, done=True)
    services.elective_set(learner=learner, node=small.caching, chosen=True)
    services.note_save(learner=learner, node=small.git, text="# Git\n\nRebase *carefully*.")
    services.preferences_filters_set(user=learner.user, filters={"language": "Persian"})
    return learner


def everything(learner, small):
    state = selectors.learner_state_for_roadmap(learner=learner, roadmap=small.roadmap)
    notes = {
        node.title: selectors.note_get(learner=learner, node=node).text
        for node in (small.git, small.sql)
        if node.key in state.notes
    }
    return state, notes, selectors.preferences_filters_get(learner=learner)


def test_export_delete_account_import_into_a_new_account_gives_everything_back(tracked, small):
    before = everything(tracked, small)
    exported = json.loads(json.dumps(services.progress_export(user=tracked.user)))
    tracked.user.delete()
    assert NodeProgress.objects.count() == Note.objects.count() == 0

    newcomer = UserLearner(user=UserFactory())
    summary = services.progress_import(user=newcomer.user, data=exported)

    assert everything(newcomer, small) == before
    assert summary.roadmaps == ["small"]
    assert summary.preferences_imported
    assert "Imported your progress on 1 roadmap(s)" in summary.message()


def test_the_export_names_things_for_people_and_keys_for_machines(tracked, small):
    exported = services.progress_export(user=tracked.user)
    assert (exported["format"], exported["version"]) == ("learnmap-progress", 1)
    roadmap = exported["roadmaps"]["small"]
    assert roadmap["title"] == "Small Roadmap"
    git = roadmap["nodes"][str(small.git.key)]
    assert git["title"] == "Git" and git["section"] == "Step 0: Basics"
    assert git["state"] == "done" and git["note"] == "# Git\n\nRebase *carefully*."
    assert git["retired"] is False
    assert roadmap["nodes"][str(small.caching.key)]["elective_chosen"] is True
    assert roadmap["resources"][str(small.pro_git.key)]["title"] == "Pro Git"
    assert exported["preferences"]["default_filters"] == {"language": "Persian"}


def test_progress_on_a_retired_node_is_exported_as_retired(tracked, small):
    small.sql.retired_at = timezone.now()
    small.sql.save()
    sql = services.progress_export(user=tracked.user)["roadmaps"]["small"]["nodes"][
        str(small.sql.key)
    ]
    assert sql["retired"] is True and sql["state"] == "skipped"


def test_the_export_costs_a_constant_number_of_queries(
    tracked, small, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        services.progress_export(user=tracked.user)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tracked, small):
    exported = services.progress_export(user=tracked.user)
    newcomer = UserFactory()
    assert services.progress_import(user=newcomer, data=exported).changed
    again = services.progress_import(user=newcomer, data=exported)
    assert not again.changed
    assert again.message().startswith("Nothing to import")
    assert NodeProgress.objects.filter(user=newcomer).count() == 3


def test_importing_into_an_account_with_progress_loses_nothing(tracked, small):
    exported = services.progress_export(user=tracked.user)
    other = UserLearner(user=UserFactory())
    services.progress_set(learner=other, node=small.sql, state="done")  # file says skipped
    services.progress_set(learner=other, node=small.git, state="in_progress")  # file: done
    services.note_save(learner=other, node=small.git, text="My own note")
    services.preferences_filters_set(user=other.user, filters={"price": "paid"})

    services.progress_import(user=other.user, data=exported)

    state = selectors.learner_state_for_roadmap(learner=other, roadmap=small.roadmap)
    assert state.state_of(small.sql.key) == "done"
    assert state.state_of(small.git.key) == "done"
    text = selectors.note_get(learner=other, node=small.git).text
    assert "My own note" in text and "Rebase *carefully*." in text
    assert selectors.preferences_filters_get(learner=other) == {"price": "paid"}


# --- validation -------------------------------------------------------------------------------


def test_bad_json_is_reported_with_its_position():
    with pytest.raises(ApplicationError, match=r"not valid JSON \(line 2, column 1") as caught:
        services.progress_json_load(text='{"format": "learnmap-progress",\n}')
    assert caught.value.code == "bad_json"
    with pytest.raises(ApplicationError, match="not a Learnmap progress export"):
        services.progress_json_load(text="[1, 2]")
    with pytest.raises(ApplicationError, match="not text"):
        services.progress_json_load(text=b"\xff\xfe\x00")


@pytest.mark.parametrize(
    ("change", "message", "code"),
    [
        (
            lambda d: d.update(version=2),
            "has version 2; this Learnmap reads version 1",
            "wrong_version",
        ),
        (lambda d: d.pop("version"), "has version None", "wrong_version"),
        (
            lambda d: d.update(format="something-else"),
            "not a Learnmap progress export",
            "bad_format",
        ),
    ],
)
def test_a_file_of_another_kind_or_version_is_refused(tracked, change, message, code):
    data = services.progress_export(user=tracked.user)
    change(data)
    with pytest.raises(ApplicationError, match=message) as caught:
        services.progress_import(user=UserFactory(), data=data)
    assert caught.value.code == code


def test_every_problem_is_reported_and_nothing_is_written(tracked, small):
    data = services.progress_export(user=tracked.user)
    nodes = data["roadmaps"]["small"]["nodes"]
    nodes["3f1c8a52-0000-4000-8000-000000000000"] = {"title": "Vanished", "state": "done"}
    nodes["not-a-key"] = {"state": "done"}
    nodes[str(small.python.key)] = {"state": "finished"}
    nodes[str(small.podcasts.key)] = {"elective_chosen": True}
    other = NodeFactory(roadmap=RoadmapFactory(slug="other"))
    nodes[str(other.key)] = {"state": "done"}
    data["roadmaps"]["missing-roadmap"] = {"nodes": {}}
    newcomer = UserFactory()

    with pytest.raises(ApplicationError) as caught:
        services.progress_import(user=newcomer, data=data)

    error = caught.value
    assert error.code == "invalid_import"
    assert error.message.startswith("This file was not imported: ")
    assert "Nothing was changed" in error.message
    problems = "\n".join(error.extra["errors"])
    assert "roadmaps.missing-roadmap: there is no roadmap 'missing-roadmap'" in problems
    assert "3f1c8a52-0000-4000-8000-000000000000: unknown node" in problems
    assert "not-a-key: not a node key" in problems
    assert "'finished' is not one of" in problems
    assert "this node is not an elective section" in problems
    assert "belongs to another roadmap" in problems
    assert error.extra["error_count"] == 6
    for model in (NodeProgress, ResourceProgress, ElectiveChoice, Note):
        assert not model.objects.filter(user=newcomer).exists(), model.__name__


def test_an_overlong_imported_note_is_refused(tracked, small):
    data = services.progress_export(user=tracked.user)
    data["roadmaps"]["small"]["nodes"][str(small.git.key)]["note"] = "x" * 100_001
    with pytest.raises(ApplicationError, match="note: longer than 100,000 characters"):
        services.progress_import(user=UserFactory(), data=data)


def test_a_file_with_nothing_tracked_imports_nothing(user):
    summary = services.progress_import(
        user=user, data={"format": "learnmap-progress", "version": 1, "roadmaps": {}}
    )
    assert not summary.changed


def test_an_import_that_fails_half_way_writes_nothing(tracked, small, monkeypatch):
    from learnmap.learning.services import merging

    data = services.progress_export(user=tracked.user)
    newcomer = UserFactory()
    original = Note.objects.bulk_create

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(merging.Note.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.progress_import(user=newcomer, data=data)
    assert not NodeProgress.objects.filter(user=newcomer).exists()
    assert not Note.objects.filter(user=newcomer).exists()


# --- Markdown checklist -----------------------------------------------------------------------


def test_the_checklist_shows_the_roadmap_with_the_learners_states(tracked, small):
    services.progress_set(learner=tracked, node=small.python, state="done")
    small.sql.retired_at = timezone.now()
    small.sql.save()
    small.roadmap.revision += 1
    small.roadmap.save()

    text = services.progress_checklist_markdown(learner=tracked, roadmap=small.roadmap)

    lines = text.splitlines()
    assert lines[0] == "# Small Roadmap"
    # Steps: Git (done), Step 1 (done); electives: PostgreSQL (in progress, which chose
    # Databases), Redis, Caching. SQL is retired: out of the count.
    assert "My progress: 2 of 5 done (40%)." in text
    assert "- [x] Step 0: Basics" in lines, "every remaining topic is done"
    assert "  - [x] Git" in lines
    assert "  - [ ] SQL *(skipped, retired: no longer in the roadmap)*" in lines
    assert "    - [x] [Pro Git](<https://example.com/resource/" in text
    assert "- [x] Step 1: Python" in lines
    assert "- [ ] Databases — elective, chosen" in lines
    assert "  - [ ] PostgreSQL *(in progress)*" in lines
    assert "- [ ] Caching — elective, chosen" in lines
    assert "- [ ] Podcasts — extra" in lines


def test_the_checklist_escapes_markdown_in_titles(user_learner, small):
    small.git.title = "Git [advanced] *for* <you>"
    small.git.save()
    small.roadmap.revision += 1
    small.roadmap.save()
    text = services.progress_checklist_markdown(learner=user_learner, roadmap=small.roadmap)
    assert r"  - [ ] Git \[advanced\] \*for\* \<you\>" in text.splitlines()


def test_anonymous_learners_get_a_checklist_too(session_learner, small):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    text = services.progress_checklist_markdown(learner=session_learner, roadmap=small.roadmap)
    assert "  - [x] Git" in text.splitlines()
    assert "- [ ] Databases — elective, not chosen" in text.splitlines()


def test_export_data_is_independent_of_later_changes(tracked, small):
    exported = services.progress_export(user=tracked.user)
    snapshot = copy.deepcopy(exported)
    services.progress_set(learner=tracked, node=small.git, state="not_started")
    assert exported == snapshot
