"""Learnmap's production topology on this machine, from Debian's packages, on loopback only.

What ``deploy/compose.yaml`` runs in containers, started here as plain processes in a
temporary directory: a throwaway PostgreSQL cluster (as ``.ci/run`` starts one), Redis
without persistence, the database prepared once (``learnmap serve --setup only``: migrations
and the built-in roadmaps), two ``learnmap serve`` instances, one ``learnmap worker``, and
nginx with ``deploy/nginx.conf`` itself: the compose deployment's file, with only its
``${LEARNMAP_...}`` placeholders (addresses, ports, directories) filled in, so the two never
drift. TLS with a certificate made for ``localhost`` on the spot.

    .venv/bin/python deploy/topology/topology.py          # until Ctrl-C
    .venv/bin/python deploy/topology/topology.py --keep   # and keep the directory (logs)

From Python (the topology tests, the benchmarks)::

    with Topology() as site:
        httpx.get(site.url + "/", verify=site.tls_context())

Everything it started is stopped on the way out, after a failure or Ctrl-C too. Logs are in
``<directory>/logs/``: postgres, redis, migrate, app1, app2, worker, nginx-error and
nginx-access.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script: deploy/ is a folder of the checkout, not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.topology.postgres import Postgres, pg_bin
from deploy.topology.processes import (
    STOP_TIMEOUT,
    Processes,
    TopologyError,
    free_port,
    render_nginx,
    tail,
    tree_rss,
)

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
LEARNMAP = Path(sys.executable).with_name("learnmap")
NGINX = "/usr/sbin/nginx"
DOMAIN = "localhost"


class Topology(Postgres, Processes):
    """The topology as a context manager: ``start()`` on entry, ``stop()`` on exit.

    ``url`` is nginx's HTTPS address (the site as learners reach it), ``app_urls`` the two
    instances' own addresses (plain HTTP, as nginx reaches them), ``env`` the environment
    every ``learnmap`` command of this topology runs with (``learnmap()`` runs one).
    """

    def __init__(
        self, *, directory: Path | None = None, keep: bool = False, workers: int = 1
    ) -> None:
        self._given_dir = directory
        self.keep = keep
        self.workers = workers
        self.dir: Path = Path()
        super().__init__()
        self._pg_data: Path | None = None
        self._root = os.geteuid() == 0

    # -- the parts -------------------------------------------------------------------------

    def start(self) -> Topology:
        missing = [
            package
            for package, program in (
                ("redis-server", "redis-server"),
                ("nginx", NGINX),
                ("openssl", "openssl"),
            )
            if shutil.which(program) is None
        ]
        if missing:
            raise TopologyError(f"Missing Debian packages: apt-get install {' '.join(missing)}")
        pg_bin()  # PostgreSQL's server, or the package to install
        try:
            self._prepare()
            self._start_postgres()
            self._start_redis()
            self._setup_database()
            for name, port in zip(("app1", "app2"), self.app_ports, strict=True):
                self._spawn(name, [str(LEARNMAP), *self._serve_args(port)])
            self._spawn("worker", [str(LEARNMAP), "worker"])
            for name, url in zip(("app1", "app2"), self.app_urls, strict=True):
                self._wait_http(name, url + "/readyz")
            self._start_nginx()
            self._wait_http("nginx", self.url + "/healthz", context=self.tls_context())
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare(self) -> None:
        if self._given_dir is not None:
            self.dir = Path(self._given_dir).resolve()
            self.dir.mkdir(parents=True, exist_ok=True)
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="learnmap-topology-"))
        self.dir.chmod(0o755)  # PostgreSQL's and nginx's own users go through it
        self.logs = self.dir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.pg_port, self.redis_port, self.https_port, self.http_port = (
            free_port() for _ in range(4)
        )
        self.app_ports = (free_port(), free_port())
        self.app_urls = tuple(f"http://127.0.0.1:{port}" for port in self.app_ports)
        self.url = f"https://{DOMAIN}:{self.https_port}"
        self.database_url = f"postgres://learnmap:learnmap@127.0.0.1:{self.pg_port}/learnmap"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        (self.dir / "data").mkdir(exist_ok=True)
        # The compose deployment's environment (compose.yaml, x-app), pointed at this one.
        self.env = {
            # Loopback only: the worker's periodic link checks and Git pulls would reach out
            # to the Internet (the environment may turn them back on).
            "LEARNMAP_LINKCHECK_INTERVAL": "0",
            "LEARNMAP_SOURCES_SYNC_INTERVAL": "0",
            **os.environ,
            "LEARNMAP_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "ALLOWED_HOSTS": DOMAIN,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "TRUSTED_PROXY_COUNT": "1",
            "LEARNMAP_DATA_DIR": str(self.dir / "data"),
            "STATIC_ROOT": str(self.dir / "static"),
            "LEARNMAP_CONTENT_DIR": str(ROOT / "content"),
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("DJANGO_SETTINGS_MODULE", "EMAIL_HOST", "DEBUG"):
            self.env.pop(name, None)

    def _start_redis(self) -> None:
        (self.dir / "redis").mkdir(exist_ok=True)
        # A cache: nothing to persist, bounded memory (compose.yaml's redis).
        self._spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir / "redis"),
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            self._check_alive("redis")
            if time.monotonic() > deadline:
                raise TopologyError(f"redis did not answer PING:\n{tail(self.logs / 'redis.log')}")
            time.sleep(0.05)

    def _setup_database(self) -> None:
        # compose.yaml's "migrate" service: migrations and the built-in roadmaps, once.
        self.learnmap("serve", "--setup=only", log="migrate")
        self.learnmap("collectstatic", "--noinput", "--verbosity=0", log="migrate")

    def _serve_args(self, port: int) -> list[str]:
        # compose.yaml's x-serve command, on loopback.
        return [
            "serve",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--workers={self.workers}",
            "--setup=never",
            "--no-collectstatic",
        ]

    def nginx_values(self) -> dict[str, str]:
        """What fills deploy/nginx.conf's placeholders here (compose.yaml sets its own)."""
        return {
            "LEARNMAP_DOMAIN": DOMAIN,
            "LEARNMAP_APP1": f"127.0.0.1:{self.app_ports[0]}",
            "LEARNMAP_APP2": f"127.0.0.1:{self.app_ports[1]}",
            "LEARNMAP_HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "LEARNMAP_HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "LEARNMAP_TLS_DIR": str(self.dir / "nginx" / "tls"),
            "LEARNMAP_ACME_DIR": str(self.dir / "nginx" / "acme"),
            "LEARNMAP_NGINX_CACHE": str(self.dir / "nginx" / "cache"),
        }

    def _start_nginx(self) -> None:
        base = self.dir / "nginx"
        tls = base / "tls"
        for sub in ("tls", "acme", "cache", "temp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        self._run(
            "openssl",
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={DOMAIN}",
                "-addext",
                f"subjectAltName=DNS:{DOMAIN}",
                "-keyout",
                str(tls / "privkey.pem"),
                "-out",
                str(tls / "fullchain.pem"),
            ],
        )
        site = render_nginx(NGINX_TEMPLATE.read_text(), self.nginx_values())
        (base / "learnmap.conf").write_text(site)
        user = ""
        if self._root:  # nginx's workers as nobody, as Debian's package runs them as www-data
            user = "user nobody nogroup;"
            for sub in ("cache", "temp"):
                shutil.chown(base / sub, "nobody", "nogroup")
        temp = base / "temp"
        # What the nginx image's own nginx.conf gives the site's file (compose.yaml): the
        # http {} block it is included in, with the paths of this directory.
        main = f"""\
{user}
daemon off;
worker_processes 2;
pid {base}/nginx.pid;
error_log {self.logs}/nginx-error.log notice;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # Which instance answered, and the microcache's verdict (the tests read these).
    log_format topology '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr cache=$upstream_cache_status';
    access_log {self.logs}/nginx-access.log topology;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {base}/learnmap.conf;
}}
"""
        (base / "nginx.conf").write_text(main)
        command = [
            NGINX,
            "-p",
            str(base),
            "-e",
            str(self.logs / "nginx-error.log"),
            "-c",
            str(base / "nginx.conf"),
        ]
        self._run("nginx -t", [*command, "-t", "-q"])
        self._spawn("nginx", command)

    # -- running things --------------------------------------------------------------------

    def learnmap(self, *args: str, log: str | None = None) -> subprocess.CompletedProcess:
        """Run a ``learnmap`` command against this topology; an error quotes its output."""
        return self._run(f"learnmap {args[0]}", [str(LEARNMAP), *args], env=self.env, log_name=log)

    def tls_context(self) -> ssl.SSLContext:
        """Trusts this topology's certificate (and only it)."""
        return ssl.create_default_context(cafile=str(self.dir / "nginx/tls/fullchain.pem"))

    # -- faults (tests/topology/test_faults.py) ------------------------------------------

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """``kill -9`` (or ``sig``) to the process group of ``name`` (an instance, say), and
        wait for it to be gone."""
        process = self._procs[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=STOP_TIMEOUT)

    def restart(self, name: str) -> None:
        """Start ``name`` ("app1", "app2" or "worker") again, as it was (stopped first if it
        still runs); an instance is waited for until it answers ``/readyz``."""
        if self._procs[name].poll() is None:
            self.kill(name, signal.SIGTERM)
        if name == "worker":
            self._spawn(name, [str(LEARNMAP), "worker"])
            return
        index = ("app1", "app2").index(name)
        self._spawn(name, [str(LEARNMAP), *self._serve_args(self.app_ports[index])])
        self._wait_http(name, self.app_urls[index] + "/readyz")

    def stop_redis(self) -> None:
        """Redis stopped (SIGTERM, as systemd stops it) until ``start_redis()``."""
        self.kill("redis", signal.SIGTERM)

    def start_redis(self) -> None:
        """Redis started again on its port, empty (it persists nothing)."""
        self._start_redis()

    def pids(self) -> dict[str, int]:
        """The main process of each part: its process for what was spawned, the postmaster
        for PostgreSQL."""
        found = {name: p.pid for name, p in self._procs.items() if p.poll() is None}
        if self._pg_data is not None and (self._pg_data / "postmaster.pid").exists():
            found["postgres"] = int((self._pg_data / "postmaster.pid").read_text().split()[0])
        return found

    def rss(self) -> dict[str, int]:
        """Resident memory in KB of each part: its main process and all its descendants
        (granian's workers, nginx's workers, PostgreSQL's backends), from /proc."""
        return {name: tree_rss(pid) for name, pid in self.pids().items()}

    # -- stopping --------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop everything started, the last started first: SIGTERM to each process group,
        SIGKILL after STOP_TIMEOUT; PostgreSQL by pg_ctl. Then remove the directory, unless
        ``keep``."""
        self._stop_processes()
        self._stop_postgres()
        if not self.keep and self.dir != Path() and self._given_dir is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run Learnmap's production topology on loopback until Ctrl-C: "
        "PostgreSQL, Redis, two `learnmap serve`, one `learnmap worker`, nginx "
        "(deploy/nginx.conf)."
    )
    parser.add_argument("--keep", action="store_true", help="keep the directory (and logs)")
    parser.add_argument("--workers", type=int, default=1, help="granian workers per instance")
    options = parser.parse_args(argv)
    # Ctrl-C (even when started with SIGINT ignored, as `cmd &` does) and SIGTERM stop
    # everything it started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with Topology(keep=options.keep, workers=options.workers) as site:
            print(f"Learnmap on {site.url}/ (certificate: {site.dir}/nginx/tls/fullchain.pem)")
            print(f"  instances: {', '.join(site.app_urls)}; DATABASE_URL={site.database_url}")
            print(f"  REDIS_URL={site.redis_url}; logs in {site.logs}/ ; Ctrl-C stops it all")
            while True:
                for name in list(site._procs):
                    site._check_alive(name)
                time.sleep(1)
    except KeyboardInterrupt:
        print("Stopped.")
        return 0
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
