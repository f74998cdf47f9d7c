"""The JSON API under load: `learnmap serve` (granian, WSGI) beside nginx serving the same bytes.

    .venv/bin/python bench/api/bench_api.py [--duration 10] [--connections 64] [--workers 2]

Needs `wrk` and `nginx` (Debian: apt-get install -y nginx-light wrk); without them it says so
and stops. Everything runs on 127.0.0.1 against a fresh temporary data directory (SQLite,
the file cache), with the built-in roadmap loaded and one learner with an access token.

Four scenarios, each run against Learnmap and then against nginx serving the very bytes
Learnmap answered, as a static file, in the same run (wrk, 64 connections, two threads):

- the roadmap tree JSON, anonymous (GET /api/v1/roadmaps/python-backend);
- the same with `If-None-Match` (a 304 each time: revalidation);
- the resource search (GET /api/v1/resources?q=django);
- a progress write (PUT /api/v1/me/progress/nodes/{key} with a token; a wrk Lua script
  alternates the state, so every request changes the row). nginx answers the PUT with the
  same bytes from a static file.

Rate limits stay on (so their cost is measured) with rates too high to trigger. Prints one
Markdown table: requests/s and p99 latency for each, and nginx's rate over Learnmap's
(the ratio). Other load on the machine moves these figures: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LEARNMAP = VENV_BIN / "learnmap"
SLUG = "python-backend"
HIGH_RATE = "100000000/m"  # on, but never reached

WRITE_LUA = """
local states = {"done", "in_progress"}
local n = 0
request = function()
  n = n + 1
  local body = '{"state": "' .. states[(n % 2) + 1] .. '"}'
  return wrk.format("PUT", nil, nil, body)
