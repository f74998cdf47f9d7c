"""The contribution pages over HTTP: who may see each one, and the whole loop through them
(propose from a node, review, accept, history). The rules behind them are the services' and
are tested there; these tests check what the pages add: forms, redirects, refusals, language."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Roadmap
from learnmap.contributions import services
from learnmap.contributions.models import ModeratorRole, Proposal
from learnmap.core import links
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CACHING_PAGE = "/r/python-backend/n/caching/"


@pytest.fixture(autouse=True)
def private_cache(settings) -> None:
    """Each test gets its own empty cache (pages, structures, rate counts)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"contributions-pages-{uuid.uuid4()}",
        }
    }
    from learnmap.core.cache import memos_clear

    memos_clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def form_data(fields: dict, reason: str = "", prefix: str = "") -> dict:
    data = {**fields, "languages": ", ".join(fields.get("languages", [])), "reason": reason}
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


def propose(learner, node) -> int:
    proposal = services.proposal_create(
        author=learner, kind="add_resource", node_key=node.key, fields=NEW, reason="Good."
    )
    return proposal.pk


@pytest.fixture
def other_roadmap(db) -> Roadmap:
    catalog_services.roadmap_import(
        source="# Other\n\n## Basics\n\n- [Site](https://example.com) (English) (Free)\n",
        slug="other",
    )
    return Roadmap.objects.get(slug="other")


# ---- who may see what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client, caching, clean_code_book):
    pk = propose(UserFactory(), caching)
    for address in (
        f"/propose/{caching.key}/",
        f"/propose/resource/{clean_code_book.key}/edit/",
        f"/propose/resource/{clean_code_book.key}/remove/",
        "/me/proposals/",
        f"/me/proposals/{pk}/",
        "/r/python-backend/review/",
        f"/review/{pk}/",
    ):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"] == f"/accounts/login/?next={quote(address)}"
    # Posting does not propose either.
    response = client.post(f"/propose/{caching.key}/", form_data(NEW))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_history_and_the_feed_are_public(client, seed):
    assert client.get("/r/python-backend/history/").status_code == 200
    assert client.get("/r/python-backend/history.atom").status_code == 200
    assert client.get("/r/no-such-roadmap/history/").status_code == 404


def test_a_learner_cannot_read_or_revise_anothers_proposal(caching, learner):
    pk = propose(learner, caching)
    stranger = client_for(UserFactory())

    assert stranger.get(f"/me/proposals/{pk}/").status_code == 404
    assert stranger.get(f"/me/proposals/{pk}/revise/").status_code == 404
    assert stranger.post(f"/me/proposals/{pk}/revise/", {"reason": "mine"}).status_code == 404
    assert "Caching at Scale" not in text(stranger.get("/me/proposals/"))
    # The author does see it.
    assert "Caching at Scale" in text(client_for(learner).get(f"/me/proposals/{pk}/"))


def test_learners_and_other_roadmaps_moderators_cannot_review(caching, learner, other_roadmap):
    pk = propose(learner, caching)
    helper = UserFactory()
    ModeratorRole.objects.create(user=helper, roadmap=other_roadmap)

    for user in (learner, helper):
        client = client_for(user)
        assert client.get("/r/python-backend/review/").status_code == 403
        assert client.get(f"/review/{pk}/").status_code == 404
        assert client.post(f"/review/{pk}/accept/", {"action": "accept"}).status_code == 404
        assert client.post(f"/review/{pk}/decline/", {"decline-reason": "no"}).status_code == 404
    # Their own roadmap's queue they do see, linked from their proposals page.
    assert client_for(helper).get("/r/other/review/").status_code == 200
    assert 'href="/r/other/review/"' in text(client_for(helper).get("/me/proposals/"))
    assert 'href="/r/python-backend/review/"' not in text(client_for(helper).get("/me/proposals/"))
    assert 'id="moderated"' not in text(client_for(learner).get("/me/proposals/"))
    assert "Open" in text(client_for(learner).get(f"/me/proposals/{pk}/"))


def test_only_a_moderator_sees_and_uses_the_revert_form(caching, learner, moderator):
    change = services.proposal_accept(proposal_id=propose(learner, caching), moderator=moderator)
    address = f"/r/python-backend/history/{change.pk}/"

    assert 'id="revert-form"' not in text(client_for(learner).get(address))
    assert client_for(learner).post(f"{address}revert/").status_code == 403
    assert 'id="revert-form"' in text(client_for(moderator).get(address))


# ---- the loop through the pages -------------------------------------------------------------


