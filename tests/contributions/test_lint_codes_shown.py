"""A moderator sees each lint error a proposal would add with its stable code (LM103...), on
the review page and in the API's review, as ``learnmap lint`` prints it."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource
from learnmap.contributions import services
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

TINY = "# Tiny\n\n## Basics\n\n- [Only](https://example.org/only) (English) (Free)\n"
SHOWN = "README.md:3: error: the roadmap has no resources"


@pytest.fixture(autouse=True)
def private_cache(settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"lint-codes-shown-{uuid.uuid4()}",
        }
    }
    from learnmap.core.cache import memos_clear

    memos_clear()


@pytest.fixture
def emptying(learner) -> int:
    """A proposal removing the roadmap's only resource: the no-resources error (LM103)."""
    catalog_services.roadmap_import(source=TINY, slug="tiny")
    only = Resource.objects.get(roadmap__slug="tiny")
    proposal = services.proposal_create(
        author=learner, kind="remove_resource", resource_key=only.key, reason="outdated"
    )
    return proposal.pk


def test_the_review_page_shows_the_code_of_each_new_lint_error(emptying, moderator) -> None:
    client = Client()
    client.force_login(moderator)
    page = client.get(f"/review/{emptying}/").content.decode()
    assert 'id="lint-errors"' in page
    assert SHOWN in page and "[LM103 no-resources]</code>" in page


def test_the_api_review_gives_the_code_of_each_new_lint_error(emptying, moderator) -> None:
    secret = account_services.token_create(user=moderator, name="script").secret
    review = Api(Client(), secret).get(f"/proposals/{emptying}").json()
    [error] = review["lint_errors"]
    assert error.startswith(SHOWN) and error.endswith(" [LM103 no-resources]")
