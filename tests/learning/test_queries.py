"""Query budgets: a roadmap page's learner part costs the same whatever the roadmap's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnmap.catalog.models import Node, Resource
from learnmap.learning import selectors, services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import ElectiveChoice, NodeProgress, Note, ResourceProgress
from tests.factories import UserFactory
from tests.learning.conftest import big_roadmap

pytestmark = pytest.mark.django_db


def track_everything(user, roadmap):
    """Progress on every node and resource, electives and notes: the worst case for reads."""
    nodes = list(Node.objects.filter(roadmap=roadmap))
    NodeProgress.objects.bulk_create([NodeProgress(user=user, node=n, state="done") for n in nodes])
    ResourceProgress.objects.bulk_create(
        [ResourceProgress(user=user, resource=r) for r in Resource.objects.filter(roadmap=roadmap)]
    )
    ElectiveChoice.objects.bulk_create(
        [
            ElectiveChoice(user=user, node=n)
            for n in nodes
            if n.node_type == "section" and n.kind == "elective"
        ]
    )
    Note.objects.bulk_create([Note(user=user, node=n, text="note") for n in nodes[::3]])
    return nodes


@pytest.mark.parametrize(("sections", "topics"), [(2, 4), (20, 24)])  # 10 and 500 nodes
def test_learner_state_for_a_roadmap_is_one_query_whatever_its_size(
    sections, topics, django_assert_num_queries
):
    roadmap = big_roadmap(sections, topics)
    user = UserFactory()
    nodes = track_everything(user, roadmap)
    assert len(nodes) == sections * (topics + 1)
    learner = UserLearner(user=user)

    with django_assert_num_queries(1):
        state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)

    assert len(state.node_states) == len(nodes)
    assert len(state.resources_done) == sections * topics
    assert len(state.electives) == sections // 2
    assert len(state.notes) == len(nodes[::3])


def test_the_roadmap_pages_written_out_query_reads_what_the_orms_reads():
    """Every roadmap page reads the learner's state with SQL written out once (building the
    ORM's UNION takes ~1.2 ms, running it ~0.03 ms); what it finds must be what the ORM's
    query over the same models finds, on this roadmap only."""
    roadmap, other = big_roadmap(3, 5), big_roadmap(2, 3)
    user = UserFactory()
    track_everything(user, roadmap)
    track_everything(user, other)
    track_everything(UserFactory(), roadmap)  # another learner's rows are never read

    state = selectors.learner_state_for_roadmap(learner=UserLearner(user=user), roadmap=roadmap)

    expected = selectors._state_from_rows(selectors._state_rows(user, roadmap_id=roadmap.pk))
    assert state == expected
    assert state.node_states and state.resources_done and state.electives and state.notes


@pytest.mark.parametrize(("sections", "topics"), [(2, 4), (20, 24)])
def test_a_roadmap_pages_progress_is_one_query_with_a_warm_cache(
    sections, topics, django_assert_num_queries
):
    roadmap = big_roadmap(sections, topics)
    user = UserFactory()
    track_everything(user, roadmap)
    learner = UserLearner(user=user)
    with django_assert_num_queries(3):  # cold: nodes, resources, the learner's state
        cold = selectors.roadmap_progress_get(learner=learner, roadmap=roadmap)
    with django_assert_num_queries(1):
        warm = selectors.roadmap_progress_get(learner=learner, roadmap=roadmap)
    assert warm.figures == cold.figures
    assert warm.figures.overall.done == cold.figures.overall.total > 0


def test_an_anonymous_learners_state_costs_no_query(
    session_learner, small, django_assert_num_queries
):
    services.progress_set(learner=session_learner, node=small.git, state="done")
    selectors.roadmap_structure_get(roadmap=small.roadmap)
    with django_assert_num_queries(0):
        progress = selectors.roadmap_progress_get(learner=session_learner, roadmap=small.roadmap)
    assert progress.figures.overall.done == 1


def test_my_progress_costs_the_same_for_one_or_many_roadmaps(django_assert_num_queries):
    user = UserFactory()
    track_everything(user, big_roadmap(3, 3))
    for roadmaps in (1, 4):
        # Cold: the learner's rows, the roadmaps, then nodes and resources of all of them.
        with django_assert_num_queries(4):
            selectors.progress_overview(user=user)
        with django_assert_num_queries(2):
            overview = selectors.progress_overview(user=user)
        assert len(overview) == roadmaps
        assert all(p.figures.overall.done == p.figures.overall.total > 0 for p in overview)
        for _ in range(3):
            track_everything(user, big_roadmap(3, 3))


def test_my_progress_lists_roadmaps_with_any_progress_most_recent_first(user_learner, small):
    other = big_roadmap(1, 2)
    services.note_save(
        learner=user_learner, node=Node.objects.filter(roadmap=other).first(), text="only a note"
    )
    services.progress_set(learner=user_learner, node=small.git, state="done")
    overview = selectors.progress_overview(user=user_learner.user)
    assert [p.roadmap.slug for p in overview] == ["small", other.slug]
    assert overview[0].figures.overall.done == 1
    assert overview[1].figures.overall.done == 0


def test_recent_activity_is_one_query_and_newest_first(
    user_learner, small, django_assert_num_queries
):
    services.progress_set(learner=user_learner, node=small.git, state="in_progress")
    services.resource_progress_set(learner=user_learner, resource=small.pro_git, done=True)
    services.note_save(learner=user_learner, node=small.sql, text="note")
    services.elective_set(learner=user_learner, node=small.caching, chosen=True)
    services.progress_set(learner=user_learner, node=small.git, state="done")

    with django_assert_num_queries(1):
        activity = selectors.activity_recent(user=user_learner.user, limit=3)

    assert [(a.kind, a.title) for a in activity] == [
        ("node", "Git"),
        ("elective", "Caching"),
        ("note", "SQL"),
    ]
    assert activity[0].state == "done" and activity[0].roadmap_slug == "small"
    full = selectors.activity_recent(user=user_learner.user)
    resource = next(a for a in full if a.kind == "resource")
    assert (resource.title, resource.node_key, resource.node_title) == (
        "Pro Git",
        small.git.key,
        "Git",
    )


@pytest.mark.parametrize("entries", [5, 300])
def test_merging_a_session_costs_a_constant_number_of_queries(
    entries, session_learner, django_assert_max_num_queries
):
    roadmap = big_roadmap(10, 30)
    nodes = list(Node.objects.filter(roadmap=roadmap, node_type="topic")[:entries])
    for node in nodes:
        services.progress_set(learner=session_learner, node=node, state="done")
    user = UserFactory()
    with django_assert_max_num_queries(14):
        summary = services.progress_merge_session(
            request_session=session_learner.session, user=user
        )
    assert summary.nodes.added == entries


def statements(context) -> list[str]:
    """The queries that read or write (transaction savepoints left out)."""
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_setting_a_state_is_a_handful_of_queries(user_learner, small):
    # Store the state, look up the elective section, choose it.
    with CaptureQueriesContext(connection) as context:
        services.progress_set(learner=user_learner, node=small.postgres, state="done")
    assert len(statements(context)) == 5
    with CaptureQueriesContext(connection) as context:
        services.progress_set(learner=user_learner, node=small.git, state="done")
    assert len(statements(context)) == 2
    with CaptureQueriesContext(connection) as context:
        services.progress_set(learner=user_learner, node=small.git, state="done")
    assert len(statements(context)) == 1, "setting the same state again writes nothing"
