"""Nothing of one learner reaches another: with the page cache on, through the early page
middleware (``learning.middleware``), the whole stack and the API, two learners (and two
anonymous visitors) never receive each other's page, progress, token or CSRF value; the shared
page is rendered from a request of its own, so the visitor who happened to ask first leaves
nothing in it; an outline skeleton can only read the fields on its allow-list."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import Context, Template
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog.models import Node
from learnmap.learning.pages.skeleton import SkeletonFieldError, SkeletonNode
from tests.factories import UserFactory
from tests.pages.conftest import csrf_from, pressed, text_of, without_token

pytestmark = pytest.mark.django_db

PAGE = "/r/python-backend/"
PAGES = (PAGE, "/", "/r/python-backend/n/git/", "/r/python-backend/resources/", "/me/progress/")


def _learner(seed, *, state: str, slug: str, note: str):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = text_of(client.get(PAGE))
    node = Node.objects.get(roadmap=seed, slug=slug)
    token = csrf_from(page)
    assert client.post(
        f"/node/{node.key}/state/", {"state": state, "csrfmiddlewaretoken": token}
    ).status_code in (200, 302)
    client.post(f"/node/{node.key}/note/", {"text": note, "csrfmiddlewaretoken": token})
    client.get(PAGE)  # the message shown once
    api = account_services.token_create(user=user, name="mine").secret
    return user, client, api


def test_two_learners_never_receive_each_others_page_progress_token_or_csrf(seed, early):
    ada, ada_client, ada_api = _learner(seed, state="done", slug="git", note="ADA-SECRET-NOTE")
    bob, bob_client, bob_api = _learner(seed, state="skipped", slug="docker", note="BOB-NOTE")
    visitor = Client(enforce_csrf_checks=True)  # anonymous, with progress in their session
    first = text_of(visitor.get(PAGE))
    caching = Node.objects.get(roadmap=seed, slug="caching")
    visitor.post(
        f"/node/{caching.key}/state/",
        {"state": "in_progress", "csrfmiddlewaretoken": csrf_from(first)},
    )
    stranger = Client(enforce_csrf_checks=True)  # anonymous, no session: the shared page

    seen: dict[str, list[str]] = {"ada": [], "bob": [], "visitor": [], "stranger": []}
    clients = {"ada": ada_client, "bob": bob_client, "visitor": visitor, "stranger": stranger}
    for _ in range(3):  # rendered, then stored, then served early
        for who, client in clients.items():
            for path in PAGES:
                response = client.get(path, follow=True)
                assert response.status_code == 200, (who, path)
                seen[who].append(text_of(response))
    assert PAGE in early  # the early middleware answered some of them

    roadmap_pages = {who: pages[-len(PAGES)] for who, pages in seen.items()}
    assert pressed(roadmap_pages["ada"], "state-git-done")
    assert not pressed(roadmap_pages["ada"], "state-docker-skipped")
    assert pressed(roadmap_pages["bob"], "state-docker-skipped")
    assert not pressed(roadmap_pages["bob"], "state-git-done")
    assert pressed(roadmap_pages["visitor"], "state-caching-in_progress")
    for who in ("ada", "bob", "stranger"):
        assert not pressed(roadmap_pages[who], "state-caching-in_progress"), who
    for who in ("bob", "visitor", "stranger"):
        assert not pressed(roadmap_pages[who], "state-git-done"), who
    for who, pages in seen.items():
        everything = "".join(pages)
        if who != "ada":
            assert ada.username not in everything and ada.email not in everything, who
            assert "ADA-SECRET-NOTE" not in everything and ada_api not in everything, who
        if who != "bob":
            assert bob.username not in everything and "BOB-NOTE" not in everything, who
            assert bob_api not in everything, who
    # Each one's CSRF tokens are their own cookie's secret, masked: never another's.
    secrets = {}
    for who, client in clients.items():
        cookie = client.cookies["csrftoken"].value
        tokens = {csrf_from(page) for page in seen[who] if 'name="csrfmiddlewaretoken"' in page}
        assert tokens and {_unmask_cipher_token(t) for t in tokens} == {cookie}, who
        secrets[who] = cookie
    assert len(set(secrets.values())) == len(secrets)

    # The API: each token answers with its own learner's progress only.
    key = {slug: str(Node.objects.get(roadmap=seed, slug=slug).key) for slug in ("git", "docker")}
    for api, mine, theirs in ((ada_api, "git", "docker"), (bob_api, "docker", "git")):
        answer = Client().get(
            "/api/v1/me/progress/python-backend", HTTP_AUTHORIZATION=f"Bearer {api}"
        )
        assert answer.status_code == 200
        started = {node["key"] for node in answer.json()["nodes"]}
        assert key[mine] in started and key[theirs] not in started
        assert str(caching.key) not in started


def test_the_shared_page_holds_nothing_of_the_visitor_who_asked_first(seed, early):
    """The first to ask for the page has a session with progress on another roadmap, a
    message-free session and cookies of their own: the page every other visitor then gets is
    the same as one a fresh visitor would have had rendered."""
    from learnmap.catalog import services as catalog_services
    from tests.pages.conftest import SEED

    catalog_services.roadmap_import(source=SEED, slug="other")
    first = Client(enforce_csrf_checks=True)
    other_page = text_of(first.get("/r/other/"))
    git = Node.objects.get(roadmap__slug="other", slug="git")
    first.post(
        f"/node/{git.key}/state/", {"state": "done", "csrfmiddlewaretoken": csrf_from(other_page)}
    )
    first.get("/r/other/")  # the message shown
    first.cookies["tracking"] = "VISITOR-COOKIE-VALUE"

    theirs = text_of(first.get(PAGE, HTTP_USER_AGENT="VISITOR-AGENT", HTTP_REFERER="/x-ref"))
    assert early == []  # rendered for (not from) them, and stored
    fresh = text_of(Client().get(PAGE))
    assert early == [PAGE]

    assert without_token(fresh) == without_token(theirs)
    for leak in ("VISITOR-COOKIE-VALUE", "VISITOR-AGENT", "x-ref"):
        assert leak not in fresh


def test_an_outline_skeleton_reads_only_its_allowed_fields(seed):
    """A skeleton is shared by every learner: a template that asks it for a learner's value
    (their state) is an error at rendering, not an empty string or the value of whoever
    rendered it first."""
    from learnmap.learning import pages
    from learnmap.learning.learners import SessionLearner

    page = pages.roadmap_page_build(
        roadmap=seed,
        learner=SessionLearner(session={}),  # type: ignore[arg-type]
    )
    section = SkeletonNode(page.steps[0], "nonce")

    assert Template("{{ s.title }}").render(Context({"s": section})) == page.steps[0].title
    with pytest.raises(SkeletonFieldError, match="'state'"):
        Template("{{ s.state }}").render(Context({"s": section}))
    with pytest.raises(SkeletonFieldError):
        section.has_note  # noqa: B018
