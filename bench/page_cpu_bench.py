"""CPU of the app's process per page, as served and after a write in Kon Tum, for the ten pages `make load` reads
(load/run.py page_paths(), issue 16): what a load run costs the app servers, page by page, without the queueing a wall clock shows.

CPU time (time.process_time) rather than the wall clock: it leaves out the wait for PostgreSQL and, mostly, the
other tenants of a shared machine, whose share moved the wall clock of one page 2x between two runs a minute apart.
National data (kp_nat_bench, `make bench` builds it), through the test client as a national viewer; the cache is
Redis when CACHE_URL is set (as under `make load`), else the process's memory. A write is what the posting services
do to the version numbers: Kon Tum's staffing number raised and committed.

    .venv/bin/python -m bench.page_cpu_bench [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.environment import production_like_django
from bench.national_bench import KON_TUM, NATIONAL_DB, _bench_users
from load.run import page_paths


def run(rounds: int) -> list[tuple[str, float, float]]:
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    import datacache
    from communes.models import Province
    from datacache.topics import STAFFING

    cache.clear()
    national, _viewer = _bench_users()
    client = Client()
    client.force_login(national)
    province = Province.objects.get(code=KON_TUM).pk
    pages = page_paths()

    def cpu_ms(url: str) -> float:
        started = time.process_time()
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} did not answer 200")
        return (time.process_time() - started) * 1000

    def write() -> None:
        with transaction.atomic():
            datacache.bump([province], topics=(STAFFING,))

    rows = []
    for url in pages:
        cpu_ms(url)
        served = [cpu_ms(url) for _ in range(rounds)]
        after = []
        for _ in range(rounds):
            write()
            after.append(cpu_ms(url))
        rows.append((url, statistics.median(served), statistics.median(after)))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.page_cpu_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="runs per page and case (median)")
    args = parser.parse_args(argv)
    production_like_django(NATIONAL_DB)
    rows = run(args.rounds)
    print(f"CPU ms of the app's process, median of {args.rounds} runs")
    print(f"| {'page':40} | served | after a write in Kon Tum |")
    print(f"|{'-' * 42}|--------|--------------------------|")
    for url, served, after in rows:
        print(f"| {url:40} | {served:6.1f} | {after:24.1f} |")
    print(f"| {f'all {len(rows)}, one request each':40} | {sum(r[1] for r in rows):6.1f} | {sum(r[2] for r in rows):24.1f} |")


if __name__ == "__main__":
    main()
