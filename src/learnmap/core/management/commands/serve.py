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
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_TARGET = "learnmap.config.wsgi:application"
SETUP_CHOICES = ("auto", "always", "never", "only")
# Ctrl-C or SIGTERM stops everything within 10 seconds: granian's workers get 8 to finish
# their requests, the background worker (stopping meanwhile) 9, before they are killed.
WORKERS_KILL_TIMEOUT = 8
STOP_TIMEOUT = 9.0

logger = logging.getLogger("learnmap.serve")


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


def _prctl():
    """Linux's prctl(2), looked up before any fork: a child between fork and exec may only
    call what is already loaded."""
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent(prctl) -> None:  # pragma: no cover - runs in the child
    """Linux: this process gets SIGTERM when the thread that started it ends, even by SIGKILL."""
    with contextlib.suppress(Exception):
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _granian_worker(*args):  # pragma: no cover - runs in each granian worker process
    """Granian's WSGI worker, in a session of its own (Linux: and ended when serve ends).

    Ctrl-C in a terminal signals the whole foreground process group, and granian's workers,
    forked from serve, are in it by default: each got the terminal's SIGINT and, a moment
    later, SIGTERM from serve's main process, and now and then one went on serving after both,
    serve waiting for it for ever (Ctrl-C again, or SIGTERM, doing nothing). Out of the group,
    only the main process hears Ctrl-C, and it stops each worker once (SIGTERM: the requests
    in progress are finished; granian kills a worker still running WORKERS_KILL_TIMEOUT
    seconds later)."""
    import multiprocessing

    from granian.server.mp import MPServer

    with contextlib.suppress(OSError):
        os.setsid()  # a session, not only a group: no terminal to stop it (stty tostop)
    if sys.platform == "linux":
        _die_with_parent(_prctl())
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:
            return None  # serve died before the line above: nothing to serve for
    return MPServer._spawn_wsgi_worker(*args)


class BackgroundWorker:
    """``learnmap worker`` in a child process while the server runs, started again if it dies.

    A worker that dies on its own is started again after a pause, one second at first, twice
    as long after each death in a row (at most ``RESPAWN_MAX_DELAY``), back to one second once
    a worker has run for ``RESPAWN_RESET_AFTER``: a worker that crashes at start does not
    spin. ``stop()`` sends SIGTERM (a running link check is put back in the queue, to go on
    next time), then SIGKILL if it has not ended in time. The worker ends by itself if serve
    is killed (it watches its parent, and on Linux gets SIGTERM when serve dies)."""

    RESPAWN_FIRST_DELAY = 1.0
    RESPAWN_MAX_DELAY = 60.0
    RESPAWN_RESET_AFTER = 60.0

    def __init__(self) -> None:
        self.command = [
            sys.executable,
            *("-m", "learnmap.cli", "worker", "--parent-pid", str(os.getpid())),
        ]
        self.process: subprocess.Popen | None = None
        self._lock = threading.RLock()  # stop_soon() also runs in a signal handler
        self._stop_deadline: float | None = None
        self._stopping = threading.Event()
        self._prctl = _prctl() if sys.platform == "linux" else None
        self._thread = threading.Thread(
            target=self._supervise, name="learnmap-background-worker", daemon=True
        )

    def start(self) -> None:
        """Start the worker, from this thread, and the thread that starts it again if it dies."""
        self._spawn()
        self._thread.start()

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            prctl = self._prctl
            self.process = subprocess.Popen(
                self.command,
                start_new_session=True,  # Ctrl-C reaches serve, which stops the worker itself
                # Started from serve's main thread or the supervising one, each living until
                # stop(): see _die_with_parent.
                preexec_fn=(lambda: _die_with_parent(prctl)) if prctl else None,
            )
            return self.process

    def _supervise(self) -> None:
        delay = self.RESPAWN_FIRST_DELAY
        process = self.process
        while process is not None:
            started = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.RESPAWN_RESET_AFTER:
                delay = self.RESPAWN_FIRST_DELAY
            logger.warning(
                "The background worker (pid %s) exited with %s; starting another in %g s.",
                process.pid,
                code,
                delay,
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, self.RESPAWN_MAX_DELAY)
            process = self._spawn()

    def stop_soon(self, timeout: float = STOP_TIMEOUT) -> None:
        """Ask the worker to stop (SIGTERM) and start no other; do not wait. ``stop()`` kills
        it if it still runs ``timeout`` seconds after this first call."""
        with self._lock:
            if self._stop_deadline is None:
                self._stop_deadline = time.monotonic() + timeout
            self._stopping.set()
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the worker: SIGTERM, then SIGKILL if it still runs ``timeout`` seconds after
        it was first asked to stop."""
        self.stop_soon(timeout)
        self._thread.join(max(0.0, self._stop_deadline - time.monotonic()))
        process = self.process
        if process is not None and process.poll() is None:
            try:
                process.wait(max(0.0, self._stop_deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def background_worker(enabled: bool) -> Iterator[BackgroundWorker | None]:
    """The background worker (``learnmap worker``: link checks) beside the server while the
    block runs."""
    if not enabled:
        yield None
        return
    worker = BackgroundWorker()
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


def _also_on_stop_signals(action) -> None:
    """Run ``action`` too when SIGINT or SIGTERM arrives, before granian's own handler (set
    when it starts): the background worker stops while granian stops its workers."""
    serve = os.getpid()
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)

        def handler(signum, frame, previous=previous) -> None:
            if os.getpid() == serve:  # not in a worker forked before it set its own
                action()
            if callable(previous):
                previous(signum, frame)

        signal.signal(signum, handler)


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
        # The background worker beside the site (on by default with the embedded SQLite).
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
        with background_worker(worker) as background:
            self._serve(
                options["host"], port, options["workers"], options["access_log"], background
            )

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

    def _serve(
        self,
        host: str,
        port: int,
        workers: int,
        access_log: bool,
        background: BackgroundWorker | None = None,
    ) -> None:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server.mp import MPServer

        server = Granian(
            WSGI_TARGET,
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=1,
            log_level=LogLevels.warning,
            log_access=access_log,
            # A worker that dies is replaced; the others keep their connections. (Granian
            # gives up, and serve exits, if the replacement dies too within 5.5 seconds.)
            respawn_failed_workers=True,
            workers_kill_timeout=WORKERS_KILL_TIMEOUT,
        )

        listening = False

        @server.on_startup
        def announce() -> None:
            nonlocal listening
            listening = True
            if background is not None:
                _also_on_stop_signals(background.stop_soon)
            plural = "s" if workers > 1 else ""
            self.stdout.write(
                f"Learnmap is serving on {_url(host, port)} ({workers} worker{plural}); "
                "Ctrl-C stops it."
            )
            self.stdout.flush()

        self.stdout.flush()
        # Granian's own worker (a process), started in a process group of its own.
        spawn = _granian_worker if isinstance(server, MPServer) else None
        try:
            server.serve(spawn_target=spawn)
        except (OSError, RuntimeError) as exc:  # granian reports a failed bind as RuntimeError
            if listening:
                raise
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CommandError(f"Cannot listen on {_url(host, port)}: {reason}") from None
        self.stdout.write("Learnmap stopped.")
