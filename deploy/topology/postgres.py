"""The topology's throwaway PostgreSQL cluster (topology.py), started the way ``.ci/run``
starts one: ``initdb`` and ``pg_ctl`` as the postgres user when run as root, on loopback, with
durability off (worthless for a throwaway server)."""

from __future__ import annotations

import shutil
import subprocess
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
        self._run(
            "postgres",
            self._as_postgres(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(self._pg_data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                    "-o",
                    options,
                ]
            ),
            log=log,
        )
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
