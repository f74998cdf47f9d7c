"""A roadmap's history as an Atom feed: what a feed reader sees after a change is accepted."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from learnmap.contributions import services
from tests.contributions.conftest import NEW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/r/python-backend/history.atom"


@pytest.fixture(autouse=True)
def private_cache(settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"contributions-feed-{uuid.uuid4()}",
        }
    }


def accepted(node, *, title: str, author, moderator):
    proposal = services.proposal_create(
        author=author,
        kind="add_resource",
        node_key=node.key,
        fields={**NEW, "title": title, "url": f"https://example.org/{uuid.uuid4()}"},
    )
    return services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)


def test_the_feed_lists_accepted_changes_newest_first(caching, moderator):
    ada = UserFactory(username="ada")
    first = accepted(caching, title="Caching at Scale", author=ada, moderator=moderator)
    second = accepted(caching, title="Cache <Invalidation>", author=ada, moderator=moderator)

    response = Client().get(FEED)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert "Python" in feed.findtext(f"{ATOM}title")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [second.summary, first.summary]
    newest = entries[0]
    link = newest.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/r/python-backend/history/{second.pk}/"
    assert newest.findtext(f"{ATOM}author/{ATOM}name") == "ada"
    assert newest.findtext(f"{ATOM}updated").startswith(f"{second.created_at:%Y-%m-%dT%H:%M}")
    # The diff is text for the reader: the title's "<" stays a character, not markup.
    summary = newest.findtext(f"{ATOM}summary")
    assert "+  - [Cache &lt;Invalidation&gt; by Ada Lovelace]" in summary
    # The entry's link is the change's page.
    assert Client().get(link.removeprefix("http://testserver")).status_code == 200


def test_a_roadmap_without_changes_has_an_empty_feed_and_an_unknown_one_none(seed):
    feed = ET.fromstring(Client().get(FEED).content)
    assert feed.findall(f"{ATOM}entry") == []
    assert Client().get("/r/no-such-roadmap/history.atom").status_code == 404
