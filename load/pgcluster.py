"""A PostgreSQL primary and its streaming replica on loopback, for the replica test and `make load` (issue 16).

The machine's own PostgreSQL allows no replication connections, so they make a small primary of their
own (initdb, replication allowed from 127.0.0.1), takes a base backup of it into a second cluster
(pg_basebackup -R: a standby that streams from the primary) and starts both; everything is removed after.
PostgreSQL refuses to run as root: as root, the clusters run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

# Two ports per pytest-xdist worker (the test), and a pair of their own for `make load`.
WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "").removeprefix("gw") or 0)
PORTS = (55430 + 10 * WORKER_NUMBER, 55431 + 10 * WORKER_NUMBER)
LOAD_PORTS = (55420, 55421)


def bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, capture_output=True, text=True, timeout=600, check=True, **kwargs)


@dataclass
class Cluster:
    bindir: str
    primary_dir: str
    replica_dir: str
    primary_port: int
    replica_port: int

    def url(self, port: int, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{name}"

    def sql(self, port: int, statement: str, database: str = "postgres") -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-Atc", statement],
            capture_output=True, text=True, timeout=60, check=True)
        return result.stdout.strip()

    def stop_replica(self) -> None:
        _as_postgres([f"{self.bindir}/pg_ctl", "-D", self.replica_dir, "-m", "immediate", "-w", "stop"])

    def wait_for_replay(self, timeout: float = 20) -> None:
        """Until the replica has replayed everything the primary has written."""
        target = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while self.sql(self.replica_port, f"SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '{target}') >= 0") != "t":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not catch up")
            time.sleep(0.1)


def _start(bindir: str, data: str, port: int, log: str) -> None:
    _as_postgres([f"{bindir}/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                  f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={os.path.dirname(data)}",
                  "start"])


@contextlib.contextmanager
def primary_with_replica(ports: tuple[int, int] = PORTS, fill=None, durable: bool = False):
    """Yield a Cluster: a primary and a streaming, hot-standby replica, both on loopback. `fill(cluster)`, when
    given, runs on the primary before the replica is copied from it (a large restore streams faster so).
    `durable`: fsync and synchronous commits as in production (the load run); off for the tests' scratch data."""
    binaries = bindir()
    if binaries is None:
        raise RuntimeError("PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin)")
    root = tempfile.mkdtemp(prefix="kp-replica-")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, replica = os.path.join(root, "primary"), os.path.join(root, "replica")
    cluster = Cluster(binaries, primary, replica, *ports)
    started = []
    try:
        _as_postgres([f"{binaries}/initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8"])
        with open(os.path.join(primary, "postgresql.conf"), "a") as conf:
            conf.write("\nwal_level = replica\nmax_wal_senders = 4\nmax_connections = 200\n")
            if not durable:
                conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        with open(os.path.join(primary, "pg_hba.conf"), "a") as hba:
            hba.write("\nhost replication postgres 127.0.0.1/32 trust\n")
        _start(binaries, primary, cluster.primary_port, os.path.join(root, "primary.log"))
        started.append(primary)
        if fill is not None:
            fill(cluster)
        _as_postgres([f"{binaries}/pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.primary_port),
                      "-U", "postgres", "-D", replica, "-R", "-X", "stream", "-c", "fast"])
        _start(binaries, replica, cluster.replica_port, os.path.join(root, "replica.log"))
        started.append(replica)
        yield cluster
    finally:
        for data in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                _as_postgres([f"{binaries}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)
