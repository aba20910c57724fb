"""The national dashboard: one row per province, for users with national scope."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from personnel.access import scope_for
from personnel.selectors import Figures, national_figures


def _as_of(request) -> tuple[datetime.date, str]:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return datetime.date.today(), ""
    try:
        return datetime.date.fromisoformat(raw), ""
    except ValueError:
        return datetime.date.today(), _("“%(value)s” is not a date; showing today.") % {"value": raw}


def national_dashboard(request):
    if not scope_for(request.user).national:
        raise PermissionDenied
    as_of, date_error = _as_of(request)
    rows = national_figures(as_of=as_of)
    totals = Figures(**{
        name: sum(getattr(row.figures, name) for row in rows)
        for name in Figures.__dataclass_fields__
    })
    return render(request, "dashboard/national.html", {
        "rows": rows, "totals": totals, "as_of": as_of, "date_error": date_error,
    })
