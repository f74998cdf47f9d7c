"""Identity through edits, in figures: a learner marks every section, topic and resource of the
seed (``content/python-backend.md``); each of a set of everyday edits (renames with and
without resources, moves, URL tidying, retitles) is imported on a fresh copy; the figure is how
many of the learner's marks are still on the map afterwards (on an active row).

    .venv/bin/python bench/catalog/bench_identity.py

Prints one line an edit, then "marks kept N/M over K edits" and the same for the marks on the
items the edits changed (retitled, relinked, or gone from the map). Before the rules of issue
13: marks kept 1377/1386 over 11 edits (9 lost, every one on an edited item).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("LEARNMAP_DATA_DIR", tempfile.mkdtemp(prefix="learnmap-bench-identity-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from learnmap.catalog import services  # noqa: E402
from learnmap.catalog.models import Node, Resource, Roadmap  # noqa: E402
from learnmap.learning.models import NodeProgress, ResourceProgress  # noqa: E402

SEED = (ROOT / "content" / "python-backend.md").read_text(encoding="utf-8")
SLUG = "bench-identity"


def move(text: str, title: str, before: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.index("\n## ", start) + 1
    block, text = text[start:end], text[:start] + text[end:]
    at = text.index(f"## {before}\n")
    return text[:at] + block + text[at:]


# (what a maintainer did, the edited text, pinned renames)
EDITS = [
    (
        "'Caching' renamed 'Caching Strategies'",
        SEED.replace("## Caching\n", "## Caching Strategies\n"),
        [],
    ),
    (
        "'Container Platforms' renamed",
        SEED.replace("## Container Platforms\n", "## Docker and Kubernetes\n"),
        [],
    ),
    (
        "'Git' topic renamed 'Version Control with Git'",
        SEED.replace("- ### Git\n", "- ### Version Control with Git\n"),
        [],
    ),
    (
        "two neighbours renamed (Message Brokers, Web Servers)",
        SEED.replace("## Message Brokers\n", "## Event Streaming\n").replace(
            "## Web Servers\n", "## HTTP Front Ends\n"
        ),
        [],
    ),
    (
        "two neighbours renamed in other words (Distributed, Reactive)",
        SEED.replace("## Distributed Systems\n", "## Distributed Computing\n").replace(
            "## Reactive Systems\n", "## Reactive Programming\n"
        ),
        [],
    ),
    (
        "two neighbours renamed, one pinned (--rename)",
        SEED.replace("## Where to Go Next?\n", "## Further Reading\n").replace(
            "## Who to Follow Then?\n", "## People Worth Following\n"
        ),
        ["Where to Go Next?=Further Reading"],
    ),
    ("'Security' moved before 'Databases'", move(SEED, "Security", before="Databases"), []),
    (
        "a resource retitled, its URL without the trailing slash",
        SEED.replace(
            "[Docker Tutorial by Ahmad Rafiee](https://dockerme.ir/category/video/)",
            "[Docker Video Lessons by Ahmad Rafiee](https://dockerme.ir/category/video)",
        ),
        [],
    ),
    (
        "a resource retitled, utm parameters and a fragment added",
        SEED.replace(
            "[Docker in Action, Second Edition](https://www.manning.com/books/docker-in-action-second-edition)",
            "[Docker in Action (2nd ed.)](https://manning.com/books/docker-in-action-second-edition"
            "?utm_source=roadmap&utm_medium=readme#contents)",
        ),
        [],
    ),
    (
        "a resource retitled, its link on http://WWW. with the default port",
        SEED.replace(
            "[OWASP Top 10](https://owasp.org/www-project-top-ten/)",
            "[OWASP Top Ten](http://WWW.owasp.org:80/www-project-top-ten)",
        ),
        [],
    ),
    (
        "a line inserted near the top",
        SEED.replace(
            "# Python Backend Engineer Roadmap\n", "# Python Backend Engineer Roadmap\n\nEdited.\n"
        ),
        [],
    ),
]


def snapshot() -> dict:
    """Each item's key: what a person reads of it (its title, a resource's link too)."""
    nodes = Node.objects.filter(roadmap__slug=SLUG, retired_at=None).values_list("key", "title")
    links = Resource.objects.filter(roadmap__slug=SLUG, retired_at=None).values_list(
        "key", "title", "url"
    )
    return {key: rest for key, *rest in (*nodes, *links)}


def touched_kept(before: dict, after: dict) -> tuple[int, int]:
    """Of the marked items the edit changed (retitled, relinked, or gone from the map), how
    many are still on the map with their mark: (kept, touched)."""
    touched = [key for key, seen in before.items() if after.get(key) != seen]
    return sum(1 for key in touched if key in after), len(touched)


def marks_on_map(user) -> int:
    nodes = NodeProgress.objects.filter(user=user, node__roadmap__slug=SLUG, node__retired_at=None)
    links = ResourceProgress.objects.filter(
        user=user, resource__roadmap__slug=SLUG, resource__retired_at=None
    )
    return nodes.count() + links.count()


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username="bench-identity")
    kept_total = marks_total = edited_total = edited_kept_total = 0
    started = time.perf_counter()
    for label, text, renames in EDITS:
        Roadmap.objects.filter(slug=SLUG).delete()
        services.roadmap_import(source=SEED, slug=SLUG)
        NodeProgress.objects.bulk_create(
            NodeProgress(user=user, node=n, state="done")
            for n in Node.objects.filter(roadmap__slug=SLUG)
        )
        ResourceProgress.objects.bulk_create(
            ResourceProgress(user=user, resource=r)
            for r in Resource.objects.filter(roadmap__slug=SLUG)
        )
        marks = marks_on_map(user)
        before = snapshot()
        try:
            services.roadmap_import(
                source=text, slug=SLUG, **({"renames": renames} if renames else {})
            )
        except TypeError:  # an import without pins (before --rename existed)
            services.roadmap_import(source=text, slug=SLUG)
        kept = marks_on_map(user)
        edited_kept, edited = touched_kept(before, snapshot())
        kept_total, marks_total = kept_total + kept, marks_total + marks
        edited_total, edited_kept_total = edited_total + edited, edited_kept_total + edited_kept
        print(f"{kept:4d}/{marks:<4d} (on edited items {edited_kept}/{edited})  {label}")
    elapsed = time.perf_counter() - started
    print(
        f"marks kept {kept_total}/{marks_total} over {len(EDITS)} edits; on the items the edits "
        f"changed {edited_kept_total}/{edited_total} ({elapsed:.1f} s)"
    )


if __name__ == "__main__":
    main()
