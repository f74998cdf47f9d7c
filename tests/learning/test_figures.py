"""Progress figures: what the roadmap page's bars show, overall and per section."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from learnmap.learning import selectors, services
from learnmap.learning.figures import (
    LearnerState,
    NodeInfo,
    RoadmapStructure,
    progress_figures,
)
from tests.factories import NodeFactory


def figures(learner, small):
    return selectors.roadmap_progress_get(learner=learner, roadmap=small.roadmap).figures


@pytest.mark.django_db
def test_a_new_learner_has_the_ordered_steps_to_do(learner, small):
    result = figures(learner, small)
    # Git, SQL (the topics of Step 0) and Step 1 (a section without topics).
    assert (result.overall.total, result.overall.done, result.overall.percent) == (3, 0, 0)
    assert (result.electives_available, result.electives_chosen) == (2, 0)
    assert [s.title for s in result.sections] == [
        "Step 0: Basics",
        "Step 1: Python",
        "Databases",
        "Caching",
        "Podcasts",
    ]


@pytest.mark.django_db
def test_choosing_an_elective_grows_the_denominator(learner, small):
    services.progress_set(learner=learner, node=small.git, state="done")
    before = figures(learner, small).overall
    assert (before.done, before.denominator, before.percent) == (1, 3, 33)

    services.elective_set(learner=learner, node=small.databases, chosen=True)
    after = figures(learner, small)
    assert (after.overall.done, after.overall.denominator, after.overall.percent) == (1, 5, 20)
    assert after.electives_chosen == 1
    databases = after.section(small.databases.key)
    assert databases.counted and databases.chosen and databases.figures.total == 2

    services.elective_set(learner=learner, node=small.caching, chosen=True)
    assert figures(learner, small).overall.denominator == 6
    services.elective_set(learner=learner, node=small.databases, chosen=False)
    assert figures(learner, small).overall.denominator == 4


@pytest.mark.django_db
def test_an_unchosen_elective_has_its_own_figures_but_does_not_count(learner, small):
    services.progress_set(learner=learner, node=small.redis, state="skipped")
    result = figures(learner, small)
    databases = result.section(small.databases.key)
    assert not databases.counted and not databases.chosen
    assert (databases.figures.total, databases.figures.skipped) == (2, 1)
    assert result.overall.skipped == 0 and result.overall.total == 3


@pytest.mark.django_db
def test_per_section_figures(learner, small):
    services.progress_set(learner=learner, node=small.git, state="done")
    services.progress_set(learner=learner, node=small.sql, state="in_progress")
    services.progress_set(learner=learner, node=small.python, state="done")
    result = figures(learner, small)
    basics = result.section(small.basics.key).figures
    assert (basics.total, basics.done, basics.in_progress, basics.percent) == (2, 1, 1, 50)
    python = result.section(small.python.key).figures
    assert (python.total, python.done, python.complete) == (1, 1, True)
    assert (result.overall.done, result.overall.in_progress, result.overall.percent) == (2, 1, 66)


@pytest.mark.django_db
def test_skipped_topics_leave_the_denominator(learner, small):
    services.progress_set(learner=learner, node=small.git, state="done")
    services.progress_set(learner=learner, node=small.sql, state="skipped")
    overall = figures(learner, small).overall
    assert (overall.done, overall.skipped, overall.denominator, overall.percent) == (1, 1, 2, 50)
    services.progress_set(learner=learner, node=small.python, state="done")
    overall = figures(learner, small).overall
    assert overall.percent == 100 and overall.complete


@pytest.mark.django_db
def test_extra_sections_never_count_in_the_overall_figures(learner, small):
    services.progress_set(learner=learner, node=small.podcasts, state="done")
    result = figures(learner, small)
    assert result.overall.done == 0
    podcasts = result.section(small.podcasts.key)
    assert not podcasts.counted and podcasts.figures.done == 1


@pytest.mark.django_db
def test_resources_done_are_counted_for_counted_sections(learner, small):
    services.resource_progress_set(learner=learner, resource=small.pro_git, done=True)
    services.resource_progress_set(learner=learner, resource=small.pg_docs, done=True)
    overall = figures(learner, small).overall
    assert (overall.resources_done, overall.resources_total) == (1, 2)
    services.elective_set(learner=learner, node=small.databases, chosen=True)
    overall = figures(learner, small).overall
    assert (overall.resources_done, overall.resources_total) == (2, 3)


@pytest.mark.django_db
def test_retired_nodes_leave_the_denominator_and_are_reported_apart(learner, small):
    services.progress_set(learner=learner, node=small.sql, state="done")
    small.sql.retired_at = timezone.now()
    small.sql.save()
    small.roadmap.revision += 1  # what an import does when it retires something
    small.roadmap.save()
    result = figures(learner, small)
    assert (result.overall.total, result.overall.done, result.overall.retired) == (2, 0, 1)
    assert result.retired_with_progress == (small.sql.key,)
    assert result.section(small.basics.key).figures.retired == 1


@pytest.mark.django_db
def test_a_section_whose_topics_all_retired_is_measured_itself(learner, small):
    lone = NodeFactory(roadmap=small.roadmap, title="Lone", kind="step")
    gone = NodeFactory(parent=lone, title="Gone", retired_at=timezone.now())
    services.progress_set(learner=learner, node=lone, state="done")
    result = figures(learner, small)
    assert result.section(lone.key).figures.total == 1
    assert result.section(lone.key).figures.done == 1
    assert gone.key not in result.retired_with_progress


def _structure(kinds: list[str], topics: list[int]) -> RoadmapStructure:
    nodes, position = [], 0
    for index, (kind, count) in enumerate(zip(kinds, topics, strict=True)):
        section = NodeInfo(
            id=len(nodes) + 1,
            key=uuid.uuid4(),
            parent_id=None,
            node_type="section",
            kind=kind,
            slug=f"s{index}",
            title=f"S{index}",
            position=position,
        )
        nodes.append(section)
        for t in range(count):
            position += 1
            nodes.append(
                NodeInfo(
                    id=len(nodes) + 1,
                    key=uuid.uuid4(),
                    parent_id=section.id,
                    node_type="topic",
                    kind=kind,
                    slug=f"s{index}-{t}",
                    title=f"T{t}",
                    position=position,
                )
            )
        position += 1
    return RoadmapStructure.build(
        roadmap_id=1, slug="r", title="R", revision=1, nodes=nodes, resources=()
    )


@given(
    sections=st.lists(
        st.tuples(st.sampled_from(["step", "elective", "extra", "text"]), st.integers(0, 4)),
        min_size=1,
        max_size=6,
    ),
    data=st.data(),
)
def test_figures_always_add_up(sections, data):
    structure = _structure([k for k, _ in sections], [n for _, n in sections])
    states = {
        n.key: data.draw(st.sampled_from(["done", "in_progress", "skipped", None]))
        for n in structure.nodes
    }
    electives = {
        n.key for n in structure.sections if n.kind == "elective" and data.draw(st.booleans())
    }
    state = LearnerState(
        node_states={k: v for k, v in states.items() if v}, electives=frozenset(electives)
    )
    result = progress_figures(structure=structure, state=state)
    overall = result.overall
    assert 0 <= overall.percent <= 100
    assert overall.done + overall.in_progress + overall.skipped <= overall.total
    assert overall.total == sum(s.figures.total for s in result.sections if s.counted)
    # A section counts its topics, or itself when it has none.
    expected_total = sum(
        max(n, 1)
        for (kind, n), section in zip(sections, structure.sections, strict=True)
        if kind == "step" or section.key in electives
    )
    assert overall.total == expected_total
    assert result.electives_chosen == len(electives)
