"""A learner whose marked items were removed from a roadmap by a re-import: the roadmap page
says "4 items you had marked were removed from this roadmap", lists each with what they had
(state, resource done, note, when it was removed), and "Clear this notice" hides it for that
learner only. The marks are kept: when an item comes back (the original file imported again)
its mark is on the map again, and a later removal shows the notice again. Anonymous visitors
get the shared, cached page, with no notice; another learner never sees someone else's."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning import selectors, services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import RetiredMarkSeen
from learnmap.learning.retired_marks import retired_marks_get
from tests.factories import UserFactory
from tests.pages.conftest import SEED, csrf_from, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

ROADMAP = "/r/python-backend/"
CLEAR = "/r/python-backend/removed-seen/"
GIT_BLOCK = (
    "- ### Git\n"
    "  \n"
    "  - **Video**\n"
    "    - [Git Course by Jadi](https://faradars.org/courses/fvgit9609-git-github-gitlab)"
    " (Persian) (Free)\n"
    "  - **Book**\n"
    "    - [Pro Git](https://git-scm.com/book/en/) (English) (Free)\n"
    "\n"
)
SECURITY = """## Security

- [OWASP Top 10](https://owasp.org/www-project-top-ten/) (English) (Free)

"""
DJANGO_CHAT = "- [Django Chat](https://djangochat.com/)\n"
NOTE = "Read chapters 1-3 of Pro Git, then practise rebasing on a toy repository."


def edited() -> str:
    """The seed without the topic Git (and its resources), the section Security and the
    podcast Django Chat: what a maintainer's edit removes."""
    source = SEED
    for gone in (GIT_BLOCK, SECURITY, DJANGO_CHAT):
        assert gone in source
        source = source.replace(gone, "")
    return source


def reimport(source: str) -> Roadmap:
    """Import ``source`` over the seed; the roadmap as it is now (its new revision)."""
    catalog_services.roadmap_import(source=source, slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


@pytest.fixture
def seed(db) -> Roadmap:
    reimport(SEED)
    return Roadmap.objects.get(slug="python-backend")


def node(slug: str) -> Node:
    return Node.objects.get(roadmap__slug="python-backend", slug=slug, retired_at__isnull=True)


def resource(title: str) -> Resource:
    return Resource.objects.get(roadmap__slug="python-backend", title=title)


def mark_everything(user) -> UserLearner:
    """Git in progress with a note, Pro Git and Django Chat done, Security done, and one
    mark on an item that stays (Python done)."""
    learner = UserLearner(user=user)
    services.progress_set(learner=learner, node=node("git"), state="in_progress")
    services.note_save(learner=learner, node=node("git"), text=NOTE)
    services.resource_progress_set(learner=learner, resource=resource("Pro Git"), done=True)
    services.resource_progress_set(learner=learner, resource=resource("Django Chat"), done=True)
    services.progress_set(learner=learner, node=node("security"), state="done")
    services.progress_set(learner=learner, node=node("step-1-python"), state="done")
    return learner


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def notice(page: str) -> str | None:
    """The notice's headline, tags stripped (None: no notice on the page)."""
    match = re.search(r'<strong id="retired-notice-text">(.*?)</strong>', page, re.S)
    return match.group(1).strip() if match else None


def listed(page: str) -> dict[str, str]:
    """Each item of the notice: its title -> the text of its entry."""
    items = re.findall(
        r'<li class="retired-notice__item" id="removed-[^"]+">(.*?)</li>', page, re.S
    )
    found = {}
    for item in items:
        text = " ".join(re.sub(r"<[^>]+>", "", item).split())
        title = re.search(r"<bdi>(.*?)</bdi>", item).group(1)
        found[title] = text
    return found


def outline_state(page: str, slug: str) -> str:
    """The state of a node's row in the outline (its icon)."""
    match = re.search(
        rf'<li class="outline__[^"]*" id="outline-{slug}".*?href="#si-(\w+)"', page, re.S
    )
    assert match, f"no row for {slug} in the outline"
    return match.group(1)


# --- the selector -----------------------------------------------------------------------------


def test_the_marked_items_a_reimport_removed_are_found_with_what_the_learner_had(seed):
    learner = mark_everything(UserFactory())
    assert not retired_marks_get(learner=learner, roadmap=seed)  # nothing removed yet

    seed = reimport(edited())
    marks = {m.title: m for m in retired_marks_get(learner=learner, roadmap=seed)}
    assert set(marks) == {"Git", "Pro Git", "Django Chat", "Security"}
    git = marks["Git"]
    assert (git.kind, git.where, git.state, git.note) == (
        "topic",
        "Step 0: Prerequisites",
        "in_progress",
        NOTE,
    )
    assert (marks["Pro Git"].kind, marks["Pro Git"].where, marks["Pro Git"].done) == (
        "resource",
        "Git",
        True,
    )
    assert (marks["Security"].kind, marks["Security"].state) == ("section", "done")
    assert all(m.retired_at is not None for m in marks.values())
    # The marks themselves are kept, and no longer counted.
    state = selectors.learner_state_for_roadmap(learner=learner, roadmap=seed)
    assert state.state_of(git.key) == "in_progress"
    assert marks["Pro Git"].key in state.resources_done


def test_no_query_for_a_learner_without_marks_on_removed_items(seed, django_assert_num_queries):
    seed = reimport(edited())
    learner = UserLearner(user=UserFactory())
    services.progress_set(learner=learner, node=node("step-1-python"), state="done")
    state = selectors.learner_state_for_roadmap(learner=learner, roadmap=seed)
    retired_marks_get(learner=learner, roadmap=seed, state=state)  # the structure, once
    with django_assert_num_queries(0):
        assert not retired_marks_get(learner=learner, roadmap=seed, state=state)


# --- the page ---------------------------------------------------------------------------------


def test_the_roadmap_page_tells_the_learner_what_they_had_on_the_removed_items(seed):
    user = UserFactory()
    mark_everything(user)
    client = client_for(user)
    assert notice(text_of(client.get(ROADMAP))) is None

    reimport(edited())
    for _ in range(2):  # rendered, then the learner's own page from the page cache
        page = text_of(client.get(ROADMAP))
        assert notice(page) == "4 items you had marked were removed from this roadmap"
        items = listed(page)
        assert set(items) == {"Git", "Pro Git", "Django Chat", "Security"}
        assert "a topic of “Step 0: Prerequisites”" in items["Git"]
        assert "In progress" in items["Git"] and "a note" in items["Git"]
        assert NOTE in items["Git"]
        assert "a resource of “Git”" in items["Pro Git"] and "Done" in items["Pro Git"]
        assert "a section" in items["Security"] and "Done" in items["Security"]
        assert all("removed on" in text for text in items.values())
        assert '<details id="retired-notice-details">' in page  # opened by the learner


def test_one_item_is_said_in_the_singular_and_in_persian(seed):
    user = UserFactory()
    learner = UserLearner(user=user)
    services.progress_set(learner=learner, node=node("security"), state="done")
    reimport(edited())
    client = client_for(user)
    page = text_of(client.get(ROADMAP))
    assert notice(page) == "1 item you had marked was removed from this roadmap"
    persian = text_of(client.get(ROADMAP, HTTP_ACCEPT_LANGUAGE="fa"))
    assert 'lang="fa"' in persian and 'dir="rtl"' in persian
    assert notice(persian) == "1 موردی که علامت زده بودید از این نقشهٔ راه حذف شد"
    assert "پاک کردن این اعلان" in persian


def test_clearing_the_notice_hides_it_for_that_learner_only_and_keeps_the_marks(seed):
    first, second = UserFactory(), UserFactory()
    mark_everything(first)
    mark_everything(second)
    reimport(edited())
    client = client_for(first, csrf=True)
    page = text_of(client.get(ROADMAP))
    assert notice(page) is not None

    assert client.post(CLEAR).status_code == 403  # no CSRF token, nothing cleared
    assert notice(text_of(client.get(ROADMAP))) is not None
    answer = client.post(CLEAR, {"csrfmiddlewaretoken": csrf_from(page)})
    assert answer.status_code == 302 and answer["Location"] == ROADMAP
    page = text_of(client.get(ROADMAP))
    assert "The notice is cleared. What you had marked is kept." in page
    page = text_of(client.get(ROADMAP))  # no message waiting: the cached page of the learner
    assert notice(page) is None
    # The marks are kept: the node's own list of what is no longer in the roadmap still has Git.
    assert 'id="retired-title"' in page and ">Git</bdi>" in page
    # The other learner still has their notice.
    assert notice(text_of(client_for(second).get(ROADMAP))) is not None


def test_clearing_with_htmx_answers_the_notices_place_and_a_status(seed):
    user = UserFactory()
    mark_everything(user)
    reimport(edited())
    client = client_for(user)
    answer = client.post(CLEAR, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    body = text_of(answer)
    assert 'id="retired-notice"' not in body  # the notice goes
    assert 'role="status" hx-swap-oob="true">The notice is cleared.' in body
    assert notice(text_of(client.get(ROADMAP))) is None


def test_clearing_only_clears_the_items_the_page_showed(seed):
    user = UserFactory()
    learner = mark_everything(user)
    seed = reimport(edited())
    shown = {m.title: m.key for m in retired_marks_get(learner=learner, roadmap=seed)}
    client_for(user).post(CLEAR, {"key": [str(shown["Git"]), "not-a-key"]})
    left = {m.title for m in retired_marks_get(learner=learner, roadmap=seed)}
    assert left == {"Pro Git", "Django Chat", "Security"}


def test_the_mark_comes_back_with_the_item_and_a_new_removal_shows_again(seed):
    user = UserFactory()
    mark_everything(user)
    client = client_for(user)
    assert outline_state(text_of(client.get(ROADMAP)), "git") == "in_progress"

    reimport(edited())
    page = text_of(client.get(ROADMAP))
    assert 'id="outline-git"' not in page  # gone from the map and the outline
    client.post(CLEAR)
    assert notice(text_of(client.get(ROADMAP))) is None

    seed = reimport(SEED)  # the maintainer puts it all back: the same items, the same marks
    page = text_of(client.get(ROADMAP))
    assert notice(page) is None
    assert outline_state(page, "git") == "in_progress"
    assert outline_state(page, "security") == "done"
    assert 'id="map-git"' in page
    learner = UserLearner(user=user)
    assert (
        resource("Pro Git").key
        in selectors.learner_state_for_roadmap(learner=learner, roadmap=seed).resources_done
    )

    reimport(edited())  # removed again, after the learner had cleared the notice
    page = text_of(client.get(ROADMAP))
    assert notice(page) == "4 items you had marked were removed from this roadmap"
    assert RetiredMarkSeen.objects.filter(user=user).count() == 4  # the old clears, outdated


def test_anonymous_visitors_get_the_shared_cached_page_without_a_notice(seed):
    user = UserFactory()
    mark_everything(user)
    reimport(edited())
    assert notice(text_of(client_for(user).get(ROADMAP))) is not None
    for _ in range(2):
        anonymous = Client().get(ROADMAP)
        assert "ETag" in anonymous  # the shared page, cached
        assert 'id="retired-notice"' not in text_of(anonymous)
        assert "sessionid" not in anonymous.cookies
    assert Client().post(CLEAR).status_code == 302  # nothing to clear, nothing written
    assert not RetiredMarkSeen.objects.exists()


def test_another_learner_never_sees_someone_elses_notice(seed):
    marked, other = UserFactory(), UserFactory()
    mark_everything(marked)
    reimport(edited())
    marked_client, other_client = client_for(marked), client_for(other)
    for _ in range(2):
        assert notice(text_of(marked_client.get(ROADMAP))) is not None
        page = text_of(other_client.get(ROADMAP))
        assert notice(page) is None and NOTE not in page


def test_the_export_keeps_the_removed_marks_flagged(seed):
    user = UserFactory()
    mark_everything(user)
    reimport(edited())
    data = json.loads(client_for(user).get("/me/progress/export.json").content)
    roadmap = data["roadmaps"]["python-backend"]
    nodes = {entry["title"]: entry for entry in roadmap["nodes"].values()}
    resources = {entry["title"]: entry for entry in roadmap["resources"].values()}
    assert nodes["Git"]["retired"] is True and nodes["Git"]["note"] == NOTE
    assert nodes["Security"]["retired"] is True and nodes["Security"]["state"] == "done"
    assert nodes["Step 1: Python"]["retired"] is False
    assert resources["Pro Git"]["retired"] is True and resources["Django Chat"]["retired"] is True


def test_my_progress_says_how_many_marked_items_each_roadmap_lost(seed):
    user = UserFactory()
    mark_everything(user)
    client = client_for(user)
    assert 'id="removed-python-backend"' not in text_of(client.get("/me/progress/"))
    reimport(edited())
    page = text_of(client.get("/me/progress/"))
    line = re.search(r'<p class="small" id="removed-python-backend">(.*?)</p>', page, re.S)
    assert line, "no line about the removed items on My progress"
    assert 'href="/r/python-backend/#retired-notice"' in line.group(1)
    assert "4 items you had marked were removed from this roadmap" in line.group(1)
    client.post(CLEAR)
    assert 'id="removed-python-backend"' not in text_of(client.get("/me/progress/"))
    other = text_of(client_for(UserFactory()).get("/me/progress/"))
    assert "were removed from this roadmap" not in other


def test_the_notice_costs_a_few_queries_whatever_the_number_of_items(
    seed, django_assert_max_num_queries
):
    """The learner's page, cached: their state, their visit, and the notice's four reads
    (cleared items, removed nodes, their notes, removed resources), however many items."""
    user = UserFactory()
    mark_everything(user)
    reimport(edited())
    client = client_for(user)
    client.get(ROADMAP)
    with django_assert_max_num_queries(6):
        assert notice(text_of(client.get(ROADMAP))) is not None


def test_a_note_is_shown_as_text_and_cut_short(seed):
    user = UserFactory()
    learner = UserLearner(user=user)
    text = "<script>alert(1)</script> " + "long words " * 40
    services.note_save(learner=learner, node=node("security"), text=text)
    reimport(edited())
    page = text_of(client_for(user).get(ROADMAP))
    quoted = re.search(r'<blockquote class="[^"]*retired-notice__note"><bdi>(.*?)</bdi>', page)
    assert quoted, "the note is not in the notice"
    assert quoted.group(1).startswith("&lt;script&gt;alert(1)&lt;/script&gt; long words")
    assert quoted.group(1).endswith("…") and "<script>" not in page.split("retired-notice")[1]
