"""`learnmap serve` keeps serving when one of its processes dies, and stops whole when asked.

Real processes on loopback: ``learnmap serve --workers 2`` on a free port, with its background
worker, against a throwaway SQLite data directory; client threads keep requests going while a
process is killed or the server is told to stop. The processes are found in ``/proc`` (the main
process's children), the socket each client connection ended on too (``/proc/net/tcp`` and the
workers' open files), so a test can tell the requests the killed worker held from the others.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import LEARNMAP

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree from /proc"),
]

LOAD_PATH = "/api/v1/roadmaps"  # public, goes through Django and the database
RECOVERY_SECONDS = 5  # issue 9: the server answers again with both workers within 5 s
STOP_SECONDS = 10  # issue 10: Ctrl-C or SIGTERM stops everything within 10 s
# How a request on a connection that dies with its worker fails (never an HTTP error).
TRANSPORT_ERRORS = {"ReadError", "RemoteProtocolError", "WriteError", "ConnectError"}
LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp
ESTABLISHED = "01"


# --- the process tree, from /proc --------------------------------------------------------------


def _alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    pids: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids += [int(child) for child in children.read_text().split()]
        except OSError:
            continue  # the thread ended while we looked
    return [child for child in pids if _alive(child)]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def _is_background_worker(pid: int) -> bool:
    return "worker" in _cmdline(pid) and "--parent-pid" in _cmdline(pid)


def _granian_workers(main: int) -> list[int]:
    return [pid for pid in _children(main) if not _is_background_worker(pid)]


def _background_workers(main: int) -> list[int]:
    return [pid for pid in _children(main) if _is_background_worker(pid)]


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _tcp_sockets() -> list[tuple[int, int, str, str]]:
    """(local port, remote port, state, inode) of every IPv4 TCP socket."""
    rows = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rpartition(":")[2], 16)
        remote_port = int(fields[2].rpartition(":")[2], 16)
        rows.append((local_port, remote_port, fields[3], fields[9]))
    return rows


def _listening_workers(main: int, port: int) -> list[int]:
    """The granian workers of ``main`` with a socket listening on ``port``."""
    listening = {
        inode for local, _, state, inode in _tcp_sockets() if local == port and state == LISTEN
    }
    return [pid for pid in _granian_workers(main) if _socket_inodes(pid) & listening]


def _worker_of_connection(main: int, port: int, client_port: int) -> int | None:
    """The granian worker holding the server side of the connection from ``client_port``."""
    inodes = {
        inode
        for local, remote, state, inode in _tcp_sockets()
        if local == port and remote == client_port and state == ESTABLISHED
    }
    for pid in _granian_workers(main):
        if _socket_inodes(pid) & inodes:
            return pid
    return None


def _wait_for(predicate, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {seconds} s.\n--- serve's output ---\n{log.read_text()}")


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _port_is_free(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True


# --- the server --------------------------------------------------------------------------------


@dataclass
class Serve:
    process: subprocess.Popen
    url: str
    port: int
    log: Path
    seen: set[int] = field(default_factory=set)  # every process it ever had, for the clean-up

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        pids = _granian_workers(self.pid)
        self.seen.update(pids)
        return pids

    def background_workers(self) -> list[int]:
        pids = _background_workers(self.pid)
        self.seen.update(pids)
        return pids

    def ready(self) -> bool:
        """Both workers listen, the background worker runs, and the site answers."""
        self.workers()
        return (
            len(_listening_workers(self.pid, self.port)) == 2
            and len(self.background_workers()) == 1
            and _answers(self.url)
        )


@pytest.fixture
def serve(learnmap_env, free_port, tmp_path) -> Iterator[Serve]:
    """``learnmap serve --workers 2`` in a session of its own (like a terminal's job: a test
    can send a signal to its whole process group), on SQLite in an empty data directory."""
    env = {k: v for k, v in learnmap_env.items() if k != "DATABASE_URL"}
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(LEARNMAP),
                "serve",
                "--port",
                str(free_port),
                "--workers",
                "2",
                "--no-collectstatic",
            ],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Serve(process, f"http://127.0.0.1:{free_port}", free_port, log)
    try:
        deadline = time.monotonic() + 120
        while not server.ready():
            if process.poll() is not None:
                pytest.fail(f"learnmap serve exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"learnmap serve was not ready in 120 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in server.seen:  # the background worker has a session of its own
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    client: int
    started: float
    ended: float
    client_port: int | None  # the connection that answered (None: no answer)
    error: str | None  # None: 200


def _client_port(response: httpx.Response) -> int | None:
    try:
        return response.extensions["network_stream"].get_extra_info("client_addr")[1]
    except OSError:  # the server closed the connection after answering
        return None


class Load:
    """Client threads, each with one keep-alive connection, sending requests in a loop."""

    def __init__(self, url: str, clients: int) -> None:
        self.url = url
        self.clients = [self._client() for _ in range(clients)]
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(index,), daemon=True)
            for index in range(clients)
        ]

    @staticmethod
    def _client() -> httpx.Client:
        return httpx.Client(timeout=10, limits=httpx.Limits(max_connections=1))

    def request(self, index: int) -> Outcome:
        started = time.monotonic()
        client_port = error = None
        try:
            response = self.clients[index].get(f"{self.url}{LOAD_PATH}")
            client_port = _client_port(response)
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            error = f"{type(exc).__name__}: {exc}"
        return Outcome(index, started, time.monotonic(), client_port, error)

    def reconnect(self, index: int) -> None:
        self.clients[index].close()
        self.clients[index] = self._client()

    def _run(self, index: int) -> None:
        while not self._stop.is_set():
            outcome = self.request(index)
            with self._lock:
                self.outcomes.append(outcome)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        for client in self.clients:
            client.close()

    def last_port(self, index: int) -> int | None:
        with self._lock:
            for outcome in reversed(self.outcomes):
                if outcome.client == index and outcome.client_port is not None:
                    return outcome.client_port
        return None

    def count(self) -> int:
        with self._lock:
            return len(self.outcomes)

    def failures(self) -> list[Outcome]:
        with self._lock:
            return [outcome for outcome in self.outcomes if outcome.error is not None]


def _spread_over_both_workers(load: Load, serve: Serve) -> dict[int, int]:
    """Open the clients' connections so that each worker holds at least one; returns
    {client: worker}. The kernel spreads new connections over the workers by their ports."""
    owners: dict[int, int] = {}
    for _ in range(100):
        for index in range(len(load.clients)):
            if index not in owners:
                outcome = load.request(index)
                assert outcome.error is None, outcome
                owner = _worker_of_connection(serve.pid, serve.port, outcome.client_port)
                if owner is not None:
                    owners[index] = owner
        if len(set(owners.values())) == 2:
            return owners
        moved = next(iter(owners))  # all on one worker: a new connection for one client
        load.reconnect(moved)
        del owners[moved]
    pytest.fail(f"the connections never spread over both workers: {owners}")


# --- the tests ---------------------------------------------------------------------------------


def test_a_killed_worker_is_replaced_and_the_other_workers_requests_complete(serve):
    load = Load(serve.url, clients=6)
    _spread_over_both_workers(load, serve)
    load.start()
    try:
        _wait_for(lambda: load.count() >= 60, 60, "60 requests under load", serve.log)
        # Which worker each client's connection is on, just before the kill.
        owners = {
            index: _worker_of_connection(serve.pid, serve.port, load.last_port(index))
            for index in range(len(load.clients))
        }
        victim, survivor = serve.workers()
        on_victim = {index for index, owner in owners.items() if owner == victim}
        on_survivor = {index for index, owner in owners.items() if owner == survivor}
        assert None not in owners.values(), owners
        assert on_victim and on_survivor, owners  # both workers had requests in flight

        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:
            workers = _listening_workers(serve.pid, serve.port)
            return len(workers) == 2 and victim not in workers and _answers(serve.url)

        _wait_for(
            replaced, RECOVERY_SECONDS, "two listening workers again after kill -9", serve.log
        )
        recovered_at = time.monotonic()
        assert survivor in serve.workers()  # the other worker was left alone
        assert serve.process.poll() is None
        # Keep the load on for a while after the recovery: every request must succeed.
        count = load.count()
        _wait_for(lambda: load.count() >= count + 60, 60, "60 requests after recovery", serve.log)
    finally:
        load.stop()

    failures = load.failures()
    # Every request on the surviving worker's connections completed, before and after the kill.
    assert [f for f in failures if f.client in on_survivor] == [], serve.log.read_text()
    # The killed worker's clients lost what that worker held: the request each had in flight
    # and, at most once more, the new connection that raced into the dying worker's queue of
    # connections not yet accepted (the kernel resets them when it closes its socket, unless
    # net.ipv4.tcp_migrate_req moves them to another worker). Nothing after the replacement.
    lost = [f for f in failures if f.client in on_victim]
    for index in on_victim:
        assert len([f for f in lost if f.client == index]) <= 2, lost
    assert all(f.error.split(":")[0] in TRANSPORT_ERRORS for f in lost), lost
    assert [f for f in failures if f.started >= recovered_at] == []
    assert "Unexpected exit from worker" in serve.log.read_text()


def test_a_killed_background_worker_is_started_again(serve):
    workers = serve.workers()
    for _ in range(2):  # twice: the second time after a back-off, not never
        (background,) = serve.background_workers()
        os.kill(background, signal.SIGKILL)
        replacement = _wait_for(
            lambda killed=background: [p for p in serve.background_workers() if p != killed],
            30,
            "a new background worker after kill -9",
            serve.log,
        )
        assert len(replacement) == 1
        assert _cmdline(replacement[0])[-2:] == ["--parent-pid", str(serve.pid)]
        assert _answers(serve.url)
    assert serve.workers() == workers  # the site's workers were not touched
    assert serve.log.read_text().count("The background worker") >= 2  # serve said so


BODY = (b'{"progress": ', b"[]}")  # sent in two halves: before and after the signal


def _held_requests(serve: Serve, count: int) -> list[socket.socket]:
    """Requests in progress: the headers sent, half the body still to come."""
    held = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", serve.port), timeout=STOP_SECONDS)
        head = (
            f"POST {LOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(b''.join(BODY))}\r\n\r\n"
        )
        connection.sendall(head.encode() + BODY[0])
        held.append(connection)
    return held


def _stops_everything(serve: Serve, send) -> None:
    """Send the signal under load with requests in progress: every request in progress gets
    its answer, then everything stops within STOP_SECONDS and the port is free."""
    processes = [*serve.workers(), *serve.background_workers()]
    load = Load(serve.url, clients=4)
    load.start()
    try:
        _wait_for(lambda: load.count() >= 40, 60, "40 requests under load", serve.log)
        held = _held_requests(serve, 4)
        time.sleep(0.5)  # for the server to read their headers
        send()
        sent_at = time.monotonic()
        answers = []
        for connection in held:
            with connection:
                connection.sendall(BODY[1])  # the rest of the body, after the signal
                answers.append(connection.recv(64).split(b"\r\n")[0].decode())
        try:
            code = serve.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            alive = [pid for pid in processes if _alive(pid)]
            pytest.fail(
                f"serve still runs {STOP_SECONDS} s later ({alive=}):\n{serve.log.read_text()}"
            )
        _wait_for(
            lambda: not any(_alive(pid) for pid in processes),
            max(0.1, STOP_SECONDS - (time.monotonic() - sent_at)),
            "every worker gone",
            serve.log,
        )
    finally:
        load.stop()
    output = serve.log.read_text()
    assert code == 0, output
    assert "Learnmap stopped." in output
    assert _port_is_free(serve.port)
    # The requests in progress at the signal were answered (405: the list takes no POST).
    assert all(answer.startswith("HTTP/1.1 4") for answer in answers), answers
    # Under load, besides refused connections once the sockets closed, each client lost at
    # most the request it sent as its kept-alive connection was being closed, and the one it
    # sent on the new connection it opened then, if that landed in the backlog of a listener
    # being closed (the kernel resets those: seen once in CI, 13 ms after the first).
    for index in range(len(load.clients)):
        cut = [f for f in load.failures() if f.client == index and "ConnectError" not in f.error]
        assert len(cut) <= 2, cut
        assert all(f.error.split(":")[0] in TRANSPORT_ERRORS for f in cut), cut


def test_ctrl_c_in_the_terminal_stops_serve_and_every_worker(serve):
    # A terminal sends SIGINT to the whole foreground process group (make, serve, workers).
    _stops_everything(serve, lambda: os.killpg(serve.pid, signal.SIGINT))


def test_sigterm_to_the_main_process_stops_serve_and_every_worker(serve):
    _stops_everything(serve, lambda: os.kill(serve.pid, signal.SIGTERM))


def test_kill_9_to_serve_ends_every_worker(serve):
    processes = [*serve.workers(), *serve.background_workers()]
    os.kill(serve.pid, signal.SIGKILL)
    serve.process.wait()
    _wait_for(
        lambda: not any(_alive(pid) for pid in processes),
        STOP_SECONDS,
        "every worker gone after serve was killed",
        serve.log,
    )
    assert _port_is_free(serve.port)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_background_worker_that_crashes_at_start_is_started_again_ever_more_slowly():
    from learnmap.core.management.commands.serve import BackgroundWorker

    records = _Records()
    logger = logging.getLogger("learnmap.serve")
    logger.addHandler(records)
    worker = BackgroundWorker()
    worker.command = [sys.executable, "-c", "raise SystemExit(3)"]  # crashes at once
    worker.RESPAWN_FIRST_DELAY = 0.05
    try:
        worker.start()
        deadline = time.monotonic() + 30
        while len(records.records) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
        logger.removeHandler(records)
    assert [record.args[1:] for record in records.records[:4]] == [
        (3, 0.05),
        (3, 0.1),
        (3, 0.2),
        (3, 0.4),
    ]
    assert worker.process.poll() is not None  # and after stop() none is started again
