"""After the accepted changes were sent: the repository merges them, a conflict is settled by
the maintainer, someone else's commits on the changes branch are never overwritten; and the
maintainer page says so in English and Persian. Real local repositories."""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import CommandError
from django.test import Client

from learnmap.sources.models import ChangesStatus, Source
from tests.sources.test_changes_sent import (
    BRANCH,
    accept,
    conflicting_edits,
    exported,
    follow,
    people,  # noqa: F401 (a fixture)
    queued,
    work_off,
)
from tests.sources.test_sync import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def staff(people) -> Client:  # noqa: F811
    client = Client()
    client.force_login(people[1])
    return client


def test_once_the_repository_merged_the_branch_the_sync_takes_its_file(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    source = follow(upstream, push=True)
    accept(django_capture_on_commit_callbacks, people)
    work_off()
    # The pull request is merged (a merge commit), and the maintainer edits on top of it.
    upstream.git("fetch", "-q", "origin")
    upstream.git("merge", "-q", "--no-ff", "-m", "Merge learnmap/changes", f"origin/{BRANCH}")
    text = (upstream.work / "README.md").read_text(encoding="utf-8")
    head = upstream.push(text.replace("[Site D]", "[Site E]"))

    run("sync", "small")

    source.refresh_from_db()
    assert source.last_status == "ok" and source.synced_sha == head
    assert exported() == text.replace("[Site D]", "[Site E]")  # both, from the repository
    assert source.changes_status == ChangesStatus.NONE  # nothing waits any more


def test_a_conflict_settled_in_the_repository_by_dropping_the_sites_changes(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
    staff,
):
    source = follow(upstream, push=False)
    conflicting_edits(upstream, people, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="Could not sync"):
        run("sync", "small")
    assert Source.objects.get().last_status == "conflict"
    learner = Client()
    learner.force_login(people[0])
    assert learner.post("/r/small/source/changes/discard/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/r/small/source/changes/discard/", follow=True)
    assert "unsent changes were dropped" in response.content.decode()
    work_off()

    source.refresh_from_db()
    assert source.last_status == "ok"
    assert "[Book B (2024)]" in exported() and "second edition" not in exported()
    assert source.changes_status == ChangesStatus.NONE
    assert staff.get("/r/small/source/changes.patch").status_code == 302  # nothing to send


def test_someone_elses_commits_on_the_changes_branch_are_never_overwritten(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    source = follow(upstream, push=True)
    # A maintainer pushed their own branch of that name before Learnmap did.
    foreign = upstream.push("# Small Roadmap\n\nSomeone's draft.\n", branch=BRANCH)
    upstream.git("checkout", "-q", "main")
    accept(django_capture_on_commit_callbacks, people)
    work_off()

    source.refresh_from_db()
    assert source.changes_status == ChangesStatus.FAILED
    assert "holds commits Learnmap did not push" in source.changes_message
    assert upstream.git("ls-remote", "origin", BRANCH).split()[0] == foreign
    assert "[Book N]" in exported()  # the accepted change stays, committed locally

    # The maintainer deletes that branch: the next sync pushes the kept commit.
    upstream.git("push", "-q", "origin", "--delete", BRANCH)
    run("sync", "small")
    source.refresh_from_db()
    assert source.changes_status == ChangesStatus.PUSHED
    upstream.git("fetch", "-q", "origin")
    assert upstream.git("show", f"origin/{BRANCH}:README.md") + "\n" == exported()


@pytest.mark.parametrize(
    ("language", "pushed", "local"),
    [
        ("en", "open a pull request from it", "download them as a patch"),
        ("fa", "درخواست ادغام", "به شکل وصله دریافت کنید"),
    ],
)
def test_the_maintainer_page_says_where_the_changes_are(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
    staff,
    language,
    pushed,
    local,
):
    source = follow(upstream, push=True)
    accept(django_capture_on_commit_callbacks, people)
    work_off()
    page = staff.get("/r/small/links/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert pushed in page and f'<code dir="ltr">{BRANCH}</code>' in page
    Source.objects.filter(pk=source.pk).update(push_allowed=False)
    run("sync", "small")
    page = staff.get("/r/small/links/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert local in page and 'id="git-source-patch"' in page


def test_a_change_accepted_while_a_sync_runs_is_not_imported_over(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """The window between a sync's rebase and its import: an accept that lands there is not
    overwritten by the file the sync read (the sync the accept queued imports after it)."""
    from learnmap.sources.services import sync

    source = follow(upstream, push=False)
    text = (upstream.work / "README.md").read_text(encoding="utf-8")
    head = upstream.push(text.replace("[Site D]", "[Site E]"))
    read_before_the_accept = text.replace("[Site D]", "[Site E]").encode()
    accept(django_capture_on_commit_callbacks, people)  # queues its sync, not run yet

    outcome = sync.source_apply(source=source, slug="small", sha=head, data=read_before_the_accept)

    assert outcome.status == "unchanged" and "accepted on the site" in outcome.message
    assert "[Book N]" in exported() and "[Site E]" not in exported()
    assert queued() == [{"source_id": source.pk}]
    work_off()
    assert "[Book N]" in exported() and "[Site E]" in exported()  # the queued sync: both


def test_the_command_line_prints_the_patch_and_lists_what_waits(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    follow(upstream, push=False)
    with pytest.raises(Exception, match="No accepted change waits"):
        run("sources", "patch", "small")
    accept(django_capture_on_commit_callbacks, people)
    work_off()
    out, _err = run("sources", "patch", "small")
    assert out.startswith("From ") and "+  - [Book N](https://example.com/n)" in out
    out, _err = run("sources", "list")
    assert "accepted changes: 1 commit(s) on 'learnmap/changes' wait" in out
    out, _err = run("sources", "drop-changes", "small")
    assert "1 accepted change(s) the repository lacked were dropped" in out


def test_a_conflict_settled_by_merging_the_branch_upstream(
    upstream,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    source = follow(upstream, push=True)
    conflicting_edits(upstream, people, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="Could not sync"):
        run("sync", "small")
    # The maintainer merges the pull request, resolving the line as a mix of both.
    upstream.git("fetch", "-q", "origin")
    merged = subprocess.run(
        ["git", "merge", "-q", f"origin/{BRANCH}"],
        cwd=upstream.work,
        env=upstream.env,
        capture_output=True,
    )
    assert merged.returncode != 0  # the same conflict, in the repository
    theirs = upstream.git("show", "HEAD:README.md")  # the repository's side, "Book B (2024)"
    resolved = theirs.replace("[Book B (2024)]", "[Book B, second edition (2024)]") + "\n"
    head = upstream.push(resolved)

    run("sync", "small")

    source.refresh_from_db()
    assert source.last_status == "ok" and source.synced_sha == head
    assert exported() == resolved
    assert source.changes_status == ChangesStatus.NONE
