"""The national dashboard: one row per province, for users with national scope."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

import datacache
from communes.counts import UnitCounts, units_of
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.export import csv_lines, csv_response, export_filename, xlsx_response
from personnel.access import scope_for
from personnel.coverage import national_figures, sum_figures


def national_dashboard(request):
    if not scope_for(request.user).national:
        # Say what is missing: a province account is not broken, it just does not cover the country.
        reason = _("This page shows every province: it needs an account with national scope "
                   "(a profile without a province). Ask an administrator if you need it.")
        return render(request, "403.html", {"reason": reason}, status=403)
    as_of = request_as_of(request).day
    # Cached under the data version (datacache): any write anywhere makes it fresh again.
    rows = datacache.cached(f"national:{as_of.isoformat()}", lambda: national_figures(as_of=as_of))
    lines = [(row, units_of(row.province)) for row in rows]
    totals = sum_figures(row.figures for row in rows)
    unit_totals = sum((u for _row, u in lines), UnitCounts())
    fmt = request.GET.get("export", "")
    if fmt in ("csv", "xlsx"):
        return _export(lines, totals, unit_totals, as_of, fmt)
    return render(request, "dashboard/national.html", {
        "rows": rows, "lines": lines, "totals": totals, "unit_totals": unit_totals, "as_of": as_of,
    })


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
