"""The cases `make bench` times and their lower bounds: what the selectors compute, and hand-written SQL
(connection.cursor()) computing the same numbers; tests/bench holds each pair equal on PostgreSQL."""


import datetime

ROLLOUT_START = datetime.date(2018, 11, 1)


# ---- Kon Tum dashboard: selectors and their raw-SQL bound ---------------------------------------

def dashboard_selectors(province, day: datetime.date) -> dict:
    """What the province dashboard shows, through the selectors (plan read once, as the view does), reading the data
    versions once as the request that calls them does (datacache.DataVersionsMiddleware: their cached parts)."""
    import datacache
    from personnel.coverage import area_staffing, rollout_series
    from personnel.plans import plan_for

    with datacache.one_reading_per_request():
        plan = plan_for(province, day)
        area = area_staffing(province=province, as_of=day, plan=plan)
        return {
            "figures": area.figures,
            "districts": area.breakdown(),
            "gaps": [row for row in area.plan_communes() if row.gaps],
            "rollout": rollout_series(province=province, start=ROLLOUT_START, end=day, plan=plan),
        }


_AREA_CTE = """
area AS (  -- the province's communes, and since 01/07/2025 those whose former district was its (area_q)
    SELECT c.id, coalesce(c.district_id, c.former_district_id) AS district_id, c.sort_key, d.sort_key AS district_sort
    FROM communes_commune c LEFT JOIN communes_district d ON d.id = c.district_id
    LEFT JOIN communes_district fd ON fd.id = c.former_district_id
    WHERE (c.province_id = %(province)s OR (c.district_id IS NULL AND fd.province_id = %(province)s))
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
SELECT grouping(district_id), district_id,
       coalesce(sum(officers), 0), count(*) FILTER (WHERE in_plan AND officers > 0), count(*) FILTER (WHERE in_plan),
       count(*) FILTER (WHERE has_cell), count(*) FILTER (WHERE has_cell AND police_secretary),
       coalesce(sum(bch), 0), coalesce(sum(btv), 0)
FROM staffing GROUP BY GROUPING SETS ((district_id), ())
"""

_GAPS_SQL = "WITH " + _AREA_CTE + """
SELECT id, officers, chief, has_cell, secretary, police_secretary
FROM staffing WHERE in_plan ORDER BY district_sort NULLS LAST, sort_key
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
    LEFT JOIN communes_district fd ON fd.id = c.former_district_id
    WHERE (c.province_id = %(province)s OR (c.district_id IS NULL AND fd.province_id = %(province)s)) AND p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date >= %(start)s)
) p ON p.start_date <= m.day AND (p.end_date IS NULL OR p.end_date >= m.day)
   AND (p.established_on IS NULL OR p.established_on <= m.day) AND (p.abolished_on IS NULL OR p.abolished_on > m.day)
LEFT JOIN personnel_plan_communes pl ON pl.commune_id = p.commune_id AND pl.plan_id = %(plan)s
GROUP BY m.day ORDER BY m.day
"""


def dashboard_raw(province_id: int, day: datetime.date) -> dict:
    """The same numbers as dashboard_selectors(), by hand-written SQL: the lower bound."""
    from types import SimpleNamespace

    from django.db import connection

    from personnel.coverage import commune_gaps
    from personnel.rollout import _month_ends

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, requires_chief, min_officers FROM personnel_plan WHERE province_id = %(p)s "  # plan_for()
            "ORDER BY issued_on <= %(d)s DESC, CASE WHEN issued_on <= %(d)s THEN issued_on END DESC NULLS LAST, "
            "issued_on, id LIMIT 1", {"p": province_id, "d": day},
        )
        found_plan = cursor.fetchone()
        plan_id = found_plan[0] if found_plan else None
        plan = SimpleNamespace(requires_chief=found_plan[1], min_officers=found_plan[2]) if found_plan else None
        params = {"province": province_id, "day": day, "plan": plan_id}
        cursor.execute(_FIGURES_SQL, params)
        by_district = {None if total else district: tuple(int(v) for v in rest)
                       for total, district, *rest in cursor.fetchall() if total or district is not None}
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
    SELECT DISTINCT ON (province_id) province_id, id FROM personnel_plan  -- plan_for(): in force on the day
    ORDER BY province_id, issued_on <= %(day)s DESC, CASE WHEN issued_on <= %(day)s THEN issued_on END DESC NULLS LAST,
             issued_on, id
),
area AS (
    SELECT c.id, c.province_id FROM communes_commune c
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
WHERE (pr.established_on IS NULL OR pr.established_on <= %(day)s) AND (pr.abolished_on IS NULL OR pr.abolished_on > %(day)s)
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


# ---- lists: the same SQL, the same rows through a bare template loop ----------------------------

BARE_LOOP = ("<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
             "{% endfor %}</table>")
_SKIP = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")


def list_bound(client, url: str):
    """A list page's lower bound (issue 16): the very statements the view sent for `url` (captured once), run
    again through the cursor, and the rows of its largest result rendered by a bare template loop."""
    from django.db import connection
    from django.template import engines
    from django.test.utils import CaptureQueriesContext

    import datacache

    datacache.caches[datacache.CACHE_ALIAS].clear()  # the statements of the list computed, not of its cached body
    with CaptureQueriesContext(connection) as ctx:
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} did not answer 200")
    statements = [q["sql"] for q in ctx.captured_queries
                  if q["sql"].lstrip().upper().startswith("SELECT") and not q["sql"].startswith(_SKIP)]
    template = engines["django"].from_string(BARE_LOOP)

    def bound():
        widest = []
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)  # the statement as the view sent it, parameters already in place
                rows = cursor.fetchall()
                if len(rows) > len(widest):
                    widest = rows
        template.render({"rows": widest})
    return bound
