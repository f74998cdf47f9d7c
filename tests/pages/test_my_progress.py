"""My progress: every roadmap with progress, recent activity, export (JSON, Markdown checklist)
and import of the JSON back."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from learnmap.learning.models import NodeProgress, Note
from tests.factories import UserFactory
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db


def node_key(roadmap, slug):
    return roadmap.nodes.get(slug=slug, retired_at__isnull=True).key


@pytest.fixture
def tracked(signed_in, seed):
    signed_in.post(f"/node/{node_key(seed, 'git')}/state/", {"state": "done"})
    signed_in.post(f"/node/{node_key(seed, 'databases')}/elective/", {"chosen": "1"})
    signed_in.post(f"/node/{node_key(seed, 'django')}/note/", {"text": "Read *Two Scoops*"})
    return signed_in


def test_my_progress_lists_roadmaps_and_recent_activity(tracked):
    page = text_of(tracked.get("/me/progress/"))

    assert 'id="progress-python-backend"' in page
    assert "1 of 14 done (7%)" in page
    activity = page[page.index('id="activity"') :]
    assert activity.index("Wrote a note on “Django”") < activity.index("“Git”: Done")
    assert "Chose the elective “Databases”" in activity
    assert 'id="export-json"' in page
    assert 'enctype="multipart/form-data"' in page


def test_export_is_a_json_download_of_the_learners_data(tracked):
    response = tracked.get("/me/progress/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="learnmap-progress-')
    data = json.loads(response.content)
    nodes = data["roadmaps"]["python-backend"]["nodes"]
    assert {entry["title"] for entry in nodes.values()} == {"Git", "Databases", "Django"}


def test_the_export_imports_back_into_another_account(tracked, seed):
    exported = tracked.get("/me/progress/export.json").content
    other = UserFactory()
    client = Client()
    client.force_login(other)

    upload = SimpleUploadedFile("mine.json", exported, content_type="application/json")
    response = client.post("/me/progress/import/", {"file": upload}, follow=True)

    assert "Imported your progress on 1 roadmap(s): 3 added" in text_of(response)
    assert NodeProgress.objects.filter(user=other, state="done").count() == 1
    assert Note.objects.get(user=other).text == "Read *Two Scoops*"

    again = SimpleUploadedFile("mine.json", exported, content_type="application/json")
    response = client.post("/me/progress/import/", {"file": again}, follow=True)
    assert "Nothing to import: your account already had everything in this file." in text_of(
        response
    )


def test_a_bad_file_is_refused_with_every_problem_listed(signed_in, seed):
    bad = {
        "format": "learnmap-progress",
        "version": 1,
        "roadmaps": {"no-such-roadmap": {}, "python-backend": {"nodes": {"not-a-key": {}}}},
    }
    upload = SimpleUploadedFile("bad.json", json.dumps(bad).encode(), "application/json")

    response = signed_in.post("/me/progress/import/", {"file": upload})

    page = text_of(response)
    assert response.status_code == 400
    assert 'id="import-error"' in page
    assert "no-such-roadmap" in page
    assert "not a node key (a UUID)" in page

    broken = SimpleUploadedFile("x.json", b"{nope", "application/json")
    page = text_of(signed_in.post("/me/progress/import/", {"file": broken}))
    assert "This file is not valid JSON (line 1, column 2" in page


def test_import_without_a_file_says_so(signed_in, seed):
    response = signed_in.post("/me/progress/import/", {})

    assert response.status_code == 400
    assert "Choose a file to import" in text_of(response)


def test_export_and_import_need_an_account(client, seed):
    assert client.get("/me/progress/export.json").status_code == 302
    assert client.post("/me/progress/import/", {}).status_code == 302


def test_the_markdown_checklist_works_for_everyone(any_client, seed):
    any_client.post(f"/node/{node_key(seed, 'git')}/state/", {"state": "done"})

    response = any_client.get("/me/progress/python-backend/checklist.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Python Backend Engineer Roadmap")
    assert "  - [x] Git" in text


def test_an_anonymous_visitor_sees_their_session_progress_and_an_invitation(client, seed):
    client.post(f"/node/{node_key(seed, 'git')}/state/", {"state": "done"})

    page = text_of(client.get("/me/progress/"))

    assert 'id="anonymous-note"' in page
    assert 'id="progress-python-backend"' in page
    assert "1 of 12 done (8%)" in page
    assert 'id="export-json"' not in page
