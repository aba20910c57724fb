"""How long carrying 10,000+ postings through the 2025 reorganisation takes, in one transaction.

On the national bench database (`kp_nat_bench`, made by bench/national_bench.py; `make bench` runs that first),
the new provinces with the most postings open on 30/06/2025 are reorganised one after another until 10,000
postings are carried: propose (the dry run) and apply, with each split commune's officers sent to the successor
keeping its code (or the first), all in one transaction that is then rolled back, so the data stays as it was.

    .venv/bin/python -m bench.reorganisation_bench [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2025, 7, 1)
TARGET = 10_000


class _Rollback(Exception):
    pass


def carry(provinces) -> tuple[int, int, float, float]:
    """(postings carried, queries, seconds proposing, seconds applying) for `provinces`, rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from personnel import reorganisation

    carried, proposing, applying = 0, 0.0, 0.0
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            for province in provinces:
                started = time.perf_counter()
                proposal = reorganisation.propose(province=province, effective_on=DAY, legal_basis="bench")
                choices = {m.posting.pk: next((c.pk for c in m.candidates if c.code == m.posting.commune.code),
                                              m.candidates[0].pk)
                           for m in proposal.moves if m.successor is None and m.candidates}
                if choices:
                    proposal = reorganisation.propose(province=province, effective_on=DAY, legal_basis="bench",
                                                      successor_of=choices)
                proposing += time.perf_counter() - started
                started = time.perf_counter()
                reorganisation.apply(proposal)
                applying += time.perf_counter() - started
                carried += len(proposal.moves)
            raise _Rollback
    except _Rollback:
        pass
    return carried, len(queries.captured_queries), proposing, applying


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the median of (default 3)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    os.environ["DATABASE_URL"] = f"{server}/kp_nat_bench"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, Q

    from communes.models import Province

    try:
        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001 - say why and stop, as the other benches do
        print(f"kp_nat_bench is not there ({error}); run bench.national_bench first")
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database made by an earlier checkout
    ranked = (Province.objects.filter(established_on=DAY)
              .annotate(n=Count("communes__predecessor_links__predecessor__postings",
                                filter=Q(communes__predecessor_links__effective_on=DAY) & Q(
                                    communes__predecessor_links__predecessor__postings__start_date__lt=DAY) & (
                                    Q(communes__predecessor_links__predecessor__postings__end_date__isnull=True)
                                    | Q(communes__predecessor_links__predecessor__postings__end_date__gte=DAY))))
              .order_by("-n"))
    chosen, total = [], 0
    for province in ranked:
        if total >= TARGET:
            break
        chosen.append(province)
        total += province.n
    runs = [carry(chosen) for _ in range(args.repeat)]
    carried, queries = runs[0][0], runs[0][1]
    total_s = statistics.median(p + a for _c, _q, p, a in runs)
    print(f"Reorganisation on 01/07/2025, {len(chosen)} provinces, {carried:,} postings carried in one transaction "
          f"(PostgreSQL, median of {args.repeat}): {total_s:.1f} s "
          f"(dry run {statistics.median(p for *_x, p, _a in runs):.1f} s, writing "
          f"{statistics.median(a for *_x, a in runs):.1f} s), {queries} queries, "
          f"{carried / total_s:,.0f} postings/s")


if __name__ == "__main__":
    main()
