"""The production topology under load: every figure of issue 14's table, beside nginx serving
the same bytes as a static file, in one run.

    .venv/bin/python bench/topology/bench_topology.py
    BENCH_SECONDS=30 .venv/bin/python bench/topology/bench_topology.py
    .venv/bin/python bench/topology/bench_topology.py --only anon --only post   # some rows
    .venv/bin/python bench/topology/bench_topology.py --list                    # the rows

Needs Debian's ``wrk`` (``/usr/bin/wrk``) and what ``deploy/topology`` needs (postgresql,
redis-server, nginx, openssl); without one the bench says which and measures nothing.

It starts ``deploy/topology/topology.py``'s ``Topology`` (PostgreSQL, Redis, nginx with
``deploy/nginx.conf`` and its microcache, two ``learnmap serve`` instances of one granian
worker each, one ``learnmap worker``), signs learners in through nginx with the real sign-in
form, and starts a second, tiny nginx of its own serving the anonymous roadmap page's bytes as
a static file over HTTP and over HTTPS (the topology's certificate): the ceilings. Then for
each row, after a warm-up, ``wrk --latency -t2 -c64 -d${BENCH_SECONDS:-10}s --timeout 10s``:

- the ceilings: nginx static over HTTPS (for the rows through the topology's nginx) and over
  HTTP (for the rows asked of one instance directly, as nginx asks it);
- minimal Django answers on one instance: ``/healthz`` (answered by HealthCheckMiddleware,
  first in the stack: the server and WSGI floor) and ``/favicon.ico`` (a RedirectView behind
  the whole middleware stack: the "minimal Django view" of the signed-in goal);
- the anonymous roadmap page through nginx and directly; a signed-in learner's page, both;
- a progress change: the htmx POST a state button sends (session cookie, CSRF token, the
  form's fields), by ``BENCH_LEARNERS`` (4) learners on every topic of the roadmap, "done"
  then "not started", so that every request changes a state (their progress is cleared after
  the warm-up; the bench says so if there are too few clicks for the requests in flight);
- site search ``/search/?q=django``, the API resource list
  ``/api/v1/resources?roadmap=python-backend`` and the Markdown export
  ``/roadmaps/python-backend.md``, through nginx (its microcache may answer) and directly.

Every answer's status (and nginx's ``X-Cache-Status``) is counted by a wrk Lua script, except
on the static ceilings, where the callback would cost nginx's figure: "bad" is how many answers
were not the row's expected status (200 or 204; 302 for the redirect view), so a 403 on a write
or a 302 to the sign-in page shows. The search rate limits (``API_RATE_SEARCH_PER_*``) are
raised to a rate no run reaches, unless set in the environment, so search rows measure
searches and not 429s.

It prints the conditions, the roadmap page's size over the wire with and without
``Accept-Encoding: br, gzip`` (through nginx and from an instance), and one line per row:
req/s, p50, p99, non-2xx and the percentage of the nginx static ceiling of the same protocol,
with the issue's goal. Everything it started is stopped on the way out, after an error or
Ctrl-C too. One run (no median of rounds): run it twice on a quiet machine before quoting.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # deploy/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from deploy.topology.processes import TopologyError, free_port, tail  # noqa: E402
from deploy.topology.topology import NGINX, Topology  # noqa: E402

SLUG = "python-backend"
ROADMAP = f"/r/{SLUG}/"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
THREADS = 2
WARM_UP_SECONDS = int(os.environ.get("BENCH_WARM_UP_SECONDS", "3"))
# wrk's own default (2 s) leaves a slow row without latencies: an answer later than this is a
# "timeout" (counted, and not in p50/p99).
TIMEOUT_SECONDS = int(os.environ.get("BENCH_TIMEOUT_SECONDS", "10"))
SETTLE_SECONDS = 2  # the requests still in flight when wrk stops, finished before the next row
NO_LIMIT = "1000000000/m"
PASSWORD = "a long enough password 1"
# Learners clicking at once: the progress change row shares their (learner, topic) pairs out
# between wrk's threads, enough that a thread has more pairs than requests in flight.
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "4"))
# The roadmap page's state buttons (learning/controls.html): their node's form address.
STATE_BUTTON = re.compile(
    r'id="state-(?P<slug>[^"]+)-not_started"[^>]*?formaction="(?P<action>/node/[0-9a-f-]+/state/)"'
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Counts every answer's status (one table per wrk thread, summed in done()).
COUNT_LUA = """\
local threads = {}
statuses = {}  -- each thread's own (the script runs in each thread's Lua state)
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function response(status, headers, body)
  local key = status .. " " .. (headers["X-Cache-Status"] or "-")
  statuses[key] = (statuses[key] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for key, count in pairs(total) do
    io.write(string.format("status %s %d\\n", key, count))
  end
end
"""

# A click on a state button, as htmx sends it: the form's fields, the learner's session and
# CSRF cookies and htmx's headers. Every (learner, topic) pair in turn, the pairs shared out
# between wrk's threads (``id``, set by COUNT_LUA's setup), "done" on one pass and "not
# started" on the next: each request changes a state (the learners start with none), as long
# as a thread has more pairs than requests in flight.
POST_LUA = """\
local clicks = {
%(clicks)s
}
local requests = {}
local count = 0
local n = 0
function init(args)
  for i, click in ipairs(clicks) do
    if (i - 1) %% %(threads)d == id - 1 then
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      headers["Cookie"] = click[1]
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["HX-Request"] = "true"
      headers["HX-Current-URL"] = "%(origin)s%(roadmap)s"
      count = count + 1
      requests[count] = {}
      for pass, state in ipairs({"done", "not_started"}) do
        requests[count][pass] = wrk.format("POST", click[3], headers,
          "csrfmiddlewaretoken=" .. click[2] .. "&context=roadmap&next=%(roadmap)s&state=" .. state)
      end
    end
  end
end
function request()
  local click = n %% count + 1
  local pass = math.floor(n / count) %% 2 + 1
  n = n + 1
  return requests[click][pass]
end
"""

NGINX_STATIC_CONF = """\
{user}
daemon off;
worker_processes 2;
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
    # The topology's TLS settings (deploy/nginx.conf), so the HTTPS ceiling pays the same.
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:TLS:10m;
    server {{
        listen 127.0.0.1:{http_port};
        listen 127.0.0.1:{https_port} ssl;
        ssl_certificate {tls}/fullchain.pem;
        ssl_certificate_key {tls}/privkey.pem;
        root {home}/www;
    }}
}}
"""


class Learner(NamedTuple):
    cookies: dict[str, str]
    csrf: str  # the CSRF token of their roadmap page (the value of its forms' field)
    actions: list[str]  # the state address (/node/<key>/state/) of every topic of the roadmap


class BenchError(RuntimeError):
    """The bench cannot go on; the message says why."""


@dataclass
class Row:
    key: str
    label: str
    via: str  # "nginx" (the topology's, HTTPS), "app" (one instance, HTTP), "static-https"...
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    script: str = "count"  # "count", "post" or "" (no Lua: the static ceilings)
    goal: str = ""
    expected: tuple[int, ...] = (200, 204)


@dataclass
class Result:
    row: Row
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    not_2xx: int | None  # not the row's expected status; None: not counted (static ceilings)
    statuses: dict[str, int]  # "200 MISS" -> count (nginx's X-Cache-Status, "-" without)
    socket_errors: str


def rows(*, session: dict[str, str]) -> list[Row]:
    cookie = {"Cookie": "; ".join(f"{name}={value}" for name, value in session.items())}
    resources = f"/api/v1/resources?roadmap={SLUG}"
    markdown = f"/roadmaps/{SLUG}.md"
    return [
        Row(
            "static-https",
            "nginx static, the page's bytes (HTTPS)",
            "static-https",
            "/page.html",
            script="",
        ),
        Row(
            "static-http",
            "nginx static, the page's bytes (HTTP)",
            "static-http",
            "/page.html",
            script="",
        ),
        Row("healthz", "/healthz (middleware, no view)", "app", "/healthz"),
        Row(
            "minimal", "minimal view: /favicon.ico redirect", "app", "/favicon.ico", expected=(302,)
        ),
        Row("anon", "anonymous roadmap page", "nginx", ROADMAP, goal=">= 70% of nginx static"),
        Row("anon-app", "anonymous roadmap page", "app", ROADMAP),
        Row(
            "signed-in",
            "signed-in roadmap page",
            "nginx",
            ROADMAP,
            cookie,
            goal=">= 80% of minimal view",
        ),
        Row(
            "signed-in-app",
            "signed-in roadmap page",
            "app",
            ROADMAP,
            cookie,
            goal=">= 80% of minimal view",
        ),
        Row(
            "post",
            "progress change (htmx POST)",
            "nginx",
            "",
            cookie,
            script="post",
            goal=">= 1,000/s, p99 < 100 ms",
        ),
        Row(
            "search",
            "site search /search/?q=django",
            "nginx",
            "/search/?q=django",
            goal=">= 2,000/s, p99 < 50 ms",
        ),
        Row(
            "search-app",
            "site search /search/?q=django",
            "app",
            "/search/?q=django",
            goal=">= 2,000/s, p99 < 50 ms",
        ),
        Row("api", "API resource list", "nginx", resources, goal=">= 2,000/s"),
        Row("api-app", "API resource list", "app", resources, goal=">= 2,000/s"),
        Row("markdown", "Markdown export", "nginx", markdown),
        Row("markdown-app", "Markdown export", "app", markdown),
    ]


ROW_KEYS = [row.key for row in rows(session={})]
CEILING = {"nginx": "static-https", "app": "static-http"}


def find_wrk() -> str:
    found = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if found is None:
        raise BenchError("wrk is missing: apt-get install wrk (Debian's /usr/bin/wrk)")
    return found


def milliseconds(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        raise BenchError(f"wrk printed a latency this bench cannot read: {value!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(row: Row, out: str) -> Result:
    """wrk --latency's report (and the counting script's status lines) as figures."""

    def grab(pattern: str) -> str:
        found = re.search(pattern, out)
        if found is None:
            raise BenchError(f"{row.key}: no {pattern!r} in wrk's output:\n{out}")
        return found.group(1)

    # "status <code> <nginx's X-Cache-Status or -> <count>", from the counting script
    statuses: dict[str, int] = {}
    for code, cache, count in re.findall(r"^status (\d+) (\S+) (\d+)$", out, re.M):
        statuses[f"{code} {cache}"] = int(count)
    requests = int(grab(r"(\d+) requests in "))
    if row.script:
        not_2xx: int | None = sum(
            n for key, n in statuses.items() if int(key.split()[0]) not in row.expected
        )
    else:  # wrk's own count: it takes a 3xx for a success
        found = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        not_2xx = int(found.group(1)) if found else 0
    errors = re.search(r"Socket errors: (.*)", out)
    return Result(
        row=row,
        requests_per_second=float(grab(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=milliseconds(grab(r"\s50%\s+(\S+)")),
        p99_ms=milliseconds(grab(r"\s99%\s+(\S+)")),
        requests=requests,
        not_2xx=not_2xx,
        statuses=statuses,
        socket_errors=errors.group(1).strip() if errors else "",
    )


class Bench:
    def __init__(self, site: Topology, home: Path, wrk: str) -> None:
        self.site = site
        self.home = home
        self.wrk_path = wrk
        self.static_http = ""
        self.static_https = ""
        self.nginx: subprocess.Popen | None = None
        self.verbose = False

    # -- the site --------------------------------------------------------------------------

    def base(self, via: str) -> str:
        return {
            "nginx": self.site.url,
            "app": self.site.app_urls[0],
            "static-http": self.static_http,
            "static-https": self.static_https,
        }[via]

    def headers(self, row: Row) -> dict[str, str]:
        headers = {"Accept-Language": "en"}
        if row.via == "app":  # as nginx asks an instance (deploy/nginx.conf)
            headers |= {"Host": "localhost", "X-Forwarded-Proto": "https"}
            headers["X-Forwarded-For"] = "127.0.0.1"
        return headers | row.headers

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.site.url,
            verify=self.site.tls_context(),
            timeout=60,
            headers={"Accept-Language": "en", **headers},
        )

    def sign_in(self, count: int) -> list[Learner]:
        """``count`` learners made in the database, each signed in through nginx with the
        sign-in form: their cookies, the CSRF token of their roadmap page and the state
        addresses of the roadmap's topics."""
        emails = [f"bench-{number}@example.org" for number in range(count)]
        script = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
