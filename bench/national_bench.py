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
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_DB = "kp_nat_bench"
KON_TUM_DB = "kp_nat_bench_kt"
KON_TUM = 62
REVIEW_DAY = datetime.date(2019, 4, 23)
ROLLOUT_START = datetime.date(2018, 11, 1)
IMPORT_ROWS = 10_000
NOT_HERE = "not available on this branch"


# ---- the databases ------------------------------------------------------------------------------

def _server() -> str:
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def _manage(db: str, *args: str, debug: bool = True) -> str:
    env = {**os.environ, "DATABASE_URL": f"{_server()}/{db}", "DEBUG": "1" if debug else "0",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnop"),
           "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


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
    """`fn` with the page cache emptied first: what the first request after a write costs."""
    def run():
        clear_cache()
        fn()
    return run


# ---- timing -------------------------------------------------------------------------------------

@dataclass
class Timing:
    median_ms: float
    queries: int | None


def count_queries(fn) -> int:
    """Statements sent by `fn` (an execute wrapper, which survives the test client's per-request log resets)."""
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        fn()
    return count


def measure(fn, rounds: int) -> Timing:
    fn()  # warm: connection, caches, plans
    queries = count_queries(fn)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times) * 1000, queries)


def measure_pair(fn, bound, rounds: int) -> tuple[Timing, Timing]:
    """Time `fn` and its bound alternately, so the load of a shared machine falls on both alike."""
    counts = []
    for f in (fn, bound):
        f()
        counts.append(count_queries(f))
    times: tuple[list, list] = ([], [])
    for _ in range(rounds):
        for f, sink in zip((fn, bound), times, strict=True):
            started = time.perf_counter()
            f()
            sink.append(time.perf_counter() - started)
    return tuple(Timing(statistics.median(t) * 1000, n) for t, n in zip(times, counts, strict=True))


# ---- Kon Tum dashboard: selectors and their raw-SQL bound ---------------------------------------

def dashboard_selectors(province, day: datetime.date) -> dict:
    """What the province dashboard shows, through the selectors (plan read once, as the view does)."""
    from personnel.coverage import area_staffing, plan_for, rollout_series

    plan = plan_for(province)
    area = area_staffing(province=province, as_of=day, plan=plan)
    return {
        "figures": area.figures,
        "districts": area.breakdown(),
        "gaps": [row for row in area.plan_communes() if row.gaps],
        "rollout": rollout_series(province=province, start=ROLLOUT_START, end=day, plan=plan),
    }


_AREA_CTE = """
area AS (
    SELECT c.id, c.district_id, c.sort_key, d.sort_key AS district_sort
    FROM communes_commune c JOIN communes_district d ON d.id = c.district_id
    WHERE d.province_id = %(province)s
      AND (c.established_on IS NULL OR c.established_on <= %(day)s)
      AND (c.abolished_on IS NULL OR c.abolished_on > %(day)s)
),
post AS (
    SELECT p.commune_id, count(*) AS n, bool_or(p.position = 'chief') AS chief
    FROM personnel_posting p JOIN area a ON a.id = p.commune_id
    WHERE p.start_date <= %(day)s AND (p.end_date IS NULL OR p.end_date >= %(day)s)
    GROUP BY p.commune_id
),
cell AS (
    SELECT DISTINCT pc.commune_id
    FROM communes_partycell pc JOIN area a ON a.id = pc.commune_id
    WHERE pc.established_on <= %(day)s AND (pc.dissolved_on IS NULL OR pc.dissolved_on > %(day)s)
),
roles AS (
    SELECT r.commune_id,
           bool_or(r.role = 'secretary' AND pc.id IS NOT NULL) AS secretary,
           bool_or(r.role = 'secretary' AND pc.id IS NOT NULL AND r.officer_id IS NOT NULL) AS police_secretary,
           count(*) FILTER (WHERE r.role = 'bch' AND r.officer_id IS NOT NULL) AS bch,
           count(*) FILTER (WHERE r.role = 'btv' AND r.officer_id IS NOT NULL) AS btv
    FROM personnel_partyrole r JOIN area a ON a.id = r.commune_id
    LEFT JOIN communes_partycell pc ON pc.id = r.cell_id
         AND pc.established_on <= %(day)s AND (pc.dissolved_on IS NULL OR pc.dissolved_on > %(day)s)
    WHERE r.start_date <= %(day)s AND (r.end_date IS NULL OR r.end_date >= %(day)s)
    GROUP BY r.commune_id
),
staffing AS (
    SELECT a.id, a.district_id, a.sort_key, a.district_sort,
           coalesce(post.n, 0) AS officers, coalesce(post.chief, false) AS chief,
           cell.commune_id IS NOT NULL AS has_cell,
           coalesce(roles.secretary, false) AS secretary,
           coalesce(roles.police_secretary, false) AS police_secretary,
           coalesce(roles.bch, 0) AS bch, coalesce(roles.btv, 0) AS btv,
           pl.commune_id IS NOT NULL AS in_plan
    FROM area a
    LEFT JOIN post ON post.commune_id = a.id
    LEFT JOIN cell ON cell.commune_id = a.id
    LEFT JOIN roles ON roles.commune_id = a.id
    LEFT JOIN personnel_plan_communes pl ON pl.commune_id = a.id AND pl.plan_id = %(plan)s
)
"""

