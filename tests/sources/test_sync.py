"""Following a repository: `learnmap sources add`, `learnmap sync`, on real local repositories
(a bare upstream in a temporary directory, a maintainer's clone pushing to it)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from learnmap.catalog.models import Resource, Roadmap
from learnmap.sources.models import Source, SyncStatus
from tests.factories import UserFactory
from tests.sources.conftest import SMALL, Upstream

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

NEW_RESOURCE = "  - [Book N](https://example.com/n) (English) (Free)\n"
WITH_NEW = SMALL.replace(
    "  - [Book B](https://example.com/b) (English) (Paid)\n",
    "  - [Book B](https://example.com/b) (English) (Paid)\n" + NEW_RESOURCE,
)
# Line 8 links to javascript: (a lint error).
WITH_ERROR = WITH_NEW.replace("https://example.com/n", "javascript:alert(1)")


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def titles(slug: str = "small") -> set[str]:
    return set(
        Resource.objects.filter(node__roadmap__slug=slug, retired_at__isnull=True).values_list(
            "title", flat=True
        )
    )


@pytest.fixture
def followed(upstream: Upstream) -> Upstream:
    run("sources", "add", "small", upstream.url)
    return upstream


def test_add_imports_a_new_roadmap_from_the_repository(upstream):
    out, _err = run("sources", "add", "small", upstream.url, "--branch", "main")
    assert "small now follows" in out
    assert re.search(r"Webhook secret: \S{40,}", out)
    assert titles() == {"Book A", "Book B", "Site D"}
    source = Source.objects.get(roadmap__slug="small")
    assert source.synced_sha == upstream.git("rev-parse", "HEAD")
    assert source.last_status == SyncStatus.OK


def test_sync_picks_up_a_pushed_change(followed):
    sha = followed.push(WITH_NEW)
    out, _err = run("sync", "small")
    assert "Updated 'small'" in out and sha[:12] in out
    assert "Book N" in titles()
    assert Source.objects.get().synced_sha == sha
    assert Roadmap.objects.get(slug="small").source == WITH_NEW


def test_an_unchanged_head_imports_nothing(followed):
    # The catalog's copy differs from the repository's (an edit made on the site): a sync
    # whose branch head did not move leaves it alone; --force imports the file again.
    Roadmap.objects.filter(slug="small").update(source="edited on the site")
    out, _err = run("sync", "--all")
    assert "nothing to import" in out
    assert Roadmap.objects.get(slug="small").source == "edited on the site"
    run("sync", "small", "--force")
    assert Roadmap.objects.get(slug="small").source == SMALL


def test_a_file_with_a_lint_error_changes_nothing_and_the_source_says_why(followed, caplog):
    before = Roadmap.objects.get(slug="small")
    sha = followed.push(WITH_ERROR)
    with pytest.raises(CommandError, match="Could not sync: small"):
        run("sync", "small")
    after = Roadmap.objects.get(slug="small")
    assert (after.source, after.revision) == (before.source, before.revision)
    assert "Book N" not in titles()
    source = Source.objects.get()
    assert source.last_status == SyncStatus.REFUSED
    assert source.synced_sha != sha and source.last_sha == sha
    assert "README.md:8:" in source.last_message and "javascript:" in source.last_message
    assert sha[:12] in source.last_message
    logged = [r.getMessage() for r in caplog.records if r.name == "learnmap.sources.services.sync"]
    assert any("Could not sync small" in m and "README.md:8:" in m for m in logged)

    # The maintainer page says so.
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    page = staff.get("/r/small/links/").content.decode()
    assert 'id="git-source-problem"' in page
    assert "README.md:8:" in page

    # Fixed upstream: the next sync imports it.
    fixed = followed.push(WITH_NEW)
    run("sync", "small")
    source.refresh_from_db()
    assert (source.last_status, source.synced_sha) == (SyncStatus.OK, fixed)
    assert "Book N" in titles()


def test_the_file_may_live_anywhere_on_any_branch(upstream):
    upstream.push(WITH_NEW, path="docs/roadmap.md", branch="published")
    run(
        "sources", "add", "docs", upstream.url, "--branch", "published", "--path", "docs/roadmap.md"
    )
    assert "Book N" in titles("docs")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--branch", "nope"], "The branch 'nope' does not exist in"),
        (["--path", "missing.md"], "missing.md is not in branch 'main'"),
        (["--path", "../etc/passwd"], "is not a file path inside the repository"),
        (["--branch", "a..b"], "is not a valid branch name"),
    ],
)
def test_a_bad_branch_or_path_is_named_and_nothing_is_stored(upstream, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("sources", "add", "small", upstream.url, *args)
    assert not Source.objects.exists() and not Roadmap.objects.filter(slug="small").exists()


def test_a_url_that_is_not_a_repository_is_named(upstream, tmp_path):
    with pytest.raises(CommandError, match=r"Fetching .*nothing-here failed: .*repository"):
        run("sources", "add", "small", str(tmp_path / "nothing-here"))
    with pytest.raises(CommandError, match="transport helper"):
        run("sources", "add", "small", "ext::sh%S-c%Stouch%S/tmp/pwned")
    assert not Source.objects.exists()


def test_a_new_roadmap_whose_file_has_errors_is_not_added(upstream):
    upstream.push(WITH_ERROR)
    with pytest.raises(CommandError, match=r"README\.md:8:"):
        run("sources", "add", "small", upstream.url)
    assert not Source.objects.exists() and not Roadmap.objects.filter(slug="small").exists()


def test_list_and_remove(followed):
    out, _err = run("sources", "list")
    assert out.startswith(f"small  {followed.url}  main:README.md  ok")
    run("sources", "remove", "small")
    assert not Source.objects.exists()
    assert titles() == {"Book A", "Book B", "Site D"}  # the roadmap stays
    with pytest.raises(CommandError, match="does not follow a repository"):
        run("sync", "small")


def test_the_webhook_secret_is_shown_again_and_rotated(followed):
    secret = Source.objects.get().webhook_secret
    out, _err = run("sources", "secret", "small")
    assert secret in out
    out, _err = run("sources", "secret", "small", "--rotate")
    assert secret not in out and Source.objects.get().webhook_secret in out


def test_the_learnmap_command_follows_a_repository(upstream, learnmap, learnmap_env):
    """The installed command, in its own process and data directory, as an operator runs it:
    on the embedded default (SQLite in that directory), whatever database the suite runs on
    (an unmigrated PostgreSQL one would refuse to start: tests/core covers that)."""
    learnmap_env.pop("DATABASE_URL", None)
    added = learnmap("sources", "add", "small", upstream.url)
    assert added.returncode == 0, added.stderr
    sha = upstream.push(WITH_NEW)
    synced = learnmap("sync", "--all")
    assert synced.returncode == 0, synced.stderr
    assert f"small: Commit {sha[:12]}: Updated 'small'" in synced.stdout
    # The worker pulls it on its own: the first scheduled pull is due at once.
    pulled = upstream.push(SMALL + "\n## Later\n\n- [Site L](https://example.com/l)\n")
    worker = learnmap("worker", "--once")
    assert worker.returncode == 0, worker.stderr
    assert f"small  {upstream.url}  main:README.md  ok" in (
        listed := learnmap("sources", "list").stdout
    )
    assert pulled[:12] in listed
    upstream.push(WITH_ERROR)
    refused = learnmap("sync", "small")
    assert refused.returncode == 1
    assert "README.md:8:" in refused.stderr and "Nothing was changed" in refused.stderr
    listed = learnmap("sources", "list")
    assert "refused" in listed.stdout and "README.md:8:" in listed.stdout


def test_an_existing_roadmap_is_synced_from_the_repository_when_added(upstream):
    from learnmap.catalog import services as catalog_services

    catalog_services.roadmap_import(source=WITH_NEW, slug="small")
    run("sources", "add", "small", upstream.url, "--no-sync")
    assert "Book N" in titles()  # --no-sync: nothing fetched, nothing changed
    assert Source.objects.get().last_status == SyncStatus.NEVER
    run("sources", "remove", "small")
    out, _err = run("sources", "add", "small", upstream.url)
    assert "Updated 'small'" in out
    assert titles() == {"Book A", "Book B", "Site D"}
    assert Source.objects.get().synced_sha == upstream.git("rev-parse", "HEAD")
