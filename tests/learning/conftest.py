"""Fixtures for the learning app: learners (signed in and anonymous) and small roadmaps."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

import pytest
from django.conf import settings

from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning.learners import SessionLearner, UserLearner
from tests.factories import NodeFactory, ResourceFactory, RoadmapFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_learner(user) -> UserLearner:
    return UserLearner(user=user)


@pytest.fixture
def session_learner(db) -> SessionLearner:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.create()
    return SessionLearner(session=store)


@pytest.fixture(params=["signed_in", "anonymous"])
def learner(request, user_learner, session_learner):
    """Each test using it runs for a signed-in and for an anonymous learner."""
    return user_learner if request.param == "signed_in" else session_learner


@dataclass
class Small:
    """Two step sections (one with two topics), two electives, an extra section."""

    roadmap: Roadmap
    basics: Node  # step section with topics
    git: Node  # topic
    sql: Node  # topic
    python: Node  # step section without topics
    databases: Node  # elective section with topics
    postgres: Node  # topic in an elective section
    redis: Node  # topic in an elective section
    caching: Node  # elective section without topics
    podcasts: Node  # extra section
    pro_git: Resource  # under git
    fluent: Resource  # under python
    pg_docs: Resource  # under postgres


@pytest.fixture
def small(db) -> Small:
    roadmap = RoadmapFactory(slug="small", title="Small Roadmap")
    basics = NodeFactory(roadmap=roadmap, title="Step 0: Basics", kind="step")
    git = NodeFactory(parent=basics, title="Git")
    sql = NodeFactory(parent=basics, title="SQL")
    python = NodeFactory(roadmap=roadmap, title="Step 1: Python", kind="step")
    databases = NodeFactory(roadmap=roadmap, title="Databases", kind="elective")
    postgres = NodeFactory(parent=databases, title="PostgreSQL")
    redis = NodeFactory(parent=databases, title="Redis")
    caching = NodeFactory(roadmap=roadmap, title="Caching", kind="elective")
    podcasts = NodeFactory(roadmap=roadmap, title="Podcasts", kind="extra")
    return Small(
        roadmap=roadmap,
        basics=basics,
        git=git,
        sql=sql,
        python=python,
        databases=databases,
        postgres=postgres,
        redis=redis,
        caching=caching,
        podcasts=podcasts,
        pro_git=ResourceFactory(node=git, title="Pro Git"),
        fluent=ResourceFactory(node=python, title="Fluent Python"),
        pg_docs=ResourceFactory(node=postgres, title="PostgreSQL docs"),
    )


def big_roadmap(sections: int, topics_per_section: int, resources_per_topic: int = 1):
    """A roadmap of sections x topics (steps and electives alternate) with resources."""
    roadmap = RoadmapFactory()
    nodes, resources = [], []
    position = 0
    for s in range(sections):
        section = Node(
            roadmap=roadmap,
            node_type="section",
            kind="step" if s % 2 == 0 else "elective",
            slug=f"s{s}",
            title=f"Section {s}",
            position=position,
            line=position + 1,
        )
        section.save()
        position += 1
        nodes.append(section)
        for t in range(topics_per_section):
            nodes.append(
                Node(
                    roadmap=roadmap,
                    parent=section,
                    node_type="topic",
                    kind=section.kind,
                    slug=f"s{s}-t{t}",
                    title=f"Topic {s}.{t}",
                    position=position,
                    line=position + 1,
                )
            )
            position += 1
    topics = Node.objects.bulk_create([n for n in nodes if n.pk is None])
    for topic in topics:
        for r in range(resources_per_topic):
            resources.append(
                Resource(
                    roadmap=roadmap,
                    node=topic,
                    url=f"https://e.com/{topic.slug}/{r}",
                    link_text="R",
                    title=f"R {topic.slug}.{r}",
                    position=len(resources),
                    line=len(resources) + 1,
                )
            )
    Resource.objects.bulk_create(resources)
    return roadmap