_FIGURES_SQL = "WITH " + _AREA_CTE + """
SELECT district_id,
       coalesce(sum(officers), 0), count(*) FILTER (WHERE in_plan AND officers > 0), count(*) FILTER (WHERE in_plan),
       count(*) FILTER (WHERE has_cell), count(*) FILTER (WHERE has_cell AND police_secretary),
       coalesce(sum(bch), 0), coalesce(sum(btv), 0)
FROM staffing GROUP BY ROLLUP (district_id)
"""

_GAPS_SQL = "WITH " + _AREA_CTE + """
SELECT id, officers, chief, has_cell, secretary, police_secretary
FROM staffing WHERE in_plan ORDER BY district_sort, sort_key
"""

_ROLLOUT_SQL = """
SELECT m.day,
       count(DISTINCT p.commune_id) FILTER (WHERE pl.commune_id IS NOT NULL),
       count(p.id)
FROM unnest(%(days)s::date[]) AS m(day)
LEFT JOIN (
    SELECT p.id, p.commune_id, p.start_date, p.end_date, c.established_on, c.abolished_on
    FROM personnel_posting p
    JOIN communes_commune c ON c.id = p.commune_id
    JOIN communes_district d ON d.id = c.district_id
    WHERE d.province_id = %(province)s AND p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date >= %(start)s)
) p ON p.start_date <= m.day AND (p.end_date IS NULL OR p.end_date >= m.day)
   AND (p.established_on IS NULL OR p.established_on <= m.day) AND (p.abolished_on IS NULL OR p.abolished_on > m.day)
LEFT JOIN personnel_plan_communes pl ON pl.commune_id = p.commune_id AND pl.plan_id = %(plan)s
GROUP BY m.day ORDER BY m.day
"""


def dashboard_raw(province_id: int, day: datetime.date) -> dict:
    """The same numbers as dashboard_selectors(), by hand-written SQL: the lower bound."""
    from types import SimpleNamespace

    from django.db import connection

    from personnel.coverage import _month_ends, commune_gaps

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, requires_chief, min_officers FROM personnel_plan WHERE province_id = %s "
            "ORDER BY issued_on DESC, id DESC LIMIT 1", [province_id],
        )
        found_plan = cursor.fetchone()
        plan_id = found_plan[0] if found_plan else None
        plan = SimpleNamespace(requires_chief=found_plan[1], min_officers=found_plan[2]) if found_plan else None
        params = {"province": province_id, "day": day, "plan": plan_id}
        cursor.execute(_FIGURES_SQL, params)
        by_district = {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}
        cursor.execute(_GAPS_SQL, params)
        gaps = []
        for commune_id, officers, chief, has_cell, secretary, police_secretary in cursor.fetchall():
            # The gap rule itself (coverage.commune_gaps), on the SQL's row: only the counting is the bound's.
            row = SimpleNamespace(in_plan=True, chief_id=1 if chief else None, officers_on=officers, has_cell=has_cell,
                                  has_secretary=secretary, has_police_secretary=police_secretary)
            if found := commune_gaps(row, plan=plan):
                gaps.append((commune_id, found))
        cursor.execute(_ROLLOUT_SQL, {**params, "days": _month_ends(ROLLOUT_START, day), "start": ROLLOUT_START, "end": day})
        rollout = [tuple(row) for row in cursor.fetchall()]
    figures = by_district.pop(None, (0,) * 7)
    districts = {pk: row for pk, row in by_district.items() if any(row)}
    return {"figures": figures, "districts": districts, "gaps": gaps, "rollout": rollout}


