"""Identity through edits: a maintainer's everyday edits of the seed keep every learner's mark
on the item a person would call "the same", and the dry run (``roadmap_import_plan``) says in
advance what an import will add, retire and match by which rule.

Each edit is applied to the seed (``content/python-backend.md``) after a learner marked items;
"on the map" means an active row under the new title carries the learner's mark."""

from __future__ import annotations

import pytest

from learnmap.catalog import services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.core.errors import ApplicationError
from learnmap.learning import selectors as learning_selectors
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLUG = "python-backend"


@pytest.fixture
def seed(seed_text) -> str:
    services.roadmap_import(source=seed_text, slug=SLUG)
    return seed_text


@pytest.fixture
def learner(db) -> UserLearner:
    return UserLearner(user=UserFactory())


def node(title: str) -> Node:
    return Node.objects.get(roadmap__slug=SLUG, title=title, retired_at__isnull=True)


def resource(title: str) -> Resource:
    return Resource.objects.get(roadmap__slug=SLUG, title=title, retired_at__isnull=True)


def marks_on_map(learner) -> dict[str, str]:
    """What the learner sees marked on the map: active items' titles and the mark."""
    roadmap = Roadmap.objects.get(slug=SLUG)
    state = learning_selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
    marks = {}
    for key, title in Node.objects.filter(roadmap=roadmap, retired_at__isnull=True).values_list(
        "key", "title"
    ):
        if key in state.node_states:
            marks[title] = state.node_states[key]
    for key, title in Resource.objects.filter(roadmap=roadmap, retired_at__isnull=True).values_list(
        "key", "title"
    ):
        if key in state.resources_done:
            marks[title] = "done"
    return marks


def rule_of(plan, title: str) -> str | None:
    for item in (*plan.nodes.matched, *plan.resources.matched):
        if item.title == title:
            return item.rule
    return None


# --- renames without resources to go by -------------------------------------------------------


def test_caching_renamed_caching_strategies_keeps_its_key_and_the_learners_mark(seed, learner):
    caching = node("Caching")
    learning_services.elective_set(learner=learner, node=caching, chosen=True)
    learning_services.progress_set(learner=learner, node=caching, state="in_progress")
    edited = seed.replace("## Caching\n", "## Caching Strategies\n")

    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    assert rule_of(plan, "Caching Strategies") == "title-words"
    assert plan.nodes.retired == [] and plan.nodes.added == []

    services.roadmap_import(source=edited, slug=SLUG)
    assert node("Caching Strategies").key == caching.key
    assert marks_on_map(learner) == {"Caching Strategies": "in_progress"}


def test_a_section_whose_resources_live_in_its_topics_keeps_its_identity(seed, learner):
    containers = node("Container Platforms")
    learning_services.progress_set(learner=learner, node=containers, state="done")
    edited = seed.replace("## Container Platforms\n", "## Docker and Kubernetes\n")

    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    assert rule_of(plan, "Docker and Kubernetes") == "urls"

    services.roadmap_import(source=edited, slug=SLUG)
    assert node("Docker and Kubernetes").key == containers.key
    assert marks_on_map(learner) == {"Docker and Kubernetes": "done"}


# --- resources: URL tidying -------------------------------------------------------------------


def test_a_retitled_resource_whose_url_lost_its_trailing_slash_keeps_its_identity(seed, learner):
    rafiee = Resource.objects.get(url="https://dockerme.ir/category/video/")
    learning_services.resource_progress_set(learner=learner, resource=rafiee, done=True)
    edited = seed.replace(
        "[Docker Tutorial by Ahmad Rafiee](https://dockerme.ir/category/video/)",
        "[Docker Video Lessons by Ahmad Rafiee](https://dockerme.ir/category/video)",
    )
    services.roadmap_import(source=edited, slug=SLUG)
    assert resource("Docker Video Lessons").key == rafiee.key
    assert marks_on_map(learner) == {"Docker Video Lessons": "done"}