for email in {emails!r}:
    user = get_user_model().objects.create_user(
        username=email, email=email, password={PASSWORD!r}
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
"""
        self.site.learnmap("shell", "-c", script)
        return [self._sign_in(email) for email in emails]

    def _sign_in(self, email: str) -> Learner:
        with self.client(Origin=self.site.url) as browser:
            form = browser.get("/accounts/login/")
            token = CSRF_INPUT.search(form.text)
            if token is None:
                raise BenchError("The sign-in page has no CSRF token.")
            answer = browser.post(
                "/accounts/login/",
                data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
                headers={"Referer": f"{self.site.url}/accounts/login/"},
            )
            if answer.status_code != 302 or not browser.cookies.get("sessionid"):
                raise BenchError(f"Sign-in failed ({answer.status_code}):\n{answer.text[:2000]}")
            page = browser.get(ROADMAP).text
            buttons = {m["slug"]: m["action"] for m in STATE_BUTTON.finditer(page)}
            csrf = CSRF_INPUT.search(page)
            if not buttons or csrf is None:
                raise BenchError(
                    "The signed-in roadmap page has no state buttons or no CSRF token."
                )
            return Learner(dict(browser.cookies.items()), csrf[1], sorted(buttons.values()))

    def over_the_wire(self) -> list[str]:
        """The roadmap page's size as sent, identity and br/gzip, through nginx and direct."""
        lines = []
        for via in ("nginx", "app"):
            row = Row("size", "", via, ROADMAP)
            for encoding in ("identity", "br, gzip"):
                headers = self.headers(row) | {"Accept-Encoding": encoding}
                verify = self.site.tls_context() if via == "nginx" else True
                with (
                    httpx.Client(verify=verify, timeout=60) as http,
                    http.stream("GET", self.base(via) + ROADMAP, headers=headers) as answer,
                ):
                    size = sum(len(chunk) for chunk in answer.iter_raw())
                    sent = answer.headers.get("Content-Encoding", "none")
                    cache = answer.headers.get("Cache-Control", "-")
                    x_cache = answer.headers.get("X-Cache-Status", "-")
                lines.append(
                    f"#   {via:<5} Accept-Encoding: {encoding:<9} -> {size:>8,} bytes, "
                    f"Content-Encoding: {sent}; Cache-Control: {cache}; X-Cache-Status: {x_cache}"
                )
        return lines

    # -- the ceiling -----------------------------------------------------------------------

    def start_static(self, page: bytes) -> None:
        (self.home / "www").mkdir()
        (self.home / "tmp").mkdir()
        (self.home / "www" / "page.html").write_bytes(page)
        http_port, https_port = free_port(), free_port()
        root = os.geteuid() == 0
        (self.home / "nginx.conf").write_text(
            NGINX_STATIC_CONF.format(
                user="user nobody nogroup;" if root else "",
                home=self.home,
                tls=self.site.dir / "nginx" / "tls",
                http_port=http_port,
                https_port=https_port,
            )
        )
        self.home.chmod(0o755)  # nginx's workers (nobody) read www/
        log = (self.home / "nginx.log").open("ab")
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(self.home), "-e", str(self.home / "nginx-error.log"),
             "-c", str(self.home / "nginx.conf")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        self.static_http = f"http://127.0.0.1:{http_port}"
        self.static_https = f"https://localhost:{https_port}"
        deadline = time.monotonic() + 20
        while True:
            if self.nginx.poll() is not None:
                raise BenchError(f"The static nginx exited:\n{tail(self.home / 'nginx-error.log')}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.static_http + "/page.html", timeout=2).content == page:
                    return
            if time.monotonic() > deadline:
                raise BenchError(
                    f"The static nginx did not answer:\n{tail(self.home / 'nginx.log')}"
                )
            time.sleep(0.1)

    def stop_static(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.nginx.pid, signal.SIGTERM)
            try:
                self.nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait()

    # -- wrk -------------------------------------------------------------------------------

    def check(self, row: Row, *, post: list[Learner]) -> str:
        """One request of the row, as wrk will send it: its status must be a 2xx (a 3xx for
        the redirect view); returns a note (status, bytes, cache verdict)."""
        url = self.base(row.via) + row.path
        verify = self.site.tls_context() if row.via in ("nginx", "static-https") else True
        headers = self.headers(row)
        with httpx.Client(verify=verify, timeout=60) as http:
            if row.script == "post":
                answer = self.clear_progress(row, post, http=http, only_first=True)
            else:
                answer = http.get(url, headers=headers)
        if answer.status_code not in row.expected:
            raise BenchError(
                f"{row.key}: {url} answered {answer.status_code}, not {row.expected}:\n"
                f"{answer.text[:1500]}"
            )
        return f"{answer.status_code}, {len(answer.content):,} bytes" + (
            f", {answer.headers['X-Cache-Status']}" if "X-Cache-Status" in answer.headers else ""
        )

    def clear_progress(
        self, row: Row, learners: list[Learner], *, http: httpx.Client, only_first: bool = False
    ) -> httpx.Response:
        """Every learner's every topic back to "not started", as their clicks would (htmx
        POSTs): the progress change row then starts from no progress."""
        clicks = [(learner, action) for learner in learners for action in learner.actions]
        for learner, action in clicks[:1] if only_first else clicks:
            cookie = "; ".join(f"{name}={value}" for name, value in learner.cookies.items())
            headers = self.headers(row) | {
                "HX-Request": "true",
                "Origin": self.site.url,
                "Cookie": cookie,
            }
            answer = http.post(
                self.base(row.via) + action,
                headers=headers,
                data={
                    "csrfmiddlewaretoken": learner.csrf,
                    "context": "roadmap",
                    "next": ROADMAP,
                    "state": "not_started",
                },
            )
            if answer.status_code not in row.expected:
                raise BenchError(
                    f"{row.key}: {action} answered {answer.status_code}, not {row.expected}:\n"
                    f"{answer.text[:1500]}"
                )
        return answer

    def wrk(self, row: Row, *, post: list[Learner]) -> Result:
        args = [
            self.wrk_path,
            "--latency",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"--timeout={TIMEOUT_SECONDS}s",
        ]
        headers = self.headers(row)
        if row.script == "post":
            headers |= {"Origin": self.site.url}
            headers.pop("Cookie", None)  # each click carries its learner's
            clicks = []
            for action in post[0].actions:
                for learner in post:
                    cookie = "; ".join(f"{k}={v}" for k, v in learner.cookies.items())
                    values = ", ".join(json.dumps(v) for v in (cookie, learner.csrf, action))
                    clicks.append(f"  {{{values}}}")
            script = self.home / "post.lua"
            script.write_text(
                POST_LUA
                % {
                    "clicks": ",\n".join(clicks),
                    "threads": THREADS,
                    "origin": self.site.url,
                    "roadmap": ROADMAP,
                }
                + COUNT_LUA
            )
            url = self.base(row.via) + post[0].actions[0]
        else:
            script = self.home / "count.lua" if row.script == "count" else None
            if script is not None:
                script.write_text(COUNT_LUA)
            url = self.base(row.via) + row.path
        for name, value in headers.items():
            args += ["-H", f"{name}: {value}"]
        if script is not None:
            args += ["-s", str(script)]
        if WARM_UP_SECONDS > 0:
            self._run_wrk(row, [*args, f"-d{WARM_UP_SECONDS}s", url])
            time.sleep(SETTLE_SECONDS)
            if row.script == "post":  # the warm-up's states undone
                verify = self.site.tls_context() if row.via == "nginx" else True
                with httpx.Client(verify=verify, timeout=60) as http:
                    self.clear_progress(row, post, http=http)
        out = self._run_wrk(row, [*args, f"-d{SECONDS}s", url])
        if self.verbose:
            print(f"# {row.key}: {' '.join(args)} -d{SECONDS}s {url}\n{out}", file=sys.stderr)
        result = parse_wrk(row, out)
        time.sleep(SETTLE_SECONDS)
        return result

    def _run_wrk(self, row: Row, command: list[str]) -> str:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=SECONDS + TIMEOUT_SECONDS + 120
        )
        if done.returncode != 0:
            raise BenchError(
                f"{row.key}: wrk failed ({done.returncode}):\n{done.stderr}{done.stdout}"
            )
        return done.stdout


def print_table(results: dict[str, Result]) -> None:
    print(
        f"{'row':<14} {'what':<40} {'via':<6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>8} "
        f"{'bad':>6} {'% static':>8}  goal  [status X-Cache-Status: count]"
    )
    for key, result in results.items():
        row = result.row
        ceiling = results.get(CEILING.get(row.via, ""))
        share = (
            f"{result.requests_per_second / ceiling.requests_per_second:.1%}"
            if ceiling is not None
            else "-"
        )
        via = {"static-https": "https", "static-http": "http"}.get(row.via, row.via)
        not_2xx = "-" if result.not_2xx is None else f"{result.not_2xx:,}"
        extra = []
        if result.statuses and (result.not_2xx or row.via == "nginx"):
            extra.append(", ".join(f"{k}: {n:,}" for k, n in sorted(result.statuses.items())))
        if result.socket_errors:
            timeouts = re.search(r"timeout (\d+)", result.socket_errors)
            if timeouts and timeouts.group(1) != "0":
                extra.append(
                    f"{timeouts.group(1)} answers later than {TIMEOUT_SECONDS} s, not in p50/p99"
                )
            if re.search(r"(connect|read|write) [1-9]", result.socket_errors):
                extra.append(f"socket errors: {result.socket_errors}")
        print(
            f"{key:<14} {row.label:<40} {via:<6} {result.requests_per_second:>8,.0f} "
            f"{result.p50_ms:>7.1f} {result.p99_ms:>8.1f} {not_2xx:>6} {share:>8}  {row.goal}"
            + (f"  [{'; '.join(extra)}]" if extra else "")
        )
    print(
        "# % static: of nginx serving the roadmap page's bytes over the same protocol (HTTPS "
        "for nginx rows, HTTP for app rows); smaller answers (search, API, Markdown) can pass "
        "100%: the ceiling follows the bytes sent"
    )
    minimal = results.get("minimal")
    for key in ("signed-in-app", "signed-in"):
        if minimal is not None and key in results:
            ratio = results[key].requests_per_second / minimal.requests_per_second
            print(f"# {key}: {ratio:.1%} of the minimal view's req/s (goal >= 80%)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="wrk against the production topology (deploy/topology), beside nginx "
        "static in the same run: the figures of issue 14's table."
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=ROW_KEYS,
        metavar="ROW",
        help=f"only this row (repeatable; the static ceilings always run): {', '.join(ROW_KEYS)}",
    )
    parser.add_argument("--list", action="store_true", help="list the rows and exit")
    parser.add_argument("--keep", action="store_true", help="keep the topology's directory (logs)")
    parser.add_argument(
        "--verbose", action="store_true", help="print each wrk report (latency distribution)"
    )
    options = parser.parse_args(argv)
    if options.list:
        for row in rows(session={}):
            print(f"{row.key:<14} {row.label} ({row.via})")
        return 0
    wanted = set(options.only or ROW_KEYS)
    for key in list(wanted):
        if key.endswith("-app") or key in ("healthz", "minimal"):
            wanted.add("static-http")
        elif key != "static-http":
            wanted.add("static-https")
    if wanted & {"signed-in", "signed-in-app"}:
        wanted.add("minimal")

    # Ctrl-C (even when started in the background with SIGINT ignored) and SIGTERM end the
    # run through the `with` blocks: everything started is stopped.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    for name in ("API_RATE_SEARCH_PER_IP", "API_RATE_SEARCH_PER_CALLER"):
        os.environ.setdefault(name, NO_LIMIT)
    try:
        wrk = find_wrk()  # before anything is made or started
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    home = Path(tempfile.mkdtemp(prefix="learnmap-bench-topology-"))
    bench = None
    try:
        wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
        started = time.monotonic()
        with Topology(keep=options.keep) as site:
            setup = time.monotonic() - started
            bench = Bench(site, home, wrk)
            bench.verbose = options.verbose
            post = bench.sign_in(max(1, LEARNERS))
            page = httpx.get(
                site.url + ROADMAP,
                verify=site.tls_context(),
                headers={"Accept-Language": "en", "Accept-Encoding": "identity"},
                timeout=60,
            ).content
            bench.start_static(page)
            selected = [row for row in rows(session=post[0].cookies) if row.key in wanted]
            notes = {row.key: bench.check(row, post=post) for row in selected}
            wire = bench.over_the_wire()
            load_before = os.getloadavg()
            results = {}
            for row in selected:
                print(f"# {row.key}: {notes[row.key]} ...", file=sys.stderr, flush=True)
                results[row.key] = bench.wrk(row, post=post)
            load_after = os.getloadavg()
            nginx_version = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr
    except KeyboardInterrupt:
        print("Interrupted: everything started is stopped.", file=sys.stderr)
        return 130
    except (BenchError, TopologyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if bench is not None:
            bench.stop_static()
        shutil.rmtree(home, ignore_errors=True)

    cores = len(os.sched_getaffinity(0))
    print(
        f"# {cores} cores; {platform.python_implementation()} {platform.python_version()}; "
        f"{wrk_version.split(' [')[0].strip()}; {nginx_version.strip()}; "
        f"topology up in {setup:.0f} s"
    )
    print(
        "# topology: nginx (deploy/nginx.conf, HTTPS, microcache) -> 2 x learnmap serve "
        "(1 granian worker each), PostgreSQL 15, Redis; 1 learnmap worker"
    )
    print(
        f"# wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s --timeout {TIMEOUT_SECONDS}s --latency "
        f"after a {WARM_UP_SECONDS} s "
        f"warm-up, one run; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after"
    )
    print(f"# search rate limits: {os.environ['API_RATE_SEARCH_PER_IP']} per IP (raised)")
    print(f"# roadmap page {ROADMAP}, anonymous, over the wire:")
    print("\n".join(wire))
    if "post" in results:
        pairs = len(post) * len(post[0].actions)
        per_thread = pairs // THREADS
        print(
            f"# progress change: {len(post)} learners x {len(post[0].actions)} topics, "
            f"{per_thread} per wrk thread, "
            f"{CONNECTIONS // THREADS} connections per thread: "
            + (
                "every request changes a state"
                if per_thread > CONNECTIONS // THREADS
                else "SOME REQUESTS MAY REPEAT A STATE (fewer clicks than requests in flight: "
                "raise BENCH_LEARNERS)"
            )
        )
    print("# each row's check request: " + "; ".join(f"{k} {v}" for k, v in notes.items()))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
