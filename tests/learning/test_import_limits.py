"""Importing a progress export is bounded on every path (audit issue 9 item 4): a file that
nests too deep, is too large, is not UTF-8 or is not a JSON object is refused with a sentence
naming the problem (the site's form shows it, the API answers 4xx, never a 500), and nothing
already in the account changes."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.core.errors import ApplicationError
from learnmap.learning import services
from learnmap.learning.models import ElectiveChoice, NodeProgress, Note, ResourceProgress
from learnmap.learning.services.portability import IMPORT_MAX_DEPTH, import_max_bytes
from tests.api.conftest import Api, assert_problem

pytestmark = pytest.mark.django_db

IMPORT = "/me/progress/import/"


def nested(depth: int, inner: str = "{}") -> str:
    """JSON of ``depth`` levels: objects within objects, ``inner`` at the bottom."""
    return '{"a": ' * (depth - 1) + inner + "}" * (depth - 1)


def export_of(small, **filters) -> dict:
    """A file the site would accept: Git done, with these default filters."""
    return {
        "format": "learnmap-progress",
        "version": 1,
        "exported_at": "2025-01-01T00:00:00+00:00",
        "preferences": {"default_filters": filters},
        "roadmaps": {
            "small": {
                "title": "Small Roadmap",
                "nodes": {str(small.git.key): {"title": "Git", "state": "done"}},
                "resources": {},
            }
        },
    }


def deep_export(small, depth: int) -> str:
    """A real export whose language filter hides a list nested ``depth`` levels down."""
    text = json.dumps(export_of(small, language="__deep__"))
    return text.replace('"__deep__"', "[" * depth + '"English"' + "]" * depth)


@pytest.fixture
def account(user, small):
    """A learner with progress already: Python done, a note on Git, SQL skipped."""
    NodeProgress.objects.create(user=user, node=small.python, state="done")
    NodeProgress.objects.create(user=user, node=small.sql, state="skipped")
    Note.objects.create(user=user, node=small.git, text="Mine")
    return user


def stored(user) -> tuple:
    return (
        sorted(NodeProgress.objects.filter(user=user).values_list("node_id", "state")),
        sorted(Note.objects.filter(user=user).values_list("node_id", "text")),
        ElectiveChoice.objects.filter(user=user).count(),
        ResourceProgress.objects.filter(user=user).count(),
    )


@pytest.fixture
def site(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def upload(site: Client, content: bytes):
    return site.post(IMPORT, {"file": SimpleUploadedFile("mine.json", content, "application/json")})


def assert_refused_on_the_page(response, sentence: str) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-error"' in page
    assert sentence in page
    assert 'id="import-file"' in page  # the form is there to try another file


# --- the site's form ------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 500, IMPORT_MAX_DEPTH + 1])
def test_the_form_refuses_a_file_nesting_too_deep_and_changes_nothing(site, account, depth):
    before = stored(account)

    response = upload(site, nested(depth).encode())

    assert_refused_on_the_page(response, f"nests deeper than {IMPORT_MAX_DEPTH} levels")
    assert stored(account) == before


def test_a_real_export_with_something_nested_deep_inside_is_refused_whole(site, account, small):
    before = stored(account)

    response = upload(site, deep_export(small, 5_000).encode())

    assert_refused_on_the_page(response, f"nests deeper than {IMPORT_MAX_DEPTH} levels")
    assert stored(account) == before  # Git's "done" in the same file was not taken either
    # The same file without the deep part is imported.
    shallow = json.dumps(export_of(small, language="English")).encode()
    assert upload(site, shallow).status_code == 302
    assert NodeProgress.objects.get(user=account, node=small.git).state == "done"


def test_the_form_refuses_a_file_over_the_size_limit(site, account, small):
    before = stored(account)
    limit = import_max_bytes()
    text = json.dumps(export_of(small))
    huge = (text[:-1] + " " * (limit - len(text) + 1) + "}").encode()  # valid JSON, 1 byte over
    assert len(huge) == limit + 1

    response = upload(site, huge)

    assert_refused_on_the_page(response, "larger than 5 MB (5,242,880 bytes)")
    assert stored(account) == before
    # One byte less is read and imported.
    assert upload(site, huge.replace(b" ", b"", 1)).status_code == 302


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "learnmap-progress", "note": "café"}'.encode("latin-1"),
        b'{"format": "learnmap-progress", "x": "\xc3\x28"}',
        b"\x00\x01\x02\xff",
    ],
    ids=["latin-1", "broken-utf-8", "binary"],
)
def test_the_form_refuses_bytes_that_are_not_utf8(site, account, content):
    before = stored(account)

    response = upload(site, content)

    assert_refused_on_the_page(response, "it is not text (UTF-8)")
    assert stored(account) == before


@pytest.mark.parametrize("content", ["[1, 2]", "42", "null", '"learnmap-progress"', "true"])
def test_the_form_refuses_json_that_is_not_an_object(site, account, content):
    before = stored(account)

    response = upload(site, content.encode())

    assert_refused_on_the_page(response, "This file is not a Learnmap progress export")
    assert stored(account) == before


# --- the service: the one place that checks -----------------------------------------------------


def test_the_depth_limit_is_exactly_the_one_stated():
    assert services.progress_json_load(text=nested(IMPORT_MAX_DEPTH)) is not None
    with pytest.raises(ApplicationError, match="nests deeper than 32 levels") as caught:
        services.progress_json_load(text=nested(IMPORT_MAX_DEPTH + 1))
    assert caught.value.code == "too_deep"
    # Lists count as levels too.
    with pytest.raises(ApplicationError, match="nests deeper"):
        services.progress_json_load(text="{" + '"a": ' + "[" * 40 + "]" * 40 + "}")


def test_data_handed_to_the_import_is_checked_too(account, small):
    """What the API passes (already parsed) goes through the same check."""
    data = json.loads(deep_export(small, 100))
    before = stored(account)

    with pytest.raises(ApplicationError, match="nests deeper than 32 levels"):
        services.progress_import(user=account, data=data)

    assert stored(account) == before


def test_the_size_limit_follows_the_setting(settings):
    settings.API_IMPORT_MAX_BYTES = 100
    with pytest.raises(ApplicationError, match=r"larger than 100 bytes") as caught:
        services.progress_json_load(text="{" + " " * 100 + "}")
    assert caught.value.code == "file_too_large"
    assert services.progress_json_load(text="{" + " " * 98 + "}") == {}


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture
def api(account) -> Api:
    return Api(Client(), account_services.token_create(user=account, name="limits").secret)


@pytest.mark.parametrize("depth", [100_000, IMPORT_MAX_DEPTH + 1])
def test_the_api_refuses_deep_json_with_a_4xx_and_changes_nothing(api, account, small, depth):
    before = stored(account)

    response = api.post("/me/import", raw=deep_export(small, depth).encode())

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    assert stored(account) == before


def test_the_api_refuses_a_body_over_the_size_limit(api, account, small):
    before = stored(account)
    text = json.dumps(export_of(small))
    huge = (text[:-1] + " " * (import_max_bytes() - len(text) + 1) + "}").encode()

    assert_problem(api.post("/me/import", raw=huge), 413, "body_too_large")
    assert stored(account) == before