def test_tracking_parameters_www_and_http_do_not_change_a_resource(seed, learner):
    action = resource("Docker in Action, Second Edition")
    head_first = Resource.objects.get(title__startswith="Head First Design Patterns")
    for item in (action, head_first):
        learning_services.resource_progress_set(learner=learner, resource=item, done=True)
    edited = seed.replace(
        "[Docker in Action, Second Edition](https://www.manning.com/books/docker-in-action-second-edition)",
        "[Docker in Action (2nd ed.)](https://manning.com/books/docker-in-action-second-edition"
        "?utm_source=roadmap&utm_medium=readme#contents)",
    ).replace(
        "[Head First Design Patterns: Building Extensible and Maintainable Object-Oriented "
        "Software](https://www.amazon.com/Head-First-Design-Patterns-Object-Oriented/dp/149207800X)",
        "[Head First Design Patterns](http://WWW.Amazon.com:80/Head-First-Design-Patterns-Object-"
        "Oriented/dp/149207800X/?fbclid=abc&gclid=x)",
    )
    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    assert plan.resources.added == [] and plan.resources.retired == []

    services.roadmap_import(source=edited, slug=SLUG)
    assert resource("Docker in Action (2nd ed.)").key == action.key
    assert resource("Head First Design Patterns").key == head_first.key
    assert marks_on_map(learner) == {
        "Docker in Action (2nd ed.)": "done",
        "Head First Design Patterns": "done",
    }


# --- moves and neighbours ---------------------------------------------------------------------


