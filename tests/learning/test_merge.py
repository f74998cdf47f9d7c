"""Anonymous progress joins the account on sign-in and sign-up, and nothing is dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.signals import user_signed_up
from django.utils import timezone

from learnmap.learning import selectors, services
from learnmap.learning.learners import SESSION_KEY, SessionData, SessionLearner, UserLearner
from learnmap.learning.models import Note
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def account_state(user, small):
    return selectors.learner_state_for_roadmap(
        learner=UserLearner(user=user), roadmap=small.roadmap
    )


def test_everything_tracked_anonymously_moves_into_a_new_account(session_learner, user, small):
    anon = session_learner
    services.progress_set(learner=anon, node=small.git, state="done")
    services.progress_set(learner=anon, node=small.postgres, state="in_progress")
    services.resource_progress_set(learner=anon, resource=small.pro_git, done=True)
    services.elective_set(learner=anon, node=small.caching, chosen=True)
    services.note_save(learner=anon, node=small.sql, text="Try SQLBolt")

    summary = services.progress_merge_session(request_session=anon.session, user=user)

    state = account_state(user, small)
    assert state.node_states == {small.git.key: "done", small.postgres.key: "in_progress"}
    assert state.resources_done == {small.pro_git.key}
    assert state.electives == {small.caching.key, small.databases.key}
    note = selectors.note_get(learner=UserLearner(user=user), node=small.sql)
    assert note.text == "Try SQLBolt"
    assert summary.total.added == 6 and summary.kept_in_session == 0
    assert SESSION_KEY not in anon.session, "merged progress leaves the session"


@pytest.mark.parametrize(
    ("anonymous", "account", "expected"),
    [
        ("done", "in_progress", "done"),
        ("skipped", "done", "done"),
        ("in_progress", "skipped", "in_progress"),
        ("skipped", "in_progress", "in_progress"),
        ("done", "done", "done"),
    ],
)
def test_on_conflict_the_more_advanced_state_wins(
    session_learner, user_learner, small, anonymous, account, expected
):
    services.progress_set(learner=user_learner, node=small.git, state=account)
    services.progress_set(learner=session_learner, node=small.git, state=anonymous)
    services.progress_merge_session(request_session=session_learner.session, user=user_learner.user)
    assert account_state(user_learner.user, small).state_of(small.git.key) == expected


def test_conflicting_notes_keep_both_texts_newest_first(session_learner, user_learner, small):
    services.note_save(learner=user_learner, node=small.git, text="Account note")
    Note.objects.filter(user=user_learner.user).update(
        updated_at=timezone.now() - timedelta(days=1)
    )
    services.note_save(learner=session_learner, node=small.git, text="Session note")

    summary = services.progress_merge_session(
        request_session=session_learner.session, user=user_learner.user
    )

    text = selectors.note_get(learner=user_learner, node=small.git).text
    assert text == "Session note\n\n---\n\nAccount note"
    assert summary.notes.updated == 1


def test_an_older_anonymous_note_goes_below_the_account_note(session_learner, user_learner, small):
    services.note_save(learner=session_learner, node=small.git, text="Session note")
    data = SessionData(session_learner.session)
    data.put(
        "notes", small.git.key, ["Session note", (timezone.now() - timedelta(days=2)).isoformat()]
    )
    services.note_save(learner=user_learner, node=small.git, text="Account note")
    services.progress_merge_session(request_session=session_learner.session, user=user_learner.user)
    text = selectors.note_get(learner=user_learner, node=small.git).text
    assert text == "Account note\n\n---\n\nSession note"


def test_a_note_that_extends_the_other_replaces_it(session_learner, user_learner, small):
    services.note_save(learner=user_learner, node=small.git, text="Chapter 1")
    services.note_save(learner=session_learner, node=small.git, text="Chapter 1\n\nChapter 2")
    services.progress_merge_session(request_session=session_learner.session, user=user_learner.user)
    assert selectors.note_get(learner=user_learner, node=small.git).text == (
        "Chapter 1\n\nChapter 2"
    )


def test_merging_twice_changes_nothing_more(session_learner, user_learner, small):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    services.note_save(learner=session_learner, node=small.git, text="n")
    first = services.progress_merge_session(
        request_session=session_learner.session, user=user_learner.user
    )
    again = services.progress_merge_session(
        request_session=session_learner.session, user=user_learner.user
    )
    assert first.changed and not again.changed


def test_progress_on_a_node_gone_from_the_catalog_stays_in_the_session(
    session_learner, user_learner, small
):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    services.progress_set(learner=session_learner, node=small.python, state="done")
    gone_key = str(small.python.key)
    small.python.delete()  # nothing in the database referred to it

    summary = services.progress_merge_session(
        request_session=session_learner.session, user=user_learner.user
    )

    assert account_state(user_learner.user, small).node_states == {small.git.key: "done"}
    assert summary.kept_in_session == 1
    left = SessionData(session_learner.session).nodes
    assert list(left) == [gone_key] and left[gone_key][0] == "done"


def test_anonymous_progress_on_a_retired_node_is_merged(session_learner, user_learner, small):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    small.git.retired_at = timezone.now()
    small.git.save()
    services.progress_merge_session(request_session=session_learner.session, user=user_learner.user)
    assert account_state(user_learner.user, small).state_of(small.git.key) == "done"


# --- through sign-in and sign-up --------------------------------------------------------------


def track_anonymously(client, small):
    session = client.session
    anon = SessionLearner(session=session)
    services.progress_set(learner=anon, node=small.git, state="done")
    services.note_save(learner=anon, node=small.git, text="Anonymous note")
    session.save()


def test_signing_in_merges_the_session_progress(client, user, small):
    track_anonymously(client, small)
    client.force_login(user)
    assert account_state(user, small).state_of(small.git.key) == "done"
    assert Note.objects.get(user=user).text == "Anonymous note"
    assert SESSION_KEY not in client.session


def test_signing_in_through_the_login_page_merges_the_session_progress(client, small):
    user = UserFactory(email="ada@example.com")
    track_anonymously(client, small)
    response = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302, response.content[:500]
    assert account_state(user, small).state_of(small.git.key) == "done"


def test_signing_up_through_the_signup_page_keeps_the_session_progress(client, small):
    track_anonymously(client, small)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 302, response.content[:500]
    user = UserFactory._meta.model.objects.get(email="new@example.com")
    assert account_state(user, small).state_of(small.git.key) == "done"
    assert Note.objects.get(user=user).text == "Anonymous note"


def test_the_signup_signal_alone_merges_too(rf, session_learner, small):
    services.progress_set(learner=session_learner, node=small.git, state="skipped")
    user = UserFactory()
    request = rf.post("/")
    request.session = session_learner.session
    user_signed_up.send(sender=user.__class__, request=request, user=user)
    assert account_state(user, small).state_of(small.git.key) == "skipped"


def test_a_failed_merge_does_not_block_sign_in_and_keeps_the_progress(
    client, user, small, monkeypatch
):
    from learnmap.learning import receivers

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(receivers, "progress_merge_session", broken)
    track_anonymously(client, small)
    client.force_login(user)
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert str(small.git.key) in client.session[SESSION_KEY]["nodes"], "kept for next time"
