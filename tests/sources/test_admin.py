"""The sources in the admin: adding one checks its URL, "Sync now" pulls it."""

from __future__ import annotations

import pytest
from django.test import Client

from learnmap.catalog.models import Resource, Roadmap
from learnmap.sources.models import Source, SyncStatus
from tests.factories import UserFactory
from tests.sources.test_sync import WITH_NEW, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _form(roadmap: Roadmap, url: str) -> dict:
    return {
        "roadmap": roadmap.pk,
        "url": url,
        "branch": "main",
        "path": "README.md",
        "interval": 0,
    }


def test_adding_a_source_refuses_a_token_in_the_url_and_shows_the_secret_once(
    admin_client, upstream
):
    run("sources", "add", "small", upstream.url)
    roadmap = Roadmap.objects.get(slug="small")
    Source.objects.all().delete()
    refused = admin_client.post(
        "/admin/sources/source/add/", _form(roadmap, "https://me:tok3n@github.com/o/r.git")
    )
    assert refused.status_code == 200 and "LEARNMAP_GIT_" in refused.content.decode()
    assert "tok3n" not in refused.content.decode().split("<form")[0]
    assert not Source.objects.exists()

    added = admin_client.post(
        "/admin/sources/source/add/", _form(roadmap, upstream.url), follow=True
    )
    secret = Source.objects.get().webhook_secret
    assert len(secret) >= 40 and secret in added.content.decode()


def test_sync_now_pulls_the_selected_sources(admin_client, upstream):
    run("sources", "add", "small", upstream.url)
    sha = upstream.push(WITH_NEW)
    source = Source.objects.get()
    page = admin_client.post(
        "/admin/sources/source/",
        {"action": "sync_now", "_selected_action": [source.pk], "index": 0, "select_across": 0},
        follow=True,
    ).content.decode()
    assert f"Small: Commit {sha[:12]}: Updated" in page  # the admin capitalises it
    source.refresh_from_db()
    assert (source.last_status, source.synced_sha) == (SyncStatus.OK, sha)
    assert Resource.objects.filter(title="Book N").exists()