end
"""

NGINX_CONF = """
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    # The static module refuses PUT (405): answer it with the file, as a write would.
    location = /write.json {{ error_page 405 =200 /write.json; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def fetch(url: str, *, method: str = "GET", headers=None, body: bytes | None = None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback
        return response.status, response.headers, response.read()


def setup_data(env: dict[str, str]) -> tuple[str, str]:
    """Migrate, load the built-in roadmap, make a learner and a token: (token, node key)."""
    subprocess.run([str(LEARNMAP), "serve", "--setup", "only"], env=env, check=True)
    script = (
        "from django.contrib.auth import get_user_model\n"
        "from learnmap.accounts.services import token_create\n"
        "from learnmap.catalog.models import Node\n"
        "user = get_user_model().objects.create_user('bench', 'bench@example.com', None)\n"
        "print(token_create(user=user, name='bench').secret)\n"
        f"print(Node.objects.get(roadmap__slug='{SLUG}', slug='django').key)\n"
    )
    out = subprocess.run(
        [str(LEARNMAP), "shell", "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return out[-2], out[-1]


def wrk(url: str, *, seconds: int, connections: int, headers=(), script: str | None = None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rate": rate,
        "p99": p99_ms,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="learnmap serve (and nginx) workers")
    args = parser.parse_args()
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if missing:
        print(
            f"skipped: {' and '.join(missing)} not installed (apt-get install -y nginx-light wrk)"
        )
        return 0

    work = Path(tempfile.mkdtemp(prefix="learnmap-bench-api-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        LEARNMAP_DATA_DIR=str(work / "data"),
        LEARNMAP_CONTENT_DIR=str(ROOT / "content"),
        LOG_LEVEL="WARNING",
        API_RATE_WRITE_PER_CALLER=HIGH_RATE,
        API_RATE_WRITE_PER_IP=HIGH_RATE,
        API_RATE_SEARCH_PER_CALLER=HIGH_RATE,
        API_RATE_SEARCH_PER_IP=HIGH_RATE,
    )
    token, node_key = setup_data(env)

    port, nginx_port = free_port(), free_port()
    server = subprocess.Popen(
        [
            str(LEARNMAP),
            "serve",
            "--setup",
            "never",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    nginx = None
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        wait_for(f"http://127.0.0.1:{port}/healthz")
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        tree_url = f"{base}/roadmaps/{SLUG}"
        search_url = f"{base}/resources?q=django"
        write_url = f"{base}/me/progress/nodes/{node_key}"
        _, tree_headers, tree = fetch(tree_url)
        _, _, found = fetch(search_url)
        _, _, written = fetch(write_url, method="PUT", headers=auth, body=b'{"state": "done"}')
        assert json.loads(found)["count"] > 0 and json.loads(written)["state"] == "done"

        www = work / "www"
        www.mkdir()
        work.chmod(0o755)  # nginx's workers run as an unprivileged user when started as root
        (www / "tree.json").write_bytes(tree)
        (www / "search.json").write_bytes(found)
        (www / "write.json").write_bytes(written)
        (work / "nginx.conf").write_text(
            NGINX_CONF.format(workers=args.workers, dir=work, port=nginx_port)
        )
        nginx = subprocess.Popen(
            ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work)],
            start_new_session=True,
        )
        static = f"http://127.0.0.1:{nginx_port}"
        wait_for(f"{static}/tree.json")
        _, nginx_headers, _ = fetch(f"{static}/tree.json")
        script = work / "write.lua"
        script.write_text(WRITE_LUA)

        auth_headers = [f"Authorization: Bearer {token}", "Content-Type: application/json"]
        ours_etag = [f"If-None-Match: {tree_headers['ETag']}"]
        nginx_etag = [f"If-None-Match: {nginx_headers['ETag']}"]
        # (name, bytes, learnmap URL, nginx URL, learnmap headers, nginx headers, Lua script)
        scenarios = [
            ("tree JSON (200)", len(tree), tree_url, f"{static}/tree.json", [], [], None),
            ("tree JSON, If-None-Match (304)", 0, tree_url, f"{static}/tree.json", ours_etag,
             nginx_etag, None),
            ("resource search ?q=django", len(found), search_url, f"{static}/search.json", [],
             [], None),
            ("progress write (PUT, token)", len(written), write_url, f"{static}/write.json",
             auth_headers, auth_headers, str(script)),
        ]  # fmt: skip
        print(
            f"# {os.cpu_count()} cores; learnmap serve --workers {args.workers} (granian WSGI), "
            f"SQLite, file cache; nginx {args.workers} workers; wrk -t2 -c{args.connections} "
            f"-d{args.duration}s on 127.0.0.1; Python {sys.version.split()[0]}; "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        print()
        print(
            "| scenario | bytes | learnmap req/s | learnmap p99 | nginx req/s | nginx p99 | ratio |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")

        def measure(url: str, headers: list[str], lua: str | None) -> dict:
            options = {"connections": args.connections, "headers": headers, "script": lua}
            wrk(url, seconds=2, **options)  # warm-up, not counted
            return wrk(url, seconds=args.duration, **options)

        for name, size, url, nginx_url, headers, nginx_headers_, lua in scenarios:
            ours = measure(url, headers, lua)
            theirs = measure(nginx_url, nginx_headers_, lua)
            note = ""
            if ours["non_2xx"] or theirs["non_2xx"] or ours["errors"] or theirs["errors"]:
                note = (
                    f" (non-2xx/3xx: {ours['non_2xx']}/{theirs['non_2xx']}; "
                    f"{ours['errors']} {theirs['errors']})"
                )
            print(
                f"| {name}{note} | {size:,} | {ours['rate']:,.0f} | {ours['p99']:.1f} ms "
                f"| {theirs['rate']:,.0f} | {theirs['p99']:.1f} ms "
                f"| nginx {theirs['rate'] / ours['rate']:.0f}x |"
            )
        print(f"\n# load average after: {os.getloadavg()[0]:.2f}")
        return 0
    finally:
        for process in (server, nginx):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
