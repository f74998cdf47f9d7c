"""nginx's microcache in the real topology: what is the same for everyone is served from it,
nothing made for one learner (a signed-in page, a token's answer) ever is, and a change of the
roadmap shows within the cache's 5 seconds."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from tests.topology.conftest import (
    ROADMAP,
    SLUG,
    actions,
    client,
    csrf_token,
    pressed,
    sign_in,
)

# What nginx keeps for everyone: the Markdown export and the public API's answers.
PUBLIC = (
    f"/roadmaps/{SLUG}.md",
    f"/api/v1/roadmaps/{SLUG}",
    f"/api/v1/roadmaps/{SLUG}/markdown",
    "/api/v1/search?q=django",
)
VALIDITY = 5  # proxy_cache_valid in deploy/nginx.conf


def from_app(site, path: str) -> httpx.Response:
    """``path`` asked of the first instance itself, as nginx asks it (no cookie)."""
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept-Language": "en"}
    return httpx.get(site.app_urls[0] + path, headers=headers, timeout=30)


def anonymous_get(site, path: str) -> httpx.Response:
    with client(site) as visitor:  # a new visitor each time: no cookie
        return visitor.get(path)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_answers_come_from_the_cache_with_the_apps_bytes(site, path):
    anonymous_get(site, path)
    second = anonymous_get(site, path)

    assert second.status_code == 200
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.content == from_app(site, path).content


@pytest.mark.parametrize("path", PUBLIC[:2])
def test_an_expired_copy_is_renewed_with_the_apps_etag(site, path):
    """After its 5 s a copy is asked of the app with If-None-Match: the app's 304 renews it,
    and the body the visitor gets is still the app's."""
    anonymous_get(site, path)
    deadline = time.monotonic() + VALIDITY + 3
    answer = anonymous_get(site, path)
    while answer.headers["X-Cache-Status"] == "HIT" and time.monotonic() < deadline:
        time.sleep(0.25)
        answer = anonymous_get(site, path)

    assert answer.headers["X-Cache-Status"] == "REVALIDATED"
    assert answer.content == from_app(site, path).content


@pytest.mark.xfail(
    strict=True,
    reason="The app sends the anonymous roadmap page with Cache-Control: private and a "
    "Set-Cookie (csrftoken): its forms carry the visitor's own CSRF token, so no shared cache "
    "may keep it. The page needs to stop carrying a per-visitor token first (src/, not here).",
)
def test_the_anonymous_roadmap_page_comes_from_the_cache(site):
    anonymous_get(site, ROADMAP)
    second = anonymous_get(site, ROADMAP)

    assert second.headers["X-Cache-Status"] == "HIT"


def test_no_visitor_gets_another_visitors_csrf_token(site):
    """The anonymous page sets the visitor's CSRF cookie and carries their token: never kept
    for the next visitor (it would fail their forms, or hand them someone else's token)."""
    with client(site) as first, client(site) as second:
        pages = [first.get(ROADMAP), second.get(ROADMAP), first.get(ROADMAP)]
        assert [page.headers.get("X-Cache-Status") for page in pages] == ["MISS"] * 3
        assert first.cookies["csrftoken"] != second.cookies["csrftoken"]
        assert csrf_token(pages[0].text) != csrf_token(pages[1].text)


def mark_done(browser: httpx.Client, node: str, page: str) -> None:
    answer = browser.post(
        actions(page)[node],
        data={
            "state": "done",
            "context": "roadmap",
            "next": ROADMAP,
            "csrfmiddlewaretoken": csrf_token(page),
        },
    )
    assert answer.status_code in (200, 302), answer.text[:2000]


