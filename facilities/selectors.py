"""Reads of facilities on a day, in the units of that day: a row in force on day D is the latest row on
or before D of the commune unit existing on D. Three queries for any number of communes."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from communes.models import Commune, District, Province, area_q
from facilities.choices import HeadquartersState
from facilities.gaps import facility_gaps
from facilities.models import EquipmentCount, EquipmentItem, EquipmentNorm, HeadquartersRecord

NOT_RECORDED = "not_recorded"  # the state column's value for a commune with no headquarters row by the day


@dataclass(frozen=True)
class EquipmentLine:
    item: EquipmentItem
    have: int  # 0 when the item was never counted in the commune
    norm: int | None  # None: the province sets no norm for the item on the day

    @property
    def short(self) -> int:
        """How many the commune lacks to reach the norm (0 when it meets it)."""
        return max(0, (self.norm or 0) - self.have)


@dataclass
class CommuneFacilities:
    """A commune's facilities on a day: its headquarters row in force and each item against the norm."""

    commune: Commune
    headquarters: HeadquartersRecord | None = None
    equipment: list[EquipmentLine] = field(default_factory=list)
    recorded: bool = False  # anything recorded for the commune by the day
    gaps: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.headquarters.state if self.headquarters is not None else NOT_RECORDED

    @property
    def items_short(self) -> list[EquipmentLine]:
        return [line for line in self.equipment if line.short]

    @property
    def equipment_text(self) -> str:
        """"Xe mô tô 1/2; Máy vi tính 2/2": what the commune has of each item against the norm (an item it
        has none of and need not have is left out; nothing for a commune with nothing recorded)."""
        if not self.recorded:
            return ""
        return "; ".join(f"{line.item.name} {line.have}/{line.norm if line.norm is not None else '—'}"
                         for line in self.equipment if line.have or line.norm)


def _latest(rows, key):
    """The last row of each key among rows ordered by day (the one in force)."""
    found = {}
    for row in rows:
        found[key(row)] = row
    return found


def facilities_on(communes: list[Commune], day: datetime.date) -> dict[int, CommuneFacilities]:
    """Each commune's facilities in force on `day`, by commune pk: three queries (headquarters, counts, norms)."""
    ids = [c.pk for c in communes]
    if not ids:
        return {}
    return _assemble(
        communes, day,
        HeadquartersRecord.objects.filter(commune_id__in=ids, effective_on__lte=day),
        EquipmentCount.objects.filter(commune_id__in=ids, effective_on__lte=day).select_related("item"),
        _norms({c.province_id for c in communes}, day))


def _norms(province_ids, day: datetime.date):
    return EquipmentNorm.objects.filter(province_id__in=province_ids, effective_on__lte=day).select_related("item")


def _by_day(rows) -> list:
    return sorted(rows, key=lambda r: (r.effective_on, r.pk))


def _assemble(communes, day: datetime.date, headquarters_rows, count_rows, norm_rows) -> dict[int, CommuneFacilities]:
    """The rows in force on `day` (the latest on or before it) put together per commune, with the gaps."""
    result = {c.pk: CommuneFacilities(commune=c) for c in communes}
    headquarters = _latest((r for r in _by_day(headquarters_rows) if r.effective_on <= day), lambda r: r.commune_id)
    counts = _latest((r for r in _by_day(count_rows) if r.effective_on <= day), lambda r: (r.commune_id, r.item_id))
    norms = _latest((r for r in _by_day(norm_rows) if r.effective_on <= day), lambda r: (r.province_id, r.item_id))
    counted = {}
    for (commune_id, _item_id), count in counts.items():
        counted.setdefault(commune_id, {})[count.item_id] = count
    for commune in communes:
        row = result[commune.pk]
        row.headquarters = headquarters.get(commune.pk)
        own_counts = counted.get(commune.pk, {})
        items = {n.item_id: n.item for (province_id, _i), n in norms.items() if province_id == commune.province_id and n.quantity}
        items.update({item_id: c.item for item_id, c in own_counts.items()})
        row.equipment = [
            EquipmentLine(item=item, have=own_counts[item.pk].quantity if item.pk in own_counts else 0,
                          norm=norms[(commune.province_id, item.pk)].quantity
                          if (commune.province_id, item.pk) in norms else None)
            for item in sorted(items.values(), key=lambda i: (i.order, i.name))
        ]
        row.recorded = row.headquarters is not None or bool(own_counts)
        row.gaps = facility_gaps(row)
    return result


