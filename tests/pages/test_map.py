"""The map: steps in order on one path, electives branching from the hub the roadmap names,
extras aside; every node a keyboard-reachable link; mirrored for right-to-left languages."""

from __future__ import annotations

import re
import uuid

import pytest

from learnmap.learning import map as roadmap_map
from learnmap.learning.map import NodeMark, map_build, map_svg, wrap
from tests.pages.conftest import text_of


def rows():
    """A small roadmap as ``catalog.selectors.node_outline`` returns it."""
    spec = [
        # id, parent, type, kind, slug, title, in_progress, resources
        (1, None, "section", "step", "s0", "Step 0: Basics", False, 0),
        (2, 1, "topic", "step", "git", "Git", False, 2),
        (3, 1, "topic", "step", "sql", "SQL", False, 0),
        (4, None, "section", "step", "s1", "Step 1: Python", False, 3),
        (5, None, "section", "text", "hands-on", "Hands-on Experience", False, 0),
        (6, None, "section", "elective", "db", "Databases", False, 1),
        (7, 6, "topic", "elective", "pg", "PostgreSQL", False, 1),
        (8, None, "section", "elective", "cache", "Caching", True, 0),
        (9, None, "section", "extra", "pods", "Podcasts", False, 2),
        (10, None, "section", "text", "thanks", "Contribution", False, 0),
    ]
    return [
        {
            "id": i,
            "key": uuid.UUID(int=i),
            "parent_id": parent,
            "node_type": node_type,
            "kind": kind,
            "slug": slug,
            "title": title,
            "step": None,
            "in_progress": in_progress,
            "position": i,
            "resource_count": resources,
        }
        for i, parent, node_type, kind, slug, title, in_progress, resources in spec
    ]


@pytest.fixture
def built():
    return map_build(rows=rows(), electives_start="hands-on")


def marks(built, **states):
    return {
        item.id: NodeMark(
            state=states.get(item.slug, "not_started"),
            url=f"/n/{item.slug}/",
            label=f"{item.title}: {states.get(item.slug, 'not started')}",
        )
        for item in built.items
    }


def svg(built, *, rtl=False, **states) -> str:
    return str(
        map_svg(
            roadmap_map=built,
            marks=marks(built, **states),
            rtl=rtl,
            title="Map",
            group_labels={"electives": "Electives", "extras": "Extras"},
        )
    )


def centre(page: str, slug: str) -> tuple[float, float]:
    link = re.search(rf'<a [^>]*id="map-{slug}"[^>]*>(.*?)</a>', page, re.S).group(1)
    found = re.search(
        r'<(?:circle|path) class="map-dot[^"]*" '
        r'(?:cx="([\d.]+)" cy="([\d.]+)"|d="M([\d.]+) ([\d.]+))',
        link,
    )
    x = found.group(1) or found.group(3)
    y = found.group(2) or found.group(4)
    return float(x), float(y)


def test_groups_follow_the_roadmap(built):
    assert built.steps == (1, 4)
    assert built.hub == 5
    assert built.electives == (6, 8)
    assert built.extras == (9,)
    assert built.others == (10,)
    assert built.item(8).needs_resources  # "(In Progress)"
    assert built.item(3).needs_resources  # no resources
    assert not built.item(1).needs_resources  # its topics have some


def test_steps_form_one_path_in_order_then_the_hub_then_the_electives(built):
    page = svg(built)
    s0, git, s1, hub, db, pods = (
        centre(page, s) for s in ("s0", "git", "s1", "hands-on", "db", "pods")
    )

    assert s0[0] == s1[0] == hub[0]  # one vertical path
    assert s0[1] < git[1] < s1[1] < hub[1] < db[1] < pods[1]
    assert git[0] > s0[0]  # topics hang off the path
    # The path joins consecutive stations, and branches from the hub into the electives.
    assert page.count('class="map-line map-line--path"') == 2
    assert "map-frame--electives" in page and "map-frame--extras" in page
    assert "Contribution" not in page  # prose sections are not on the map


def test_every_node_is_a_link_in_reading_order(built):
    page = svg(built, git="done")

    links = re.findall(
        r'<a class="[^"]*" id="map-([^"]+)" href="([^"]+)" aria-label="([^"]+)">', page
    )
    assert [slug for slug, _h, _l in links] == [
        "s0",
        "git",
        "sql",
        "s1",
        "hands-on",
        "db",
        "pg",
        "cache",
        "pods",
    ]
    assert ("git", "/n/git/", "Git: done") in links


def test_states_are_told_by_icon_not_colour_alone(built):
    page = svg(built, git="done", sql="in_progress", s1="skipped")

    assert "map-node--done" in page and 'class="map-icon"' in page
    assert 'class="map-half"' in page
    assert 'class="map-icon map-icon--skip"' in page
    assert page.count("map-node--needs-resources") == 2  # SQL and Caching
    assert 'class="map-card-hatch"' in page  # Caching's card


def test_a_done_step_walks_its_part_of_the_path(built):
    assert "map-line--walked" not in svg(built)
    assert "map-line--walked" in svg(built, s0="done")


def test_right_to_left_mirrors_every_x(built):
    ltr, rtl = svg(built), svg(built, rtl=True)

    for slug in ("s0", "git", "db", "pods"):
        (x1, y1), (x2, y2) = centre(ltr, slug), centre(rtl, slug)
        assert y1 == y2
        assert x1 + x2 == pytest.approx(roadmap_map.WIDTH)
    assert 'direction="rtl"' in rtl
    # An English label on a right-to-left page keeps its own direction and is anchored at
    # its end, so it grows away from the path (leftwards).
    assert re.search(
        r'<text class="map-label map-label--step" direction="ltr" text-anchor="end">', rtl
    )
    assert re.search(
        r'<text class="map-label map-label--step" direction="ltr" text-anchor="start">', ltr
    )


def test_persian_labels_anchor_by_their_own_direction():
    data = rows()
    data[1]["title"] = "گیت"
    built = map_build(rows=data, electives_start="hands-on")

    assert re.search(r'direction="rtl" text-anchor="start"><tspan[^>]*>گیت', svg(built, rtl=True))
    assert re.search(r'direction="rtl" text-anchor="end"><tspan[^>]*>گیت', svg(built))


def test_titles_are_escaped_and_long_ones_wrapped_with_the_full_title_kept():
    data = rows()
    data[1]["title"] = "<script>alert(1)</script> " + "and a very long title " * 6
    built = map_build(rows=data, electives_start="hands-on")

    page = svg(built)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;" in page  # the untruncated title, for a tooltip
    assert "…" in page


def test_wrap():
    assert wrap("Availability & Reliability", 124, 13, True, 3) == (
        ["Availability &", "Reliability"],
        False,
    )
    lines, cut = wrap("word " * 40, 100, 13, False, 2)
    assert len(lines) == 2 and cut and lines[1].endswith("…")


def test_without_a_hub_the_electives_branch_from_the_last_step():
    built = map_build(rows=rows(), electives_start="")

    assert built.hub is None
    assert 5 in built.others
    page = svg(built)
    assert centre(page, "db")[1] > centre(page, "s1")[1]
    assert "map-line map-line--branch" in page


@pytest.mark.django_db
def test_the_seed_map_on_its_page(client, seed):
    page = text_of(client.get("/r/python-backend/"))

    assert page.count('id="map-step-') == 4
    assert 'id="map-hands-on-experience"' in page
    assert 'aria-label="Hands-on Experience: where the electives start"' in page
    assert 'aria-label="Podcasts: extra, not started"' in page
    assert 'aria-describedby="outline-title"' in page
