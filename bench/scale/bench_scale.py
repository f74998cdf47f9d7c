"""What an anonymous visitor's requests cost as the catalog grows: a generated roadmap of 85,
3,000 and 85,000 resources (``tests/catalog/large_roadmap.py``) imported into a throwaway
SQLite database, then each address asked for warm, in this process (Django's test client
through the whole middleware stack: no network, no server).

    .venv/bin/python bench/scale/bench_scale.py
    BENCH_REQUESTS=200 .venv/bin/python bench/scale/bench_scale.py
    BENCH_SIZES=85000 BENCH_SERVE=0 .venv/bin/python bench/scale/bench_scale.py
    DATABASE_URL=postgres://... .venv/bin/python bench/scale/bench_scale.py

Per size: the import's wall time, then per address the first (cold) request and the median
and 99th percentile of ``BENCH_REQUESTS`` (100) warm ones (fewer when an address takes more
than ``BENCH_BUDGET_SECONDS`` (10) in all). Target (issue 9): ``/``, ``/api/v1/roadmaps``,
``/healthz`` and the roadmap page under 100 ms warm at 85,000 resources; the other addresses
are printed to show which ones still grow with the catalog.

Then, unless ``BENCH_SERVE=0``: ``learnmap serve --workers 2`` on the 85,000-resource catalog,
``BENCH_CLIENTS`` (4) clients looping on ``/api/v1/roadmaps`` for ``BENCH_SECONDS`` (10) while
another times ``/healthz`` (the audit: it timed out for 3 minutes).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="learnmap-scale-"))
os.environ["LEARNMAP_DATA_DIR"] = str(DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
# Searches are rate limited per address; this bench asks one address hundreds of times.
os.environ.setdefault("API_RATE_SEARCH_PER_IP", "1000000/m")
os.environ.setdefault("API_RATE_SEARCH_PER_CALLER", "1000000/m")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from learnmap.catalog import services  # noqa: E402
from learnmap.catalog.models import Node, Roadmap  # noqa: E402
from tests.catalog.large_roadmap import SIZES, large_roadmap  # noqa: E402

SLUG = "scale"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
BUDGET_SECONDS = float(os.environ.get("BENCH_BUDGET_SECONDS", "10"))
TARGET_MS = 100.0
TARGETED = {"/", "/api/v1/roadmaps", "/healthz", f"/r/{SLUG}/"}
LEARNMAP = Path(sys.executable).with_name("learnmap")


def addresses() -> list[tuple[str, str]]:
    """(label, address) of what an anonymous visitor can ask for."""
    roadmap = Roadmap.objects.get(slug=SLUG)
    section = Node.objects.filter(roadmap=roadmap, node_type="section").order_by("position")[1]
    topic = Node.objects.filter(roadmap=roadmap, node_type="topic").order_by("position")[1]
    last_page = -(-roadmap.resource_count // 100)
    return [
        ("home page", "/"),
        ("API: roadmap list", "/api/v1/roadmaps"),
        ("health check", "/healthz"),
        ("roadmap page", f"/r/{SLUG}/"),
        ("roadmap page, a query string", f"/r/{SLUG}/?utm=1"),
        ("node page: a topic", f"/r/{SLUG}/n/{topic.slug}/"),
        ("node page: a section", f"/r/{SLUG}/n/{section.slug}/"),
        ("API: tree (whole roadmap)", f"/api/v1/roadmaps/{SLUG}"),
        ("API: Markdown", f"/api/v1/roadmaps/{SLUG}/markdown"),
        ("API: resources, page 1", f"/api/v1/resources?roadmap={SLUG}&page_size=100"),
        (
            "API: resources, last page",
            f"/api/v1/resources?roadmap={SLUG}&page_size=100&page={last_page}",
        ),
        ("API: resources, all roadmaps", "/api/v1/resources?page_size=100"),
        ("API: resources, filtered", f"/api/v1/resources?roadmap={SLUG}&price=paid&kind=Book"),
        ("API: resources, searched", f"/api/v1/resources?roadmap={SLUG}&q=django"),
        ("API: search", "/api/v1/search?q=django"),
        ("search page", "/search/?q=django"),
        ("all resources page", f"/r/{SLUG}/resources/"),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(address: str) -> tuple[float, list[float], int]:
    """The cold request's ms, the warm ones' ms, and the status code."""
    client = Client(HTTP_HOST="localhost")
    start = time.perf_counter()
    response = client.get(address)
    cold = (time.perf_counter() - start) * 1000
    warm: list[float] = []
    spent = 0.0
    while len(warm) < REQUESTS and (spent < BUDGET_SECONDS or len(warm) < 3):
        client.cookies.clear()  # every request a first visit
        start = time.perf_counter()
        response = client.get(address)
        elapsed = time.perf_counter() - start
        warm.append(elapsed * 1000)
        spent += elapsed
    return cold, warm, response.status_code


def bench_size(n: int) -> None:
    Roadmap.objects.filter(slug=SLUG).delete()
    source = large_roadmap(SIZES[n])
    start = time.perf_counter()
    report = services.roadmap_import(source=source, slug=SLUG)
    imported = time.perf_counter() - start
    print(
        f"\n## {n:,} resources ({report.sections} sections, {report.topics} topics, "
        f"{len(source.encode()) / 1e6:.2f} MB): import {imported:.1f} s"
    )
    print(f"{'':<32} {'status':>6} {'cold ms':>9} {'median ms':>10} {'p99 ms':>9} {'n':>4}")
    for label, address in addresses():
        cold, warm, status = measure(address)
        median, p99 = statistics.median(warm), percentile(warm, 0.99)
        verdict = ""
        if address in TARGETED and n == max(SIZES):
            verdict = f"  < {TARGET_MS:.0f} ms: {'met' if p99 < TARGET_MS else 'MISSED'}"
        print(
            f"{label:<32} {status:>6} {cold:>9.1f} {median:>10.2f} {p99:>9.2f} {len(warm):>4}"
            + verdict
        )


def bench_serve() -> None:
    """learnmap serve on this catalog: clients loop on the API's list while /healthz is timed."""
    clients = int(os.environ.get("BENCH_CLIENTS", "4"))
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    log = DATA_DIR / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(LEARNMAP), "serve", "--port", str(port), "--workers", "2", "--setup", "always"],
            env=env,
            cwd=DATA_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"learnmap serve did not start:\n{log.read_text()}")
            try:
                httpx.get(f"{site}/healthz", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.25)
        stop = threading.Event()
        counts = [0] * clients
        errors = [0] * clients

        def loop(index: int) -> None:
            with httpx.Client(base_url=site, timeout=30) as http:
                while not stop.is_set():
                    try:
                        ok = http.get("/api/v1/roadmaps").status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    counts[index] += 1
                    errors[index] += 0 if ok else 1

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        health: list[float] = []
        failures = 0
        end = time.monotonic() + seconds
        with httpx.Client(base_url=site, timeout=5) as http:
            while time.monotonic() < end:
                start = time.perf_counter()
                try:
                    failures += http.get("/healthz").status_code != 200
                except httpx.HTTPError:
                    failures += 1
                health.append((time.perf_counter() - start) * 1000)
                time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    done = sum(counts)
    print(
        f"\n## learnmap serve --workers 2, {clients} clients looping on /api/v1/roadmaps for "
        f"{seconds:.0f} s: {done / seconds:,.0f} req/s, {sum(errors)} errors"
    )
    print(
        f"/healthz meanwhile: {len(health)} requests, median {statistics.median(health):.1f} ms, "
        f"p99 {percentile(health, 0.99):.1f} ms, max {max(health):.1f} ms, {failures} failed"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "85,3000,85000").split(",")]
    print(
        f"# scale bench: {connection.vendor}, Python {sys.version.split()[0]}, "
        f"{len(os.sched_getaffinity(0))} cores, {REQUESTS} warm requests per address "
        f"(at most {BUDGET_SECONDS:.0f} s), data in {DATA_DIR}"
    )
    for n in sizes:
        bench_size(n)
    if os.environ.get("BENCH_SERVE", "1") != "0" and LEARNMAP.exists():
        bench_serve()


if __name__ == "__main__":
    main()
