"""Link-checker benchmark: Learnmap's checker against lychee, markdown-link-check and
LinkChecker on the same 2,000-link roadmap, served by 8 fake hosts on 127.0.0.1.

    bench/linkcheck/setup_tools.sh        # once: lychee, LinkChecker, markdown-link-check
    .venv/bin/python bench/linkcheck/bench_linkcheck.py [--tools learnmap,lychee] [--out DIR]

Each tool runs in its own process against freshly reset hosts (--repeat times, median;
the two slow tools once). The bench measures wall time and peak RSS (wait4), reads each
tool's report and compares it with the truth the corpus was built with (corpus.py). It
prints a Markdown table: wall time, links/s, peak MB, the ratio to the corpus floor,
false "dead" (reported dead, but a person can open the page), missed dead, and what the
hosts saw (peak concurrent requests on one host, requests, 429s). A missing tool is
skipped. Targets for Learnmap: no false dead, no missed dead, faster than tuned lychee,
under 150 MB, within 1.5x of the floor (the rate-limited host's URLs at its rate, or the
slowest chain of timeouts, whichever is larger).
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(HERE)]

from corpus import HOSTS, Link, build, floor_seconds, write_markdown  # noqa: E402

from tests.linkcheck.fakehosts import FakeHosts  # noqa: E402

PER_HOST = 4
TIMEOUT = 3
RETRIES = 2
VENV_BIN = Path(sys.executable).parent
NODE_DIR = Path(os.environ.get("LEARNMAP_BENCH_NODE", Path.home() / ".cache/learnmap-bench/node"))
ACCEPT_CODES = [200, 201, 202, 203, 204, 206, 401, 403, 429, 999]  # not "dead" for any tool


# -- the fake hosts, in their own process ---------------------------------------------


def _serve_hosts(conn) -> None:  # type: ignore[no-untyped-def]
    hosts = FakeHosts(HOSTS).start()
    conn.send({spec.name: hosts.port(spec.name) for spec in HOSTS})
    while True:
        command = conn.recv()
        if command == "reset":
            hosts.reset()
            conn.send(True)
        elif command == "stats":
            conn.send(
                {
                    spec.name: {
                        "max_active": hosts.stats(spec.name).max_active,
                        "requests": hosts.stats(spec.name).count(),
                        "connections": hosts.stats(spec.name).connections,
                        "429s": hosts.stats(spec.name).statuses[429],
                    }
                    for spec in HOSTS
                }
            )
        else:
            hosts.stop()
            conn.send(True)
            return


class HostsProcess:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_hosts, args=(child,), daemon=True)
        self._process.start()
        self.ports: dict[str, int] = self._conn.recv()

    def call(self, command: str):  # type: ignore[no-untyped-def]
        self._conn.send(command)
        return self._conn.recv()

    def close(self) -> None:
        self.call("stop")
        self._process.join(10)


# -- the tools --------------------------------------------------------------------------


@dataclass
class Tool:
    name: str
    command: Callable[[Path, Path], list[str]]  # (markdown, work dir) -> argv
    flagged: Callable[[Path, str], dict[str, str]]  # (work dir, stdout) -> url -> verdict
    binary: str
    cap_s: float = 600.0
    note: str = ""
    once: bool = False  # a run takes minutes: run it once, not --repeat times


@dataclass
class Run:
    tool: str
    wall_s: float = 0.0
    peak_mb: float = 0.0
    exit: int | None = None
    walls: list[float] = field(default_factory=list)  # every repetition's wall time
    verdicts: dict[str, str] = field(default_factory=dict)  # url -> tool's verdict
    dead: set[str] = field(default_factory=set)  # urls the tool reports broken
    server: dict = field(default_factory=dict)
    skipped: str = ""


def _learnmap_cmd(md: Path, work: Path) -> list[str]:
    return [
        sys.executable,
        str(HERE / "learnmap_check.py"),
        str(md),
        "--out",
        str(work / "learnmap.json"),
        f"--per-host={PER_HOST}",
        f"--timeout={TIMEOUT}",
        f"--retries={RETRIES}",
    ]


def _learnmap_read(work: Path, stdout: str) -> dict[str, str]:
    data = json.loads((work / "learnmap.json").read_text())
    return {item["url"]: item["class"] for item in data["results"]}


def _lychee_cmd(name: str, host_concurrency: int) -> Callable[[Path, Path], list[str]]:
    def command(md: Path, work: Path) -> list[str]:
        return [
            str(_binary("lychee")),
            "--no-progress",
            "--format=json",
            f"--output={work / name}.json",
            "--max-concurrency=64",
            f"--host-concurrency={host_concurrency}",
            "--host-request-interval=0ms",
            f"--timeout={TIMEOUT}",
            f"--max-retries={RETRIES}",
            "--retry-wait-time=1",
            "--max-redirects=10",
            "--accept=100..=103,200..=299,401,403,429,999",
            str(md),
        ]

    return command


def _lychee_read(name: str) -> Callable[[Path, str], dict[str, str]]:
    def read(work: Path, stdout: str) -> dict[str, str]:
        data = json.loads((work / f"{name}.json").read_text())
        verdicts: dict[str, str] = {}
        for key in ("error_map", "timeout_map"):
            for items in data.get(key, {}).values():
                for item in items:
                    verdicts[item["url"]] = "dead"
        return verdicts

    return read


def _mlc_cmd(md: Path, work: Path) -> list[str]:
    config = work / "mlc.json"
    config.write_text(
        json.dumps(
            {
                "timeout": f"{TIMEOUT}s",
                "retryOn429": True,
                "retryCount": RETRIES,
                "fallbackRetryDelay": "1s",
                "aliveStatusCodes": ACCEPT_CODES,
            }
        )
    )
    return [str(_binary("markdown-link-check")), "-c", str(config), str(md)]


_MLC_LINE = re.compile(r"^\s*\[(✓|✖|/)\] (\S+)")


def _mlc_read(work: Path, stdout: str) -> dict[str, str]:
    verdicts = {}
    for line in stdout.splitlines():
        match = _MLC_LINE.match(line)
        if match:
            verdicts[match.group(2)] = "dead" if match.group(1) == "✖" else "alive"
    return verdicts


def _linkchecker_cmd(md: Path, work: Path) -> list[str]:
    config = work / "linkcheckerrc"
    config.write_text(
        f"[checking]\nthreads={PER_HOST * len(HOSTS)}\ntimeout={TIMEOUT}\n"
        "maxrequestspersecond=100\n[filtering]\ncheckextern=1\n[MarkdownCheck]\n"
    )
    config.chmod(0o644)
    return [
        str(_binary("linkchecker")),
        "-f",
        str(config),
        "--no-robots",
        "--check-extern",
        "-r1",
        "-ocsv",
        "--no-status",
        str(md),
    ]


def _linkchecker_read(work: Path, stdout: str) -> dict[str, str]:
    rows = [line for line in stdout.splitlines(keepends=True) if not line.startswith("#")]
    verdicts = {}
    for row in csv.DictReader(rows, delimiter=";"):
        if row.get("parentname"):
            verdicts[row["urlname"]] = "alive" if row["valid"] == "True" else "dead"
    return verdicts


def _binary(name: str) -> Path | None:
    for candidate in (VENV_BIN / name, NODE_DIR / "node_modules/.bin" / name):
        if candidate.exists():
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


TOOLS = {
    "learnmap": Tool("learnmap", _learnmap_cmd, _learnmap_read, "python", 300),
    "lychee": Tool(
        "lychee",
        _lychee_cmd("lychee", PER_HOST * (len(HOSTS) - 1)),
        _lychee_read("lychee"),
        "lychee",
        300,
        f"--host-concurrency {PER_HOST * (len(HOSTS) - 1)}: lychee keys hosts by name, "
        "so its 7 ports on 127.0.0.1 share one limit",
    ),
    "lychee-strict": Tool(
        "lychee-strict",
        _lychee_cmd("lychee-strict", PER_HOST),
        _lychee_read("lychee-strict"),
        "lychee",
        600,
        f"--host-concurrency {PER_HOST} over the 7 ports of 127.0.0.1 together",
    ),
    "markdown-link-check": Tool(
        "markdown-link-check",
        _mlc_cmd,
        _mlc_read,
        "markdown-link-check",
        900,
        "2 requests at a time, fixed; no per-host limit",
        once=True,
    ),
    "linkchecker": Tool(
        "linkchecker",
        _linkchecker_cmd,
        _linkchecker_read,
        "linkchecker",
        900,
        f"{PER_HOST * len(HOSTS)} threads; no per-host concurrency limit, "
        "its own 0.1-0.6 s pause between requests to a host",
        once=True,
    ),
}


def run_tool(tool: Tool, md: Path, work: Path, hosts: HostsProcess) -> Run:
    run = Run(tool.name)
    if tool.binary != "python" and _binary(tool.binary) is None:
        run.skipped = "not installed (bench/linkcheck/setup_tools.sh)"
        return run
    hosts.call("reset")
    stdout_path = work / f"{tool.name}.stdout"
    argv = tool.command(md, work)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    with open(stdout_path, "w") as out, open(work / f"{tool.name}.stderr", "w") as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=work, env=env)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > tool.cap_s:
                os.kill(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                run.skipped = f"killed after {tool.cap_s:.0f} s"
                break
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    run.wall_s = time.monotonic() - started
    run.peak_mb = usage.ru_maxrss / 1024
    run.exit = process.returncode
    run.server = hosts.call("stats")
    if not run.skipped:
        run.verdicts = tool.flagged(work, stdout_path.read_text(errors="replace"))
        (work / f"{tool.name}.verdicts.json").write_text(json.dumps(run.verdicts, indent=0))
    return run


# -- scoring ----------------------------------------------------------------------------


def score(run: Run, links: list[Link]) -> dict[str, int | float | str]:
    truth = {link.url: link.truth for link in links}
    verdict = {url.split("#")[0]: value for url, value in run.verdicts.items()}
    dead = {url for url in truth if verdict.get(url) == "dead"}
    works = {"ok", "moved", "blocked", "rate-limited"}  # a person can open these
    scored: dict[str, int | float | str] = {
        "reported dead": len(dead),
        "false dead": sum(1 for url in dead if truth[url] in works),
        "dead on timeout/error": sum(1 for url in dead if truth[url] in {"timeout", "error"}),
        "missed dead": sum(1 for url, cls in truth.items() if cls == "dead" and url not in dead),
        "unreported": sum(1 for url in truth if url not in verdict),
    }
    if run.tool == "learnmap":
        scored["class mismatches"] = sum(1 for url in truth if verdict.get(url) != truth[url])
    return scored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--out", type=Path, help="keep the corpus, outputs and results here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast tool (median)")
    args = parser.parse_args()

    work = args.out or Path(tempfile.mkdtemp(prefix="linkcheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # LinkChecker drops root privileges to `nobody` and must read it
    hosts = HostsProcess()
    try:
        links, lines = build(hosts.ports)
        md = work / "roadmap.md"
        write_markdown(lines, md)
        md.chmod(0o644)
        truth = {link.url: link.truth for link in links}
        (work / "truth.json").write_text(json.dumps(truth, indent=0))
        truth_counts: dict[str, int] = {}
        for link in links:
            truth_counts[link.truth] = truth_counts.get(link.truth, 0) + 1
        floor = floor_seconds(links, timeout=TIMEOUT, retries=RETRIES)
        print(f"corpus: {len(lines)} links, {len(links)} unique, truth {truth_counts}")
        print(
            f"floor: {floor['floor']:.1f} s (rate-limited host {floor['rate_limit']:.1f} s, "
            f"slowest timeout chain {floor['timeouts']:.1f} s)",
            flush=True,
        )
        runs = []
        for name in args.tools.split(","):
            tool = TOOLS[name]
            attempts = []
            for _ in range(1 if tool.once else args.repeat):
                attempts.append(run_tool(tool, md, work, hosts))
                shown = attempts[-1].skipped or f"{attempts[-1].wall_s:.1f} s"
                print(f"  {name}: {shown}", flush=True)
                if attempts[-1].skipped:
                    break
            attempts.sort(key=lambda attempt: attempt.wall_s)
            run = attempts[len(attempts) // 2]  # the median run gives every figure
            run.walls = [attempt.wall_s for attempt in attempts]
            run.peak_mb = max(attempt.peak_mb for attempt in attempts)
            runs.append(run)
    finally:
        hosts.close()

    results = []
    for run in runs:
        row = {
            "tool": run.tool,
            "note": TOOLS[run.tool].note,
            "skipped": run.skipped,
            "wall_s": round(run.wall_s, 2),
            "walls": "/".join(f"{wall:.1f}" for wall in run.walls),
            "links_per_s": round(len(lines) / run.wall_s, 1) if run.wall_s else None,
            "peak_mb": round(run.peak_mb, 1),
            "x_floor": round(run.wall_s / floor["floor"], 2),
            "max_per_host": max(s["max_active"] for s in run.server.values())
            if run.server
            else None,
            "requests": sum(s["requests"] for s in run.server.values()) if run.server else None,
            "429s": sum(s["429s"] for s in run.server.values()) if run.server else None,
            **(score(run, links) if run.verdicts else {}),
        }
        results.append(row)
    (work / "results.json").write_text(json.dumps({"floor": floor, "runs": results}, indent=2))
    print_table(results, floor, len(lines))
    print(f"\noutputs in {work}")
    return 0


def print_table(results: list[dict], floor: dict[str, float], total: int) -> None:
    columns = [
        ("tool", "tool"),
        ("wall s", "wall_s"),
        ("runs", "walls"),
        ("links/s", "links_per_s"),
        ("peak MB", "peak_mb"),
        ("x floor", "x_floor"),
        ("false dead", "false dead"),
        ("missed dead", "missed dead"),
        ("dead on timeout/error", "dead on timeout/error"),
        ("max per host", "max_per_host"),
        ("requests", "requests"),
        ("429s", "429s"),
    ]
    print(f"\n{total} links; floor {floor['floor']:.1f} s\n")
    print("| " + " | ".join(title for title, _ in columns) + " |")
    print("|" + "---|" * len(columns))
    for row in results:
        if row["skipped"] and not row["wall_s"]:
            print(f"| {row['tool']} | {row['skipped']} |" + " |" * (len(columns) - 2))
            continue
        cells = [str(row.get(key, "")) for _, key in columns]
        print("| " + " | ".join(cells) + " |")
    for row in results:
        if row.get("class mismatches") is not None:
            print(f"\nlearnmap class mismatches against the truth: {row['class mismatches']}")
        if row["note"]:
            print(f"- {row['tool']}: {row['note']}")


if __name__ == "__main__":
    sys.exit(main())
