"""How many commune-level units each province has on a day, by kind (as they were that day), and how many
have a commune police unit: the national page's "units" columns (34 provinces and 3,321 units on 01/07/2025,
3,319 with commune police; from 30/04/2026 ten more phường in Đồng Nai). Read with the provinces themselves
(personnel.coverage.national_figures), so the page gains no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from communes.choices import CommuneKind
from communes.models import Commune


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
    """Annotations on a Province query: its units existing on the day (`units_n`), by kind as it was that day
    (`units_xa`, `units_phuong`), and those with commune police (`units_police`); subqueries, so the provinces
    and their counts come in one query."""
    on_day = Commune.objects.filter(province=OuterRef("pk")).existing_on(as_of)

    def counted(rows):
        return Coalesce(Subquery(rows.order_by().values("province").annotate(n=Count("pk")).values("n")), 0)

    state = on_day.with_state_on(as_of)
    return {
        "units_n": counted(on_day),
        "units_xa": counted(state.filter(kind_on=CommuneKind.COMMUNE)),
        "units_phuong": counted(state.filter(kind_on=CommuneKind.WARD)),
        "units_police": counted(on_day.filter(has_police_post=True)),
    }


def units_of(province) -> UnitCounts:
    """The counts unit_count_annotations() put on a province."""
    n, xa, phuong = province.units_n, province.units_xa, province.units_phuong
    return UnitCounts(units=n, communes=xa, wards=phuong, other=n - xa - phuong, with_police=province.units_police)
