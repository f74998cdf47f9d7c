"""Any sequence of accepted proposals (new resources, edits, removals), on the seed and on the
real awesome lists of ../shared/corpus, leaves Markdown that the parser reads back to exactly
the catalog intended, and that differs from the file before only on the lines changed."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.contributions import services
from learnmap.core.errors import ApplicationError
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "seed": ROOT / "content" / "python-backend.md",
    "awesome-django": ROOT.parent / "shared" / "corpus" / "awesome-django.md",
    "awesome-python": ROOT.parent / "shared" / "corpus" / "awesome-python.md",
}
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
TITLES = st.lists(WORDS, min_size=1, max_size=4).map(lambda w: " ".join(w).capitalize())
OPS = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "remove"]), st.integers(0, 10**6), TITLES),
    min_size=1,
    max_size=4,
)


@pytest.fixture(params=sorted(FILES))
def roadmap(request, db) -> Roadmap:
    path = FILES[request.param]
    if not path.exists():
        pytest.skip(f"{path} is not here")
    catalog_services.roadmap_import(source=path.read_text(encoding="utf-8"), slug=request.param)
    return Roadmap.objects.get(slug=request.param)


def _catalog(roadmap) -> dict[str, tuple]:
    rows = Resource.objects.filter(roadmap=roadmap, retired_at=None)
    return {str(r.key): (r.node.key, r.title, r.url) for r in rows.select_related("node")}


@settings(
    max_examples=8,  # 40 each passed here (1.5 min); CI keeps to a few seconds
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_accepted_proposals_write_exactly_the_intended_catalog(roadmap, ops):
    author, moderator = UserFactory(), UserFactory(is_staff=True)
    note(repr(ops))
    with transaction.atomic():
        before = catalog_services.roadmap_export(slug=roadmap.slug)
        intended = _catalog(roadmap)
        touched_urls: set[str] = set()
        for n, (op, pick, title) in enumerate(ops):
            active = list(
                Resource.objects.filter(roadmap=roadmap, retired_at=None).order_by("position")
            )
            nodes = list(Node.objects.filter(roadmap=roadmap, retired_at=None).order_by("position"))
            if op == "add" or not active:
                node = nodes[pick % len(nodes)]
                url = f"https://example.org/proposal-{n}-{pick}"
                proposal = services.proposal_create(
                    author=author,
                    kind="add_resource",
                    node_key=node.key,
                    fields={"title": title, "url": url},
                )
                change = services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
                intended[change.operation["resource"]] = (node.key, title, url)
                touched_urls.add(url)
                continue
            resource = active[pick % len(active)]
            touched_urls.add(resource.url)
            if op == "edit":
                if title == resource.title:
                    continue  # nothing to change
                proposal = services.proposal_create(
                    author=author,
                    kind="edit_resource",
                    resource_key=resource.key,
                    fields={"title": title},
                    reason="a better title",
                )
                services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
                intended[str(resource.key)] = (resource.node.key, title, resource.url)
            else:
                try:
                    proposal = services.proposal_create(
                        author=author,
                        kind="remove_resource",
                        resource_key=resource.key,
                        reason="gone",
                    )
                except ApplicationError as refused:  # others nested under it: refused
                    assert "nested under it" in refused.message
                    continue
                services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
                del intended[str(resource.key)]

        after = catalog_services.roadmap_export(slug=roadmap.slug)
        # The parser reads back exactly the intended catalog (the import ran on ``after``).
        assert _catalog(roadmap) == intended
        # Only the lines of the resources touched changed (and labels or blank lines).
        old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
            if tag == "equal":
                continue
            for line in old[i1:i2] + new[j1:j2]:
                assert (
                    not line.strip()
                    or line.lstrip().startswith("- **")
                    or any(url in line for url in touched_urls)
                ), line
        transaction.set_rollback(True)
