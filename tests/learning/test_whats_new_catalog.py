"""The catalog's answer to "what changed in this roadmap since T" (``catalog.changes``): read
from the rows' own timestamps, in one query whatever the roadmap's size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from learnmap.catalog import services as catalog_services
from learnmap.catalog.changes import nodes_changed_since
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from tests.factories import UserFactory
from tests.learning.conftest import big_roadmap
from tests.pages.conftest import SEED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def seed(db) -> Roadmap:
    catalog_services.roadmap_import(source=SEED, slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


T = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
PRO_GIT = "    - [Pro Git](https://git-scm.com/book/en/) (English) (Free)\n"
FLASK_DOC = "    - [Flask Document](https://flask.palletsprojects.com/) (English) (Free)\n"


def slugs(roadmap, keys) -> set[str]:
    return set(Node.objects.filter(roadmap=roadmap, key__in=keys).values_list("slug", flat=True))


def reimport(source: str) -> None:
    catalog_services.roadmap_import(source=source, slug="python-backend")


def test_a_retired_resource_marks_its_node_and_a_retired_topic_its_section(seed):
    learner = UserLearner(user=UserFactory())
    pro_git = Resource.objects.get(roadmap=seed, url="https://git-scm.com/book/en/")
    learning_services.resource_progress_set(learner=learner, resource=pro_git, done=True)
    dash = Node.objects.get(roadmap=seed, slug="dash")
    learning_services.progress_set(learner=learner, node=dash, state="in_progress")

    with time_machine.travel(T, tick=False):
        reimport(SEED.replace(PRO_GIT, "").replace("- ### Dash\n\n", ""))

    assert Resource.objects.get(pk=pro_git.pk).retired_at == T  # kept: a learner finished it
    assert Node.objects.get(pk=dash.pk).retired_at == T
    changed = nodes_changed_since(roadmap=seed, since=T - timedelta(seconds=1))
    assert slugs(seed, changed) == {"git", "step-0-prerequisites", "step-2-python-web-frameworks"}
    assert nodes_changed_since(roadmap=seed, since=T) == frozenset()  # nothing after it


def test_a_deleted_resource_leaves_no_trace(seed):
    with time_machine.travel(T, tick=False):
        reimport(SEED.replace(FLASK_DOC, ""))

    assert not Resource.objects.filter(url="https://flask.palletsprojects.com/").exists()
    # Nobody tracked it, so its row is gone: Flask is not reported (the history shows it).
    assert nodes_changed_since(roadmap=seed, since=T - timedelta(seconds=1)) == frozenset()


def test_an_edited_intro_marks_its_node_and_an_added_topic_itself_and_its_section(seed):
    with time_machine.travel(T, tick=False):
        reimport(
            SEED.replace("- ### Bottle\n", "- ### Bottle\n\n- ### Litestar\n").replace(
                "## Hands-on Experience\n", "## Hands-on Experience\n\nPick a project.\n"
            )
        )

    changed = nodes_changed_since(roadmap=seed, since=T - timedelta(seconds=1))

    assert slugs(seed, changed) == {
        "litestar",
        "step-2-python-web-frameworks",
        "hands-on-experience",
    }


def test_changes_are_read_in_one_query_whatever_the_size(db, django_assert_num_queries):
    roadmap = big_roadmap(20, 24)
    since = datetime(2000, 1, 1, tzinfo=UTC)  # everything is new

    with django_assert_num_queries(1):
        changed = nodes_changed_since(roadmap=roadmap, since=since)

    assert len(changed) == Node.objects.filter(roadmap=roadmap).count()
