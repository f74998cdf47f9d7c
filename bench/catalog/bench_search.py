"""Search across roadmaps on a generated 10,000-resource roadmap, and the learner's roadmap page.

    python bench/catalog/bench_search.py                 # SQLite in a temporary data dir
    DATABASE_URL=postgres://... python bench/catalog/bench_search.py
    BENCH_RESOURCES=2000 python bench/catalog/bench_search.py

Figures (median of several runs, warm-up excluded):
- search: building a roadmap's index (cold: two queries), a query with the index in this
  process's memo, a query with the index only in Django's cache (unpickled), and, to compare,
  the same words matched with ``icontains`` in SQL (which cannot fold Persian letters);
- the roadmap page for a signed-in learner with progress: cold caches and warm, with its
  query count and size.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench" / "roadmap_md")]
os.environ.setdefault("LEARNMAP_DATA_DIR", tempfile.mkdtemp(prefix="learnmap-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import generate_roadmap  # noqa: E402

from learnmap.catalog import search, services  # noqa: E402
from learnmap.catalog.models import Node, Resource, Roadmap  # noqa: E402
from learnmap.catalog.selectors import catalog_search  # noqa: E402
from learnmap.learning.models import NodeProgress  # noqa: E402

QUERIES = ("django", "python testing", "پایتون", "ramalho", "docker kubernetes security")
RUNS = 7


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def line(label: str, value: str) -> None:
    print(f"{label:<58} {value}")


def main() -> None:
    n = int(os.environ.get("BENCH_RESOURCES", "10000"))
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # pages name hashed files
    Roadmap.objects.filter(slug="bench").delete()
    services.roadmap_import(source=generate_roadmap(n), slug="bench")
    roadmap = Roadmap.objects.get(slug="bench")
    nodes = Node.objects.filter(roadmap=roadmap).count()
    print(
        f"# {n} resources, {nodes} nodes; {connection.vendor}; Python {sys.version.split()[0]}; "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )

    def cold_build():
        search._memo.clear()
        cache.delete(search.index_cache_key(roadmap))
        catalog_search(query="django")

    line("search: index build + query (cold)", f"{median_ms(cold_build, 3):8.1f} ms")
    for query in QUERIES:
        results = catalog_search(query=query)
        line(
            f"search {query!r} (warm, {results.total} hits)",
            f"{median_ms(lambda q=query: catalog_search(query=q)):8.2f} ms",
        )

    def from_shared_cache():
        search._memo.clear()
        catalog_search(query="django")

    line(
        "search: index from Django's cache (another process)",
        f"{median_ms(from_shared_cache):8.1f} ms",
    )

    def icontains():
        condition = Q()
        for field in ("title", "author", "description", "node__title"):
            condition |= Q(**{f"{field}__icontains": "django"})
        list(Resource.objects.filter(roadmap=roadmap).filter(condition).values_list("id"))

    line("compare: SQL icontains on 4 fields (no ranking)", f"{median_ms(icontains):8.1f} ms")

    # The roadmap page for a signed-in learner with progress on every other node.
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"email": "bench@example.com"}
    )
    NodeProgress.objects.filter(user=user).delete()
    NodeProgress.objects.bulk_create(
        [
            NodeProgress(user=user, node=node, state="done")
            for node in Node.objects.filter(roadmap=roadmap, retired_at__isnull=True)[::2]
        ]
    )
    client = Client()
    client.force_login(user)
    url = f"/r/{roadmap.slug}/"

    def cold_page():
        cache.clear()
        client.get(url)

    line("roadmap page, signed in (cold caches)", f"{median_ms(cold_page, 3):8.1f} ms")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    size = f"{len(queries)} queries, {len(response.content) // 1024} KB"
    line(f"roadmap page, signed in (warm: {size})", f"{median_ms(lambda: client.get(url)):8.1f} ms")
    anonymous = Client()
    line(
        "roadmap page, anonymous (cached bytes)", f"{median_ms(lambda: anonymous.get(url)):8.1f} ms"
    )
    etag = anonymous.get(url)["ETag"]
    line(
        "roadmap page, anonymous revalidation (304)",
        f"{median_ms(lambda: anonymous.get(url, HTTP_IF_NONE_MATCH=etag)):8.2f} ms",
    )


if __name__ == "__main__":
    main()
