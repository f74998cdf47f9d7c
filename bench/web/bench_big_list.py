"""A big list's learner pages: their HTML size and what a warm (cached) view costs.

    .venv/bin/python bench/web/bench_big_list.py
    BENCH_REQUESTS=200 .venv/bin/python bench/web/bench_big_list.py
    DATABASE_URL=postgres://... .venv/bin/python bench/web/bench_big_list.py

Two generated roadmaps of ~3,000 resources are imported into a throwaway database (SQLite
unless ``DATABASE_URL``), then each page is asked for in this process (Django's test client,
through the whole middleware stack: no network, no server):

- ``roadmap``: ``tests/catalog/large_roadmap.py`` at ``SIZES[3000]`` (the seed's style: 20
  sections of 10 topics of 15 resources);
- ``flat``: an awesome-list-style file of the same size (awesome-go's shape: sections of
  resources and no topics, one section holding 1,000 of them), generated here.

For each page, as an anonymous visitor (a first visit each time: no cookies) and as a
signed-in learner who marked some resources done: the bytes of the HTML, the first (cold)
request, and the median and 99th percentile of ``BENCH_REQUESTS`` (50) warm ones.

Targets (issue 12): the roadmap page under 150 KB, any resources page (all resources, a node
page) under 300 KB, and a warm view under 50 ms. Before (2026-12-03): the roadmap page 353 KB;
the all-resources page ~4 MB at 0.7-1.3 s a request (as the issue measured it).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="learnmap-biglist-"))
os.environ["LEARNMAP_DATA_DIR"] = str(DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from learnmap.catalog import services  # noqa: E402
from learnmap.catalog.models import Node, Resource, Roadmap  # noqa: E402
from learnmap.learning import services as learning_services  # noqa: E402
from learnmap.learning.learners import UserLearner  # noqa: E402
from tests.catalog.large_roadmap import SIZES, large_roadmap  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
BUDGET_SECONDS = float(os.environ.get("BENCH_BUDGET_SECONDS", "10"))
LIMITS_KB = {"roadmap page": 150}  # everything else: a resources page
RESOURCES_LIMIT_KB = 300
WARM_LIMIT_MS = 50.0


def flat_list(*, sections: int = 21, big: int = 1_000, each: int = 100) -> str:
    """An awesome-list-style file: a title, sections of ``- [Name](url) - Description.``
    items (no topics), the first section holding ``big`` resources, the others ``each``."""
    lines = ["# Awesome Big", "", "A curated list of many things.", ""]
    number = 0
    for s in range(sections):
        lines += [f"## Things {s}", "", f"Libraries for things of kind {s}.", ""]
        for _ in range(big if s == 0 else each):
            lines.append(
                f"- [thing-{number}](https://github.com/someone/thing-{number}) - "
                f"A library that does thing {number} well, fast and in pure Go."
            )
            number += 1
        lines.append("")
    return "\n".join(lines)


def addresses(slug: str) -> list[tuple[str, str]]:
    roadmap = Roadmap.objects.get(slug=slug)
    nodes = Node.objects.filter(roadmap=roadmap, retired_at=None).order_by("position")
    topic = nodes.filter(node_type="topic").first()
    # the section with the most resources of its own (the flat list's big one), else the first
    sections = sorted(
        nodes.filter(node_type="section"),
        key=lambda n: -Resource.objects.filter(node=n, retired_at=None).count(),
    )
    pages = [
        ("roadmap page", f"/r/{slug}/"),
        ("all resources", f"/r/{slug}/resources/"),
        ("all resources, page 2", f"/r/{slug}/resources/?page=2"),
        ("all resources, filtered", f"/r/{slug}/resources/?language=English"),
        ("node page: a section", f"/r/{slug}/n/{sections[0].slug}/"),
    ]
    if topic is not None:
        pages.append(("node page: a topic", f"/r/{slug}/n/{topic.slug}/"))
    return pages


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(client: Client, address: str, *, fresh: bool) -> tuple[int, float, list[float], int]:
    """The page's bytes, the cold request's ms, the warm ones' ms, and the status code."""
    start = time.perf_counter()
    response = client.get(address)
    cold = (time.perf_counter() - start) * 1000
    size = len(response.content)
    warm: list[float] = []
    spent = 0.0
    while len(warm) < REQUESTS and (spent < BUDGET_SECONDS or len(warm) < 3):
        if fresh:
            client.cookies.clear()  # every request a first visit
        start = time.perf_counter()
        response = client.get(address)
        elapsed = time.perf_counter() - start
        warm.append(elapsed * 1000)
        spent += elapsed
    return size, cold, warm, response.status_code


def learner_client(slug: str) -> Client:
    """A signed-in learner who marked every 7th resource of ``slug`` done."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=f"bench-{slug}")
    learner = UserLearner(user=user)
    keys = Resource.objects.filter(roadmap__slug=slug).order_by("position")
    for resource in keys[::7][:200]:
        learning_services.resource_progress_set(learner=learner, resource=resource, done=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def bench_roadmap(label: str, slug: str, source: str) -> None:
    Roadmap.objects.filter(slug=slug).delete()
    report = services.roadmap_import(source=source, slug=slug)
    count = Resource.objects.filter(roadmap__slug=slug, retired_at=None).count()
    print(
        f"\n## {label}: {count:,} resources, {report.sections} sections, {report.topics} topics "
        f"({len(source.encode()) / 1e3:.0f} KB of Markdown)"
    )
    print(
        f"{'':<26} {'who':<9} {'status':>6} {'KB':>7} {'cold ms':>9} {'median ms':>10} "
        f"{'p99 ms':>8} {'n':>4}  verdict"
    )
    who = {"anonymous": Client(HTTP_HOST="localhost"), "learner": learner_client(slug)}
    for name, address in addresses(slug):
        for person, client in who.items():
            size, cold, warm, status = measure(client, address, fresh=person == "anonymous")
            median, p99 = statistics.median(warm), percentile(warm, 0.99)
            limit = LIMITS_KB.get(name, RESOURCES_LIMIT_KB)
            verdict = (
                f"{'ok' if size / 1000 < limit else 'OVER'} < {limit} KB, "
                f"{'ok' if median < WARM_LIMIT_MS else 'SLOW'} < {WARM_LIMIT_MS:.0f} ms"
            )
            print(
                f"{name:<26} {person:<9} {status:>6} {size / 1000:>7.1f} {cold:>9.1f} "
                f"{median:>10.2f} {p99:>8.2f} {len(warm):>4}  {verdict}"
            )


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"# big-list pages: {connection.vendor}, Python {sys.version.split()[0]}, "
        f"{len(os.sched_getaffinity(0))} cores, {REQUESTS} warm requests a page "
        f"(at most {BUDGET_SECONDS:.0f} s), data in {DATA_DIR}"
    )
    bench_roadmap("roadmap (large_roadmap SIZES[3000])", "big", large_roadmap(SIZES[3000]))
    bench_roadmap("flat (awesome-list style)", "flat", flat_list())


if __name__ == "__main__":
    main()
