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


def province_of_scope(provinces: QuerySet, own_pk: int, day: datetime.date):
    """A provincial user's province on a day: their own while it exists; before it existed, the first (by
    name) of the provinces it was merged from that existed on the day (`provinces`: those in their scope)."""
    rows = list(provinces.existing_on(day).order_by("sort_key"))
    return next((p for p in rows if p.pk == own_pk), None) or (rows[0] if rows else provinces.get(pk=own_pk))
