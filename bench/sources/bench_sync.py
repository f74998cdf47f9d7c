"""A roadmap following a Git repository: how long a sync of the seed takes on a local bare
repository, and how it splits between git and the import.

    .venv/bin/python bench/sources/bench_sync.py [--runs 5] [--seed FILE]

Everything runs in a temporary directory: a bare "upstream", a maintainer's clone that pushes
the seed (/work/shared/seeds/python-backend-roadmap.md, else the built-in roadmap), and a
fresh data directory (SQLite). Figures (median of the runs, and the slowest):

- first sync: `sources add` (init the local clone, fetch, read, import a new roadmap);
- sync after a push changing one resource (fetch + read + re-import);
- sync with the head unchanged (fetch only, no import);
- the fetch and file read alone, then the import alone, of a changed file.
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
WORK = Path(tempfile.mkdtemp(prefix="learnmap-bench-sources-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ.setdefault("LEARNMAP_DATA_DIR", str(WORK / "data"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from learnmap.catalog.models import Roadmap  # noqa: E402
from learnmap.sources import services  # noqa: E402
from learnmap.sources.models import Source  # noqa: E402
from learnmap.sources.services.sync import source_fetch, source_import  # noqa: E402

SEED = Path("/work/shared/seeds/python-backend-roadmap.md")
GIT_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": str(WORK),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)
    return done.stdout.decode().strip()


def push(work: Path, text: str, message: str) -> None:
    (work / "README.md").write_text(text, encoding="utf-8")
    git("commit", "-qam", message, cwd=work)
    git("push", "-q", "origin", "main", cwd=work)


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.0f} ms (slowest {max(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=Path, default=SEED)
    options = parser.parse_args()
    seed = options.seed if options.seed.exists() else ROOT / "content" / "python-backend.md"
    text = seed.read_text(encoding="utf-8")
    call_command("migrate", verbosity=0)

    bare, work = WORK / "upstream.git", WORK / "work"
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", "main", str(bare)], env=GIT_ENV, check=True
    )
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], env=GIT_ENV, check=True)
    git("checkout", "-q", "-B", "main", cwd=work)
    (work / "README.md").write_text(text, encoding="utf-8")
    git("add", "README.md", cwd=work)
    git("commit", "-qm", "seed", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)

    first, changed, unchanged, fetch_read, import_only = [], [], [], [], []
    for run in range(options.runs):
        slug = f"seed-{run}"
        start = time.perf_counter()
        added = services.source_add(slug=slug, url=str(bare))
        first.append(time.perf_counter() - start)
        source = added.source
        resources = Roadmap.objects.get(slug=slug).resource_count

        # One resource's title changes upstream: fetch, read and re-import.
        text = text.replace("](https://", f" {run}](https://", 1)
        push(work, text, f"edit {run}")
        start = time.perf_counter()
        outcome = services.source_sync(source_id=source.pk)
        changed.append(time.perf_counter() - start)
        assert outcome is not None and outcome.status == "ok", outcome

        start = time.perf_counter()
        outcome = services.source_sync(source_id=source.pk)
        unchanged.append(time.perf_counter() - start)
        assert outcome is not None and outcome.status == "unchanged", outcome

        # The two halves apart, on a fresh edit.
        text = text.replace("](https://", f" b{run}](https://", 1)
        push(work, text, f"edit b{run}")
        source = Source.objects.get(pk=source.pk)
        start = time.perf_counter()
        fetched = source_fetch(source=source, slug=slug)
        fetch_read.append(time.perf_counter() - start)
        start = time.perf_counter()
        source_import(slug=slug, path=source.path, sha=fetched.sha, data=fetched.data or b"")
        import_only.append(time.perf_counter() - start)

    size = len(text.encode())
    print(
        f"Sync of {seed.name} ({size / 1024:.0f} KiB, {resources} resources) from a local bare "
        f"repository, {options.runs} runs, SQLite; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"  first sync (sources add: clone, fetch, import new)  {ms(first)}")
    print(f"  sync after a push (fetch + read + re-import)        {ms(changed)}")
    print(f"  sync, head unchanged (fetch only)                   {ms(unchanged)}")
    print(f"  of a changed file: fetch + read alone               {ms(fetch_read)}")
    print(f"  of a changed file: import alone                     {ms(import_only)}")


if __name__ == "__main__":
    main()