def _figures_tuple(f) -> tuple:
    return (f.officers_in_post, f.communes_covered, f.communes_in_plan, f.party_cells,
            f.cells_with_police_secretary, f.executive_committee_members, f.standing_committee_members)


def dashboard_as_tuples(result: dict) -> dict:
    """dashboard_selectors() in dashboard_raw()'s shape, to check the bound computes the same thing."""
    return {
        "figures": _figures_tuple(result["figures"]),
        "districts": {row.district.pk: _figures_tuple(row.figures) for row in result["districts"]
                      if any(_figures_tuple(row.figures))},
        "gaps": [(row.commune.pk, row.gaps) for row in result["gaps"]],
        "rollout": [(p.day, p.communes_covered, p.officers_in_post) for p in result["rollout"]],
    }


# ---- national dashboard -------------------------------------------------------------------------

_NATIONAL_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (province_id) province_id, id FROM personnel_plan ORDER BY province_id, issued_on DESC, id DESC
),
area AS (
    SELECT c.id, d.province_id FROM communes_commune c JOIN communes_district d ON d.id = c.district_id
    WHERE (c.established_on IS NULL OR c.established_on <= %(day)s) AND (c.abolished_on IS NULL OR c.abolished_on > %(day)s)
),
in_plan AS (
    SELECT a.id, a.province_id FROM area a
    JOIN latest l ON l.province_id = a.province_id
    JOIN personnel_plan_communes pl ON pl.plan_id = l.id AND pl.commune_id = a.id
),
post AS (
    SELECT a.province_id, count(*) AS officers,
           count(DISTINCT p.commune_id) FILTER (WHERE ip.id IS NOT NULL) AS covered
    FROM personnel_posting p JOIN area a ON a.id = p.commune_id
    LEFT JOIN in_plan ip ON ip.id = p.commune_id
    WHERE p.start_date <= %(day)s AND (p.end_date IS NULL OR p.end_date >= %(day)s)
    GROUP BY a.province_id
),
planned AS (SELECT province_id, count(*) AS n FROM in_plan GROUP BY province_id),
active_cell AS (
    SELECT pc.id, pc.commune_id FROM communes_partycell pc
    WHERE pc.established_on <= %(day)s AND (pc.dissolved_on IS NULL OR pc.dissolved_on > %(day)s)
),
police_secretary AS (
    SELECT DISTINCT r.commune_id FROM personnel_partyrole r JOIN active_cell ac ON ac.id = r.cell_id
    WHERE r.role = 'secretary' AND r.officer_id IS NOT NULL
      AND r.start_date <= %(day)s AND (r.end_date IS NULL OR r.end_date >= %(day)s)
),
cells AS (
    SELECT a.province_id, count(DISTINCT ac.commune_id) AS cells,
           count(DISTINCT ac.commune_id) FILTER (WHERE ps.commune_id IS NOT NULL) AS police
    FROM active_cell ac JOIN area a ON a.id = ac.commune_id
    LEFT JOIN police_secretary ps ON ps.commune_id = ac.commune_id
    GROUP BY a.province_id
),
committees AS (
    SELECT a.province_id, count(*) FILTER (WHERE r.role = 'bch') AS bch, count(*) FILTER (WHERE r.role = 'btv') AS btv
    FROM personnel_partyrole r JOIN area a ON a.id = r.commune_id
    WHERE r.officer_id IS NOT NULL AND r.role IN ('bch', 'btv')
      AND r.start_date <= %(day)s AND (r.end_date IS NULL OR r.end_date >= %(day)s)
    GROUP BY a.province_id
)
SELECT pr.id, coalesce(post.officers, 0), coalesce(post.covered, 0), coalesce(planned.n, 0),
       coalesce(cells.cells, 0), coalesce(cells.police, 0), coalesce(committees.bch, 0), coalesce(committees.btv, 0)
