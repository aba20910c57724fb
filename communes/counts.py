"""How many commune-level units each province has on a day, by kind (as they were that day), and how many
have a commune police unit: the national page's "units" columns (34 provinces and 3,321 units on 01/07/2025,
3,319 with commune police; from 30/04/2026 ten more phường in Đồng Nai)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

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


def units_by_province(as_of: datetime.date) -> dict[int, UnitCounts]:
    """Province pk -> its units existing on the day: one query, kinds read on the day (a xã that became a
    phường counts as a phường from that day)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (Commune.objects.existing_on(as_of).with_state_on(as_of).values("province_id", "kind_on")
            .annotate(n=Count("pk"), police=Count("pk", filter=Q(has_police_post=True))).order_by())
    for row in rows:
        c = counts.setdefault(row["province_id"], {"units": 0, "communes": 0, "wards": 0, "other": 0, "with_police": 0})
        kind = {CommuneKind.COMMUNE: "communes", CommuneKind.WARD: "wards"}.get(row["kind_on"], "other")
        c["units"] += row["n"]
        c[kind] += row["n"]
        c["with_police"] += row["police"]
    return {pk: UnitCounts(**c) for pk, c in counts.items()}
