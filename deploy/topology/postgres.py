"""The topology's throwaway PostgreSQL cluster (topology.py), started the way ``.ci/run``
starts one: ``initdb`` and ``pg_ctl`` as the postgres user when run as root, on loopback, with
durability off (worthless for a throwaway server)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from deploy.topology.processes import Processes, TopologyError


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise TopologyError("PostgreSQL's server is not installed: apt-get install postgresql")
    return found[-1]


class Postgres(Processes):
    """Starts and stops the cluster in ``<dir>/postgres`` on ``pg_port``."""

    pg_port: int
    _root: bool
    _pg_data: Path | None
    _pg_options: str

    def _as_postgres(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self._root else args

    def _start_postgres(self) -> None:
        bin_dir = pg_bin()
        cluster = self.dir / "postgres"
        cluster.mkdir(exist_ok=True)
        if self._root:
            shutil.chown(cluster, "postgres", "postgres")
        self._pg_data = cluster / "data"
        log = self.logs / "postgres.log"
        log.touch()
        if self._root:
            shutil.chown(log, "postgres", "postgres")
        self._run(
            "initdb",
            self._as_postgres(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(self._pg_data),
                    "-U",
                    "postgres",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                ]
            ),
        )
        # Durability is worthless for a throwaway server; speed is not (as .ci/run).
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -k {cluster} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._pg_options = options
        self._pg_ctl("start", "-o", options)
        self._run(
            "postgres roles",
            self._as_postgres(
                [
                    str(bin_dir / "psql"),
                    "-h",
                    str(cluster),
                    "-p",
                    str(self.pg_port),
                    "-U",
                    "postgres",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    "CREATE ROLE learnmap LOGIN PASSWORD 'learnmap'",
                    "-c",
                    "CREATE DATABASE learnmap OWNER learnmap",
                ]
            ),
        )

    def _pg_ctl(self, *args: str) -> None:
        log = self.logs / "postgres.log"
        command = [str(pg_bin() / "pg_ctl"), "-D", str(self._pg_data), "-l", str(log), "-w"]
        self._run(f"pg_ctl {args[0]}", self._as_postgres([*command, "-t", "60", *args]), log=log)

    def restart_postgres(self, *, down_for: float = 0) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, and the server is back (same
        options) when this returns; with ``down_for``, stopped that many seconds first."""
        if not down_for:
            self._pg_ctl("restart", "-m", "fast")
            return
        self._pg_ctl("stop", "-m", "fast")
        time.sleep(down_for)
        self._pg_ctl("start", "-o", self._pg_options)

    def _stop_postgres(self) -> None:
        if self._pg_data is not None and (self._pg_data / "postmaster.pid").exists():
            subprocess.run(
                self._as_postgres(
                    [str(pg_bin() / "pg_ctl"), "-D", str(self._pg_data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
                timeout=60,
            )
        self._pg_data = None
