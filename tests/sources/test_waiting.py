"""A sync that would retire items carrying learners' marks waits for a maintainer's yes: the
maintainer page's preview (what would be added, retired with the marks, matched by which rule),
rename pins, "Apply this commit", and `learnmap sync SLUG --yes`. Real local repositories."""

from __future__ import annotations

import logging

import pytest
from django.core.management import CommandError
from django.test import Client

from learnmap.catalog.models import Node
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from learnmap.sources import tasks
from learnmap.sources.models import Source, SyncStatus
from tests.factories import UserFactory
from tests.sources.conftest import SMALL, Upstream
from tests.sources.test_sync import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

READING = """- ### Reading
  - [Book A](https://example.com/a) (English) (Free)
  - [Book B](https://example.com/b) (English) (Paid)
"""
# The topic "Reading" and its books are gone; a site takes their place.
RETIRING = SMALL.replace(READING, "- [Site C](https://example.com/c) (English)\n")
# "Reading" renamed with new books: no rule pairs it (its links, its words, its topics differ).
RENAMED = SMALL.replace(
    READING,
    """- ### Study Shelf
  - [Manual X](https://example.org/x) (English) (Free)
  - [Manual Y](https://example.org/y) (English) (Paid)
""",
)
PREVIEW = "/r/small/source/preview/"
APPLY = "/r/small/source/apply/"


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def marked(upstream: Upstream) -> Upstream:
    """The roadmap follows the repository, and a learner marked the topic "Reading" done."""
    run("sources", "add", "small", upstream.url)
    learner = UserLearner(user=UserFactory())
    node = Node.objects.get(roadmap__slug="small", title="Reading")
    learning_services.progress_set(learner=learner, node=node, state="done")
    return upstream


def reading_active() -> bool:
    return Node.objects.filter(
        roadmap__slug="small", title="Reading", retired_at__isnull=True
    ).exists()


def test_a_push_retiring_a_marked_topic_waits_and_says_so(marked, staff, caplog):
    before = Source.objects.get().synced_sha
    sha = marked.push(RETIRING)
    with caplog.at_level(logging.WARNING, logger="learnmap.sources"):
        out, _err = run("sync", "small")

    assert (
        "waiting for a maintainer: 1 retired item carries 1 learner's marks; run learnmap sync "
        f"small --yes or apply it on {PREVIEW}"
    ) in out
    assert "- retired: 'Reading'" in out  # the plan's summary
    assert reading_active()  # nothing imported
    source = Source.objects.get()
    assert source.last_status == SyncStatus.WAITING
    assert source.pending_sha == sha and source.synced_sha == before
    assert "waits" in caplog.text and sha[:12] in caplog.text
    listed, _ = run("sources", "list")
    assert " waiting " in listed and "waiting for a maintainer" in listed

    panel = staff.get("/r/small/links/").content.decode()
    assert 'id="git-source-waiting"' in panel and sha[:12] in panel
    page = staff.get(PREVIEW).content.decode()
    assert 'id="sync-waiting"' in page and sha[:12] in page
    assert "Reading</bdi> · <strong>1 learner has marks on it</strong>" in page
    assert "Site C" in page  # added
    assert f'name="sha" value="{sha}"' in page


