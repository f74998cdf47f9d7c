"""POST /hooks/git/<slug>: GitHub, Gitea and GitLab pushes queue a sync; anything unsigned,
wrongly signed or replayed is refused and queues nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learnmap.catalog.models import Resource
from learnmap.sources import services, tasks
from learnmap.sources.models import Delivery, Source
from tests.sources.test_sync import WITH_NEW, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

TASK_PATH = "learnmap.sources.tasks.source_sync_task"
PUSH = json.dumps({"ref": "refs/heads/main", "after": "0" * 40}).encode()


@pytest.fixture
def source(upstream) -> Source:
    run("sources", "add", "small", upstream.url)
    return Source.objects.get()


def _sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def github(secret: str, body: bytes = PUSH, *, delivery="d-1", event="push") -> dict:
    return {
        "HTTP_X_HUB_SIGNATURE_256": f"sha256={_sign(secret, body)}",
        "HTTP_X_GITHUB_DELIVERY": delivery,
        "HTTP_X_GITHUB_EVENT": event,
    }


def gitea(secret: str, body: bytes = PUSH, *, delivery="g-1") -> dict:
    return {
        "HTTP_X_GITEA_SIGNATURE": _sign(secret, body),
        "HTTP_X_GITEA_DELIVERY": delivery,
        "HTTP_X_GITEA_EVENT": "push",
    }


def gitlab(token: str, *, delivery="l-1") -> dict:
    return {
        "HTTP_X_GITLAB_TOKEN": token,
        "HTTP_X_GITLAB_EVENT_UUID": delivery,
        "HTTP_X_GITLAB_EVENT": "Push Hook",
    }


def post(headers: dict, body: bytes = PUSH, slug: str = "small"):
    return Client().post(
        f"/hooks/git/{slug}", data=body, content_type="application/json", **headers
    )


def queued() -> list[dict]:
    return [t.args_kwargs["kwargs"] for t in DBTaskResult.objects.filter(task_path=TASK_PATH)]


@pytest.mark.parametrize(
    "sign", [github, gitea, lambda s: gitlab(s)], ids=["github", "gitea", "gitlab"]
)
def test_a_signed_push_queues_a_sync_that_the_worker_runs(
    source, upstream, sign, django_capture_on_commit_callbacks
):
    sha = upstream.push(WITH_NEW)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(sign(source.webhook_secret))
    assert response.status_code == 202, response.content
    assert queued() == [{"source_id": source.pk}]

    tasks.source_sync_task.call(**queued()[0])  # what the worker does with it
    source.refresh_from_db()
    assert source.synced_sha == sha
    assert Resource.objects.filter(title="Book N", node__roadmap__slug="small").exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "0" * 64, "HTTP_X_GITHUB_DELIVERY": "x"},
        {"HTTP_X_GITEA_SIGNATURE": "0" * 64, "HTTP_X_GITEA_DELIVERY": "x"},
        {"HTTP_X_GITLAB_TOKEN": "not the secret", "HTTP_X_GITLAB_EVENT_UUID": "x"},
    ],
    ids=["unsigned", "github", "gitea", "gitlab"],
)
def test_a_bad_or_missing_signature_is_401_and_queues_nothing(
    source, headers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(headers)
    assert response.status_code == 401
    assert "signature" in response.json()["detail"]
    assert queued() == [] and not Delivery.objects.exists()


def test_a_signature_of_another_body_is_401(source):
    other = json.dumps({"ref": "refs/heads/other"}).encode()
    assert post(github(source.webhook_secret, other)).status_code == 401


def test_a_replayed_delivery_is_409_and_queues_nothing_more(
    source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(github(source.webhook_secret)).status_code == 202
        replay = post(github(source.webhook_secret))
    assert replay.status_code == 409
    assert len(queued()) == 1
    # A hook without a delivery id is known by its body.
    headers = gitlab(source.webhook_secret)
    del headers["HTTP_X_GITLAB_EVENT_UUID"]
    with django_capture_on_commit_callbacks(execute=True):
        assert post(headers).status_code == 202
        assert post(headers).status_code == 409
    assert len(queued()) == 2


def test_a_push_to_another_branch_is_ignored(source, django_capture_on_commit_callbacks):
    body = json.dumps({"ref": "refs/heads/feature"}).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(github(source.webhook_secret, body), body)
    assert response.status_code == 200 and "ignored" in response.json()["detail"]
    assert queued() == []


def test_a_ping_is_answered_without_a_sync(source, django_capture_on_commit_callbacks):
    body = b'{"zen": "Keep it logically awesome."}'
    with django_capture_on_commit_callbacks(execute=True):
        response = post(github(source.webhook_secret, body, event="ping"), body)
    assert response.status_code == 200 and queued() == []


def test_an_unknown_roadmap_is_404(source):
    assert post(github(source.webhook_secret), slug="nothing").status_code == 404


def test_only_post(source):
    assert Client().get("/hooks/git/small").status_code == 405


def test_webhooks_are_rate_limited(source, settings):
    settings.SOURCES_WEBHOOK_RATE_PER_IP = "2/m"
    answers = [post({}).status_code for _ in range(3)]
    assert answers == [401, 401, 429]


def test_old_deliveries_are_forgotten(source, settings):
    settings.SOURCES_DELIVERY_DAYS = 7
    now = timezone.now()
    Delivery.objects.create(source=source, delivery_id="old", received_at=now - timedelta(days=8))
    Delivery.objects.create(source=source, delivery_id="new", received_at=now - timedelta(days=1))
    assert services.deliveries_prune(now=now) == 1
    assert list(Delivery.objects.values_list("delivery_id", flat=True)) == ["new"]


def test_the_schedule_queues_each_source_once_per_interval(
    source, settings, django_capture_on_commit_callbacks
):
    settings.SOURCES_SYNC_INTERVAL = 3600
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sources_schedule_tick(now=now) == [source.pk]
        assert services.sources_schedule_tick(now=now + timedelta(minutes=59)) == []
        assert services.sources_schedule_tick(now=now + timedelta(minutes=61)) == [source.pk]
    assert len(queued()) == 2
    settings.SOURCES_SYNC_INTERVAL = 0
    assert services.sources_schedule_tick(now=now + timedelta(days=1)) == []
