"""The large-roadmap generator that the benchmarks (parse, catalog import) rely on."""

from __future__ import annotations

import pytest

from bench.roadmap_md.generate import generate_roadmap
from learnmap.roadmap_md import lint, parse, render


@pytest.mark.parametrize("count", [0, 1, 7, 1000])
def test_exact_number_of_resources(count: int) -> None:
    text = generate_roadmap(count)
    doc = parse(text)
    assert render(doc) == text
    assert len(doc.resources) == count


def test_deterministic_and_seeded() -> None:
    assert generate_roadmap(50, seed=3) == generate_roadmap(50, seed=3)
    assert generate_roadmap(50, seed=3) != generate_roadmap(50, seed=4)


def test_looks_like_the_seed() -> None:
    doc = parse(generate_roadmap(2000, seed=1))
    assert [s.step for s in doc.steps] == [0, 1, 2, 3]
    assert doc.electives_start == "hands-on-experience"
    assert {s.kind for s in doc.sections} == {"step", "text", "elective", "extra"}
    assert {r.kind for r in doc.resources} > {"Book", "Video"}
    assert any(r.level for r in doc.resources)
    assert any("Persian" in r.languages for r in doc.resources)
    assert not [i for i in lint(doc) if i.severity == "error"]