def move_section(text: str, title: str, before: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.index("\n## ", start) + 1
    block = text[start:end]
    text = text[:start] + text[end:]
    at = text.index(f"## {before}\n")
    return text[:at] + block + text[at:]


def test_a_section_moved_to_another_place_keeps_its_identity_and_is_no_update(seed, learner):
    security = node("Security")
    learning_services.progress_set(learner=learner, node=security, state="done")
    owasp = resource("OWASP Top 10")
    learning_services.resource_progress_set(learner=learner, resource=owasp, done=True)
    edited = move_section(seed, "Security", before="Databases")

    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    assert (plan.nodes.added, plan.nodes.retired, plan.nodes.updated) == ([], [], [])
    report = services.roadmap_import(source=edited, slug=SLUG)
    assert report.nodes.updated == 0 and report.links.updated == 0
    assert node("Security").key == security.key
    assert node("Security").position < node("Databases").position
    assert marks_on_map(learner) == {"Security": "done", "OWASP Top 10": "done"}


def test_a_node_renamed_and_its_neighbour_too(seed, learner):
    brokers, servers = node("Message Brokers"), node("Web Servers")
    for item in (brokers, servers):
        learning_services.progress_set(learner=learner, node=item, state="in_progress")
    edited = seed.replace("## Message Brokers\n", "## Event Streaming\n").replace(
        "## Web Servers\n", "## HTTP Front Ends\n"
    )
    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    # Web Servers' resources live in its topics (Nginx, Apache); Message Brokers has nothing
    # but its place: the only unmatched section between two matched ones.
    assert rule_of(plan, "HTTP Front Ends") == "urls"
    assert rule_of(plan, "Event Streaming") == "neighbours"

    services.roadmap_import(source=edited, slug=SLUG)
    assert node("Event Streaming").key == brokers.key
    assert node("HTTP Front Ends").key == servers.key
    assert marks_on_map(learner) == {
        "Event Streaming": "in_progress",
        "HTTP Front Ends": "in_progress",
    }


def test_two_neighbours_renamed_in_other_words_share_words_with_their_old_titles(seed, learner):
    distributed, reactive = node("Distributed Systems"), node("Reactive Systems")
    learning_services.progress_set(learner=learner, node=distributed, state="done")
    learning_services.progress_set(learner=learner, node=reactive, state="skipped")
    edited = seed.replace("## Distributed Systems\n", "## Distributed Computing\n").replace(
        "## Reactive Systems\n", "## Reactive Programming\n"
    )
    services.roadmap_import(source=edited, slug=SLUG)
    assert node("Distributed Computing").key == distributed.key
    assert node("Reactive Programming").key == reactive.key
    assert marks_on_map(learner) == {
        "Distributed Computing": "done",
        "Reactive Programming": "skipped",
    }


# --- pinned renames ---------------------------------------------------------------------------

FURTHER = ("## Where to Go Next?\n", "## Further Reading\n")
PEOPLE = ("## Who to Follow Then?\n", "## People Worth Following\n")


def test_a_pinned_rename_pairs_what_the_rules_miss(seed, learner):
    where, who = node("Where to Go Next?"), node("Who to Follow Then?")
    learning_services.progress_set(learner=learner, node=where, state="done")
    learning_services.progress_set(learner=learner, node=who, state="done")
    edited = seed.replace(*FURTHER).replace(*PEOPLE)

    # Two neighbours renamed in other words: the rules cannot tell, and say what is lost.
    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    retired = {item.title: item.marks for item in plan.nodes.retired}
    assert retired == {"Where to Go Next?": 1, "Who to Follow Then?": 1}

    # One pin, and the other is the only unmatched section between matched ones.
    renames = ["Where to Go Next?=Further Reading"]
    plan = services.roadmap_import_plan(source=edited, slug=SLUG, renames=renames)
    assert plan.nodes.retired == [] and plan.nodes.added == []
    assert rule_of(plan, "Further Reading") == "pinned"
    assert rule_of(plan, "People Worth Following") == "neighbours"

    services.roadmap_import(source=edited, slug=SLUG, renames=renames)
    assert node("Further Reading").key == where.key
    assert node("People Worth Following").key == who.key
    assert marks_on_map(learner) == {"Further Reading": "done", "People Worth Following": "done"}


@pytest.mark.parametrize(
    ("pin", "named"),
    [
        ("Where to Go Later?=Further Reading", "'Where to Go Later?'"),
        ("Where to Go Next?=Furthest Reading", "'Furthest Reading'"),
        ("Where to Go Next?", "Old title=New title"),
    ],
)
def test_a_pin_naming_a_title_that_is_on_neither_side_is_refused(seed, pin, named):
    before = list(Node.objects.order_by("id").values())
    edited = seed.replace(*FURTHER)
    for dry_run in (True, False):
        call = services.roadmap_import_plan if dry_run else services.roadmap_import
        with pytest.raises(ApplicationError) as caught:
            call(source=edited, slug=SLUG, renames=[pin])
        assert named in caught.value.message
    assert list(Node.objects.order_by("id").values()) == before


# --- items that come back ---------------------------------------------------------------------


def test_an_item_removed_then_restored_brings_the_mark_back(seed, learner):
    caching = node("Caching")
    owasp = resource("OWASP Top 10")
    learning_services.progress_set(learner=learner, node=caching, state="done")
    learning_services.resource_progress_set(learner=learner, resource=owasp, done=True)
    owasp_line = "- [OWASP Top 10](https://owasp.org/www-project-top-ten/) (English) (Free)\n"
    removed = seed.replace("## Caching\n\n(In Progress)\n\n", "").replace(owasp_line, "")

    plan = services.roadmap_import_plan(source=removed, slug=SLUG)
    assert [(i.title, i.marks) for i in plan.nodes.retired] == [("Caching", 1)]
    assert [(i.title, i.marks) for i in plan.resources.retired] == [("OWASP Top 10", 1)]
    services.roadmap_import(source=removed, slug=SLUG)
    assert marks_on_map(learner) == {}

    # Restored, with its link tidied on the way back: the same rows, and the marks with them.
    restored = seed.replace(
        "(https://owasp.org/www-project-top-ten/)",
        "(https://owasp.org/www-project-top-ten?utm_source=readme)",
    )
    plan = services.roadmap_import_plan(source=restored, slug=SLUG)
    assert [i.title for i in plan.nodes.restored] == ["Caching"]
    assert [i.title for i in plan.resources.restored] == ["OWASP Top 10"]
    services.roadmap_import(source=restored, slug=SLUG)
    assert node("Caching").key == caching.key
    assert resource("OWASP Top 10").key == owasp.key
    assert marks_on_map(learner) == {"Caching": "done", "OWASP Top 10": "done"}


# --- the plan is what the import does ---------------------------------------------------------


def test_the_dry_run_writes_nothing_and_the_import_does_what_it_said(seed, learner):
    learning_services.progress_set(learner=learner, node=node("Podcasts"), state="done")
    edited = (
        seed.replace("## Caching\n", "## Caching Strategies\n")
        .replace("## Podcasts\n\n- [Django Chat](https://djangochat.com/)\n", "## Podcasts\n\n")
        .replace("## Security\n", "## Security\n\n- [New Link](https://new.example/)\n")
    )
    before = (
        list(Roadmap.objects.values()),
        list(Node.objects.order_by("id").values()),
        list(Resource.objects.order_by("id").values()),
    )
    plan = services.roadmap_import_plan(source=edited, slug=SLUG)
    assert before == (
        list(Roadmap.objects.values()),
        list(Node.objects.order_by("id").values()),
        list(Resource.objects.order_by("id").values()),
    )
    report = services.roadmap_import(source=edited, slug=SLUG)
    assert len(plan.resources.added) == report.links.added == 1
    assert len(plan.resources.retired) == report.links.retired + report.links.deleted == 1
    assert len(plan.nodes.updated) == report.nodes.updated == 1
    assert report.plan.nodes.matched == plan.nodes.matched
