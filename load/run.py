"""`make load`: two gunicorn servers sharing a Redis cache, a PostgreSQL primary and its streaming replica, under
viewers paced at a fixed rate while editors write postings, ~60 s, loopback only (issue 16).

- Database kp_nat_load, restored from kp_nat_bench (national data, see `make bench`) when it exists, else built
  small (all units, Kon Tum's pilot, generate_national --scale 0.1), into a primary of the run's own with a
  streaming replica (load/pgcluster.py: the machine's PostgreSQL allows no replication); `--no-replica`: a copy
  on the machine's PostgreSQL, as before.
- `--servers` gunicorns on 127.0.0.1:PORT, PORT+1, … (default 2), sharing Redis (CACHE_URL, its database 7,
  emptied first; `--no-cache`: each process's own memory), started and stopped here.
- Viewers, each logged in through /accounts/login/, request the pages this branch has: paced (`--rate`, requests
  a second, spread over the servers in turn; latency counts from the moment a request was due, so a server that
  falls behind shows it) or, with `--rate 0`, each thread flat out.
- Editors (threads) post new officers to communes through personnel.services.posting_start on the primary
  while the viewers read: one posting a second each by default (--editor-pause), or flat out with 0.
- Reports throughput, latency percentiles, errors (must be 0), then checks every write is there.
Exit status 1 when a request failed or a write is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from collections import defaultdict

from load import setup
from load.setup import HOST, ROOT

USERNAME, PASSWORD = "load.viewer", "load-viewer-not-secret-2019"
KON_TUM = 62
REDIS_URL = os.environ.get("LOAD_REDIS", "redis://127.0.0.1:6379/7")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_viewer() -> None:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.is_staff = user.is_superuser = True  # no profile: national scope
    user.set_password(PASSWORD)
    user.save()


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
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the kept-alive connection while it was idle (gunicorn's keepalive): as a
                # browser does, send the request again on a new connection, once, when it is a read.
                if method != "GET":
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
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
    """page_paths(), those this branch serves with 200."""
    served = []
    for path in page_paths():
        status, _, _ = browser.request("GET", path)
        if status == 200:
            served.append(path)
    return served


def page_paths() -> list[str]:
    """The pages provincial staff and leaders read, as a logged-in national user: dashboards (2019 and today),
    the national page, a district's lists, a commune's and an officer's page (bench/page_cpu_bench.py reads them too)."""
    from django.urls import NoReverseMatch, reverse

    from communes.models import Commune
    from personnel.models import Posting

    commune = Commune.objects.filter(district__code=610).order_by("code").first()
    posting = Posting.objects.filter(commune__district__code=610).order_by("pk").first()
    candidates = []
    for name, args, query in (
        ("dashboard", [], f"?province={KON_TUM}&as_of=2019-04-23"),
        ("dashboard", [], f"?province={KON_TUM}"),
        ("dashboard", [], "?province=51"),
        ("national_dashboard", [], ""),
        ("officer_list", [], "?district=610"),
        ("posting_list", [], "?district=610"),
        ("partyrole_list", [], "?district=610"),
        ("commune_list", [], "?district=610"),
        ("commune_detail", [commune.code] if commune else None, ""),
        ("officer_detail", [posting.officer_id] if posting else None, ""),
    ):
        if args is None:
            continue
        try:
            candidates.append(reverse(name, args=args) + query)
        except NoReverseMatch:
            pass
    return candidates


# ---- the run ------------------------------------------------------------------------------------

def viewer(ports: list[int], paths: list[str], until: float, results: list, seed: int) -> None:
    """Flat out (--rate 0): one request after another, to each server in turn."""
    rng = random.Random(seed)
    browsers = _browsers(ports)
    n = 0
    while time.perf_counter() < until:
        path = rng.choice(paths)
        browser = browsers[n % len(browsers)]
        n += 1
        started = time.perf_counter()
        try:
            status, _, _ = browser.request("GET", path)
        except Exception as error:  # noqa: BLE001 — every failure is counted and reported
            status = f"{error.__class__.__name__}"
        results.append((path, status, time.perf_counter() - started))


def _browsers(ports: list[int]) -> list[Browser]:
    """One logged-in Browser per server, sharing one session (sessions live in the database)."""
    first = Browser(ports[0])
    first.login()
    browsers = [first]
    for port in ports[1:]:
        other = Browser(port)
        other.cookies = first.cookies
        browsers.append(other)
    return browsers


