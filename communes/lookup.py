"""Finding a unit by its GSO code on a day: a code names different units on different days."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet
from django.http import Http404

from kontum_posts.lib.vntext import fold


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


def former_name_hits(text: str) -> dict[int, str]:
    """Communes that once bore a name containing `text` (accents ignored), each with that name: the units
    renamed from it (CommuneChange) and the units formed from a unit that bore it (CommuneLineage).
    Three queries whatever the matches ("Đắk Long" finds Thị trấn Măng Đen and Xã Măng Đen)."""
    from communes.models import CommuneChange, CommuneLineage

    folded = fold(text)
    if not folded:
        return {}
    hits = {pk: name for pk, name in CommuneChange.objects.values_list("commune_id", "previous_name") if folded in fold(name)}
    links = CommuneLineage.objects.filter(Q(predecessor__search_name__contains=folded) | Q(predecessor_id__in=list(hits)))
    for successor_id, predecessor_id, name in links.values_list("successor_id", "predecessor_id", "predecessor__name"):
        hits.setdefault(successor_id, hits.get(predecessor_id, name))
    return hits


def province_links(province, day: datetime.date) -> list:
    """When `province` did not exist on `day`: the ProvinceLineage rows leading to the provinces of that
    day (it went into them, or came from them), with those provinces; otherwise none."""
    from communes.models import ProvinceLineage

    side = province.outside_life_on(day)
    if side == "after":
        links = ProvinceLineage.objects.filter(predecessor=province).select_related("successor")
        return sorted(links, key=lambda link: link.successor.sort_key)
    if side == "before":
        links = ProvinceLineage.objects.filter(successor=province).select_related("predecessor")
        return sorted(links, key=lambda link: link.predecessor.sort_key)
    return []


def province_of_the_day(province, day: datetime.date):
    """The province whose area held `province`'s on `day`: itself while it exists, afterwards the one it
    went into (Kon Tum on 01/12/2026: Quảng Ngãi); a district's documents are issued in its name."""
    links = province_links(province, day) if province.outside_life_on(day) == "after" else []
    return links[0].successor if links else province