def test_propose_review_accept_history_round_trip(caching, learner, moderator):
    author = client_for(learner)
    node_page = text(author.get(CACHING_PAGE))
    assert f'href="/propose/{caching.key}/"' in node_page  # the "(In Progress)" invitation

    assert author.get(f"/propose/{caching.key}/").status_code == 200
    response = author.post(f"/propose/{caching.key}/", form_data(NEW, "The book on caching."))
    assert response.status_code == 302 and response["Location"] == "/me/proposals/"
    mine = text(author.get("/me/proposals/"))
    assert "your proposal is waiting for a moderator" in mine
    assert "Caching at Scale" in mine and "Open" in mine

    reviewer = client_for(moderator)
    queue = text(reviewer.get("/r/python-backend/review/"))
    pk = int(re.search(r'href="/review/(\d+)/"', queue).group(1))
    review = text(reviewer.get(f"/review/{pk}/"))
    assert '<span class="diff__line diff__line--add">+  - [Caching at Scale by Ada Lovelace]' in (
        review
    )
    assert 'id="lint-ok"' in review and 'id="accept-form"' in review

    response = reviewer.post(f"/review/{pk}/accept/", {"action": "accept"})
    assert response.status_code == 302
    change_page = text(reviewer.get(response["Location"]))
    assert "Accepted: the roadmap has the change now." in change_page
    assert "Added “Caching at Scale” in “Caching”" in change_page

    assert 'href="/r/python-backend/history/"' in text(Client().get("/r/python-backend/"))
    history = text(Client().get("/r/python-backend/history/"))
    assert "Added “Caching at Scale” in “Caching”" in history
    assert 'type="application/atom+xml"' in history
    assert "Caching at Scale" in text(Client().get(CACHING_PAGE))  # on the node page now
    assert "Accepted" in text(author.get("/me/proposals/"))
    assert "Caching at Scale" not in text(reviewer.get("/r/python-backend/review/"))


def test_a_service_refusal_shows_on_the_field_it_names(caching, learner):
    response = client_for(learner).post(
        f"/propose/{caching.key}/", form_data({**NEW, "url": "ftp://example.org/book"})
    )

    assert response.status_code == 400
    page = text(response)
    url_field = page[page.index('for="id_url"') : page.index('id="id_author"')]
    assert "must be a whole web address starting with http:// or https://" in url_field
    assert 'aria-invalid="true"' in url_field


def test_a_removal_needs_a_reason_and_an_edit_sends_what_changed(learner, clean_code_book):
    client = client_for(learner)
    remove = f"/propose/resource/{clean_code_book.key}/remove/"
    assert client.post(remove, {"reason": ""}).status_code == 400
    assert client.post(remove, {"reason": "The link is dead."}).status_code == 302

    edit = f"/propose/resource/{clean_code_book.key}/edit/"
    page = text(client.get(edit))
    assert f'value="{clean_code_book.title}"' in page  # the form starts from the resource
    current = {
        "title": clean_code_book.title,
        "url": clean_code_book.url,
        "author": clean_code_book.author,
        "kind": clean_code_book.kind,
        "level": clean_code_book.level,
        "languages": clean_code_book.languages,
        "cost": clean_code_book.cost,
        "description": clean_code_book.description,
    }
    unchanged = client.post(edit, form_data(current, "no change"))
    assert unchanged.status_code == 400 and "changes nothing" in text(unchanged)
    response = client.post(edit, form_data({**current, "title": "Clean Code, 2nd ed."}, "New."))
    assert response.status_code == 302
    detail_link = re.findall(r'href="/me/proposals/(\d+)/"', text(client.get("/me/proposals/")))
    detail = text(client.get(f"/me/proposals/{max(map(int, detail_link))}/"))
    assert "Clean Code, 2nd ed." in detail and "diff__line--remove" in detail


def test_too_many_proposals_is_a_429_that_says_when_to_come_back(settings, caching, learner):
    settings.CONTRIBUTIONS_PER_DAY = 1
    propose(learner, caching)

    response = client_for(learner).post(f"/propose/{caching.key}/", form_data(NEW))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    assert "You have made 1 proposals in the last day" in text(response)


def test_the_second_moderator_is_told_who_decided_first(caching, learner, moderator):
    pk = propose(learner, caching)
    first = UserFactory(username="first-mod", is_staff=True)
    late = client_for(moderator)
    page_open = text(late.get(f"/review/{pk}/"))  # the second moderator has the page open
    assert 'id="accept-form"' in page_open
    services.proposal_decline(proposal_id=pk, moderator=first, reason="Off topic.")

    response = late.post(f"/review/{pk}/accept/", {"action": "accept"})

    assert response.status_code == 409
    assert "already decided by first-mod (Declined)" in text(response)
    assert 'id="accept-form"' not in text(response)


