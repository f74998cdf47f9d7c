"""Sending accepted changes back: a proposal accepted on the site becomes a commit on the
source's ``learnmap/changes`` branch (author the contributor, committer Learnmap), pushed to
the repository when the source allows it, else offered as a patch; on real local repositories.
"""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import CommandError
from django.test import Client
from django_tasks_db.models import DBTaskResult

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource
from learnmap.contributions import services as contributions
from learnmap.sources import tasks
from learnmap.sources.models import ChangesStatus, Source
from tests.factories import UserFactory
from tests.sources.conftest import Upstream
from tests.sources.test_sync import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

BRANCH = "learnmap/changes"
BOOK_N = {
    "title": "Book N",
    "url": "https://example.com/n",
    "languages": ["English"],
    "cost": "free",
}


@pytest.fixture(autouse=True)
def _noreply(settings) -> None:
    settings.SOURCES_NOREPLY_DOMAIN = "users.noreply.learnmap.test"


@pytest.fixture
def people(db) -> tuple:
    learner = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    moderator = UserFactory(username="grace", first_name="Grace", last_name="Hopper", is_staff=True)
    return learner, moderator


def follow(upstream: Upstream, *, push: bool) -> Source:
    run("sources", "add", "small", upstream.url, *(["--push"] if push else []))
    return Source.objects.get()


def queued() -> list[dict]:
    return [t.args_kwargs["kwargs"] for t in DBTaskResult.objects.all()]


def work_off() -> None:
    """What the worker does with the queued tasks."""
    for kwargs in queued():
        tasks.source_sync_task.call(**kwargs)
    DBTaskResult.objects.all().delete()


def accept(capture, people, *, kind="add_resource", fields=None, node="reading", resource=None):
    learner, moderator = people
    keys = {}
    if resource is not None:
        keys["resource_key"] = Resource.objects.get(title=resource, retired_at=None).key
    else:
        keys["node_key"] = Node.objects.get(roadmap__slug="small", slug=node).key
    proposal = contributions.proposal_create(
        author=learner, kind=kind, fields=fields or BOOK_N, reason="Good one.", **keys
    )
    with capture(execute=True):
        return contributions.proposal_accept(proposal_id=proposal.pk, moderator=moderator)


def remote_log(upstream: Upstream, ref: str, fmt: str) -> str:
    upstream.git("fetch", "-q", "origin")
    return upstream.git("log", "-1", f"--format={fmt}", ref)


def exported() -> str:
    return catalog_services.roadmap_export(slug="small")


def test_an_accepted_proposal_becomes_a_commit_that_reaches_the_repository(
    upstream, people, django_capture_on_commit_callbacks
):
    source = follow(upstream, push=True)
    main = upstream.git("rev-parse", "HEAD")
    change = accept(django_capture_on_commit_callbacks, people)
    # The accept only queued the work: nothing reached the repository yet.
    assert queued() == [{"source_id": source.pk}]
    assert upstream.git("ls-remote", "origin", BRANCH) == ""

    work_off()

    ref = f"origin/{BRANCH}"
    assert (
        remote_log(upstream, ref, "%an <%ae>") == "Ada Lovelace <ada@users.noreply.learnmap.test>"
    )
    assert (
        remote_log(upstream, ref, "%cn <%ce>") == "Learnmap <learnmap@users.noreply.learnmap.test>"
    )
    assert remote_log(upstream, ref, "%P") == main  # based on the source branch's head
    message = remote_log(upstream, ref, "%B")
    assert message.splitlines()[0] == change.summary == "Added “Book N” in “Reading”"
    assert "Accepted by Grace Hopper on Learnmap." in message
    assert f"Learnmap-Proposal: {change.proposal_id}" in message
    assert upstream.git("show", f"{ref}:README.md") + "\n" == exported()
    assert "[Book N](https://example.com/n)" in exported()
    source.refresh_from_db()
    assert source.changes_status == ChangesStatus.PUSHED
    assert upstream.git("rev-parse", "origin/main") == main  # the source branch is untouched


