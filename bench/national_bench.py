"""`make bench`: server time of the dashboards, the officer list, the pilot PDF and the import on
national data (PostgreSQL).

For each case: the median time over several runs, the number of queries, and the ratio to a lower
bound measured in the same run (hand-written SQL computing the same aggregates through
connection.cursor(); WeasyPrint alone on the same HTML for the PDF; bulk_create of the same rows
for the import). Pages are timed as served (their cache warm, as between two writes) and computed
(the cache emptied first, as after a write). Also the Kon Tum dashboard on national data ÷ the same
on a database holding Kon Tum only. Figures are printed, never asserted.

Databases (created and filled when missing or empty):
  kp_nat_bench     all 63 provinces' units, Kon Tum's 2019 pilot, generate_national
  kp_nat_bench_kt  Kon Tum's units and pilot only
BENCH_PG (default postgres://postgres@127.0.0.1:5432) names the server.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import time
from dataclasses import dataclass

from bench.bounds import (  # the cases and their hand-written SQL bounds
    dashboard_as_tuples,
    dashboard_raw,
    dashboard_selectors,
    list_bound,
    national_raw,
    national_selector,
    officer_page_orm,
    officer_page_raw,
)
from bench.environment import manage as _manage
from bench.environment import production_like_django
from bench.environment import server as _server
from bench.timing import Timing, after_write, measure_pair

NATIONAL_DB = "kp_nat_bench"
KON_TUM_DB = "kp_nat_bench_kt"
KON_TUM = 62
REVIEW_DAY = datetime.date(2019, 4, 23)
IMPORT_ROWS = 10_000
NOT_HERE = "not available on this branch"


# ---- the databases ------------------------------------------------------------------------------

def vacuum_databases() -> None:
    """Measure clean tables: the import case rolls back 10,000 rows a run, and their dead index
    entries slowed later runs' per-commune lookups tenfold (55 ms to 5 ms after a VACUUM)."""
    import psycopg

    for db in (NATIONAL_DB, KON_TUM_DB):
        with psycopg.connect(f"{_server()}/{db}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def ensure_databases() -> None:
    import psycopg

    with psycopg.connect(f"{_server()}/postgres", autocommit=True) as conn:
        existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for db in (NATIONAL_DB, KON_TUM_DB):
            if db not in existing:
                conn.execute(f'CREATE DATABASE "{db}"')
                print(f"created database {db}")
    for db, provinces in ((NATIONAL_DB, []), (KON_TUM_DB, ["--province", str(KON_TUM)])):
        _manage(db, "migrate", "--noinput", "-v0")
        with psycopg.connect(f"{_server()}/{db}") as conn:
            loaded = conn.execute("SELECT count(*) FROM communes_province").fetchone()[0]
        if not loaded:
            print(f"{db}: import_divisions … {_manage(db, 'import_divisions', *provinces)}")
        _manage(db, "load_pilot_demo")
    started = time.perf_counter()
    out = _manage(NATIONAL_DB, "generate_national")
    if "nothing changed" not in out:
        print(f"{NATIONAL_DB}: generate_national … {out} (wall {time.perf_counter() - started:.0f}s)")
    for db in (NATIONAL_DB, KON_TUM_DB):
        with psycopg.connect(f"{_server()}/{db}", autocommit=True) as conn:
            conn.execute("ANALYZE")


def use_database(name: str) -> None:
    """Point Django's default connection at another database of the same server, with an empty cache
    (the cache's keys carry the data version, which two databases may share)."""
    from django.core.cache import cache
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    cache.clear()


def clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def computed(fn):
    """`fn` with the page cache emptied first: what the first request after the cache server restarts costs."""
    def run():
        clear_cache()
        fn()
    return run


# ---- import -------------------------------------------------------------------------------------

def import_rows(communes: list, n: int = IMPORT_ROWS) -> list[dict]:
    """New officers, one open posting each, spread over the given communes (no rule can refuse them)."""
    rows = []
    for i in range(n):
        rows.append({
            "service_number": f"B{i:07d}",
            "full_name": f"Nguyễn Văn Thử {i}",
            "gender": "Nam",
            "rank": "Trung úy",
            "commune": str(communes[i % len(communes)].code),
            "position": "Công an viên thường trực",
            "start_date": "02/01/2025",
            "decision_number": f"{i}/QĐ-BENCH",
            "decision_date": "28/12/2024",
        })
    return rows


def import_csv(rows: list[dict], columns) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


class _Rollback(Exception):
    pass


def _rolled_back(fn):
    """Run `fn` in a transaction that is then rolled back, so every run starts from the same data."""
    from django.db import transaction

    def run():
        try:
            with transaction.atomic():
                fn()
                raise _Rollback
        except _Rollback:
            pass
    return run


def bulk_create_same_rows(rows: list[dict], communes: list) -> None:
    """The floor for the import: the same officers and postings by plain bulk_create (no parsing, no checks,
    no history rows), what any import of these rows must at least write."""
    from personnel.choices import Gender, Position, Rank
    from personnel.models import Officer, Posting

    by_code = {c.code: c for c in communes}
    officers = []
    for row in rows:
        officer = Officer(full_name=row["full_name"], service_number=row["service_number"], gender=Gender.MALE,
                          rank=Rank.LIEUTENANT)
        officer.fill_derived()
        officers.append(officer)
    Officer.objects.bulk_create(officers, batch_size=1000)
    Posting.objects.bulk_create(
        [
            Posting(officer_id=o.pk, commune=by_code[int(row["commune"])], position=Position.STANDING_OFFICER,
                    start_date=datetime.date(2025, 1, 2), decision_number=row["decision_number"],
                    decision_date=datetime.date(2024, 12, 28))
            for o, row in zip(officers, rows, strict=True)
        ],
        batch_size=1000,
    )


# ---- the pilot PDF ------------------------------------------------------------------------------

def weasyprint_alone(province):
    """The PDF's floor: WeasyPrint rendering the report's HTML (made once, outside the timing)."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from weasyprint import HTML

    from reports.fetcher import StaticFilesFetcher
    from reports.pdf import base_url
    from reports.views import pilot_review_html

    request = RequestFactory().get("/reports/pilot-review.pdf")
    request.user = get_user_model().objects.get(username="bench.national")
    html = pilot_review_html(request, province, REVIEW_DAY)

    def render():
        HTML(string=html, base_url=base_url(), url_fetcher=StaticFilesFetcher()).write_pdf()
    return render


# ---- views through the test client --------------------------------------------------------------

def _client_case(client, name: str, query: str = "", **kwargs):
    """(GET through the test client by URL name, "") or (None, why) when the URL or its page is not on this branch."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(name, kwargs=kwargs or None) + query
    except NoReverseMatch:
        return None, NOT_HERE
    status = client.get(url).status_code
    if status != 200:
        # e.g. `dashboard` still redirecting to the admin before the dashboard branch lands
        return None, f"{NOT_HERE} (HTTP {status})"

    def get():
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} stopped answering 200")
    return get, ""