FROM communes_province pr
LEFT JOIN post ON post.province_id = pr.id
LEFT JOIN planned ON planned.province_id = pr.id
LEFT JOIN cells ON cells.province_id = pr.id
LEFT JOIN committees ON committees.province_id = pr.id
ORDER BY pr.sort_key
"""


def national_raw(day: datetime.date) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_NATIONAL_SQL, {"day": day})
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def national_selector(day: datetime.date) -> dict:
    from personnel.coverage import national_figures

    return {row.province.pk: _figures_tuple(row.figures) for row in national_figures(as_of=day)}


# ---- officer list -------------------------------------------------------------------------------

def officer_page_orm(district, day: datetime.date) -> tuple[int, list[int]]:
    """Officers in post in a district on a day, by Vietnamese name, first page of 50 (as a Paginator reads it)."""
    from django.core.paginator import Paginator
    from django.db.models import Exists, OuterRef

    from personnel.models import Officer, Posting

    in_post = Posting.objects.open_on(day).filter(officer=OuterRef("pk"), commune__district=district)
    page = Paginator(Officer.objects.filter(Exists(in_post)).order_by("sort_key", "pk"), 50).page(1)
    return page.paginator.count, [o.pk for o in page.object_list]


_OFFICERS_WHERE = """
FROM personnel_officer o WHERE EXISTS (
    SELECT 1 FROM personnel_posting p JOIN communes_commune c ON c.id = p.commune_id
    WHERE p.officer_id = o.id AND c.district_id = %(district)s
      AND p.start_date <= %(day)s AND (p.end_date IS NULL OR p.end_date >= %(day)s))
"""


def officer_page_raw(district_id: int, day: datetime.date) -> tuple[int, list[int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        params = {"district": district_id, "day": day}
        cursor.execute("SELECT count(*) " + _OFFICERS_WHERE, params)
        count = cursor.fetchone()[0]
        cursor.execute("SELECT o.* " + _OFFICERS_WHERE + " ORDER BY o.sort_key, o.id LIMIT 50", params)
        return count, [row[0] for row in cursor.fetchall()]


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

    from reports.pdf import StaticFilesFetcher, base_url
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

    # National figures.
    for day in (REVIEW_DAY, today):
        mismatch = national_selector(day) != national_raw(day)
        rows.append(Row(
            f"national_figures (63 provinces), as of {day:%d/%m/%Y}",
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
        ("view officer_list ?district=610, page 1", "officer_list", "?district=610",
         "≤ 8 queries", lambda: officer_page_raw(district.pk, today)),
    ]
    for label, name, query, target, bound in view_cases:
        get, why = _client_case(client, name, query)
        if get is None:
            rows.append(Row(label, None, target=target, note=why))
            continue
        rows.append(Row(label + ", as served (cached)", *measure_pair(get, bound, rounds), target=target,
                        note="bound: the raw SQL of the same figures"))
        rows.append(Row(label + ", computed (cache emptied)", *measure_pair(computed(get), bound, rounds),
                        target=target, note="bound: the raw SQL of the same figures"))

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
        communes = list(Commune.objects.filter(district__province=province).order_by("code"))
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
    _manage(NATIONAL_DB, "collectstatic", "--noinput", "-v0", debug=False)  # DEBUG is off below: pages need the manifest
    os.environ["DATABASE_URL"] = f"{_server()}/{NATIONAL_DB}"
    # Production-like: no DEBUG query log in the timed runs (queries are counted in a separate run).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnop")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.perf_counter()
    rows = run(args.rounds)
    print()
    print(f"PostgreSQL, {os.cpu_count()} cores, median of {args.rounds} runs (import: of {max(3, args.rounds // 3)}, "
          f"PDF: of {max(5, args.rounds // 2)}), {time.perf_counter() - started:.0f}s")
    print_table(rows)
    # bench/report_bench.py splits the PDF's time into Django, WeasyPrint's layout and its PDF writing.


if __name__ == "__main__":
    main()
