"""Running the topology's processes (topology.py): each in its own process group with its log
in ``<directory>/logs/``, waited for over HTTP, stopped the last started first; and filling
the placeholders of their configuration files (``render_nginx``)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

STOP_TIMEOUT = 15  # seconds a process gets to end after SIGTERM before SIGKILL
READY_TIMEOUT = 90  # seconds the whole site gets to answer


class TopologyError(RuntimeError):
    """A part of the topology did not start; the message names it and quotes its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def tree_rss(root: int) -> int:
    """VmRSS (KB) of process ``root`` and all its descendants, from /proc (0 if gone)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def render_nginx(template: str, values: Mapping[str, str], *, name: str = "nginx.conf") -> str:
    """``template`` with each ``${NAME}`` of ``values`` replaced, as the nginx image's envsubst
    does in the compose deployment; a ``${LEARNMAP_...}`` left without a value is an error
    naming its line (nginx's own ``$variables`` have no braces and are left alone)."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            line = template.count("\n", 0, match.start()) + 1
            raise TopologyError(f"{name}, line {line}: no value for ${{{key}}}")
        return values[key]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", replace, template)


class Processes:
    """The processes of a topology: ``dir`` (working directory), ``logs`` and ``env`` are
    the topology's."""

    dir: Path
    logs: Path
    env: dict[str, str]

    def __init__(self) -> None:
        self._procs: dict[str, subprocess.Popen] = {}

    def _run(
        self,
        what: str,
        command: list[str],
        *,
        env: Mapping[str, str] | None = None,
        log: Path | None = None,
        log_name: str | None = None,
    ) -> subprocess.CompletedProcess:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, cwd=self.dir, timeout=300
        )
        if log_name:
            with (self.logs / f"{log_name}.log").open("a") as out:
                out.write(done.stdout + done.stderr)
        if done.returncode != 0:
            extra = f"\n{tail(log)}" if log else ""
            raise TopologyError(
                f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
                + extra
            )
        return done

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=self.dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop each part ourselves
        )
        log.close()
        self._procs[name] = process
        return process

    def _check_alive(self, name: str) -> None:
        code = self._procs[name].poll()
        if code is not None:
            raise TopologyError(f"{name} exited with {code}:\n{tail(self.logs / f'{name}.log')}")

    def _wait_http(self, name: str, url: str, *, context: ssl.SSLContext | None = None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        last = ""
        while time.monotonic() < deadline:
            self._check_alive(name)
            try:
                with urllib.request.urlopen(url, timeout=5, context=context) as answer:  # noqa: S310 (our own http(s) address)
                    if answer.status == 200:
                        return
            except OSError as exc:
                last = str(exc)
            time.sleep(0.1)
        raise TopologyError(
            f"{name} did not answer {url} within {READY_TIMEOUT} s ({last}):\n"
            f"{tail(self.logs / f'{name}.log')}"
        )

    def _stop_processes(self) -> None:
        """SIGTERM to each process group, the last started first; SIGKILL after
        STOP_TIMEOUT."""
        started = list(reversed(self._procs.values()))
        for process in started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._procs.clear()
