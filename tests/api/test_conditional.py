"""Conditional reads (``core.api.conditional``, on Django's ``get_conditional_response``): a
read's ETag brings a 304 whichever way the client names it, with the headers a cache needs."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

PROGRESS = "/me/progress/python-backend"


def test_a_learners_read_revalidates_with_its_private_headers_kept(seeded, ada):
    first = ada.api.get(PROGRESS)
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    for named in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = ada.api.get(PROGRESS, headers={"If-None-Match": named})
        assert again.status_code == 304, named
        assert again.content == b""
        assert again["ETag"] == etag
        assert again["Cache-Control"] == "private, no-cache"
        assert "Authorization" in again["Vary"]


def test_a_change_gets_the_new_body(seeded, ada):
    etag = ada.api.get(PROGRESS)["ETag"]
    ada.api.put(f"/me/progress/nodes/{seeded.django.key}", {"state": "done"})
    changed = ada.api.get(PROGRESS, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["figures"]["done"] == 1


def test_if_match_naming_another_version_is_a_412_problem(seeded, ada, anon):
    etag = ada.api.get(PROGRESS)["ETag"]
    assert ada.api.get(PROGRESS, headers={"If-Match": etag}).status_code == 200
    refused = ada.api.get(PROGRESS, headers={"If-Match": '"stale"'})
    assert_problem(refused, 412, "precondition_failed")
    # The same before the tree is rendered (its ETag known from the revision alone).
    assert_problem(
        anon.get("/roadmaps/python-backend", headers={"If-Match": '"stale"'}),
        412,
        "precondition_failed",
    )