def test_decline_and_changes_requested_reach_the_author_who_revises(caching, learner, moderator):
    reviewer, author = client_for(moderator), client_for(learner)
    pk = propose(learner, caching)
    empty = reviewer.post(f"/review/{pk}/request-changes/", {"changes-reason": ""})
    assert empty.status_code == 400 and 'id="changes-form"' in text(empty)

    response = reviewer.post(f"/review/{pk}/request-changes/", {"changes-reason": "Add a level."})
    assert response.status_code == 302
    mine = text(author.get("/me/proposals/"))
    assert "Changes requested" in mine and "Add a level." in mine
    assert f'href="/me/proposals/{pk}/revise/"' in mine
    revised = form_data({**NEW, "level": "Advanced"}, "Now with a level.")
    assert author.post(f"/me/proposals/{pk}/revise/", revised).status_code == 302
    assert "Open" in text(author.get(f"/me/proposals/{pk}/"))

    reviewer.post(f"/review/{pk}/decline/", {"decline-reason": "We have enough books."})
    detail = text(author.get(f"/me/proposals/{pk}/"))
    assert "Declined" in detail and "We have enough books." in detail


def test_a_moderator_can_edit_before_accepting_and_preview_first(caching, learner, moderator):
    pk = propose(learner, caching)
    reviewer = client_for(moderator)
    edited = form_data({**NEW, "title": "Caching at Scale, 2nd ed."}, prefix="accept")
    del edited["accept-reason"]

    preview = reviewer.post(f"/review/{pk}/accept/", {**edited, "action": "preview"})
    assert preview.status_code == 200
    assert "+  - [Caching at Scale, 2nd ed. by Ada Lovelace]" in text(preview)
    assert "Open" in text(preview)  # previewing decides nothing

    response = reviewer.post(f"/review/{pk}/accept/", {**edited, "action": "accept"})
    assert response.status_code == 302
    assert "Caching at Scale, 2nd ed." in text(Client().get(CACHING_PAGE))


def test_revert_through_the_page_hides_the_form_afterwards(caching, learner, moderator):
    change = services.proposal_accept(proposal_id=propose(learner, caching), moderator=moderator)
    reviewer = client_for(moderator)
    address = f"/r/python-backend/history/{change.pk}/"

    response = reviewer.post(f"{address}revert/")

    assert response.status_code == 302
    assert "Reverted: Added “Caching at Scale”" in text(reviewer.get(response["Location"]))
    assert 'id="revert-form"' not in text(reviewer.get(address))
    assert "Caching at Scale" not in text(Client().get(CACHING_PAGE))


