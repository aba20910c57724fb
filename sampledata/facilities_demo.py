"""Demo facilities for the pilot: Kon Tum's 86 communes of plan 223/KH-BCA-V05 from the roll-out of
11/2018 (most posts in borrowed or temporary premises, a few headquarters under construction, equipment
below the norm), their works completing over the years, and Quảng Ngãi's units that came from Kon Tum
from 01/07/2025 (each starts with rows of its own: the headquarters of the unit whose code it keeps, the
equipment of every unit merged into it, then the issues and completions since). Written through the
facilities services, as the forms write; running it again changes nothing (docs/facilities.md)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from communes.models import NEW_TIER_FROM, Commune, CommuneLineage, Province
from facilities import services
from facilities.choices import EquipmentKind, Funding
from facilities.choices import HeadquartersState as S
from facilities.models import EquipmentCount, EquipmentItem, EquipmentNorm, HeadquartersRecord
from facilities.selectors import facilities_on
from personnel.models import Plan

KON_TUM, QUANG_NGAI = 62, 51
PILOT_PLAN = "223/KH-BCA-V05"
FIRST_DAY = datetime.date(2018, 11, 26)  # the first wave of postings
NORMS_FROM = datetime.date(2018, 11, 1)
NEW_NORMS_FROM = datetime.date(2025, 7, 15)
REASON = "Dữ liệu mẫu: cơ sở vật chất Công an xã"
D = datetime.date
# (name, kind, counted in, norm in Kon Tum from 11/2018, norm in Quảng Ngãi from 15/07/2025)
ITEMS = [
    ("Xe mô tô", EquipmentKind.VEHICLE, "chiếc", 2, 3),
    ("Máy vi tính", EquipmentKind.COMPUTER, "bộ", 1, 2),
    ("Máy in", EquipmentKind.COMPUTER, "chiếc", 1, 1),
    ("Máy bộ đàm", EquipmentKind.RADIO, "chiếc", 2, 3),
    ("Camera giám sát", EquipmentKind.OTHER, "bộ", 0, 1),
]


def load_facilities_demo(*, seed: int = 20190423) -> bool:
    """Write the demo facilities once (False when they are there already or the pilot is not loaded)."""
    kon_tum = Province.objects.filter(code=KON_TUM).order_by("established_on").first()
    plan = Plan.objects.filter(province=kon_tum, number=PILOT_PLAN).first() if kon_tum else None
    if plan is None or HeadquartersRecord.objects.filter(commune__province=kon_tum).exists():
        return False
    rng = random.Random(seed)
    with transaction.atomic():
        items = _items()
        for item, (_n, _k, _u, norm, _new) in zip(items, ITEMS, strict=True):
            services.equipment_norm_set(province=kon_tum, item=item, on=NORMS_FROM, quantity=norm,
                                        decision="Hướng dẫn 01/HD-CAT (dữ liệu mẫu)")
        pilot = list(plan.communes.order_by("code"))
        for commune in pilot:
            _pilot_commune(commune, items, rng)
        quang_ngai = Province.objects.of_code(QUANG_NGAI, NEW_TIER_FROM)
        if quang_ngai is not None:
            for item, (_n, _k, _u, _old, norm) in zip(items, ITEMS, strict=True):
                services.equipment_norm_set(province=quang_ngai, item=item, on=NEW_NORMS_FROM, quantity=norm,
                                            decision="Kế hoạch 125/KH-CAT (dữ liệu mẫu)")
            _new_units(quang_ngai, items, rng)
    return True


def _items() -> list[EquipmentItem]:
    found = {item.name: item for item in EquipmentItem.objects.all()}
    return [found.get(name) or services.equipment_item_add(name=name, kind=kind, unit=unit, order=order)
            for order, (name, kind, unit, _old, _new) in enumerate(ITEMS, start=1)]


def _hq(commune, on, state, **works):
    return services.headquarters_record(commune=commune, on=on, state=state, change_reason=REASON, **works)


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _pilot_commune(commune: Commune, items: list[EquipmentItem], rng: random.Random) -> None:
    """2018–2025 in an old commune: the state at the roll-out, then works started and completed."""
    last = min(commune.last_day or NEW_TIER_FROM, NEW_TIER_FROM - datetime.timedelta(days=1))
    roll = rng.random()
    if roll < 0.08:  # works already under way: completed in 2019
        start = _day(rng, D(2018, 6, 1), D(2018, 10, 31))
        area, cost = rng.choice([180, 220, 250]), rng.choice([2_500, 3_000, 3_500]) * 1_000_000
        _hq(commune, FIRST_DAY, S.UNDER_CONSTRUCTION, construction_start=start, completion_date=D(2019, 9, 30),
            floor_area=area, cost=cost, funding=Funding.CENTRAL,
            note="Trụ sở làm việc Công an xã theo Đề án của Bộ Công an")
        done = _day(rng, D(2019, 8, 1), D(2019, 12, 20))
        _hq(commune, done, S.OWN, construction_start=start, completion_date=done, completion_actual=True,
            floor_area=area, cost=cost, funding=Funding.CENTRAL)
    else:
        first = S.BORROWED if roll < 0.55 else S.TEMPORARY if roll < 0.9 else S.NONE
        note = {S.BORROWED: "Mượn phòng làm việc của UBND xã", S.TEMPORARY: "Nhà tạm cấp 4",
                S.NONE: "Làm việc tại nhà văn hóa thôn"}[first]
        _hq(commune, FIRST_DAY, first, note=note)
        if rng.random() < 0.55:  # works between 2020 and 2024
            start = _day(rng, D(2020, 3, 1), D(2023, 6, 30))
            if start <= last:
                funding = rng.choice([Funding.CENTRAL, Funding.PROVINCE, Funding.MIXED, Funding.SOCIAL])
                area, cost = rng.choice([150, 180, 220, 250]), rng.choice([1_800, 2_500, 3_200, 4_000]) * 1_000_000
                planned = start + datetime.timedelta(days=rng.randint(240, 420))
                _hq(commune, start, S.UNDER_CONSTRUCTION, construction_start=start, completion_date=planned,
                    floor_area=area, cost=cost, funding=funding)
                done = planned + datetime.timedelta(days=rng.randint(-20, 90))
                if done <= last:
                    _hq(commune, done, S.OWN, construction_start=start, completion_date=done, completion_actual=True,
                        floor_area=area, cost=cost, funding=funding)
    # Equipment at the roll-out: the province's first issue, short of the norm in most posts.
    start_counts = {"Xe mô tô": rng.choice([1, 1, 2]), "Máy vi tính": rng.choice([0, 1, 1]), "Máy in": rng.choice([0, 0, 1]),
                    "Máy bộ đàm": rng.choice([0, 1, 2])}
    for item in items:
        if item.name != "Camera giám sát":  # not on Kon Tum's norm: not counted then
            services.equipment_count_record(commune=commune, item=item, on=FIRST_DAY, quantity=start_counts[item.name],
                                            change_reason=REASON)
    issue = _day(rng, D(2021, 1, 4), D(2024, 12, 20))
    if issue <= last:
        for item in items[:2]:
            services.equipment_count_record(commune=commune, item=item, on=issue, quantity=max(
                start_counts[item.name], 2 if item.name == "Xe mô tô" else 1), note="Cấp bổ sung", change_reason=REASON)


def _new_units(province: Province, items: list[EquipmentItem], rng: random.Random) -> None:
    """From 01/07/2025: each new unit from Kon Tum's communes takes the headquarters of the unit whose code
    it keeps (else its first predecessor's) and the equipment of all its predecessors; then works complete
    and the new norm is met where the province has issued the rest."""
    units = list(Commune.objects.filter(province=province, former_district__province__code=KON_TUM)
                 .existing_on(NEW_TIER_FROM).exclude(has_police_post=False).order_by("code"))
    eve = NEW_TIER_FROM - datetime.timedelta(days=1)
    links = list(CommuneLineage.objects.filter(successor__in=units, effective_on=NEW_TIER_FROM).select_related("predecessor"))
    predecessors = {}
    for link in links:
        predecessors.setdefault(link.successor_id, []).append(link.predecessor)
    old = facilities_on([p for group in predecessors.values() for p in group], eve)
    for unit in units:
        before = sorted(predecessors.get(unit.pk, []), key=lambda p: (p.code != unit.code, p.code))
        kept = old.get(before[0].pk) if before else None
        hq = kept.headquarters if kept is not None else None
        state = hq.state if hq is not None else S.TEMPORARY
        if state == S.NONE:
            state = S.BORROWED
        works = {}
        if state == S.UNDER_CONSTRUCTION and hq.construction_start:
            works = {"construction_start": hq.construction_start, "completion_date": hq.completion_date,
                     "floor_area": hq.floor_area, "cost": hq.cost, "funding": hq.funding}
        _hq(unit, NEW_TIER_FROM, state, note="Trụ sở của Công an xã trước sắp xếp", **works)
        if state != S.OWN and rng.random() < 0.6:  # the headquarters of a merged unit that had its own
            start = works.get("construction_start") or _day(rng, D(2025, 7, 15), D(2025, 9, 30))
            done = _day(rng, D(2025, 12, 1), D(2026, 10, 30))
            area, cost = works.get("floor_area") or rng.choice([250, 300]), works.get("cost") or 4_500_000_000
            _hq(unit, done, S.OWN, construction_start=start, completion_date=done, completion_actual=True,
                floor_area=area, cost=cost, funding=works.get("funding") or Funding.CENTRAL,
                note="Hoàn thành trụ sở Công an xã sau sắp xếp")
        elif state != S.OWN and rng.random() < 0.5:
            start = _day(rng, D(2025, 8, 1), D(2026, 6, 30))
            _hq(unit, start, S.UNDER_CONSTRUCTION, construction_start=start, completion_date=D(2027, 6, 30),
                floor_area=300, cost=5_000_000_000, funding=Funding.CENTRAL, note="Theo Đề án trụ sở Công an xã")
        for item in items:
            have = sum(line.have for p in before if p.pk in old for line in old[p.pk].equipment if line.item.pk == item.pk)
            services.equipment_count_record(commune=unit, item=item, on=NEW_TIER_FROM, quantity=have,
                                            note="Tiếp nhận từ các xã trước sắp xếp", change_reason=REASON)
        if rng.random() < 0.75:  # the new norm met after the issue of 2025–2026
            issue = _day(rng, D(2025, 10, 1), D(2026, 9, 30))
            norms = {n.item_id: n.quantity for n in EquipmentNorm.objects.filter(province=province)}
            current = {c.item_id: c.quantity for c in EquipmentCount.objects.filter(commune=unit)}
            for item in items:
                if current.get(item.pk, 0) < norms.get(item.pk, 0):
                    services.equipment_count_record(commune=unit, item=item, on=issue, quantity=norms[item.pk],
                                                    note="Cấp theo định mức mới", change_reason=REASON)
