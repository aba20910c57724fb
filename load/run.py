"""`make load`: gunicorn + PostgreSQL under concurrent viewers while editors write postings, ~60 s, loopback only.

- Database kp_nat_load, copied from kp_nat_bench (national data, see `make bench`) when it exists,
  else built small (all units, Kon Tum's pilot, generate_national --scale 0.1). Recreated every run.
- gunicorn on 127.0.0.1:PORT (default 8104), started and stopped here.
- Viewers (threads, each logged in through /accounts/login/) loop over the pages this branch has:
  the dashboards and lists by URL name when they exist, admin lists otherwise.
- Editors (threads) post new officers to communes through personnel.services.posting_start, on the
  same database, while the viewers read: one posting a second each by default (--editor-pause),
  or flat out with --editor-pause 0.
- Reports throughput, latency percentiles, errors (must be 0), then checks every write is there.
Exit status 1 when a request failed or a write is missing.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
LOAD_DB = "kp_nat_load"
SOURCE_DB = "kp_nat_bench"
HOST = "127.0.0.1"
USERNAME, PASSWORD = "load.viewer", "load-viewer-not-secret-2019"
KON_TUM = 62

ENV = {
    "DATABASE_URL": f"{SERVER}/{LOAD_DB}",
    "DEBUG": "0",
    "SECRET_KEY": "load-run-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",  # plain HTTP on loopback
    "OTP_REQUIRED_FOR_EDITORS": "0",  # the load measures pages; its staff user signs in with a password only
}


def _manage(*args: str) -> str:
    env = {**os.environ, **ENV}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        conn.execute(f'DROP DATABASE IF EXISTS "{LOAD_DB}"')
        if SOURCE_DB in names:
            try:
                conn.execute(f'CREATE DATABASE "{LOAD_DB}" TEMPLATE "{SOURCE_DB}"')
                print(f"{LOAD_DB}: copied from {SOURCE_DB} (national data)")
                _manage("migrate", "--noinput", "-v0")
                return
            except psycopg.Error as error:  # someone is connected to the source: build a small one instead
                print(f"could not copy {SOURCE_DB} ({error.__class__.__name__}); building a small data set")
        conn.execute(f'CREATE DATABASE "{LOAD_DB}"')
    _manage("migrate", "--noinput", "-v0")
    _manage("import_divisions")
    _manage("load_pilot_demo")
    print(f"{LOAD_DB}: built small: {_manage('generate_national', '--scale', '0.1')}")


def setup_django() -> None:
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_viewer() -> None:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.is_staff = user.is_superuser = True  # no profile: national scope; staff: the admin lists too
    user.set_password(PASSWORD)
    user.save()


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, **ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kontum_posts.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--threads", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection(HOST, port, timeout=1).request("GET", "/accounts/login/")
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


# ---- HTTP client --------------------------------------------------------------------------------

class Browser:
    """One viewer: a keep-alive connection and the cookies of a logged-in session."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            raise
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())

    def login(self) -> None:
        status, html, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise SystemExit(f"login page: {status}")
        status, _, headers = self.request(
            "POST", "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login refused: {status}")


def pages(browser: Browser) -> list[str]:
    """The read pages this branch serves with 200 to a logged-in national user."""
    from django.urls import NoReverseMatch, reverse

    from communes.models import District

    district = District.objects.filter(code=610).first()
    candidates = []
    for name, query in (
        ("dashboard", f"?province={KON_TUM}&as_of=2019-04-23"),
        ("dashboard", f"?province={KON_TUM}"),
        ("national_dashboard", ""),
        ("officer_list", "?district=610"),
        ("posting_list", "?district=610"),
        ("partyrole_list", ""),
    ):
        try:
            candidates.append(reverse(name) + query)
        except NoReverseMatch:
            pass
    candidates += [
        "/admin/personnel/officer/",
        f"/admin/personnel/posting/?commune__district__id__exact={district.pk if district else ''}",
        "/admin/communes/commune/?q=dak",
    ]
    served = []
    for path in candidates:
        status, _, _ = browser.request("GET", path)
        if status == 200:
            served.append(path)
    return served


# ---- the run ------------------------------------------------------------------------------------

def viewer(port: int, paths: list[str], until: float, results: list, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port)
    browser.login()
    while time.perf_counter() < until:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            status, _, _ = browser.request("GET", path)
        except Exception as error:  # noqa: BLE001 — every failure is counted and reported
            status = f"{error.__class__.__name__}"
        results.append((path, status, time.perf_counter() - started))


