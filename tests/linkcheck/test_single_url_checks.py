"""One URL checked on its own (a proposed resource's link): asked for through the core's port
(``learnmap.core.links``), queued in django-tasks, run by ``learnmap worker`` in this process
against the fake hosts, and read back as the verdict a moderator sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learnmap.core import links
from learnmap.linkcheck import services
from learnmap.linkcheck.keys import url_key
from learnmap.linkcheck.models import CheckRun, Link, RunKind, RunStatus
from tests.linkcheck.worker import run_worker

# The worker closes old connections between tasks, as in production: no wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True)

TASK_PATH = "learnmap.linkcheck.tasks.check_run_task"


@pytest.fixture
def checker_settings(linkcheck_settings):
    linkcheck_settings.LINKCHECK_INTERVAL = 0  # no periodic check of every roadmap
    return linkcheck_settings


def test_a_proposed_link_is_checked_by_the_worker_and_its_verdict_read(
    fake_hosts, checker_settings
):
    new_home = f"/new-home?r=301@{fake_hosts.port('b')}"
    moved = fake_hosts.url("a", new_home)
    gone = fake_hosts.url("a", "/gone?s=404")

    links.check_soon(moved)
    links.check_soon(gone)

    runs = CheckRun.objects.order_by("created_at")
    assert [(run.kind, run.urls, run.status) for run in runs] == [
        (RunKind.LINK, [url_key(moved)], RunStatus.QUEUED),
        (RunKind.LINK, [url_key(gone)], RunStatus.QUEUED),
    ]
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [(task.task_path, task.args_kwargs["kwargs"]) for task in queued] == [
        (TASK_PATH, {"run_id": run.pk}) for run in runs
    ]
    assert links.verdict(moved) is None  # not checked yet

    run_worker()

    assert [run.status for run in runs.all()] == [RunStatus.DONE, RunStatus.DONE]
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 2
    verdict = links.verdict(moved)
    assert (verdict.link_class, verdict.status, verdict.reason) == ("moved", 200, "301")
    assert verdict.final_url == fake_hosts.url("b", "/new-home")
    assert verdict.checked_at <= timezone.now()
    dead = links.verdict(gone)
    assert (dead.link_class, dead.status, dead.final_url) == ("dead", 404, gone)
    # The same link as written another way is the same verdict.
    assert links.verdict(gone.replace("http://", "HTTP://") + "#top") == dead
    # A proposed link is in no roadmap: it is not a roadmap's check, and counts in no streak.
    assert not CheckRun.objects.filter(roadmap__isnull=False).exists()
    assert Link.objects.get(url=url_key(gone)).failures == 0


def test_a_link_asked_for_twice_while_waiting_is_checked_once(fake_hosts, checker_settings):
    url = fake_hosts.url("a", "/twice")

    links.check_soon(url)
    links.check_soon(url.replace("http://", "HTTP://") + "#again")

    assert CheckRun.objects.count() == 1 and DBTaskResult.objects.count() == 1
    run_worker()
    assert fake_hosts.stats("a").count("/twice") == 1
    assert links.verdict(url).link_class == "ok"


def test_a_fresh_verdict_costs_no_check_until_the_cache_ttl_passes(fake_hosts, checker_settings):
    url = fake_hosts.url("b", "/page")
    links.check_soon(url)
    run_worker()
    first = links.verdict(url)

    links.check_soon(url)  # fresh: no run, no task, no request

    assert CheckRun.objects.count() == 1 and DBTaskResult.objects.count() == 1
    with time_machine.travel(
        timezone.now() + timedelta(seconds=checker_settings.LINKCHECK_CACHE_TTL + 60)
    ):
        links.check_soon(url)
        assert CheckRun.objects.filter(status=RunStatus.QUEUED).count() == 1
        run_worker()
        again = links.verdict(url)
    assert again.link_class == "ok" and again.checked_at > first.checked_at
    assert fake_hosts.stats("b").count("/page") == 2


def test_addresses_the_checker_does_not_request_queue_nothing(checker_settings):
    for url in ("mailto:someone@example.org", "ftp://example.org/file", "not a url"):
        links.check_soon(url)
        assert links.verdict(url) is None
    assert services.link_check_request(url="https://") is None
    assert not CheckRun.objects.exists() and not DBTaskResult.objects.exists()
