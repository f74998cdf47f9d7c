"""The roadmap's source on its maintainer page (/r/<slug>/links/), in English and Persian, and
"Sync now"."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from learnmap.sources.models import Source
from tests.factories import UserFactory
from tests.sources.test_sync import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def source(upstream) -> Source:
    run("sources", "add", "small", upstream.url, "--branch", "main")
    return Source.objects.get()


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [("en", "Git source", "synced"), ("fa", "منبع گیت", "همگام‌سازی شد")],
)
def test_the_maintainer_page_shows_the_source(staff, source, language, heading, status):
    page = staff.get("/r/small/links/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page and status in page
    assert f'<code dir="ltr" id="git-source-url">{source.url}</code>' in page
    assert source.synced_sha[:12] in page
    assert 'id="git-source-problem"' not in page


def test_a_roadmap_without_a_source_shows_no_panel(staff, upstream):
    run("sources", "add", "small", upstream.url)
    Source.objects.all().delete()
    assert 'id="git-source"' not in staff.get("/r/small/links/").content.decode()


def test_sync_now_queues_a_sync_for_staff_only(staff, source, django_capture_on_commit_callbacks):
    learner = Client()
    learner.force_login(UserFactory())
    assert learner.post("/r/small/source/sync/").status_code == 403
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/r/small/source/sync/", follow=True)
    assert response.redirect_chain[-1][0] == "/r/small/links/"
    assert "A sync from the repository is queued" in response.content.decode()
    assert [t.args_kwargs["kwargs"] for t in DBTaskResult.objects.all()] == [
        {"source_id": source.pk}
    ]