def test_an_introduction_fix_and_a_revert_are_commits_too(
    upstream, people, django_capture_on_commit_callbacks
):
    follow(upstream, push=True)
    fix = accept(
        django_capture_on_commit_callbacks,
        people,
        kind="edit_intro",
        fields={"intro": "Read these first."},
    )
    work_off()
    with django_capture_on_commit_callbacks(execute=True):
        contributions.change_revert(change_id=fix.pk, by=people[1])
    work_off()
    upstream.git("fetch", "-q", "origin")
    subjects = upstream.git("log", "--format=%s|%an", f"origin/main..origin/{BRANCH}")
    assert subjects.splitlines() == [
        f"Reverted: {fix.summary}|Grace Hopper",
        "Edited the introduction of “Reading”|Ada Lovelace",
    ]
    assert "Reverted by Grace Hopper on Learnmap." in remote_log(upstream, f"origin/{BRANCH}", "%B")
    assert upstream.git("show", f"origin/{BRANCH}:README.md") + "\n" == exported()


def test_without_push_the_maintainer_downloads_a_patch_that_git_am_applies(
    upstream, people, django_capture_on_commit_callbacks, tmp_path
):
    follow(upstream, push=False)
    accept(django_capture_on_commit_callbacks, people)
    work_off()
    assert upstream.git("ls-remote", "origin", BRANCH) == ""  # nothing pushed
    source = Source.objects.get()
    assert source.changes_status == ChangesStatus.LOCAL

    staff = Client()
    staff.force_login(people[1])
    page = staff.get("/r/small/links/").content.decode()
    assert 'href="/r/small/source/changes.patch"' in page
    learner = Client()
    learner.force_login(people[0])
    assert learner.get("/r/small/source/changes.patch").status_code == 403
    response = staff.get("/r/small/source/changes.patch")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/x-patch")
    assert 'filename="small-learnmap-changes.patch"' in response["Content-Disposition"]
    patch = response.content.decode()
    assert "Subject: [PATCH] =?UTF-8?q?Added=20=E2=80=9CBook=20N" in patch  # RFC 2047
    assert "+  - [Book N](https://example.com/n)" in patch

    fresh = tmp_path / "fresh"
    subprocess.run(["git", "clone", "-q", upstream.url, str(fresh)], env=upstream.env, check=True)
    (tmp_path / "changes.patch").write_bytes(response.content)
    upstream.git("am", "-q", str(tmp_path / "changes.patch"), cwd=fresh)
    assert (fresh / "README.md").read_text(encoding="utf-8") == exported()
    assert upstream.git("log", "-1", "--format=%an", cwd=fresh) == "Ada Lovelace"


def test_changes_to_different_lines_merge(upstream, people, django_capture_on_commit_callbacks):
    source = follow(upstream, push=True)
    accept(django_capture_on_commit_callbacks, people)  # a line under "Reading"
    work_off()
    upstream.git("pull", "-q", "origin", "main")
    text = (upstream.work / "README.md").read_text(encoding="utf-8")
    upstream.push(text.replace("[Site D]", "[Site E]"))  # a line further down

    _out, _err = run("sync", "small")

    source.refresh_from_db()
    assert source.last_status == "ok", source.last_message
    titles = set(Resource.objects.filter(retired_at=None).values_list("title", flat=True))
    assert {"Book N", "Site E"} <= titles and "Site D" not in titles
    upstream.git("fetch", "-q", "origin")
    ours = upstream.git("show", f"origin/{BRANCH}:README.md") + "\n"
    assert "[Book N]" in ours and "[Site E]" in ours
    assert ours == exported()  # the catalog imported the rebased branch
    assert upstream.git("rev-parse", "origin/main") in upstream.git(
        "log", "--format=%H", f"origin/{BRANCH}"
    )
    assert source.changes_status == ChangesStatus.PUSHED


