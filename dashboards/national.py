"""The national dashboard: one row per province, for users with national scope."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import datacache
from communes.counts import UnitCounts, units_of
from datacache import topics
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.export import csv_lines, csv_response, export_filename, xlsx_response
from personnel.access import scope_for
from personnel.coverage import ProvinceFigures, national_provinces, provinces_figures, sum_figures

ROW = "dashboard/_national_row.html"


def national_dashboard(request):
    if not scope_for(request.user).national:
        # Say what is missing: a province account is not broken, it just does not cover the country.
        reason = _("This page shows every province: it needs an account with national scope "
                   "(a profile without a province). Ask an administrator if you need it.")
        return render(request, "403.html", {"reason": reason}, status=403)
    as_of = request_as_of(request).day
    rows, rows_html = national_rows(as_of)
    lines = [(row, units_of(row.province)) for row in rows]
    totals = sum_figures(row.figures for row in rows)
    unit_totals = sum((u for _row, u in lines), UnitCounts())
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return _export(lines, totals, unit_totals, as_of, fmt)
    return render(request, "dashboard/national.html", {
        "rows": rows, "rows_html": rows_html, "lines": lines, "totals": totals, "unit_totals": unit_totals, "as_of": as_of,
    })


def national_rows(as_of: datetime.date) -> tuple[list[ProvinceFigures], SafeString]:
    """personnel.coverage.national_figures() on a day and the table's rows in HTML, each province's figures and row
    cached under its own data versions (datacache.cached_each): a write in a province computes its row (and its
    lineage's) again, one province's four queries, and leaves the others' as they were; no result is ever stale."""
    day = as_of.isoformat()
    # The provinces of the day, their plans and units: a posting anywhere leaves them cached.
    provinces = datacache.cached(f"national-provinces:{day}", lambda: national_provinces(as_of=as_of),
                                 topics=(topics.UNITS, topics.PLANS))
    by_pk = {p.pk: p for p in provinces}

    def compute(pks: list[int]) -> dict:
        chosen = [by_pk[pk] for pk in pks]
        figures = provinces_figures(chosen, as_of=as_of)
        parts = {}
        for province in chosen:
            row = ProvinceFigures(province=province, plan_id=province.plan_id, figures=figures[province.pk])
            html = render_to_string(ROW, {"row": row, "u": units_of(province), "f": row.figures, "asq": day})
            parts[province.pk] = (row.figures, html)
        return parts

    parts = datacache.cached_each(f"national-row:{day}:{get_language()}", list(by_pk), compute)
    rows = [ProvinceFigures(province=p, plan_id=p.plan_id, figures=parts[p.pk][0]) for p in provinces]
    return rows, mark_safe("".join(parts[p.pk][1] for p in provinces))  # noqa: S308 — rendered by the template engine


def _export(lines, totals, unit_totals, as_of, fmt: str):
    """The page's table as a file: the same rows and totals; the day in the file's name and in its notes."""
    header = [
        _("Province"), _("Commune-level units"), _("xã"), _("phường"), _("thị trấn, đặc khu"), _("Commune police units"),
        _("Officers in post"), _("Communes covered"), _("Communes in the plan"), _("Coverage (%)"),
        _("Party cells"), _("Cells with a police secretary"), _("Executive committee members"),
        _("Standing committee members"),
    ]

    def line(name, u, f):
        percent = round(f.coverage_percent, 1) if f.communes_in_plan else None
        return [name, *u.astuple(), f.officers_in_post, f.communes_covered, f.communes_in_plan, percent, f.party_cells,
                f.cells_with_police_secretary, f.executive_committee_members, f.standing_committee_members]

    table = [header, *(line(row.province.name, u, row.figures) for row, u in lines),
             line(_("Whole country"), unit_totals, totals)]
    notes = [(_("Figures as of"), as_of)]
    filename = export_filename("toan-quoc", day=as_of, ext=fmt)
    if fmt == "xlsx":
        return xlsx_response(table, filename, sheet_title=_("Whole country"), notes=notes)
    return csv_response(csv_lines(table, notes), filename)