def test_the_preview_in_persian(marked, staff):
    marked.push(RETIRING)
    run("sync", "small")
    page = staff.get(PREVIEW, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "همگام‌سازی بعدی" in page  # "Next sync"
    assert "1 یادگیرنده روی آن علامت دارد" in page  # "1 learner has marks on it"
    assert "اعمال این کامیت" in page  # "Apply this commit"


def test_yes_on_the_command_line_applies_the_waiting_commit(marked):
    sha = marked.push(RETIRING)
    run("sync", "small")
    out, _ = run("sync", "small", "--yes")
    assert not reading_active()
    source = Source.objects.get()
    assert source.last_status == SyncStatus.OK and source.synced_sha == sha
    assert source.pending_sha == "" and sha[:12] in out


def test_apply_on_the_page_imports_the_previewed_commit(marked, staff):
    sha = marked.push(RETIRING)
    run("sync", "small")
    response = staff.post(APPLY, {"sha": sha}, follow=True)
    assert response.redirect_chain[-1][0] == "/r/small/links/"
    assert "Applied" in response.content.decode()
    assert not reading_active()
    assert Source.objects.get().synced_sha == sha


def test_a_pin_pairs_the_rename_so_nothing_marked_is_retired(marked, staff):
    key = Node.objects.get(title="Reading").key
    sha = marked.push(RENAMED)
    run("sync", "small")
    assert Source.objects.get().last_status == SyncStatus.WAITING

    page = staff.get(PREVIEW, {"renames": "Reading=Study Shelf"}).content.decode()
    assert "renamed “<bdi>Reading</bdi>” → “<bdi>Study Shelf</bdi>”" in page
    assert "pinned by a rename" in page and 'id="preview-marks"' not in page
    response = staff.post(APPLY, {"sha": sha, "renames": "Reading=Study Shelf"}, follow=True)
    assert response.redirect_chain[-1][0] == "/r/small/links/"
    node = Node.objects.get(key=key)
    assert node.title == "Study Shelf" and node.retired_at is None


def test_a_pin_on_the_command_line_applies_without_waiting(marked):
    key = Node.objects.get(title="Reading").key
    sha = marked.push(RENAMED)
    run("sync", "small", "--rename", "Reading=Study Shelf")
    assert Node.objects.get(key=key).title == "Study Shelf"
    assert Source.objects.get().synced_sha == sha


def test_a_bad_pin_names_its_title_and_applies_nothing(marked, staff):
    sha = marked.push(RENAMED)
    run("sync", "small")
    page = staff.get(PREVIEW, {"renames": "Nope=Study Shelf"}).content.decode()
    assert 'id="pin-error"' in page and "titled &#x27;Nope&#x27;" in page
    assert 'id="apply-form"' not in page
    response = staff.post(APPLY, {"sha": sha, "renames": "Nope=Study Shelf"}, follow=True)
    assert "titled &#x27;Nope&#x27;" in response.content.decode()
    assert reading_active()
    assert Source.objects.get().last_status == SyncStatus.WAITING  # not "refused"
    with pytest.raises(CommandError, match="'Nope'"):
        run("sync", "small", "--yes", "--rename", "Nope=Study Shelf")
    assert reading_active()


def test_a_push_retiring_only_unmarked_items_applies_at_once(marked):
    sha = marked.push(SMALL.replace("- [Site D](https://example.com/d) (English)\n", ""))
    run("sync", "small")
    source = Source.objects.get()
    assert source.last_status == SyncStatus.OK and source.synced_sha == sha


@pytest.mark.parametrize("where", ["site", "source"])
def test_with_the_setting_off_it_applies_at_once(marked, settings, where):
    if where == "site":
        settings.SOURCES_CONFIRM_RETIRING = False
    else:
        Source.objects.update(confirm_retiring=False)
    sha = marked.push(RETIRING)
    run("sync", "small")
    assert not reading_active() and Source.objects.get().synced_sha == sha


def test_a_newer_push_replaces_the_pending_commit(marked):
    first = marked.push(RETIRING)
    run("sync", "small")
    assert Source.objects.get().pending_sha == first
    second = marked.push(RETIRING.replace("[Site D]", "[Site E]"))
    tasks.source_sync_task.call(source_id=Source.objects.get().pk)  # as the worker does
    source = Source.objects.get()
    assert source.last_status == SyncStatus.WAITING and source.pending_sha == second
    assert reading_active()


def test_apply_of_a_stale_preview_refuses_and_shows_the_new_plan(marked, staff):
    first = marked.push(RETIRING)
    run("sync", "small")
    second = marked.push(RETIRING.replace("[Site D]", "[Site E]"))
    response = staff.post(APPLY, {"sha": first}, follow=True)
    assert response.redirect_chain[-1][0] == PREVIEW
    page = response.content.decode()
    assert "The branch moved since your preview: nothing was applied" in page
    assert f'name="sha" value="{second}"' in page and "Site E" in page
    assert reading_active() and Source.objects.get().synced_sha not in (first, second)


def test_only_staff_see_the_preview_and_apply(marked):
    sha = marked.push(RETIRING)
    run("sync", "small")
    learner = Client()
    learner.force_login(UserFactory())
    assert learner.get(PREVIEW).status_code == 403
    assert learner.post(APPLY, {"sha": sha}).status_code == 403
    anonymous = Client().get(PREVIEW)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert reading_active()
