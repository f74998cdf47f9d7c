"""The learner's API: progress, electives, notes, export and import; always the caller's own."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.learning.models import ElectiveChoice, NodeProgress, Note, ResourceProgress
from learnmap.learning.notes import NOTE_MAX_CHARS
from tests.api.conftest import Api, assert_problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_progress_starts_empty(seeded, ada):
    body = ada.api.get("/me/progress/python-backend").json()
    assert body["roadmap"] == "python-backend"
    assert body["nodes"] == body["resources_done"] == body["electives"] == body["notes"] == []
    assert body["figures"]["done"] == 0 and body["figures"]["total"] > 0


def test_setting_a_state_shows_in_progress_and_figures(seeded, ada):
    response = ada.api.put(f"/me/progress/nodes/{seeded.django.key}", {"state": "done"})
    assert response.status_code == 200
    assert response.json() == {"key": str(seeded.django.key), "state": "done"}
    body = ada.api.get("/me/progress/python-backend").json()
    assert body["nodes"] == [{"key": str(seeded.django.key), "state": "done"}]
    assert body["figures"]["done"] == 1


# The rules of states (the same twice writes nothing, not_started clears, electives chosen by
# starting a topic): tests/learning/test_progress.py. Here, what the API adds to them.


def test_put_of_a_state_twice_answers_the_same(seeded, ada):
    url = f"/me/progress/nodes/{seeded.django.key}"
    first = ada.api.put(url, {"state": "in_progress"})
    again = ada.api.put(url, {"state": "in_progress"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() == {"key": str(seeded.django.key), "state": "in_progress"}


def test_not_started_clears_the_state(seeded, ada):
    url = f"/me/progress/nodes/{seeded.django.key}"
    ada.api.put(url, {"state": "done"})
    assert ada.api.put(url, {"state": "not_started"}).json()["state"] == "not_started"
    assert ada.api.get("/me/progress/python-backend").json()["nodes"] == []


def test_an_unknown_state_or_node_is_refused(seeded, ada):
    bad = ada.api.put(f"/me/progress/nodes/{seeded.django.key}", {"state": "finished"})
    assert assert_problem(bad, 422)["errors"][0]["where"] == "body state"
    missing = ada.api.put(f"/me/progress/nodes/{uuid.uuid4()}", {"state": "done"})
    assert_problem(missing, 404, "unknown_node")
    assert_problem(ada.api.put("/me/progress/nodes/not-a-uuid", {"state": "done"}), 422)


def test_resources_done_and_undone(seeded, ada):
    url = f"/me/progress/resources/{seeded.resource.key}"
    assert ada.api.put(url, {"done": True}).json() == {
        "key": str(seeded.resource.key),
        "done": True,
    }
    body = ada.api.get("/me/progress/python-backend").json()
    assert body["resources_done"] == [str(seeded.resource.key)]
    assert ada.api.put(url, {"done": False}).json()["done"] is False
    assert ada.api.get("/me/progress/python-backend").json()["resources_done"] == []
    assert_problem(ada.api.put(url, {"done": "yes"}), 422)


def test_electives_are_chosen_and_dropped(seeded, ada):
    url = f"/me/electives/{seeded.databases.key}"
    assert ada.api.put(url, {"chosen": True}).json()["chosen"] is True
    assert ada.api.get("/me/progress/python-backend").json()["electives"] == [
        str(seeded.databases.key)
    ]
    assert ada.api.put(url, {"chosen": False}).json()["chosen"] is False
    assert not ElectiveChoice.objects.filter(user=ada.user).exists()


def test_only_elective_sections_can_be_chosen(seeded, ada):
    body = assert_problem(
        ada.api.put(f"/me/electives/{seeded.step1.key}", {"chosen": True}), 409, "not_elective"
    )
    assert "elective" in body["detail"]


# --- notes -------------------------------------------------------------------------------------


def test_notes_are_written_read_and_deleted(seeded, ada):
    url = f"/me/notes/{seeded.django.key}"
    assert_problem(ada.api.get(url), 404, "no_note")
    saved = ada.api.put(url, {"text": "Read **chapter 3**\r\n<script>x</script>"}).json()
    assert saved["text"] == "Read **chapter 3**\n<script>x</script>"
    assert "<strong>chapter 3</strong>" in saved["html"] and "<script>" not in saved["html"]
    assert ada.api.get(url).json() == saved
    assert ada.api.get("/me/progress/python-backend").json()["notes"] == [str(seeded.django.key)]
    assert ada.api.delete(url).status_code == 204
    assert ada.api.delete(url).status_code == 204  # idempotent
    assert_problem(ada.api.get(url), 404)


def test_put_of_a_note_twice_answers_the_same(seeded, ada):
    # That nothing is written the second time: tests/learning/test_progress.py.
    url = f"/me/notes/{seeded.django.key}"
    first = ada.api.put(url, {"text": "same"}).json()
    assert ada.api.put(url, {"text": "same"}).json() == first


def test_an_empty_note_deletes_it(seeded, ada):
    url = f"/me/notes/{seeded.django.key}"
    ada.api.put(url, {"text": "x"})
    body = ada.api.put(url, {"text": "   "}).json()
    assert body["text"] == "" and body["updated_at"] is None
    assert_problem(ada.api.get(url), 404, "no_note")


def test_note_length_is_limited(seeded, ada):
    url = f"/me/notes/{seeded.django.key}"
    assert ada.api.put(url, {"text": "x" * NOTE_MAX_CHARS}).status_code == 200
    body = assert_problem(ada.api.put(url, {"text": "x" * (NOTE_MAX_CHARS + 1)}), 422)
    assert body["errors"][0]["where"] == "body text"
    assert len(Note.objects.get(user=ada.user).text) == NOTE_MAX_CHARS


def test_a_body_over_the_limit_is_refused_before_it_is_read(seeded, ada, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = ada.api.put(f"/me/notes/{seeded.django.key}", {"text": "x" * 2000})
    body = assert_problem(response, 413, "body_too_large")
    assert body["max_bytes"] == 1000
    assert not Note.objects.exists()


def test_a_body_that_is_not_json(seeded, ada):
    response = ada.api.put(f"/me/notes/{seeded.django.key}", raw=b"text=hello")
    assert_problem(response, 400, "bad_json")


# --- export and import ---------------------------------------------------------------------------


def _track(learner, seeded) -> None:
    learner.api.put(f"/me/progress/nodes/{seeded.django.key}", {"state": "done"})
    learner.api.put(f"/me/progress/nodes/{seeded.postgresql.key}", {"state": "in_progress"})
    learner.api.put(f"/me/progress/resources/{seeded.resource.key}", {"done": True})
    learner.api.put(f"/me/electives/{seeded.databases.key}", {"chosen": True})
    learner.api.put(f"/me/notes/{seeded.django.key}", {"text": "Finished the *tutorial*."})


def test_export_has_everything_the_learner_tracked(seeded, ada):
    _track(ada, seeded)
    response = ada.api.get("/me/export")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
    data = response.json()
    assert data["format"] == "learnmap-progress" and data["version"] == 1
    nodes = data["roadmaps"]["python-backend"]["nodes"]
    assert nodes[str(seeded.django.key)]["state"] == "done"
    assert nodes[str(seeded.django.key)]["note"] == "Finished the *tutorial*."
    assert nodes[str(seeded.databases.key)]["elective_chosen"] is True
    assert str(seeded.resource.key) in data["roadmaps"]["python-backend"]["resources"]


def test_round_trip_export_delete_account_new_account_import(seeded, ada):
    """Export, delete the account, make a new one, import: the states and notes are back.
    (What the import keeps, merges and refuses, and that a second import changes nothing:
    tests/learning/test_portability.py.)"""
    _track(ada, seeded)
    before = ada.api.get("/me/progress/python-backend").json()
    export = ada.api.get("/me/export").json()
    from learnmap.accounts.services import account_delete

    account_delete(user=ada.user)
    assert ada.api.get("/me").status_code == 401  # the token went with the account

    user = UserFactory(username="ada2", email="ada2@example.com")
    api = Api(Client(), account_services.token_create(user=user, name="new").secret)
    result = api.post("/me/import", export)
    assert result.status_code == 200, result.content
    summary = result.json()
    assert summary["changed"] is True and summary["roadmaps"] == ["python-backend"]
    assert summary["counts"]["added"] == 5
    after = api.get("/me/progress/python-backend").json()
    for field in ("nodes", "resources_done", "electives", "notes", "figures"):
        assert after[field] == before[field], field
    assert api.get(f"/me/notes/{seeded.django.key}").json()["text"] == "Finished the *tutorial*."


def test_an_import_that_names_unknown_things_changes_nothing(seeded, ada):
    export = {
        "format": "learnmap-progress",
        "version": 1,
        "exported_at": "2025-01-01T00:00:00+00:00",
        "preferences": {"default_filters": {}},
        "roadmaps": {
            "python-backend": {
                "title": "x",
                "nodes": {
                    str(seeded.django.key): {"title": "Django", "state": "done"},
                    str(uuid.uuid4()): {"title": "Gone", "state": "done"},
                },
                "resources": {},
            },
            "rust": {"title": "Rust", "nodes": {}, "resources": {}},
        },
    }
    body = assert_problem(ada.api.post("/me/import", export), 400, "invalid_import")
    assert len(body["errors"]) == 2 and body["error_count"] == 2
    assert ada.api.get("/me/progress/python-backend").json()["nodes"] == []


def test_an_import_that_is_not_an_export_is_refused(seeded, ada):
    body = assert_problem(ada.api.post("/me/import", {"format": "other"}), 422)
    assert {e["where"] for e in body["errors"]} >= {"body format", "body version"}
    assert_problem(ada.api.post("/me/import", raw=b"[1, 2"), 400, "bad_json")


def test_import_takes_larger_bodies_than_other_writes(seeded, ada, settings):
    settings.API_MAX_BODY_BYTES = 100
    export = ada.api.get("/me/export").json()
    assert ada.api.post("/me/import", export).status_code == 200
    settings.API_IMPORT_MAX_BYTES = 100
    export["preferences"]["default_filters"] = {"language": "x" * 100}
    assert_problem(ada.api.post("/me/import", export), 413, "body_too_large")


# --- nobody else's data --------------------------------------------------------------------------


def test_a_learner_never_sees_another_learners_progress_or_notes(seeded, ada, bob):
    _track(ada, seeded)
    theirs = bob.api.get("/me/progress/python-backend").json()
    assert theirs["nodes"] == theirs["resources_done"] == theirs["electives"] == []
    assert theirs["notes"] == []
    # Bob asks for Ada's note by the very node it is on: it is not there for him.
    assert_problem(bob.api.get(f"/me/notes/{seeded.django.key}"), 404, "no_note")
    export = bob.api.get("/me/export").json()
    assert export["roadmaps"] == {}


def test_a_learners_writes_never_touch_another_learners_rows(seeded, ada, bob):
    _track(ada, seeded)
    ada_rows = {
        "nodes": list(NodeProgress.objects.filter(user=ada.user).values_list("node", "state")),
        "note": Note.objects.get(user=ada.user).text,
    }
    bob.api.put(f"/me/progress/nodes/{seeded.django.key}", {"state": "skipped"})
    bob.api.put(f"/me/notes/{seeded.django.key}", {"text": "Bob's own"})
    bob.api.delete(f"/me/notes/{seeded.django.key}")
    bob.api.put(f"/me/progress/resources/{seeded.resource.key}", {"done": False})
    bob.api.put(f"/me/electives/{seeded.databases.key}", {"chosen": False})
    bob.api.post("/me/import", ada.api.get("/me/export").json())  # Ada's file, into Bob's account
    assert (
        list(NodeProgress.objects.filter(user=ada.user).values_list("node", "state"))
        == ada_rows["nodes"]
    )
    assert Note.objects.get(user=ada.user).text == ada_rows["note"]
    assert ResourceProgress.objects.filter(user=ada.user).count() == 1
    assert ElectiveChoice.objects.filter(user=ada.user).count() == 1
    # Bob's import made copies in his own account; Ada's stayed hers.
    assert NodeProgress.objects.filter(user=bob.user).count() == 2


def test_progress_needs_a_caller(seeded, anon):
    for method, path in [
        ("GET", "/me/progress/python-backend"),
        ("PUT", f"/me/progress/nodes/{seeded.django.key}"),
        ("PUT", f"/me/progress/resources/{seeded.resource.key}"),
        ("PUT", f"/me/electives/{seeded.databases.key}"),
        ("GET", f"/me/notes/{seeded.django.key}"),
        ("PUT", f"/me/notes/{seeded.django.key}"),
        ("DELETE", f"/me/notes/{seeded.django.key}"),
        ("GET", "/me/export"),
        ("POST", "/me/import"),
    ]:
        response = anon.send(method, path, {"state": "done", "done": True, "text": "x"})
        assert_problem(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_progress_costs_a_few_queries_whatever_the_roadmaps_size(
    seeded, ada, django_assert_max_num_queries
):
    _track(ada, seeded)
    ada.api.get("/me/progress/python-backend")  # the roadmap's structure is cached from now on
    with django_assert_max_num_queries(4):  # token, its last use, the roadmap, the states
        body = ada.api.get("/me/progress/python-backend").json()
    assert len(body["nodes"]) == 2


def test_an_import_with_nul_characters_is_refused_before_the_database(seeded, ada):
    export = ada.api.get("/me/export").json()
    export["roadmaps"]["bad\x00slug"] = {"title": "x", "nodes": {}, "resources": {}}
    assert_problem(ada.api.post("/me/import", export), 422)
    del export["roadmaps"]["bad\x00slug"]
    export["roadmaps"]["python-backend"] = {
        "title": "x",
        "nodes": {str(seeded.django.key): {"title": "Django", "note": "a\x00b"}},
        "resources": {},
    }
    assert_problem(ada.api.post("/me/import", export), 422)
    assert not Note.objects.exists()
