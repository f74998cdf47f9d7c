"""Import a generated 10,000-resource roadmap into the catalog and print the figures.

    python bench/catalog/bench_import.py                 # SQLite in a temporary data dir
    DATABASE_URL=postgres://... python bench/catalog/bench_import.py

Figures: wall time and query count of a first import, of a no-op re-import, and of a
re-import after edits (every resource retitled, a section renamed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "roadmap_md")]
os.environ.setdefault("LEARNMAP_DATA_DIR", tempfile.mkdtemp(prefix="learnmap-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import generate_roadmap  # noqa: E402

from learnmap.catalog import services  # noqa: E402
from learnmap.catalog.models import Roadmap  # noqa: E402


def timed(label: str, source: str, slug: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        report = services.roadmap_import(source=source, slug=slug)
        elapsed = time.perf_counter() - start
    print(
        f"{label:<34} {elapsed * 1000:9.0f} ms  {len(queries):4d} queries  "
        f"({report.resources} resources; +{report.links.added} ~{report.links.updated})"
    )


def main() -> None:
    n = int(os.environ.get("BENCH_RESOURCES", "10000"))
    call_command("migrate", verbosity=0)
    Roadmap.objects.filter(slug="bench").delete()
    source = generate_roadmap(n)
    vendor = connection.vendor
    print(f"catalog import benchmark: {n} resources, {len(source) / 1e6:.2f} MB, {vendor}")
    timed("first import", source, "bench")
    timed("re-import, unchanged", source, "bench")
    edited = source.replace("](https://", " (2nd ed.)](https://")
    timed("re-import, every resource retitled", edited, "bench")
    Roadmap.objects.filter(slug="bench").delete()


if __name__ == "__main__":
    main()