def test_forms_refuse_a_post_without_the_csrf_token(caching, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    address = f"/propose/{caching.key}/"

    assert client.post(address, form_data(NEW)).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(client.get(address)))
    response = client.post(address, {**form_data(NEW), "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


# ---- entry points and language --------------------------------------------------------------


def test_node_page_links_each_resource_to_an_edit_and_a_report(client, clean_code_book):
    page = text(client.get(f"/r/python-backend/n/{clean_code_book.node.slug}/"))

    assert f'href="/propose/resource/{clean_code_book.key}/edit/"' in page
    assert f'href="/propose/resource/{clean_code_book.key}/remove/"' in page
    assert f'href="/propose/{clean_code_book.node.key}/"' in page


def test_account_navigation_links_my_proposals(learner, seed):
    assert 'href="/me/proposals/"' in text(client_for(learner).get("/"))
    assert 'href="/me/proposals/"' not in text(Client().get("/"))


def test_persian_pages_are_translated_and_right_to_left(caching, learner, moderator):
    pk = propose(learner, caching)
    author, reviewer = client_for(learner), client_for(moderator)

    mine = text(author.get("/me/proposals/", HTTP_ACCEPT_LANGUAGE="fa"))
    assert 'dir="rtl"' in re.search(r"<html[^>]*>", mine).group(0)
    assert "پیشنهادهای من" in mine  # "My proposals"
    assert "باز" in mine  # "Open"
    form = text(author.get(f"/propose/{caching.key}/", HTTP_ACCEPT_LANGUAGE="fa"))
    assert "پیشنهاد یک منبع" in form  # "Propose a resource for …"
    review = text(reviewer.get(f"/review/{pk}/", HTTP_ACCEPT_LANGUAGE="fa"))
    assert 'dir="rtl"' in review and "پذیرفتن" in review  # "Accept"
    assert '<pre class="diff" dir="ltr"' in review  # Markdown reads left to right


@pytest.fixture
def checked_links():
    """Link verdicts as link health would give them, through the core's port (the real
    checker's run against local hosts is tested in tests/contributions/test_link_check.py)."""
    verdicts: dict[str, links.LinkVerdict] = {}
    previous = links.checker_connect(
        links.LinkChecker(check_soon=lambda url: None, verdict=verdicts.get)
    )
    yield verdicts
    links.checker_connect(previous)


def test_the_review_shows_the_link_check_of_the_proposed_url(
    caching, learner, moderator, checked_links
):
    pk = propose(learner, caching)
    reviewer = client_for(moderator)
    link_check = re.compile(r'<div class="small" id="link-check">(.*?)</div>', re.S)

    assert "not checked yet" in link_check.search(text(reviewer.get(f"/review/{pk}/"))).group(1)
    checked_links[NEW["url"]] = links.LinkVerdict(
        link_class="moved",
        status=301,
        final_url="https://example.net/caching",
        checked_at=timezone.now(),
        reason="301",
    )
    shown = link_check.search(text(reviewer.get(f"/review/{pk}/"))).group(1)
    assert ">moved</span>" in shown and "HTTP 301" in shown
    assert "https://example.net/caching" in shown


def test_a_report_is_prefilled_from_the_link_check(learner, clean_code_book, checked_links):
    address = f"/propose/resource/{clean_code_book.key}/remove/"
    reason = re.compile(r"<textarea[^>]*>(.*?)</textarea>", re.S)
    assert reason.search(text(client_for(learner).get(address))).group(1).strip() == ""

    checked_links[clean_code_book.url] = links.LinkVerdict(
        link_class="dead",
        status=404,
        final_url=clean_code_book.url,
        checked_at=timezone.now(),
        reason="404",
    )

    prefilled = reason.search(text(client_for(learner).get(address))).group(1)
    assert "found it not working (404)" in prefilled


def test_reporting_a_moved_link_proposes_its_new_address(
    learner, moderator, clean_code_book, checked_links
):
    checked_links[clean_code_book.url] = links.LinkVerdict(
        link_class="moved",
        status=301,
        final_url="https://example.net/clean-code",
        checked_at=timezone.now(),
        reason="301",
    )
    report = client_for(learner).get(f"/propose/resource/{clean_code_book.key}/remove/")
    assert report.status_code == 302
    edit = client_for(learner).get(report["Location"])
    page = text(edit)
    assert 'value="https://example.net/clean-code"' in page
    assert "found it moved (301) to https://example.net/clean-code" in page

    sent = client_for(learner).post(
        report["Location"],
        {
            "title": clean_code_book.title,
            "url": "https://example.net/clean-code",
            "author": clean_code_book.author,
            "kind": clean_code_book.kind,
            "level": clean_code_book.level,
            "languages": ", ".join(clean_code_book.languages),
            "cost": clean_code_book.cost,
            "description": clean_code_book.description,
            "reason": "moved",
        },
    )
    assert sent.status_code == 302
    # The proposal changes the address only.
    assert Proposal.objects.get().fields == {"url": "https://example.net/clean-code"}


def test_list_pages_read_a_fixed_number_of_queries(
    caching, learner, moderator, django_assert_max_num_queries
):
    """No query per row: the user, the roadmap, the rows with what they show (and the queue's
    node filter, the history's page count)."""
    for _ in range(4):
        pk = propose(learner, caching)
    services.proposal_accept(proposal_id=pk, moderator=moderator)
    services.proposal_accept(proposal_id=pk - 1, moderator=moderator)
    author, reviewer = client_for(learner), client_for(moderator)

    for client, address, queries in (
        (author, "/me/proposals/", 3),
        (reviewer, "/r/python-backend/review/", 4),
        (reviewer, "/r/python-backend/history/", 3),
        (reviewer, "/r/python-backend/history.atom", 2),
    ):
        with django_assert_max_num_queries(queries):
            assert client.get(address).status_code == 200


def test_proposing_for_what_is_not_in_a_roadmap_is_a_404(learner, seed):
    client = client_for(learner)
    for address in (
        f"/propose/{uuid.uuid4()}/",
        f"/propose/resource/{uuid.uuid4()}/edit/",
        f"/propose/resource/{uuid.uuid4()}/remove/",
        "/r/no-such-roadmap/review/",
        "/r/python-backend/history/999/",
    ):
        assert client.get(address).status_code == 404, address
