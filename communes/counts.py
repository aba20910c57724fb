"""How many commune-level units each province has on a day, by kind (as they were that day), and how many
have a commune police unit: the national page's "units" columns (34 provinces and 3,321 units on 01/07/2025,
3,319 with commune police; from 30/04/2026 ten more phường in Đồng Nai). Read with the provinces themselves
(personnel.coverage.national_figures), so the page gains no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange


@dataclass(frozen=True)
class UnitCounts:
    units: int = 0
    communes: int = 0  # xã
    wards: int = 0  # phường
    other: int = 0  # thị trấn (until 30/06/2025), đặc khu (since 01/07/2025)
    with_police: int = 0

    def __add__(self, other: UnitCounts) -> UnitCounts:
        return UnitCounts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.units, self.communes, self.wards, self.other, self.with_police)


def unit_count_annotations(as_of: datetime.date) -> dict:
    """An annotation on a Province query, `unit_counts`: its units existing on the day, those that were xã and
    phường that day, and those with commune police, as "n,xa,phuong,police" (units_of() reads it). One
    correlated subquery per province that reads each of its communes once, so the provinces and their counts
    come in one query. A unit's kind on the day is its row's, unless a change after the day says what it was
    before: the earliest such change (CommuneChange rows are few: uncorrelated subqueries, read once)."""
    later = CommuneChange.objects.filter(effective_on__gt=as_of)
    earliest_later = later.exclude(Exists(later.filter(commune=OuterRef("commune"), effective_on__lt=OuterRef("effective_on"))))
    changed = later.values("commune_id")

    def of_kind(kind):
        was = earliest_later.filter(previous_kind=kind).values("commune_id")
        return Count("pk", filter=(Q(kind=kind) & ~Q(pk__in=changed)) | Q(pk__in=was))

    text = CharField()
    packed = Concat(Cast(Count("pk"), text), Value(","), Cast(of_kind(CommuneKind.COMMUNE), text), Value(","),
                    Cast(of_kind(CommuneKind.WARD), text), Value(","),
                    Cast(Count("pk", filter=Q(has_police_post=True)), text), output_field=text)
    on_day = Commune.objects.filter(province=OuterRef("pk")).existing_on(as_of).order_by().values("province")
    return {"unit_counts": Subquery(on_day.annotate(packed=packed).values("packed"))}


def units_of(province) -> UnitCounts:
    """The counts unit_count_annotations() put on a province (none: a province without units that day)."""
    n, xa, phuong, police = map(int, (province.unit_counts or "0,0,0,0").split(","))
    return UnitCounts(units=n, communes=xa, wards=phuong, other=n - xa - phuong, with_police=police)