def editor(until: float, writes: list, failures: list, seed: int, communes: list[int], pause: float = 0.0) -> None:
    from django.db import connection

    from personnel.choices import Gender, Rank
    from personnel.models import Officer

    rng = random.Random(seed)
    n = 0
    try:
        while time.perf_counter() < until:
            n += 1
            number = f"L{seed:02d}{n:06d}"
            started = time.perf_counter()
            try:
                officer = Officer.objects.create(
                    full_name=f"Trần Văn Tải {seed}-{n}", gender=Gender.MALE, rank=Rank.LIEUTENANT,
                    service_number=number,
                )
                _post(officer, communes, rng, n)
                writes.append((number, time.perf_counter() - started))
            except Exception as error:  # noqa: BLE001
                failures.append((number, repr(error)))
            time.sleep(pause)
    finally:
        connection.close()


def _post(officer, communes: list[int], rng: random.Random, n: int) -> None:
    from communes.models import Commune
    from personnel.choices import Position
    from personnel.services import posting_start

    posting_start(
        officer=officer, commune=Commune.objects.get(pk=rng.choice(communes)), position=Position.STANDING_OFFICER,
        on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 300)), decision_number=f"{n}/QĐ-LOAD",
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--viewers", type=int, default=8)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (2 threads each)")
    parser.add_argument("--editor-pause", type=float, default=1.0,
                        help="seconds each editor waits between postings (0: write flat out; every write "
                             "makes the cached dashboards compute again)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8104)))
    args = parser.parse_args(argv)

    prepare_database()
    _manage("collectstatic", "--noinput", "-v0")  # DEBUG off: WhiteNoise serves the hashed manifest
    setup_django()
    make_viewer()
    from django.db import connection

    from communes.models import Commune
    from communes.periods import TERM
    from personnel.models import Posting

    communes = list(Commune.objects.filter(province__code=KON_TUM).values_list("pk", flat=True))
    connection.close()

    server = start_gunicorn(args.port, args.workers)
    try:
        probe = Browser(args.port)
        probe.login()
        paths = pages(probe)
        print(f"gunicorn {args.workers} workers × 2 threads on {HOST}:{args.port}; {args.viewers} viewers, "
              f"{args.editors} editors (pause {args.editor_pause:g}s between writes), {args.seconds}s; pages:")
        for path in paths:
            print(f"  {path}")
        results: list = []
        writes: list = []
        failures: list = []
        until = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=viewer, args=(args.port, paths, until, results, i)) for i in range(args.viewers)]
        threads += [threading.Thread(target=editor, args=(until, writes, failures, 50 + i, communes, args.editor_pause))
                    for i in range(args.editors)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    errors = [r for r in results if r[1] != 200]
    latencies = [r[2] * 1000 for r in results]
    print()
    print(f"reads:  {len(results)} requests in {elapsed:.1f}s = {len(results) / elapsed:.1f} req/s; "
          f"latency median {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
          f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies):.0f} ms; errors {len(errors)}")
    per_path = defaultdict(list)
    for path, _status, seconds in results:
        per_path[path].append(seconds * 1000)
    for path, values in sorted(per_path.items()):
        print(f"  {len(values):5d} × {path:70.70} median {statistics.median(values):6.0f} ms  p95 {percentile(values, 95):6.0f} ms")
    write_ms = [w[1] * 1000 for w in writes]
    print(f"writes: {len(writes)} postings (officer + posting_start) = {len(writes) / elapsed:.1f}/s; "
          f"median {statistics.median(write_ms) if write_ms else 0:.0f} ms, p95 {percentile(write_ms, 95):.0f} ms; "
          f"errors {len(failures)}")
    for number, error in failures[:5]:
        print(f"  {number}: {error}")
    for path, status, _ in errors[:5]:
        print(f"  {status} {path}")

    numbers = [w[0] for w in writes]
    found = set(Posting.objects.filter(TERM.still_open(), officer__service_number__in=numbers)
                .values_list("officer__service_number", flat=True))
    missing = sorted(set(numbers) - found)
    print(f"check:  {len(found)}/{len(numbers)} written postings found in the database; missing {len(missing)}")
    if errors or failures or missing:
        sys.exit(1)