def facility_gaps_of(communes: list[Commune], day: datetime.date) -> dict[int, list[str]]:
    """The communes with facilities gaps on the day, and their gaps (the dashboard's share)."""
    return {pk: row.gaps for pk, row in facilities_on(communes, day).items() if row.gaps}


def area_communes(*, province: Province, as_of: datetime.date, district: District | None = None, scope=None):
    """The communes of an area existing on the day, named as then, in district then commune order."""
    communes = Commune.objects.filter(area_q(province=province, district=district, until=as_of)).existing_on(as_of)
    if scope is not None:
        communes = communes.filter(scope.commune_q())
    return list(communes.with_state_on(as_of).select_related("district", "former_district", "province")
                .order_by("district__sort_key", "former_district__sort_key", "sort_key_on"))


def area_facilities(*, province: Province, as_of: datetime.date, district: District | None = None,
                    scope=None) -> list[CommuneFacilities]:
    """Every commune of the area on the day with its facilities: four queries."""
    communes = area_communes(province=province, as_of=as_of, district=district, scope=scope)
    rows = facilities_on(communes, as_of)
    return [rows[c.pk] for c in communes]


STATE_ORDER = [*HeadquartersState.values, NOT_RECORDED]


def state_counts(rows: list[CommuneFacilities]) -> list[tuple[str, int]]:
    """How many communes are in each headquarters state (and not recorded), in the states' order."""
    counts = Counter(row.state for row in rows)
    return [(state, counts.get(state, 0)) for state in STATE_ORDER]


def state_label(state: str):
    """A headquarters state in words (lazy: a PDF renders in its own language), "not recorded" included:
    every page, export and PDF names it so."""
    if state == NOT_RECORDED:
        return _("not recorded")
    return HeadquartersState(state).label


def commune_facilities(commune: Commune, as_of: datetime.date) -> dict:
    """What the commune page shows: the facilities in force on the day (None outside the unit's life) and
    their history, latest first. Three queries: every row of the commune is read once, and the day's state is
    the rows in force among them."""
    from facilities.gaps import facility_gap_labels

    headquarters = list(HeadquartersRecord.objects.filter(commune=commune).order_by("-effective_on", "-pk"))
    counts = list(EquipmentCount.objects.filter(commune=commune).select_related("item")
                  .order_by("-effective_on", "item__order", "item__name"))
    on_day = None
    if commune.exists_on(as_of):
        on_day = _assemble([commune], as_of, headquarters, counts, _norms([commune.province_id], as_of))[commune.pk]
    return {"facilities": on_day, "facilities_gap_labels": facility_gap_labels(on_day.gaps) if on_day else [],
            "headquarters_rows": headquarters, "equipment_rows": counts}


@dataclass(frozen=True)
class FacilitiesSummary:
    """The pilot review's facilities section: communes by headquarters state, and those with each gap."""

    counts: list[tuple[str, int]]  # (state label, communes), every state and "not recorded"
    without_own: list[CommuneFacilities]
    below_norm: list[CommuneFacilities]
    total: int


def facilities_summary(communes: list[Commune], day: datetime.date) -> FacilitiesSummary:
    """The summary of the communes' facilities on the day (the plan's communes, for the review): three queries."""
    from facilities.gaps import FacilityGap

    found = facilities_on(communes, day)
    rows = [found[c.pk] for c in communes]
    return FacilitiesSummary(
        counts=[(state_label(state), n) for state, n in state_counts(rows)],
        without_own=[r for r in rows if FacilityGap.NO_OWN_HEADQUARTERS in r.gaps],
        below_norm=[r for r in rows if FacilityGap.BELOW_EQUIPMENT_NORM in r.gaps],
        total=len(rows),
    )
