"""Large roadmaps in the seed's style (``content/python-backend.md``), of an exact shape, for the
scale test (``test_scale.py``) and ``bench/scale``.

``large_roadmap(Shape(sections=100, topics=17, resources=50))`` is a roadmap of 100 sections, each
with 17 topics (``- ### Name``), each with 50 resources under kind labels (``- **Book**``),
tagged ``(English)``/``(Persian)`` and ``(Free)``/``(Paid)``: 85,000 resources in ~4.5 MB, under
the import's 5 MB cap. The first sections are ordered steps ("Step N: ..."), the others
electives under "Hands-on Experience", as in the seed. The same shape always gives the same
text.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("Book", "Video", "Course", "Documentation", "Website", "Platform", "Article")
WORDS = ("Python", "Django", "SQL", "Redis", "Docker", "Linux", "Testing", "Caching", "APIs")
STEPS = 4  # ordered sections first, then the electives


@dataclass(frozen=True)
class Shape:
    """How many sections, topics per section and resources per topic a roadmap has."""

    sections: int
    topics: int
    resources: int

    @property
    def section_count(self) -> int:
        """Its sections, "Hands-on Experience" (after the steps) and "Contribution"."""
        return self.sections + (1 if self.sections > STEPS else 0) + 1

    @property
    def topic_count(self) -> int:
        return self.sections * self.topics

    @property
    def resource_count(self) -> int:
        return self.sections * self.topics * self.resources


# The sizes the audit measured: the seed's 85 resources, awesome-go's ~3,000, and 85,000.
SIZES = {
    85: Shape(sections=5, topics=1, resources=17),
    3_000: Shape(sections=20, topics=10, resources=15),
    85_000: Shape(sections=100, topics=17, resources=50),
}


def large_roadmap(shape: Shape, *, title: str = "Scale Test Roadmap") -> str:
    """The Markdown of a roadmap of this shape (see the module docstring)."""
    lines = [f"# {title}", "", "A generated roadmap, as large as a maintainer may make one.", ""]
    number = 0
    for s in range(shape.sections):
        word = WORDS[s % len(WORDS)]
        if s == STEPS:
            lines += ["## Hands-on Experience", ""]
            lines += ["The following topics don't have any order or priority of learning.", ""]
        lines += [f"## Step {s}: {word}" if s < STEPS else f"## {word} {s}", ""]
        for t in range(shape.topics):
            lines += [f"- ### {word} {s}.{t}", "  "]
            for r in range(shape.resources):
                if r % 10 == 0:
                    lines.append(f"  - **{KINDS[(r // 10) % len(KINDS)]}**")
                language = "Persian" if number % 5 == 0 else "English"
                price = " (Paid)" if number % 3 == 0 else " (Free)" if number % 3 == 1 else ""
                lines.append(f"    - [{word} {number}](https://e.io/{number}) ({language}){price}")
                number += 1
            lines.append("")
    lines += ["## Contribution", "", "Feel free to contribute and add more resources.", ""]
    return "\n".join(lines)
