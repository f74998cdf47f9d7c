"""Sending accepted changes back: what a roadmap's Git source adds to a moderator's accept,
and how long the background sync that commits and pushes the change takes.

    .venv/bin/python bench/sources/bench_changes.py [--runs 10]

In a temporary directory: a bare "upstream" holding the built-in python-backend roadmap, a
fresh data directory (SQLite). Figures (median of the runs, and the slowest):

- accept of a new resource, the roadmap following no repository;
- the same accept, the roadmap following the repository with push allowed (the change is
  recorded with the Markdown; the git work is queued, not run);
- the queued sync: fetch, commit the change to learnmap/changes, push it;
- the patch of every change not upstream (git format-patch).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src")]
WORK = Path(tempfile.mkdtemp(prefix="learnmap-bench-changes-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ.setdefault("LEARNMAP_DATA_DIR", str(WORK / "data"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from learnmap.accounts.models import User  # noqa: E402
from learnmap.catalog import services as catalog_services  # noqa: E402
from learnmap.catalog.models import Node  # noqa: E402
from learnmap.contributions import services as contributions  # noqa: E402
from learnmap.sources import services  # noqa: E402

SEED = ROOT / "content" / "python-backend.md"
GIT_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": str(WORK),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (slowest {max(values) * 1000:.1f})"


def accept_one(slug: str, n: int, learner: User, moderator: User) -> float:
    node = Node.objects.get(roadmap__slug=slug, slug="caching")
    proposal = contributions.proposal_create(
        author=learner,
        kind="add_resource",
        node_key=node.key,
        fields={"title": f"Cache {n}", "url": f"https://example.org/cache-{n}", "cost": "free"},
        reason="bench",
    )
    start = time.perf_counter()
    contributions.proposal_accept(proposal_id=proposal.pk, moderator=moderator)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    text = SEED.read_text(encoding="utf-8")
    bare, work = WORK / "upstream.git", WORK / "work"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=WORK)
    git("clone", "-q", str(bare), str(work), cwd=WORK)
    git("checkout", "-q", "-B", "main", cwd=work)
    (work / "README.md").write_text(text, encoding="utf-8")
    git("add", "README.md", cwd=work)
    git("commit", "-qm", "seed", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)

    learner = User.objects.create(username="ada", first_name="Ada", last_name="Lovelace")
    moderator = User.objects.create(username="grace", is_staff=True)
    catalog_services.roadmap_import(source=text, slug="plain")
    source = services.source_add(slug="followed", url=str(bare), push_allowed=True).source

    plain, followed, synced = [], [], []
    for n in range(options.runs):
        plain.append(accept_one("plain", n, learner, moderator))
        followed.append(accept_one("followed", n, learner, moderator))
        start = time.perf_counter()
        services.source_sync(source_id=source.pk)  # what the queued task does
        synced.append(time.perf_counter() - start)
    start = time.perf_counter()
    _name, patch = services.changes_patch(slug="followed")
    patch_time = time.perf_counter() - start

    print(
        f"Accepted changes sent back, {SEED.name} ({len(text.encode()) / 1024:.0f} KiB), "
        f"{options.runs} runs, SQLite; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"  accept, no repository                          {ms(plain)}")
    print(f"  accept, following a repository (git queued)    {ms(followed)}")
    print(f"  the queued sync: fetch, commit, push           {ms(synced)}")
    print(
        f"  patch of {options.runs} commits ({len(patch) / 1024:.0f} KiB)          "
        f"{patch_time * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
