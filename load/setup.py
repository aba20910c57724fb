"""What `make load` runs against: the database (on the machine's PostgreSQL, or a primary and streaming replica of
its own), the shared Redis cache, and N gunicorn servers on loopback (issue 16: past one machine)."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from load.pgcluster import LOAD_PORTS, primary_with_replica

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
LOAD_DB = "kp_nat_load"
SOURCE_DB = "kp_nat_bench"
HOST = "127.0.0.1"

BASE_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "load-run-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",  # plain HTTP on loopback
    "OTP_REQUIRED_FOR_EDITORS": "0",  # the load measures pages; its staff user signs in with a password only
}


def manage(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True,
                          capture_output=True, text=True).stdout.strip()


def _source_exists() -> bool:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SOURCE_DB]).fetchone() is not None


def _build_small(env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_divisions")
    manage(env, "load_pilot_demo")
    print(f"{LOAD_DB}: built small: {manage(env, 'generate_national', '--scale', '0.1')}")


def local_database() -> dict:
    """kp_nat_load on the machine's PostgreSQL, copied from kp_nat_bench (national data) when it exists."""
    import psycopg

    env = {**BASE_ENV, "DATABASE_URL": f"{SERVER}/{LOAD_DB}"}
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{LOAD_DB}"')
        if _source_exists():
            try:
                conn.execute(f'CREATE DATABASE "{LOAD_DB}" TEMPLATE "{SOURCE_DB}"')
                print(f"{LOAD_DB}: copied from {SOURCE_DB} (national data)")
                manage(env, "migrate", "--noinput", "-v0")
                return env
            except psycopg.Error as error:  # someone is connected to the source: build a small one instead
                print(f"could not copy {SOURCE_DB} ({error.__class__.__name__}); building a small data set")
        conn.execute(f'CREATE DATABASE "{LOAD_DB}"')
    _build_small(env)
    return env


@contextlib.contextmanager
def replicated_database():
    """A primary of its own (durable, as in production) holding kp_nat_load, restored from kp_nat_bench when it
    exists, and a streaming replica of it; yields the environment of the app servers."""
    env = {}

    def fill(cluster):
        env.update(BASE_ENV, DATABASE_URL=cluster.url(cluster.primary_port, LOAD_DB),
                   DATABASE_REPLICA_URL=cluster.url(cluster.replica_port, LOAD_DB))
        cluster.sql(cluster.primary_port, f"CREATE DATABASE {LOAD_DB}")
        started = time.perf_counter()
        if _source_exists():
            dump = subprocess.Popen(["pg_dump", "-Fc", "-Z0", f"{SERVER}/{SOURCE_DB}"], stdout=subprocess.PIPE)
            subprocess.run(["pg_restore", "--no-owner", "-d", env["DATABASE_URL"]], stdin=dump.stdout, check=True)
            dump.stdout.close()
            if dump.wait() != 0:
                raise SystemExit(f"pg_dump of {SOURCE_DB} failed")
            cluster.sql(cluster.primary_port, "ANALYZE", database=LOAD_DB)
            manage(env, "migrate", "--noinput", "-v0")
            print(f"{LOAD_DB}: restored from {SOURCE_DB} (national data) into the primary in "
                  f"{time.perf_counter() - started:.0f}s")
        else:
            _build_small(env)

    with primary_with_replica(LOAD_PORTS, fill=fill, durable=True) as cluster:
        cluster.wait_for_replay(timeout=120)
        print(f"primary 127.0.0.1:{cluster.primary_port}, streaming replica 127.0.0.1:{cluster.replica_port}")
        yield env


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()


def start_gunicorn(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kontum_posts.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
    )
    for _ in range(150):
        try:
            http.client.HTTPConnection(HOST, port, timeout=1).request("GET", "/accounts/login/")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


@contextlib.contextmanager
def servers(ports: list[int], workers: int, threads: int, env: dict):
    started = []
    try:
        for port in ports:
            started.append(start_gunicorn(port, workers, threads, env))
        yield
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            process.wait(timeout=30)
