"""The national dashboard: one row per province, for users with national scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

import datacache
from kontum_posts.lib.asof import request_as_of
from personnel.access import scope_for
from personnel.coverage import national_figures, sum_figures


def national_dashboard(request):
    if not scope_for(request.user).national:
        raise PermissionDenied
    as_of = request_as_of(request).day
    # Cached under the data version (datacache): any write anywhere makes it fresh again.
    rows = datacache.cached(f"national:{as_of.isoformat()}", lambda: national_figures(as_of=as_of))
    return render(request, "dashboard/national.html", {
        "rows": rows, "totals": sum_figures(row.figures for row in rows), "as_of": as_of,
    })
