"""The site under load: wrk against ``learnmap serve`` on loopback, beside nginx serving the
same page's bytes as a static file in the same run.

    .venv/bin/python bench/web/bench_web.py          # needs Debian's wrk and nginx
    BENCH_SECONDS=30 BENCH_CONNECTIONS=64 .venv/bin/python bench/web/bench_web.py
    DATABASE_URL=postgres://... .venv/bin/python bench/web/bench_web.py
    BENCH_DATA_DIR=/tmp/lm-bench .venv/bin/python bench/web/bench_web.py   # keep the data dir
                                                     # (and its collected static files) between runs

``apt-get install wrk nginx-light`` first; without them the bench says so and measures nothing.

What it measures, each after a warm-up, with ``wrk --latency`` (requests/s and the 99th
percentile), ``BENCH_CONNECTIONS`` connections (64) for ``BENCH_SECONDS`` (10):

- nginx: the anonymous roadmap page's bytes as a static file (the ceiling on this machine);
- the anonymous roadmap page (a first visit: no cookies, so a new CSRF cookie every time);
- a signed-in learner's roadmap page (their session cookie; progress on the roadmap);
- a progress change: the htmx POST a click on a state button sends (CSRF token and session),
  alternating "done" and "not started" on one topic (a wrk Lua script);
- for reference: the anonymous page for a returning visitor (their CSRF cookie: no new one),
  and nginx serving a 30 KB file (the issue's reference size; nginx's figure on loopback
  follows the bytes it sends, so the ratios depend on the page's size);
- then the same two pages over one connection: the median latency, where the signed-in page's
  extra cost (session, user, progress) shows.

Targets, as ratios to the nginx figure of the same run: the anonymous page at least 8%, the
signed-in page at least 4%, and p99 under 100 ms at 64 connections. Record the machine (cores)
with the figures: ``learnmap serve`` runs its default, one worker per core.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
LEARNMAP = Path(sys.executable).with_name("learnmap")
ROADMAP = "/r/python-backend/"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
WARM_UP_SECONDS = 3
SETTLE_SECONDS = 2
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGETS = {"anonymous": 0.08, "signed-in": 0.04}
P99_TARGET_MS = 100.0

NGINX_CONF = """\
worker_processes {workers};
pid {home}/nginx.pid;
error_log {home}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {home}/tmp;
    proxy_temp_path {home}/tmp;
    fastcgi_temp_path {home}/tmp;
    uwsgi_temp_path {home}/tmp;
    scgi_temp_path {home}/tmp;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {home}/www;
    }}
}}
"""

# A click on a state button: the htmx POST, alternating the state so every request writes.
POST_SCRIPT = """\
local n = 0
request = function()
  n = n + 1
  local state = (n % 2 == 0) and "done" or "not_started"
  return wrk.format("POST", "{path}", {{
    ["Cookie"] = "{cookie}",
    ["X-CSRFToken"] = "{csrf}",
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }}, "state=" .. state .. "&context=roadmap")
end
"""


@dataclass(frozen=True)
class Result:
    name: str
    requests_per_second: float
    p99_ms: float
    p50_ms: float
    errors: str  # non-2xx/3xx responses and socket errors, "" when none


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cores() -> int:
    return len(os.sched_getaffinity(0))


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.25)
    sys.exit(f"Nothing answered on {url} in {timeout:.0f} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(
    name: str,
    url: str,
    *,
    connections: int = CONNECTIONS,
    seconds: int = SECONDS,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    warm_up: bool = True,
) -> Result:
    """wrk's figures for ``url`` (after a warm-up of its own, unless not ``warm_up``)."""
    args = ["wrk", "--latency", f"-t{min(cores(), connections)}", f"-c{connections}"]
    for header, value in (headers or {}).items():
        args += ["-H", f"{header}: {value}"]
    if script is not None:
        args += ["-s", str(script)]
    if warm_up:
        subprocess.run([*args, f"-d{WARM_UP_SECONDS}s", url], check=True, capture_output=True)
    # When wrk stops, the server still has the requests its connections had sent (a second of
    # progress changes, 64 of them at ~300 ms each): let it finish them, or they fall into the
    # next figure's 99th percentile.
    time.sleep(SETTLE_SECONDS)
    out = subprocess.run(
        [*args, f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    errors = []
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors.append(f"{match.group(1)} non-2xx/3xx")
    if match := re.search(r"Socket errors: (.*)", out):
        errors.append(f"socket errors: {match.group(1)}")
    return Result(
        name=name,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p99_ms=milliseconds(re.search(r"\s99%\s+(\S+)", out).group(1)),
        p50_ms=milliseconds(re.search(r"\s50%\s+(\S+)", out).group(1)),
        errors="; ".join(errors),
    )


def learner_session(site: str) -> tuple[httpx.Client, str]:
    """A learner who signed up (through the form) and tracked a little on the roadmap; the
    address of the state form of a topic ("Git") to post to."""
    client = httpx.Client(base_url=site, timeout=30)
    client.get("/accounts/signup/")
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    password = "a-long-and-unguessable-passphrase-42"
    signed_up = client.post(
        "/accounts/signup/",
        data={
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "email": email,
            "password1": password,
            "password2": password,
        },
    )
    if signed_up.status_code != 302:
        sys.exit(f"Could not sign up: {signed_up.status_code}\n{signed_up.text[:2000]}")
    page = client.get(ROADMAP).text
    # The outline's buttons: each posts to its node's address (formaction).
    by_slug = {}
    for tag in re.findall(r"<button [^>]*>", page):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        found = re.fullmatch(r"(?:state-(.+)-not_started|elective-(.+))", attributes.get("id", ""))
        if found and "formaction" in attributes:
            by_slug[found.group(1) or found.group(2)] = attributes["formaction"]
    headers = {"X-CSRFToken": client.cookies["csrftoken"]}
    for slug, data in (
        ("system-design", {"state": "done"}),
        ("django", {"state": "in_progress"}),
        ("databases", {"chosen": "1"}),
    ):
        answer = client.post(by_slug[slug], data=data, headers=headers)
        if answer.status_code != 302:
            sys.exit(f"Could not track {slug}: {answer.status_code}")
    client.get(ROADMAP)  # shows (and so clears) the messages those posts left
    if "messages" in client.cookies:
        sys.exit("Messages are still waiting: the signed-in page would not be the usual one.")
    return client, by_slug["git"]


def main() -> None:
    missing = [
        tool
        for tool in ("wrk", "nginx")
        if shutil.which(tool, path="/usr/sbin:" + os.environ["PATH"]) is None
    ]
    if missing:
        print(f"# skipped: {' and '.join(missing)} missing (apt-get install wrk nginx-light)")
        return
    nginx = shutil.which("nginx", path="/usr/sbin:" + os.environ["PATH"])
    keep = os.environ.get("BENCH_DATA_DIR", "")
    home = Path(tempfile.mkdtemp(prefix="learnmap-bench-web-"))
    data = Path(keep) if keep else home / "data"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LEARNMAP_DATA_DIR"] = str(data)

    port = free_port()
    site = f"http://127.0.0.1:{port}"
    log = home / "serve.log"
    started = time.monotonic()
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(LEARNMAP), "serve", "--port", str(port), "--setup", "always"],
            env=env,
            cwd=home,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    proxy = None
    try:
        wait_until_up(f"{site}/healthz", server, log)
        setup_seconds = time.monotonic() - started

        page = httpx.get(f"{site}{ROADMAP}").content  # what a first visit gets
        client, git_state = learner_session(site)
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        personal = client.get(ROADMAP).content
        (home / "post.lua").write_text(
            POST_SCRIPT.format(path=git_state, cookie=cookie, csrf=client.cookies["csrftoken"])
        )

        (home / "www").mkdir()
        (home / "tmp").mkdir()
        (home / "www" / "roadmap.html").write_bytes(page)
        # The reference size: nginx's figure on loopback follows the bytes it sends.
        (home / "www" / "30k.html").write_bytes(page[: 30 * 1024])
        nginx_port = free_port()
        (home / "nginx.conf").write_text(
            NGINX_CONF.format(workers=cores(), home=home, port=nginx_port)
        )
        os.chmod(home, 0o755)  # nginx's workers drop root for nobody: let them read it
        with (home / "nginx.log").open("w") as output:
            proxy = subprocess.Popen(
                [nginx, "-p", str(home), "-c", str(home / "nginx.conf"), "-g", "daemon off;"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(f"http://127.0.0.1:{nginx_port}/roadmap.html", proxy, home / "nginx.log")

        signed_in = {"Cookie": cookie}
        targets = [
            ("nginx: the page as a static file", f"http://127.0.0.1:{nginx_port}/roadmap.html", {}),
            ("anonymous roadmap page", f"{site}{ROADMAP}", {}),
            ("signed-in roadmap page", f"{site}{ROADMAP}", {"headers": signed_in}),
            ("progress change (htmx POST)", f"{site}{git_state}", {"script": home / "post.lua"}),
            (
                "anonymous page, returning visitor",
                f"{site}{ROADMAP}",
                {"headers": {"Cookie": f"csrftoken={client.cookies['csrftoken']}"}},
            ),
            ("nginx: a 30 KB static file", f"http://127.0.0.1:{nginx_port}/30k.html", {}),
            (
                "anonymous roadmap page, 1 connection",
                f"{site}{ROADMAP}",
                {"connections": 1, "seconds": 5},
            ),
            (
                "signed-in roadmap page, 1 connection",
                f"{site}{ROADMAP}",
                {"connections": 1, "seconds": 5, "headers": signed_in},
            ),
        ]
        load_before = os.getloadavg()[0]
        # Round after round of every target: what else runs on the machine slows all of them.
        rounds = [
            [wrk(name, url, warm_up=number == 0, **options) for name, url, options in targets]
            for number in range(ROUNDS)
        ]
        load_after = os.getloadavg()[0]
    finally:
        if proxy is not None:
            stop(proxy)
        stop(server)

    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"# {cores()} cores; learnmap serve: {cores()} granian workers, {database}; "
        f"Python {sys.version.split()[0]}; setup {setup_seconds:.0f} s; load average "
        f"{load_before:.1f} before, {load_after:.1f} after"
    )
    print(
        f"# wrk -c{CONNECTIONS} -d{SECONDS}s (a warm-up of {WARM_UP_SECONDS} s first), "
        f"{ROUNDS} rounds: the median round (req/s over the rounds in brackets)"
    )
    print(f"# page: {len(page):,} bytes anonymous, {len(personal):,} signed in")
    print(f"{'':<38} {'req/s':>6} {'(rounds)':>17} {'p99 ms':>7} {'ratio':>6}  target")
    by_target = list(zip(*rounds, strict=True))
    ratios = [
        statistics.median(
            result.requests_per_second / ceiling.requests_per_second
            for result, ceiling in zip(results, by_target[0], strict=True)
        )
        for results in by_target
    ]
    for results, ratio in zip(by_target[:6], ratios[:6], strict=True):
        result = sorted(results, key=lambda r: r.requests_per_second)[len(results) // 2]
        spread = "/".join(f"{r.requests_per_second:.0f}" for r in results)
        target = TARGETS.get(result.name.split(" ")[0])
        verdict = ""
        if target is not None:
            met = ratio >= target and result.p99_ms < P99_TARGET_MS
            verdict = f">= {target:.0%}, p99 < {P99_TARGET_MS:.0f} ms: {'met' if met else 'MISSED'}"
        errors = "; ".join(sorted({r.errors for r in results if r.errors}))
        print(
            f"{result.name:<38} {result.requests_per_second:>6.0f} {'(' + spread + ')':>17} "
            f"{result.p99_ms:>7.1f} {ratio:>6.1%}  {verdict}" + (f"  ({errors})" if errors else "")
        )
    medians = [statistics.median(r.p50_ms for r in results) for results in by_target[6:]]
    for results, median in zip(by_target[6:], medians, strict=True):
        print(f"{results[0].name:<38} median latency {median:.2f} ms")
    print(
        "# signed-in overhead over the anonymous page, 1 connection: "
        f"{medians[1] - medians[0]:+.2f} ms"
    )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