def _bench_users():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    national, _ = User.objects.get_or_create(username="bench.national", defaults={"is_superuser": True, "is_staff": True})
    kon_tum = User.objects.filter(username="lanhdao").first()
    return national, kon_tum


# ---- the run ------------------------------------------------------------------------------------

@dataclass
class Row:
    case: str
    timing: Timing | None
    bound: Timing | None = None
    target: str = ""
    note: str = ""

    def cells(self) -> list[str]:
        if self.timing is None:
            return [self.case, "—", "—", "—", "—", self.target, self.note]
        bound = f"{self.bound.median_ms:.1f}" if self.bound else "—"
        ratio = f"{self.timing.median_ms / self.bound.median_ms:.2f}×" if self.bound and self.bound.median_ms else "—"
        queries = "—" if self.timing.queries is None else str(self.timing.queries)
        return [self.case, f"{self.timing.median_ms:.1f}", queries, bound, ratio, self.target, self.note]


def run(rounds: int) -> list[Row]:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from communes.models import Commune, District, Province

    setup_test_environment()  # lets the test client in (testserver host), records rendered templates
    use_database(NATIONAL_DB)
    rows: list[Row] = []
    today = datetime.date.today()
    province = Province.objects.get(code=KON_TUM)

    # Kon Tum dashboard: selectors, and their raw-SQL bound, on national data.
    for day in (REVIEW_DAY, today):
        mismatch = dashboard_as_tuples(dashboard_selectors(province, day)) != dashboard_raw(province.pk, day)
        rows.append(Row(
            f"Kon Tum dashboard selectors, computed, as of {day:%d/%m/%Y}",
            *measure_pair(lambda d=day: dashboard_selectors(province, d), lambda d=day: dashboard_raw(province.pk, d), rounds),
            "≤ 2× bound, ≤ 12 queries", "BOUND DIFFERS" if mismatch else "",
        ))

    # Quảng Ngãi today: the province Kon Tum went into, in the units of the new tier (no districts).
    quang_ngai = Province.objects.of_code(51, today)
    if quang_ngai is not None:
        mismatch = dashboard_as_tuples(dashboard_selectors(quang_ngai, today)) != dashboard_raw(quang_ngai.pk, today)
        rows.append(Row(
            f"Quảng Ngãi dashboard selectors, computed, as of {today:%d/%m/%Y}",
            *measure_pair(lambda: dashboard_selectors(quang_ngai, today), lambda: dashboard_raw(quang_ngai.pk, today), rounds),
            "≤ 2× bound, ≤ 12 queries", "BOUND DIFFERS" if mismatch else "",
        ))

    # National figures.
    for day in (REVIEW_DAY, today):
        mismatch = national_selector(day) != national_raw(day)
        rows.append(Row(
            f"national_figures ({Province.objects.existing_on(day).count()} provinces), as of {day:%d/%m/%Y}",
            *measure_pair(lambda d=day: national_selector(d), lambda d=day: national_raw(d), rounds),
            "≤ 2× bound, ≤ 12 queries", "BOUND DIFFERS" if mismatch else "",
        ))

    # Officer list: the district of Kon Tum with most officers in post today.
    district = District.objects.get(code=610)  # Đắk Glei
    mismatch = officer_page_orm(district, today) != officer_page_raw(district.pk, today)
    rows.append(Row(
        f"officers in post in {district.name}, page 1 of 50 (ORM)",
        *measure_pair(lambda: officer_page_orm(district, today), lambda: officer_page_raw(district.pk, today), rounds),
        "≤ 8 queries", "BOUND DIFFERS" if mismatch else "",
    ))

    # Views through the test client, when their URLs are on this branch: as served (the page cache
    # warm, as between two writes) and computed (the cache emptied before each run, as after a write).
    national_user, kon_tum_viewer = _bench_users()
    client = Client()
    client.force_login(national_user)
    view_cases = [
        ("view dashboard (Kon Tum, national user)", "dashboard", f"?province={KON_TUM}&as_of={REVIEW_DAY}",
         "≤ 2× bound, ≤ 12 queries", lambda: dashboard_raw(province.pk, REVIEW_DAY)),
        ("view national_dashboard", "national_dashboard", f"?as_of={REVIEW_DAY}",
         "≤ 2× bound, ≤ 12 queries", lambda: national_raw(REVIEW_DAY)),
        (f"view national_dashboard as of {today:%d/%m/%Y}", "national_dashboard", f"?as_of={today}",
         "≤ 2× bound, ≤ 12 queries", lambda: national_raw(today)),
        *([(f"view dashboard (Quảng Ngãi as of {today:%d/%m/%Y}, national user)", "dashboard",
            f"?province=51&as_of={today}", "≤ 2× bound, ≤ 12 queries", lambda: dashboard_raw(quang_ngai.pk, today))]
          if quang_ngai is not None else []),
    ]
    for label, name, query, target, bound in view_cases:
        get, why = _client_case(client, name, query)
        if get is None:
            rows.append(Row(label, None, target=target, note=why))
            continue
        rows.append(Row(label + ", as served (cached)", *measure_pair(get, bound, rounds), target=target,
                        note="bound: the raw SQL of the same figures"))
        if name == "dashboard":
            shown = quang_ngai if "province=51" in query else province
            rows.append(Row(label + ", after a write in the province", *measure_pair(after_write(get, shown.pk), bound,
                            rounds), target="≤ 2× bound, ≤ 8 queries", note="bound: the raw SQL of the same figures"))
        rows.append(Row(label + ", computed (cache emptied)", *measure_pair(computed(get), bound, rounds),
                        target=target, note="bound: the raw SQL of the same figures"))

    # The lists of a district at national scale, against the same SQL and the same rows through a bare template
    # loop (issue 16: at most 3× that, and 40 ms): as served (a body cached under the area's data versions, see
    # personnel/web/listing.py) and after a posting written in the province (the body computed afresh).
    for name in ("officer_list", "posting_list", "partyrole_list", "commune_list"):
        get, why = _client_case(client, name, "?district=610")
        label = f"view {name} ?district=610, page 1"
        if get is None:
            rows.append(Row(label, None, target="≤ 3× bound, ≤ 40 ms", note=why))
            continue
        bound = list_bound(client, reverse(name) + "?district=610")
        rows.append(Row(label + ", as served (cached)", *measure_pair(get, bound, rounds),
                        target="≤ 3× bound, ≤ 40 ms", note="bound: its SQL + a bare template loop"))
        rows.append(Row(label + ", after a write in the province", *measure_pair(after_write(get, province.pk), bound,
                        rounds), target="≤ 3× bound, ≤ 40 ms", note="bound: its SQL + a bare template loop"))

    # The pilot review PDF against WeasyPrint alone on the same HTML.
    get, why = _client_case(client, "reports:pilot_review_pdf", f"?province={KON_TUM}&as_of={REVIEW_DAY}")
    if get is None:
        rows.append(Row("view pilot review PDF (Kon Tum)", None, target="≤ 1.3× WeasyPrint", note=why))
    else:
        rows.append(Row(
            "view pilot review PDF (Kon Tum, 23/04/2019)", *measure_pair(get, weasyprint_alone(province), max(5, rounds // 2)),
            "≤ 1.3× WeasyPrint", "bound: WeasyPrint alone on the same HTML",
        ))

    # Import of 10,000 postings against bulk_create of the same rows.
    try:
        from personnel import importing
    except ImportError:
        rows.append(Row(f"import of {IMPORT_ROWS:,} postings", None, target="≤ 3× bulk_create",
                        note=NOT_HERE + " (personnel.importing missing)"))
    else:
        communes = list(Commune.objects.filter(province=province).order_by("code"))
        data = import_rows(communes)
        content = import_csv(data, importing.COLUMNS)

        def do_import():
            result = importing.postings_import(file=content, filename="bench.csv", user=None, dry_run=False)
            if result.errors:
                raise RuntimeError(f"import refused the bench file: {result.errors[:3]}")
        import_rounds = max(3, rounds // 3)
        rows.append(Row(
            f"import of {IMPORT_ROWS:,} postings (CSV)",
            *measure_pair(_rolled_back(do_import), _rolled_back(lambda: bulk_create_same_rows(data, communes)), import_rounds),
            "≤ 3× bulk_create",
        ))

    # Kon Tum's dashboard on national data ÷ on Kon Tum alone; runs interleaved so load drifts hit both.
    # The rolled-back imports above left dead index entries in the national database only (open
    # postings from 2025: exactly what "today" reads); clean them first, or the ratio measures them.
    vacuum_databases()
    rows.extend(national_over_kon_tum(rounds, today))
    use_database(NATIONAL_DB)
    return rows


def national_over_kon_tum(rounds: int, today: datetime.date) -> list[Row]:
    """Kon Tum's dashboard timed on the national database and on the Kon Tum-only one: the page as served
    (cached), the page computed, the selectors computed, and the raw SQL (how much of the difference
    is the database's own: its indexes are deeper)."""
    from django.test import Client

    from communes.models import Province

    def page(client, cold: bool):
        url = f"/?province={KON_TUM}&as_of={REVIEW_DAY}"

        def get():
            if cold:
                clear_cache()
            if client.get(url).status_code != 200:
                raise RuntimeError(f"{url} stopped answering 200")
        return get

    cases = [
        ("Kon Tum dashboard view, as served (cached)", lambda kt, client: page(client, cold=False)),
        ("Kon Tum dashboard view, computed (cache emptied)", lambda kt, client: page(client, cold=True)),
        ("Kon Tum dashboard selectors, computed (both days)",
         lambda kt, client: lambda: [dashboard_selectors(kt, day) for day in (REVIEW_DAY, today)]),
        ("Kon Tum dashboard raw SQL bound (both days)",
         lambda kt, client: lambda: [dashboard_raw(kt.pk, day) for day in (REVIEW_DAY, today)]),
    ]
    result = []
    for label, make in cases:
        times: dict[str, list[float]] = {NATIONAL_DB: [], KON_TUM_DB: []}
        for _ in range(rounds):
            for db in (NATIONAL_DB, KON_TUM_DB):
                use_database(db)
                kt = Province.objects.get(code=KON_TUM)
                national_user, _viewer = _bench_users()
                client = Client()
                client.force_login(national_user)
                fn = make(kt, client)
                fn()  # reconnected: warm the connection (and the cache, for the page as served)
                started = time.perf_counter()
                fn()
                times[db].append((time.perf_counter() - started) * 1000)
        result.append(Row(
            label + ": national ÷ Kon Tum only",
            Timing(statistics.median(times[NATIONAL_DB]), None), Timing(statistics.median(times[KON_TUM_DB]), None),
            "≤ 1.3×", "bound column = the Kon Tum-only database",
        ))
    return result


def print_table(rows: list[Row]) -> None:
    header = ["case", "median ms", "queries", "bound ms", "ratio", "target", "note"]
    table = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, cells in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed runs per case (median)")
    parser.add_argument("--no-setup", action="store_true", help="skip creating and filling the databases")
    args = parser.parse_args(argv)

    if not args.no_setup:
        ensure_databases()
    vacuum_databases()
    production_like_django(NATIONAL_DB)
    started = time.perf_counter()
    rows = run(args.rounds)
    print()
    print(f"PostgreSQL, {os.cpu_count()} cores, median of {args.rounds} runs (import: of {max(3, args.rounds // 3)}, "
          f"PDF: of {max(5, args.rounds // 2)}), {time.perf_counter() - started:.0f}s")
    print_table(rows)
    # bench/report_bench.py splits the PDF's time into Django, WeasyPrint's layout and its PDF writing.


if __name__ == "__main__":
    main()