class Schedule:
    """Requests due at a fixed rate from `start`: slot i is due at start + i / rate, to server i mod N."""

    def __init__(self, rate: float, start: float, until: float):
        self.rate, self.start, self.until = rate, start, until
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> tuple[int, float] | None:
        with self.lock:
            slot = self.next
            self.next += 1
        due = self.start + slot / self.rate
        return None if due >= self.until else (slot, due)


def paced_viewer(ports: list[int], paths: list[str], schedule: Schedule, results: list, seed: int) -> None:
    rng = random.Random(seed)
    browsers = _browsers(ports)
    while (taken := schedule.take()) is not None:
        slot, due = taken
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        path = rng.choice(paths)
        try:
            status, _, _ = browsers[slot % len(browsers)].request("GET", path)
        except Exception as error:  # noqa: BLE001 — every failure is counted and reported
            status = f"{error.__class__.__name__}"
        results.append((path, status, time.perf_counter() - due))  # from when it was due: queueing counts


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
    # Kon Tum's communes ended on 30/06/2025 (the reorganisation): the first half of 2025, while they existed.
    from communes.models import Commune
    from personnel.choices import Position
    from personnel.services import posting_start

    posting_start(
        officer=officer, commune=Commune.objects.get(pk=rng.choice(communes)), position=Position.STANDING_OFFICER,
        on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 180)), decision_number=f"{n}/QĐ-LOAD",
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rate", type=float, default=60, help="requests a second, paced (0: each viewer flat out)")
    parser.add_argument("--viewers", type=int, default=12, help="threads issuing the requests")
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--servers", type=int, default=2, help="gunicorn app servers")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per server")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (1, as deploy/gunicorn.conf.py: a second thread waits on the GIL)")
    parser.add_argument("--no-replica", dest="replica", action="store_false",
                        help="the machine's PostgreSQL, no replica")
    parser.add_argument("--no-cache", dest="cache", action="store_false", help="no Redis: each process's memory")
    parser.add_argument("--editor-pause", type=float, default=1.0,
                        help="seconds each editor waits between postings (0: write flat out)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8104)))
    args = parser.parse_args(argv)

    database = setup.replicated_database() if args.replica else contextlib.nullcontext(setup.local_database())
    with database as env:
        if args.cache:
            setup.flush_redis(REDIS_URL)
            env = {**env, "CACHE_URL": REDIS_URL}
        setup.manage(env, "collectstatic", "--noinput", "-v0")  # DEBUG off: WhiteNoise serves the hashed manifest
        run(args, env)


def run(args, env: dict) -> None:
    setup_django({k: v for k, v in env.items() if k != "DATABASE_REPLICA_URL"})  # editors and checks: the primary
    make_viewer()
    from django.db import connection

    from communes.models import Commune
    from communes.periods import TERM
    from personnel.models import Posting

    communes = list(Commune.objects.filter(province__code=KON_TUM).values_list("pk", flat=True))
    ports = [args.port + i for i in range(args.servers)]
    with setup.servers(ports, args.workers, args.threads, env):
        probe = Browser(ports[0])
        probe.login()
        paths = pages(probe)
        connection.close()
        setting = (f"paced at {args.rate:g} requests/s" if args.rate else "flat out")
        print(f"{args.servers} servers × {args.workers} workers × {args.threads} threads on {HOST}:{ports[0]}…; "
              f"replica {'on' if args.replica else 'off'}, cache {'Redis' if args.cache else 'per process'}; "
              f"{args.viewers} viewers {setting}, {args.editors} editors (pause {args.editor_pause:g}s), "
              f"{args.seconds}s; pages:")
        for path in paths:
            print(f"  {path}")
        results: list = []
        writes: list = []
        failures: list = []
        started = time.perf_counter()
        until = started + args.seconds
        if args.rate:
            schedule = Schedule(args.rate, started + 1.0, until)  # a second for the viewers to log in
            threads = [threading.Thread(target=paced_viewer, args=(ports, paths, schedule, results, i))
                       for i in range(args.viewers)]
        else:
            threads = [threading.Thread(target=viewer, args=(ports, paths, until, results, i))
                       for i in range(args.viewers)]
        threads += [threading.Thread(target=editor, args=(until, writes, failures, 50 + i, communes, args.editor_pause))
                    for i in range(args.editors)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started - (1.0 if args.rate else 0.0)
    report(results, writes, failures, elapsed, Posting, TERM)


def report(results, writes, failures, elapsed, Posting, TERM) -> None:
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
