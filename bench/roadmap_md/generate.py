"""Large synthetic roadmaps in the seed's style, for benchmarks (parse, catalog import).

``generate_roadmap(10_000)`` is a ~11,000-line Markdown file with ordered steps, topics
(``- ### Name``), level and kind labels, tagged resources in English and Persian, electives,
in-progress sections, podcasts and prose. The same ``seed`` always gives the same text.
"""

from __future__ import annotations

import random

from learnmap.roadmap_md.slug import Slugger

_KINDS = ("Book", "Video", "Course", "Documentation", "Website", "Platform", "Article")
_LEVELS = ("Beginner", "Intermediate", "Advanced")
_WORDS = (
    "Python",
    "Django",
    "FastAPI",
    "Flask",
    "async",
    "testing",
    "design",
    "patterns",
    "clean",
    "code",
    "databases",
    "SQL",
    "PostgreSQL",
    "Redis",
    "caching",
    "queues",
    "Docker",
    "Kubernetes",
    "Linux",
    "networking",
    "security",
    "web",
    "APIs",
    "REST",
    "GraphQL",
    "microservices",
    "architecture",
    "performance",
    "profiling",
    "deployment",
    "cloud",
)
_PERSIAN = (
    "آموزش",
    "پایتون",
    "جنگو",
    "پایگاه",
    "داده",
    "طراحی",
    "الگو",
    "برنامه",
    "نویسی",
    "وب",
    "امنیت",
    "شبکه",
)
_NAMES = (
    "Luciano Ramalho",
    "Brett Slatkin",
    "Harry Percival",
    "Jadi",
    "Mehran Tarif",
    "Alireza Ayinmehr",
    "Dan Bader",
    "Julia Evans",
    "Eric Matthes",
    "Shahriar Shariati",
)


def _title(rng: random.Random, persian: bool) -> str:
    words = _PERSIAN if persian else _WORDS
    return " ".join(rng.choice(words) for _ in range(rng.randint(2, 6))).capitalize()


def _resource(rng: random.Random, number: int, indent: str) -> str:
    persian = rng.random() < 0.25
    text = _title(rng, persian)
    if rng.random() < 0.6:
        text += f" by {rng.choice(_NAMES)}"
    url = f"https://example.com/{'fa' if persian else 'en'}/resource-{number}"
    tags = " (Persian)" if persian else " (English)"
    roll = rng.random()
    if roll < 0.45:
        tags += " (Free)"
    elif roll < 0.9:
        tags += " (Paid)"
    line = f"{indent}- [{text}]({url}){tags}"
    if rng.random() < 0.15:
        line += f" - {_title(rng, False)}."
    return line


def generate_roadmap(n_resources: int, seed: int = 0) -> str:
    """A roadmap with exactly ``n_resources`` resources (list items linking to a URL)."""
    rng = random.Random(seed)
    per_section = 200
    n_sections = max(4, -(-n_resources // per_section))
    titles = []
    for index in range(n_sections):
        name = _title(rng, rng.random() < 0.1)
        titles.append(f"Step {index}: {name}" if index < 4 else f"{name} {index}")
    slugger = Slugger()
    slugger.slug("Generated Backend Roadmap")
    lines = ["# Generated Backend Roadmap", "", "An intro paragraph for the generated roadmap.", ""]
    lines += ["<details><summary>Table of Contents</summary>", ""]
    lines += [f"- [{title}](#{slugger.slug(title)})" for title in titles]
    lines += ["", "</details>", ""]
    podcast = n_resources > 0  # one resource is the podcast at the end
    n_resources -= 1 if podcast else 0
    made = 0
    for index, title in enumerate(titles):
        if index == 4:
            lines += [
                "## Hands-on Experience",
                "",
                "The following topics don't have any order or priority of learning.",
                "",
            ]
        remaining_sections = n_sections - index
        quota = -(-(n_resources - made) // remaining_sections)
        lines += [f"## {title}", ""]
        if quota == 0:
            lines += ["(In Progress)", ""]
            continue
        if rng.random() < 0.3:
            lines += [f"Prose about {title.lower()}, to read before the resources.", ""]
        n_topics = rng.randint(2, 5)
        for topic in range(n_topics):
            share = -(-quota // (n_topics - topic))
            quota -= share
            lines += [f"- ### {_title(rng, False)} {index}.{topic}", "  "]
            groups = rng.randint(1, 3)
            for group in range(groups):
                count = -(-share // (groups - group))
                share -= count
                if count == 0:
                    continue
                if rng.random() < 0.3:
                    lines.append(f"  - **{rng.choice(_LEVELS)}**")
                    lines.append(f"    - **{rng.choice(_KINDS)}**")
                    indent = "      "
                else:
                    lines.append(f"  - **{rng.choice(_KINDS)}**")
                    indent = "    "
                for _ in range(count):
                    lines.append(_resource(rng, made, indent))
                    made += 1
            lines.append("")
    lines += ["## Podcasts", ""]
    lines += ["- [Talk Python To Me](https://talkpython.fm/)" if podcast else "(In Progress)"]
    lines += ["", "## Contribution", "", "Feel free to contribute and add more resources.", ""]
    return "\n".join(lines)