def test_two_learners_never_see_each_others_page_or_progress(site, learners):
    ada, bob = (sign_in(site, learner.email) for learner in learners)
    nodes = sorted(actions(anonymous_get(site, ROADMAP).text))
    ada_node, bob_node = nodes[0], nodes[-1]
    mark_done(ada, ada_node, ada.get(ROADMAP).text)
    mark_done(bob, bob_node, bob.get(ROADMAP).text)

    # Interleaved, as a crowd would: each learner, then a visitor, again and again.
    for _ in range(3):
        for browser, own, other in ((ada, ada_node, bob_node), (bob, bob_node, ada_node)):
            page = browser.get(ROADMAP)
            assert page.status_code == 200
            assert own in pressed(page.text)
            assert other not in pressed(page.text)
            assert page.headers["X-Cache-Status"] == "BYPASS"
            assert "private" in page.headers["Cache-Control"]

            visitor = anonymous_get(site, ROADMAP)
            assert pressed(visitor.text) == set()
            assert visitor.headers.get("X-Cache-Status") != "HIT"

    # The public answers, asked with a session, are not taken from nor left in the cache.
    for path in PUBLIC[:2]:
        assert ada.get(path).headers["X-Cache-Status"] == "BYPASS"
    ada.close()
    bob.close()


def test_a_tokens_answers_are_never_cached(site, learners):
    page = anonymous_get(site, ROADMAP).text
    node_key = re.search(r"/node/([0-9a-f-]+)/state/", page).group(1)
    path = f"/api/v1/me/progress/{SLUG}"
    seen = {}
    with client(site) as api:
        for learner, state in zip(learners, ("in_progress", "skipped"), strict=True):
            auth = {"Authorization": f"Bearer {learner.token}"}
            put = api.put(
                f"/api/v1/me/progress/nodes/{node_key}", json={"state": state}, headers=auth
            )
            assert put.status_code == 200, put.text
            for _ in range(2):
                answer = api.get(path, headers=auth)
                assert answer.status_code == 200, answer.text
                assert answer.headers["X-Cache-Status"] == "BYPASS"
                assert "private" in answer.headers["Cache-Control"]
                seen[learner.email] = answer.json()
        # Each token got its own learner's state; without a token, no learner's answer.
        for learner, state in zip(learners, ("in_progress", "skipped"), strict=True):
            nodes = {node["key"]: node["state"] for node in seen[learner.email]["nodes"]}
            assert nodes[node_key] == state
        anonymous = api.get(path)
        assert anonymous.status_code == 401
        assert anonymous.headers.get("X-Cache-Status") != "HIT"


def test_both_instances_serve(site):
    for number in range(10):
        assert anonymous_get(site, f"/healthz?instance-check={number}").status_code == 200

    log = (site.logs / "nginx-access.log").read_text()
    upstreams = set(re.findall(r"instance-check=\d+ [^\n]* upstream=(\S+)", log))
    assert upstreams == {url.removeprefix("http://") for url in site.app_urls}


def test_an_import_shows_within_the_caches_validity(site, tmp_path: Path):
    """Last in this file: it changes the roadmap's title for the rest of the session."""
    for path in PUBLIC[:3]:  # warm: the old answers are in the cache
        anonymous_get(site, path)
        assert anonymous_get(site, path).headers["X-Cache-Status"] == "HIT"
    marker = f"changed-{time.monotonic_ns()}"
    source = (Path(site.env["LEARNMAP_CONTENT_DIR"]) / f"{SLUG}.md").read_text()
    changed = tmp_path / f"{SLUG}.md"
    changed.write_text(source.replace("Roadmap\n", f"Roadmap {marker}\n", 1))

    site.learnmap("import", str(changed), "--slug", SLUG)

    # The page itself is not cached: at once. The cached answers: once their copy expires.
    assert marker in anonymous_get(site, ROADMAP).text
    deadline = time.monotonic() + VALIDITY + 2  # + a loaded machine's request time
    waiting = set(PUBLIC[:3])
    while waiting and time.monotonic() < deadline:
        waiting = {path for path in waiting if marker not in anonymous_get(site, path).text}
        time.sleep(0.2)
    assert waiting == set()