def conflicting_edits(upstream: Upstream, people, capture) -> str:
    """The site accepts a new title for Book B and commits it; then the repository changes the
    same line ("Book B (2024)"). The commit upstream pushed."""
    accept(
        capture,
        people,
        kind="edit_resource",
        resource="Book B",
        fields={"title": "Book B, second edition"},
    )
    work_off()
    text = (upstream.work / "README.md").read_text(encoding="utf-8")
    return upstream.push(text.replace("[Book B]", "[Book B (2024)]"))


def test_the_same_line_changed_on_both_sides_is_a_conflict_and_neither_is_lost(
    upstream, people, django_capture_on_commit_callbacks
):
    source = follow(upstream, push=True)
    theirs = conflicting_edits(upstream, people, django_capture_on_commit_callbacks)
    local = Source.objects.get().synced_sha
    upstream.git("fetch", "-q", "origin")
    ours_remote = upstream.git("rev-parse", f"origin/{BRANCH}")

    with pytest.raises(CommandError, match="Could not sync"):
        run("sync", "small")

    source.refresh_from_db()
    assert source.last_status == "conflict"
    assert "README.md line 7" in source.last_message
    assert "Book B (2024)" in source.last_message and "second edition" in source.last_message
    # The site's change stays in the catalog and on the branch; upstream's in origin.
    assert "[Book B, second edition]" in exported() and "Book B (2024)" not in exported()
    clone = upstream.work.parent / "sources" / "small"
    local_git = ["git", "-C", str(clone)]
    branch_tip = subprocess.run(
        [*local_git, "rev-parse", f"refs/heads/{BRANCH}"], capture_output=True, text=True
    ).stdout.strip()
    assert branch_tip == local == ours_remote
    origin = subprocess.run(
        [*local_git, "rev-parse", "refs/remotes/origin/main"], capture_output=True, text=True
    ).stdout.strip()
    assert origin == theirs

    staff = Client()
    staff.force_login(people[1])
    page = staff.get("/r/small/links/").content.decode()
    assert 'id="git-source-conflict"' in page and "README.md line 7" in page


@pytest.mark.parametrize("failure", ["remote gone", "credentials"])
def test_a_failed_push_is_recorded_and_the_next_sync_retries_it(
    upstream, people, django_capture_on_commit_callbacks, monkeypatch, failure
):
    token = "ghp_s3cr3tT0kenValue1234567890"
    source = follow(upstream, push=True)
    bare = upstream.work.parent / "upstream.git"
    if failure == "remote gone":
        bare.rename(bare.with_name("moved.git"))
    else:
        monkeypatch.setenv("LEARNMAP_GIT_TOKEN", token)
        url = "http://x-access-token:${LEARNMAP_GIT_TOKEN}@127.0.0.1:9/upstream.git"
        Source.objects.filter(pk=source.pk).update(url=url)
    accept(django_capture_on_commit_callbacks, people)
    work_off()

    source.refresh_from_db()
    assert source.changes_status == ChangesStatus.FAILED
    assert "not pushed" in source.changes_message
    assert token not in source.changes_message and token not in source.last_message
    staff = Client()
    staff.force_login(people[1])
    page = staff.get("/r/small/links/").content.decode()
    assert 'id="git-source-changes-failed"' in page and token not in page

    # The repository is back: the next sync (the schedule's) pushes the kept commit.
    if failure == "remote gone":
        bare.with_name("moved.git").rename(bare)
    else:
        Source.objects.filter(pk=source.pk).update(url=upstream.url)
    run("sync", "small")
    source.refresh_from_db()
    assert source.changes_status == ChangesStatus.PUSHED
    assert source.last_status == "ok"  # the repository is readable again
    upstream.git("fetch", "-q", "origin")
    assert upstream.git("show", f"origin/{BRANCH}:README.md") + "\n" == exported()
