"""The production topology (deploy/topology/topology.py) started once for these tests.

They start PostgreSQL, Redis, two app instances, a worker and nginx, which takes a while, so
``make test`` leaves them out: they are collected only with LEARNMAP_TOPOLOGY=1, which
``make test-topology`` sets.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

if os.environ.get("LEARNMAP_TOPOLOGY") != "1":
    collect_ignore_glob = ["test_*.py"]

SLUG = "python-backend"
ROADMAP = f"/r/{SLUG}/"
PASSWORD = "a long enough password 1"
# The roadmap page's compact state buttons: id="state-<node slug>-<state>", its node's form
# address, and aria-pressed="true" on the learner's state (learning/controls.html).
STATE_BUTTON = re.compile(
    r'id="state-(?P<slug>[^"]+)-(?P<state>not_started|in_progress|done|skipped)"[^>]*?'
    r'formaction="(?P<action>/node/[0-9a-f-]+/state/)"[^>]*?aria-pressed="(?P<pressed>true|false)"'
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def pressed(html: str, state: str = "done") -> set[str]:
    """The slugs of the nodes the page shows in ``state``."""
    found = STATE_BUTTON.finditer(html)
    return {m["slug"] for m in found if m["state"] == state and m["pressed"] == "true"}


def actions(html: str) -> dict[str, str]:
    """Node slug -> the address its state is posted to."""
    return {m["slug"]: m["action"] for m in STATE_BUTTON.finditer(html)}


def csrf_token(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class Learner:
    email: str
    token: str  # an API token's secret


@pytest.fixture(scope="session")
def site() -> Iterator[object]:
    from deploy.topology.topology import Topology

    with Topology(keep=os.environ.get("LEARNMAP_TOPOLOGY_KEEP") == "1") as topology:
        yield topology


@pytest.fixture(scope="session")
def learners(site) -> list[Learner]:
    """Two learners with verified addresses and an API token each, made in the database."""
    script = f"""
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from learnmap.accounts.services import token_create
out = []
for email in ("ada@example.org", "bob@example.org"):
    user = get_user_model().objects.create_user(username=email, email=email, password={PASSWORD!r})
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    out.append([email, token_create(user=user, name="topology").secret])
print(json.dumps(out))
"""
    done = site.learnmap("shell", "-c", script)
    made = json.loads(done.stdout.strip().splitlines()[-1])
    return [Learner(email, token) for email, token in made]


def client(site, *, headers: dict[str, str] | None = None):
    """An HTTPS client of nginx, trusting the topology's certificate."""
    import httpx

    headers = {"Accept-Language": "en", **(headers or {})}
    return httpx.Client(base_url=site.url, verify=site.tls_context(), timeout=30, headers=headers)


def sign_in(site, email: str):  # -> httpx.Client
    """A browser-like client signed in through nginx with the real sign-in form."""
    browser = client(site, headers={"Origin": site.url})
    form = browser.get("/accounts/login/")
    answer = browser.post(
        "/accounts/login/",
        data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(form.text)},
        headers={"Referer": f"{site.url}/accounts/login/"},
    )
    assert answer.status_code == 302, answer.text[:2000]
    assert browser.cookies.get("sessionid")
    return browser
