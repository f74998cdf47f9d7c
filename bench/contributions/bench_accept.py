"""Accepting a proposal on a large roadmap: the whole transaction (the Markdown edited in the
file's style, re-imported into the catalog, the history and the audit written), on a generated
roadmap of 3,000 resources (``tests/catalog/large_roadmap.py``) in a throwaway SQLite database,
in this process. Then the next anonymous view of the roadmap page, which must be the new one.

    .venv/bin/python bench/contributions/bench_accept.py
    BENCH_ROUNDS=20 .venv/bin/python bench/contributions/bench_accept.py
    DATABASE_URL=postgres://... .venv/bin/python bench/contributions/bench_accept.py

Target (issue 11): an accept under 200 ms on SQLite, and the next page view shows the change.
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ["LEARNMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="learnmap-bench-accept-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
# One author makes every proposal here; the daily quota of a real account does not apply.
os.environ["LEARNMAP_PROPOSALS_PER_DAY"] = "1000000"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from learnmap.catalog import services as catalog_services  # noqa: E402
from learnmap.catalog.models import Node  # noqa: E402
from learnmap.contributions import services  # noqa: E402
from tests.catalog.large_roadmap import SIZES, large_roadmap  # noqa: E402

SLUG = "bench-accept"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
TARGET_MS = 200.0


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    # Then set up like a server process: the WSGI module loads every view and freezes the
    # start-up heap (see ``learnmap.config.wsgi``).
    importlib.import_module("learnmap.config.wsgi")
    shape = SIZES[3000]
    catalog_services.roadmap_import(source=large_roadmap(shape), slug=SLUG)
    users = get_user_model().objects
    author = users.create_user("author", "author@example.com", "a-long-passphrase-for-bench")
    moderator = users.create_user("mod", "mod@example.com", "a-long-passphrase-for-bench")
    moderator.is_staff = True
    moderator.save()
    topics = list(Node.objects.filter(roadmap__slug=SLUG, node_type="topic").order_by("position"))
    page = Client(HTTP_HOST="127.0.0.1")
    assert page.get(f"/r/{SLUG}/").status_code == 200  # cached before the change

    timings, seen = [], 0
    for n in range(ROUNDS):
        node = topics[(n * 37) % len(topics)]
        title = f"Benchmarked Resource {n}"
        proposal = services.proposal_create(
            author=author,
            kind="add_resource",
            node_key=node.key,
            fields={"title": title, "url": f"https://example.org/bench/{n}", "kind": "Book"},
        )
        started = time.perf_counter()
        services.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
        timings.append((time.perf_counter() - started) * 1000)
        html = page.get(f"/r/{SLUG}/n/{node.slug}/").content.decode()
        seen += title in html

    median = statistics.median(timings)
    print([round(t) for t in timings])
    print(
        f"# {connection.vendor}, a roadmap of {shape.resource_count:,} resources, "
        f"{ROUNDS} accepts (a new resource each)"
    )
    print(
        f"accept: median {median:.0f} ms, max {max(timings):.0f} ms "
        f"(target < {TARGET_MS:.0f} ms: {'met' if median < TARGET_MS else 'NOT met'})"
    )
    print(f"next page view shows the new resource: {seen}/{ROUNDS}")


if __name__ == "__main__":
    main()
