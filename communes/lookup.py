"""Finding a unit by its GSO code on a day: a code names different units on different days."""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet
from django.http import Http404


def unit_on(queryset: QuerySet, code: int, day: datetime.date):
    """The unit bearing `code` on `day`; on a day it named no unit, the latest unit that bore it
    (its page then says on which days it existed); Http404 when no unit ever did."""
    rows = queryset.filter(code=code)
    unit = rows.existing_on(day).first()
    if unit is None:
        unit = rows.order_by(F("established_on").desc(nulls_last=True), "-pk").first()
    if unit is None:
        raise Http404
    return unit
