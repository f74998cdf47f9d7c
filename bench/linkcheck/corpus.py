"""The benchmark corpus: a Markdown roadmap of 2,000 links over 8 fake hosts, with the truth.

Every link's behaviour is written in its query string (see tests/linkcheck/fakehosts.py),
so the truth is known by construction. Latencies are log-uniform within each host's
range (10-500 ms over the corpus) and stable per URL.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tests.linkcheck.fakehosts import HostSpec

RATE = 20.0  # the rate-limited host's requests per second

HOSTS = [
    HostSpec("fast"),
    HostSpec("slow"),
    HostSpec("nohead", head_status=405),  # refuses HEAD
    HostSpec("redirects"),
    HostSpec("wall"),  # bot walls: 401/403/999
    HostSpec("flaky"),  # 5xx, resets, hangs, 429s: transient and not
    HostSpec("limited", rate=RATE, burst=RATE, retry_after=1),
    HostSpec("refused", closed=True),
]
# The rate-limited host is reached as "localhost" (still 127.0.0.1): lychee keys its
# per-host limits and backoff by host name, not port, and should not slow the 7 others.
HOSTNAMES = {"limited": "localhost"}
LATENCY_MS = {
    "fast": (10, 60),
    "slow": (150, 500),
    "nohead": (10, 200),
    "redirects": (10, 100),
    "wall": (10, 100),
    "flaky": (10, 150),
    "limited": (10, 40),
    "refused": (0, 0),
}

# (host, how many, truth, query parameters); a port placeholder "@{name}" in `r` is
# replaced by that host's port (a cross-host redirect).
PLAN: list[tuple[str, int, str, dict[str, str]]] = [
    ("fast", 360, "ok", {}),
    ("fast", 25, "dead", {"s": "404"}),
    ("fast", 15, "dead", {"s": "410"}),
    ("slow", 100, "ok", {}),
    ("slow", 10, "dead", {"s": "404"}),
    ("nohead", 250, "ok", {}),
    ("nohead", 20, "dead", {"s": "404"}),
    ("nohead", 10, "dead", {"s": "410"}),
    ("redirects", 50, "ok", {}),
    ("redirects", 40, "moved", {"r": "301"}),
    ("redirects", 20, "moved", {"r": "301.301"}),
    ("redirects", 10, "moved", {"r": "301.302"}),
    ("redirects", 20, "moved", {"r": "308"}),
    ("redirects", 30, "ok", {"r": "302"}),
    ("redirects", 20, "ok", {"r": "307.302"}),
    ("redirects", 10, "ok", {"r": "302.301"}),
    ("redirects", 20, "dead", {"loop": "a"}),
    ("redirects", 15, "dead", {"r": "302", "s": "404"}),
    ("redirects", 10, "dead", {"r": "301.302", "s": "410"}),
    ("redirects", 30, "moved", {"r": "301@{fast}"}),
    ("redirects", 20, "ok", {"r": "302@{nohead}"}),
    ("redirects", 5, "error", {"r": ".".join(["302"] * 11)}),  # more than 10 redirects
    ("wall", 130, "blocked", {"s": "403"}),
    ("wall", 10, "blocked", {"s": "401"}),
    ("wall", 10, "blocked", {"s": "999"}),
    ("flaky", 230, "ok", {}),
    ("flaky", 20, "ok", {"fail": "1"}),  # transient 503
    ("flaky", 10, "ok", {"fail": "2"}),
    ("flaky", 8, "error", {"s": "500"}),
    ("flaky", 4, "error", {"fail": "99"}),  # 503 for good
    ("flaky", 10, "ok", {"reset": "1"}),  # transient reset
    ("flaky", 5, "error", {"reset": "99"}),
    ("flaky", 2, "timeout", {"hang": "1"}),
    ("flaky", 10, "ok", {"limit": "1", "ra": "1"}),  # one 429, Retry-After: 1
    ("flaky", 3, "rate-limited", {"limit": "99", "ra": "1"}),
    ("flaky", 8, "dead", {"s": "404"}),
    ("limited", 280, "ok", {}),
    ("limited", 15, "dead", {"s": "404"}),
    ("limited", 5, "dead", {"s": "410"}),
    ("refused", 50, "dead", {}),
]
DUPLICATES = 100  # extra lines repeating a link (half with a #fragment): 2,000 lines


@dataclass(frozen=True)
class Link:
    url: str
    truth: str
    host: str


def build(ports: dict[str, int], seed: int = 2026) -> tuple[list[Link], list[str]]:
    """(the unique links with their truth, the 2,000 link lines' URLs in file order)."""
    rng = random.Random(seed)
    links: list[Link] = []
    for host, count, truth, params in PLAN:
        low, high = LATENCY_MS[host]
        for _ in range(count):
            query = {
                key: value.format(**{name: str(port) for name, port in ports.items()})
                for key, value in params.items()
            }
            if high and "hang" not in query:
                query["d"] = str(round(math.exp(rng.uniform(math.log(low), math.log(high)))))
            hostname = HOSTNAMES.get(host, "127.0.0.1")
            path = f"/{host}/{len(links)}"
            url = f"http://{hostname}:{ports[host]}{path}?{urlencode(query)}".rstrip("?")
            links.append(Link(url, truth, host))
    lines = [link.url for link in links]
    for number in range(DUPLICATES):
        url = rng.choice(links).url
        lines.append(url + (f"#part-{number}" if number % 2 else ""))
    rng.shuffle(lines)
    return links, lines


def write_markdown(lines: list[str], path: Path) -> None:
    out = ["# A benchmark roadmap", "", "Generated; every link's behaviour is in its URL.", ""]
    for number, url in enumerate(lines):
        if number % 50 == 0:
            out += ["", f"## Topic {number // 50 + 1}", ""]
        out.append(f"- [Resource {number + 1}]({url}) - a resource worth reading.")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def floor_seconds(links: list[Link], *, timeout: float, retries: int) -> dict[str, float]:
    """The corpus's own lower bound on wall time, whatever the checker: the rate-limited
    host's requests (one per URL) at its rate, or the slowest chain of timeouts."""
    limited = sum(1 for link in links if link.host == "limited")
    by_rate = limited / RATE
    by_timeouts = (retries + 1) * timeout if any(lk.truth == "timeout" for lk in links) else 0.0
    return {"rate_limit": by_rate, "timeouts": by_timeouts, "floor": max(by_rate, by_timeouts)}
