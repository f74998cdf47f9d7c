"""Setting progress, resources, electives and notes: the same for signed-in and anonymous
learners, idempotent, and refusing what makes no sense with a sentence."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from learnmap.core.errors import ApplicationError
from learnmap.learning import selectors, services
from learnmap.learning.learners import (
    SESSION_MAX_ITEMS,
    SESSION_NOTES_MAX_CHARS,
    SessionLearner,
    UserLearner,
    learner_for_request,
)
from learnmap.learning.models import ElectiveChoice, NodeProgress, Note
from learnmap.learning.notes import NOTE_MAX_CHARS
from tests.factories import NodeFactory

pytestmark = pytest.mark.django_db

NOW = "2026-12-03 12:00:00Z"


def state_of(learner, small):
    return selectors.learner_state_for_roadmap(learner=learner, roadmap=small.roadmap)


def test_each_state_can_be_set_and_read_back(learner, small):
    for state in ("in_progress", "done", "skipped"):
        assert services.progress_set(learner=learner, node=small.git, state=state) == state
        assert state_of(learner, small).state_of(small.git.key) == state
        assert selectors.node_state_get(learner=learner, node=small.git) == state


def test_setting_the_same_state_twice_changes_nothing(learner, small):
    with time_machine.travel(NOW, tick=False) as clock:
        services.progress_set(learner=learner, node=small.git, state="done")
        first = state_of(learner, small)
        clock.shift(60)
        services.progress_set(learner=learner, node=small.git, state="done")
    assert state_of(learner, small) == first
    if isinstance(learner, UserLearner):
        row = NodeProgress.objects.get(user=learner.user)  # one row, not written again
        assert row.updated_at == row.created_at


def test_not_started_removes_the_state(learner, small):
    services.progress_set(learner=learner, node=small.git, state="done")
    services.progress_set(learner=learner, node=small.git, state="not_started")
    assert state_of(learner, small).node_states == {}
    assert selectors.node_state_get(learner=learner, node=small.git) == "not_started"
    # Resetting what was never set is fine too.
    services.progress_set(learner=learner, node=small.sql, state="not_started")


def test_an_unknown_state_is_refused_with_the_valid_ones(learner, small):
    with pytest.raises(ApplicationError, match="'finished' is not a progress state") as caught:
        services.progress_set(learner=learner, node=small.git, state="finished")
    assert caught.value.code == "invalid_state"
    assert "done (done)" in caught.value.message
    assert state_of(learner, small).node_states == {}


def test_a_retired_node_keeps_its_state_which_can_be_cleared_but_not_changed(learner, small):
    services.progress_set(learner=learner, node=small.git, state="in_progress")
    small.git.retired_at = timezone.now()
    small.git.save()
    with pytest.raises(ApplicationError, match="removed from the roadmap"):
        services.progress_set(learner=learner, node=small.git, state="done")
    assert state_of(learner, small).state_of(small.git.key) == "in_progress"
    services.progress_set(learner=learner, node=small.git, state="not_started")
    assert state_of(learner, small).state_of(small.git.key) == "not_started"


def test_resources_are_marked_done_and_undone_idempotently(learner, small):
    assert services.resource_progress_set(learner=learner, resource=small.pro_git, done=True)
    services.resource_progress_set(learner=learner, resource=small.pro_git, done=True)
    assert state_of(learner, small).resources_done == {small.pro_git.key}
    assert not services.resource_progress_set(learner=learner, resource=small.pro_git, done=False)
    services.resource_progress_set(learner=learner, resource=small.pro_git, done=False)
    assert state_of(learner, small).resources_done == set()


def test_a_retired_resource_cannot_be_marked_done(learner, small):
    small.fluent.retired_at = timezone.now()
    small.fluent.save()
    with pytest.raises(ApplicationError, match="Fluent Python"):
        services.resource_progress_set(learner=learner, resource=small.fluent, done=True)
    assert state_of(learner, small).resources_done == set()


def test_electives_are_chosen_and_dropped(learner, small):
    assert services.elective_set(learner=learner, node=small.databases, chosen=True)
    services.elective_set(learner=learner, node=small.databases, chosen=True)
    assert state_of(learner, small).electives == {small.databases.key}
    services.elective_set(learner=learner, node=small.databases, chosen=False)
    assert state_of(learner, small).electives == set()


@pytest.mark.parametrize("name", ["python", "postgres", "podcasts"])
def test_only_elective_sections_can_be_chosen(learner, small, name):
    node = getattr(small, name)
    with pytest.raises(ApplicationError, match="is not an elective section") as caught:
        services.elective_set(learner=learner, node=node, chosen=True)
    assert caught.value.code == "not_elective"
    assert node.title in caught.value.message
    assert state_of(learner, small).electives == set()


def test_starting_a_topic_in_an_elective_chooses_the_elective(learner, small):
    services.progress_set(learner=learner, node=small.postgres, state="in_progress")
    assert state_of(learner, small).electives == {small.databases.key}


def test_skipping_a_topic_in_an_elective_does_not_choose_it(learner, small):
    services.progress_set(learner=learner, node=small.redis, state="skipped")
    assert state_of(learner, small).electives == set()


def test_dropping_an_elective_keeps_the_progress_made_in_it(learner, small):
    services.progress_set(learner=learner, node=small.postgres, state="done")
    services.elective_set(learner=learner, node=small.databases, chosen=False)
    state = state_of(learner, small)
    assert state.electives == set()
    assert state.state_of(small.postgres.key) == "done"


def test_notes_are_saved_read_updated_and_deleted(learner, small):
    assert selectors.note_get(learner=learner, node=small.git) is None
    stored = services.note_save(learner=learner, node=small.git, text="  Read *chapter 2*\r\n")
    assert stored == "Read *chapter 2*"
    note = selectors.note_get(learner=learner, node=small.git)
    assert note.text == "Read *chapter 2*"
    assert "<em>chapter 2</em>" in note.html
    assert state_of(learner, small).notes == {small.git.key}
    services.note_save(learner=learner, node=small.git, text="Done with it")
    assert selectors.note_get(learner=learner, node=small.git).text == "Done with it"
    services.note_save(learner=learner, node=small.git, text="   ")
    assert selectors.note_get(learner=learner, node=small.git) is None
    assert state_of(learner, small).notes == set()


def test_saving_the_same_note_twice_writes_nothing(user_learner, small):
    with time_machine.travel(NOW, tick=False) as clock:
        services.note_save(learner=user_learner, node=small.git, text="same")
        clock.shift(60)
        services.note_save(learner=user_learner, node=small.git, text="same\r\n")
    note = Note.objects.get(user=user_learner.user)
    assert note.updated_at == note.created_at


def test_an_overlong_note_is_refused_and_the_old_one_kept(learner, small):
    services.note_save(learner=learner, node=small.git, text="keep me")
    with pytest.raises(ApplicationError, match=r"at most 20,000 characters") as caught:
        services.note_save(learner=learner, node=small.git, text="x" * (NOTE_MAX_CHARS + 1))
    assert caught.value.code == "note_too_long"
    assert "20,001 characters long" in caught.value.message
    assert selectors.note_get(learner=learner, node=small.git).text == "keep me"
    # Exactly at the limit is fine.
    services.note_save(learner=learner, node=small.git, text="y" * NOTE_MAX_CHARS)


def test_anonymous_notes_are_bounded_in_all_and_ask_to_sign_in(session_learner, small):
    services.note_save(learner=session_learner, node=small.git, text="a" * NOTE_MAX_CHARS)
    services.note_save(learner=session_learner, node=small.sql, text="b" * NOTE_MAX_CHARS)
    rest = SESSION_NOTES_MAX_CHARS - 2 * NOTE_MAX_CHARS
    with pytest.raises(ApplicationError, match="Sign in") as caught:
        services.note_save(learner=session_learner, node=small.python, text="c" * (rest + 1))
    assert caught.value.code == "session_notes_full"
    # Replacing an existing note with one of the same size is fine.
    services.note_save(learner=session_learner, node=small.git, text="d" * NOTE_MAX_CHARS)


def test_anonymous_progress_is_bounded_and_asks_to_sign_in(session_learner, small):
    from learnmap.learning.learners import SESSION_KEY

    nodes = {
        f"00000000-0000-0000-0000-{i:012d}": ["done", ""] for i in range(SESSION_MAX_ITEMS - 1)
    }
    nodes[str(small.git.key)] = ["done", ""]
    session_learner.session[SESSION_KEY] = {"v": 1, "nodes": nodes}
    with pytest.raises(ApplicationError, match="Sign in") as caught:
        services.progress_set(learner=session_learner, node=small.sql, state="done")
    assert caught.value.code == "session_full"
    assert selectors.node_state_get(learner=session_learner, node=small.sql) == "not_started"
    # What is already there can still change.
    services.progress_set(learner=session_learner, node=small.git, state="skipped")
    assert selectors.node_state_get(learner=session_learner, node=small.git) == "skipped"


def test_anonymous_progress_lives_in_the_session_not_the_database(session_learner, small):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    services.elective_set(learner=session_learner, node=small.caching, chosen=True)
    assert NodeProgress.objects.count() == ElectiveChoice.objects.count() == 0
    session_learner.session.save()
    reloaded = type(session_learner.session)(session_key=session_learner.session.session_key)
    state = selectors.learner_state_for_roadmap(
        learner=SessionLearner(session=reloaded), roadmap=small.roadmap
    )
    assert state.state_of(small.git.key) == "done"
    assert state.electives == {small.caching.key}


def test_learner_for_request_tells_signed_in_from_anonymous(rf, user, session_learner):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.session = session_learner.session
    request.user = AnonymousUser()
    assert isinstance(learner_for_request(request), SessionLearner)
    request.user = user
    learner = learner_for_request(request)
    assert isinstance(learner, UserLearner) and learner.user == user


def test_deleting_the_account_deletes_all_its_learning_data(user_learner, small):
    from learnmap.learning.models import LearnerPreferences, Note, ResourceProgress

    services.progress_set(learner=user_learner, node=small.postgres, state="done")
    services.resource_progress_set(learner=user_learner, resource=small.pro_git, done=True)
    services.note_save(learner=user_learner, node=small.git, text="mine")
    services.preferences_filters_set(user=user_learner.user, filters={"price": "free"})
    user_learner.user.delete()
    for model in (NodeProgress, ResourceProgress, ElectiveChoice, Note, LearnerPreferences):
        assert model.objects.count() == 0, model.__name__
    assert NodeFactory._meta.model.objects.filter(pk=small.postgres.pk).exists()


# --- default filters --------------------------------------------------------------------------


def test_default_filters_are_remembered_for_signed_in_learners(user_learner):
    saved = services.preferences_filters_set(
        user=user_learner.user,
        filters={
            "language": ["Persian", "English", "Persian"],
            "price": "free",
            "kind": "",
            "level": None,
        },
    )
    assert saved == {"language": ["Persian", "English"], "price": "free"}
    assert selectors.preferences_filters_get(learner=user_learner) == saved
    services.preferences_filters_set(user=user_learner.user, filters={})
    assert selectors.preferences_filters_get(learner=user_learner) == {}


def test_anonymous_learners_have_no_saved_filters(session_learner):
    assert selectors.preferences_filters_get(learner=session_learner) == {}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"colour": "red"}, "Unknown filter 'colour'"),
        ({"price": "cheap"}, "price filter is “free” or “paid”"),
        ({"kind": "x" * 101}, "at most 100 characters"),
        ({"level": 3}, "level filter must be text"),
    ],
)
def test_bad_default_filters_are_refused_and_nothing_saved(user_learner, filters, message):
    services.preferences_filters_set(user=user_learner.user, filters={"kind": "Book"})
    with pytest.raises(ApplicationError, match=message):
        services.preferences_filters_set(user=user_learner.user, filters=filters)
    assert selectors.preferences_filters_get(learner=user_learner) == {"kind": "Book"}
