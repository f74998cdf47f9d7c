"""``learnmap serve``: the production server, granian in WSGI mode.

Before it listens it collects the static files (whitenoise serves them, compressed and with
far-future cache headers) and, on the embedded default (SQLite), applies the migrations and
loads the built-in roadmaps. On PostgreSQL that is a deploy step, run once:
``learnmap serve --setup only``, so that two instances never migrate at the same time.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import ipaddress
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_TARGET = "learnmap.config.wsgi:application"
SETUP_CHOICES = ("auto", "always", "never", "only")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _default_port() -> int:
    raw = os.environ.get("PORT", "").strip()
    if not raw:
        return 8000
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"PORT={raw!r} is not a port number.") from None


def _static_fingerprint() -> str:
    """What collectstatic's output depends on: every source file, where and how it is stored."""
    digest = hashlib.sha256()
    for value in (settings.STATIC_ROOT, settings.STATIC_URL, settings.STORAGES["staticfiles"]):
        digest.update(f"{value}\n".encode())
    for finder in get_finders():
        for path, storage in finder.list([]):
            source = storage.path(path)
            stat = os.stat(source)
            digest.update(f"{path} {source} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the worker gets SIGTERM when serve dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def background_worker(enabled: bool) -> Iterator[subprocess.Popen | None]:
    """``learnmap worker`` in a child process while the server runs (linkcheck engineer).

    It stops with the server: SIGTERM (a running link check is put back in the queue, to go
    on next time), then SIGKILL if it has not ended within 10 seconds; and it ends by itself
    if serve is killed (it watches its parent)."""
    if not enabled:
        yield None
        return
    command = [sys.executable, "-m", "learnmap.cli", "worker", "--parent-pid", str(os.getpid())]
    worker = subprocess.Popen(
        command,
        start_new_session=True,  # Ctrl-C reaches serve, which stops the worker itself
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Serve Learnmap with granian (WSGI): collect static files, prepare the database on "
        "SQLite, then listen until Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", help="IP address to listen on (0.0.0.0: all)"
        )
        parser.add_argument(
            "--port", type=int, default=None, help="port to listen on (default: $PORT or 8000)"
        )
        parser.add_argument(
            "--workers", type=int, default=_cores(), help="worker processes (default: one a core)"
        )
        parser.add_argument(
            "--setup",
            choices=SETUP_CHOICES,
            default="auto",
            help=(
                "apply migrations and load the built-in roadmaps: auto (only on SQLite), "
                "always, never, or only (do it and exit, without serving)"
            ),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="skip collectstatic (the static files were collected when the image was built)",
        )
        parser.add_argument("--access-log", action="store_true", help="log every request")
        # linkcheck engineer: the background worker beside the site, on the embedded default.
        parser.add_argument(
            "--worker",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "run a background worker (`learnmap worker`: link checks) beside the server "
                "(default: on the embedded default, off in production)"
            ),
        )

    def handle(self, *args, **options):
        port = options["port"] if options["port"] is not None else _default_port()
        if not 0 < port < 65536:
            raise CommandError(f"{port} is not a port number (1-65535).")
        try:
            ipaddress.ip_address(options["host"])
        except ValueError:
            raise CommandError(
                f"--host {options['host']!r} is not an IP address (try 127.0.0.1, 0.0.0.0 or ::)."
            ) from None
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")

        setup = options["setup"]
        if setup in ("always", "only") or (setup == "auto" and self._on_sqlite()):
            self._setup()
        if setup == "only":
            return
        if not options["no_collectstatic"]:
            self._collectstatic()
        # The workers are forked from this process: none of them may inherit its connection.
        connections.close_all()
        worker = options["worker"] if options["worker"] is not None else not settings.PRODUCTION
        with background_worker(worker):
            self._serve(options["host"], port, options["workers"], options["access_log"])

    def _on_sqlite(self) -> bool:
        return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

    def _setup(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loadroadmaps", stdout=self.stdout, stderr=self.stderr)

    def _collectstatic(self) -> None:
        """Collect (hash and compress) the static files, unless none changed since last time.

        Collecting takes seconds; checking the sources takes milliseconds.
        """
        stamp = Path(settings.DATA_DIR) / "static-sources.sha256"
        fingerprint = _static_fingerprint()
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fingerprint)

    def _serve(self, host: str, port: int, workers: int, access_log: bool) -> None:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        server = Granian(
            WSGI_TARGET,
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=1,
            log_level=LogLevels.warning,
            log_access=access_log,
        )

        listening = False

        @server.on_startup
        def announce() -> None:
            nonlocal listening
            listening = True
            plural = "s" if workers > 1 else ""
            self.stdout.write(
                f"Learnmap is serving on {_url(host, port)} ({workers} worker{plural}); "
                "Ctrl-C stops it."
            )
            self.stdout.flush()

        self.stdout.flush()
        try:
            server.serve()
        except (OSError, RuntimeError) as exc:  # granian reports a failed bind as RuntimeError
            if listening:
                raise
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CommandError(f"Cannot listen on {_url(host, port)}: {reason}") from None
        self.stdout.write("Learnmap stopped.")
