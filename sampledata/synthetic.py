"""Synthetic national data on the real units of all provinces: the scale the dashboards must survive.

Every province but Kon Tum (whose 2019 pilot is real data, written by load_pilot_demo) gets units,
a plan, officers, postings from 2019 to 2024 with transfers and departures, Party cells and roles.

How the rules hold by construction, so a bulk insert never trips a constraint:
- each commune has staffing *slots* (slot 0 is the chief); a slot's holders follow one another
  with a gap, so a commune never has two chiefs (or two holders of a slot) at a time;
- the tenures of a province are handed out in start order to officers whose previous tenure has
  ended (a transfer) or to newcomers, so one officer's postings never overlap and at most one is open;
- a cell's secretary follows the commune's chiefs, so a cell has one secretary at a time.

Deterministic: one seeded random.Random, provinces and communes taken in code order.
"""

from __future__ import annotations

import datetime
import heapq
import random
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_create_with_history

import datacache
from communes.models import Commune, District, PartyCell, Province
from communes.periods import UNIT_LIFE
from kontum_posts.lib.vntext import cell_default_name
from personnel.choices import (
    EndReason,
    Gender,
    OfficerStatus,
    PartyRoleKind,
    Position,
    Rank,
    UnitKind,
)
from personnel.models import Officer, PartyRole, Plan, Posting, Unit
from personnel.rules import adult_from
from sampledata.people import KINH_GIVEN_FEMALE, KINH_GIVEN_MALE, KINH_MIDDLE_FEMALE, KINH_MIDDLE_MALE, KINH_SURNAMES
from sampledata.pilot import DEPARTMENTS, KON_TUM, REVIEW_DAY

SEED = 63
PLAN_NUMBER = "{code:02d}/KH-CAT-NAT"
FIRST_DAY = datetime.date(2019, 1, 1)
LAST_ROLLOUT_DAY = datetime.date(2021, 6, 30)
HORIZON = datetime.date(2024, 12, 31)  # tenures that run past it stay open
CHANGE_REASON = "Dữ liệu tổng hợp toàn quốc"
BATCH = 2000

# Slots per commune: a chief, one or two deputies, standing officers; ~5.5 on average.
SLOT_POSITIONS = [Position.CHIEF, Position.DEPUTY_CHIEF, Position.STANDING_OFFICER, Position.STANDING_OFFICER,
                  Position.STANDING_OFFICER]
TENURE_DAYS = (150, 650)
GAP_DAYS = (1, 45)
LEAVE_SHARE = 0.05  # of ended tenures: the officer retires or goes to training instead of moving on
CELL_SHARE = 0.75
OUTSIDE_SECRETARY_SHARE = 0.03
BCH_SHARE = 0.6
BTV_SHARE = 0.5


@dataclass
class NationalResult:
    provinces: int = 0
    communes: int = 0
    officers: int = 0
    postings: int = 0
    cells: int = 0
    roles: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Build:
    units: list[Unit] = field(default_factory=list)
    plans: list[tuple[Plan, list[int]]] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)  # .officer set, officer_id filled after insert
    cells: list[PartyCell] = field(default_factory=list)
    roles: list[PartyRole] = field(default_factory=list)  # .officer and .cell set likewise
    communes: int = 0


def national_provinces() -> list[Province]:
    """Provinces the generator fills: all loaded ones except Kon Tum and any already generated."""
    done = set(Plan.objects.filter(number__endswith="/KH-CAT-NAT").values_list("province_id", flat=True))
    return [p for p in Province.objects.existing_on(REVIEW_DAY).order_by("code") if p.code != KON_TUM and p.pk not in done]


def build_national(*, seed: int = SEED, scale: float = 1.0, provinces: list[Province] | None = None) -> _Build:
    """Everything to insert, as unsaved model instances (deterministic for a seed, a scale and a database)."""
    provinces = national_provinces() if provinces is None else provinces
    rng = random.Random(seed)
    build = _Build()
    for province in provinces:
        _ProvinceBuilder(rng, province, scale, build).run()
    return build


def generate_national(*, seed: int = SEED, scale: float = 1.0) -> NationalResult:
    """Build and insert, in one transaction, with bulk inserts (history rows included)."""
    provinces = national_provinces()
    result = NationalResult(provinces=len(provinces))
    if not provinces:
        result.skipped.append("every province already has national data")
        return result
    build = build_national(seed=seed, scale=scale, provinces=provinces)
    with transaction.atomic():
        write(build)
    result.communes = build.communes
    result.officers = len(build.officers)
    result.postings = len(build.postings)
    result.cells = len(build.cells)
    result.roles = len(build.roles)
    return result


def write(build: _Build) -> None:
    datacache.bump()  # bulk_create sends no signals
    for unit in build.units:
        unit.fill_derived()
    Unit.objects.bulk_create(build.units, batch_size=BATCH)
    for officer in build.officers:
        officer.home_unit_id = officer.home_unit.pk
    for plan, _ in build.plans:
        plan.save()
    through = Plan.communes.through
    through.objects.bulk_create(
        [through(plan_id=plan.pk, commune_id=c) for plan, ids in build.plans for c in ids], batch_size=BATCH
    )
    bulk_create_with_history(build.officers, Officer, batch_size=BATCH, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(build.cells, PartyCell, batch_size=BATCH, default_change_reason=CHANGE_REASON)
    for posting in build.postings:
        posting.officer_id = posting.officer.pk
    for role in build.roles:
        role.officer_id = role.officer.pk if role.officer is not None else None
        role.cell_id = role.cell.pk if role.cell is not None else None
    bulk_create_with_history(build.postings, Posting, batch_size=BATCH, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(build.roles, PartyRole, batch_size=BATCH, default_change_reason=CHANGE_REASON)


def _days(a: int, b: int, rng: random.Random) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(a, b))


@dataclass
class _Tenure:
    commune: Commune
    slot: int
    start: datetime.date
    end: datetime.date | None
    posting: Posting | None = None


class _ProvinceBuilder:
    def __init__(self, rng: random.Random, province: Province, scale: float, build: _Build):
        self.rng = rng
        self.province = province
        self.scale = scale
        self.build = build
        self.serial = 0

    def run(self) -> None:
        rng = self.rng
        communes = list(
            Commune.objects.filter(UNIT_LIFE.open_on(REVIEW_DAY), province=self.province)
            .select_related("district")
            .order_by("code")
        )
        if not communes:
            return
        if self.scale < 1:
            # At least one commune per province, so every province shows up at every scale.
            k = max(1, round(len(communes) * self.scale))
            communes = sorted(rng.sample(communes, k), key=lambda c: c.code)
        self.build.communes += len(communes)
        units = self._units(sorted({c.district_id: c.district for c in communes}.values(), key=lambda d: d.code))
        self.build.plans.append(
            (
                Plan(
                    province=self.province, number=PLAN_NUMBER.format(code=self.province.code),
                    title=f"Kế hoạch bố trí Công an chính quy đảm nhiệm Công an xã, {self.province.name}",
                    issued_on=datetime.date(2018, 12, 1) + _days(0, 60, rng), requires_chief=True, min_officers=3,
                ),
                [c.pk for c in communes],
            )
        )
        tenures = self._tenures(communes)
        self._assign_officers(tenures, units)
        self._party(communes, tenures)

    def _units(self, districts: list[District]) -> dict:
        departments = [
            Unit(province=self.province, name=f"{name} Công an {self.province.name}", short_name=code, kind=UnitKind.DEPARTMENT)
            for name, code in DEPARTMENTS[:4]
        ]
        district_police = {
            d.pk: Unit(province=self.province, district=d, kind=UnitKind.DISTRICT_POLICE, name=f"Công an {d.name}")
            for d in districts
        }
        self.build.units.extend(departments + list(district_police.values()))
        return {"departments": departments, "district_police": district_police}

    def _tenures(self, communes: list[Commune]) -> list[_Tenure]:
        rng = self.rng
        rollout_span = (LAST_ROLLOUT_DAY - FIRST_DAY).days
        tenures = []
        for commune in communes:
            arrival = FIRST_DAY + _days(0, rollout_span, rng)
            slots = len(SLOT_POSITIONS) + rng.choice([0, 0, 1])  # a sixth slot (second deputy) in a third
            for slot in range(slots):
                start = arrival + _days(0, 120, rng) if slot >= 2 else arrival
                while start <= HORIZON:
                    end = start + _days(*TENURE_DAYS, rng)
                    if end > HORIZON:
                        tenures.append(_Tenure(commune, slot, start, None))
                        break
                    tenures.append(_Tenure(commune, slot, start, end))
                    start = end + _days(*GAP_DAYS, rng)
        tenures.sort(key=lambda t: (t.start, t.commune.code, t.slot))
        return tenures

    def _assign_officers(self, tenures: list[_Tenure], units: dict) -> None:
        """Hand tenures to officers free by then (transfers), or to newcomers."""
        rng = self.rng
        free: list[tuple[datetime.date, int, Officer]] = []  # (free from, serial, officer): a heap
        available: list[Officer] = []
        last_posting: dict[int, Posting] = {}
        counter = 0
        for tenure in tenures:
            while free and free[0][0] <= tenure.start:
                available.append(heapq.heappop(free)[2])
            position = SLOT_POSITIONS[tenure.slot] if tenure.slot < len(SLOT_POSITIONS) else Position.DEPUTY_CHIEF
            if available:
                officer = available.pop(rng.randrange(len(available))) if len(available) > 1 else available.pop()
                previous = last_posting[id(officer)]
                previous.end_reason = EndReason.TRANSFERRED
            else:
                officer = self._officer(tenure, units, position)
            decision_date = tenure.start - _days(3, 10, rng)
            posting = Posting(
                officer=officer, commune=tenure.commune, position=position, start_date=tenure.start,
                end_date=tenure.end, decision_number=f"{rng.randint(100, 2999)}/QĐ-CAT-PX01",
                decision_date=decision_date,
            )
            if tenure.end is not None:
                posting.end_reason = EndReason.OTHER
            tenure.posting = posting
            self.build.postings.append(posting)
            last_posting[id(officer)] = posting
            if tenure.end is not None:
                if rng.random() < LEAVE_SHARE:
                    reason = rng.choice([EndReason.RETIRED, EndReason.TRAINING])
                    posting.end_reason = reason
                    officer.status = OfficerStatus.RETIRED if reason == EndReason.RETIRED else OfficerStatus.TRAINING
                else:
                    counter += 1
                    heapq.heappush(free, (tenure.end + datetime.timedelta(days=1), counter, officer))
        # Officers still waiting for a new post went back to their units: their last posting ended
        # for "other" reasons, which the default already says.

    def _officer(self, tenure: _Tenure, units: dict, position: str) -> Officer:
        rng = self.rng
        self.serial += 1
        male = rng.random() < 0.9
        name = " ".join(
            (
                rng.choice(KINH_SURNAMES),
                rng.choice(KINH_MIDDLE_MALE if male else KINH_MIDDLE_FEMALE),
                rng.choice(KINH_GIVEN_MALE if male else KINH_GIVEN_FEMALE),
            )
        )
        birth = datetime.date(rng.randint(1972, 1998), rng.randint(1, 12), rng.randint(1, 28))
        senior = position in (Position.CHIEF, Position.DEPUTY_CHIEF)
        home = units["district_police"][tenure.commune.district_id] if rng.random() < 0.75 else rng.choice(units["departments"])
        officer = Officer(
            full_name=name, gender=Gender.MALE if male else Gender.FEMALE, birth_date=birth, ethnicity="Kinh",
            rank=rng.choice([Rank.SENIOR_LIEUTENANT, Rank.CAPTAIN, Rank.MAJOR] if senior else [Rank.SUB_LIEUTENANT, Rank.LIEUTENANT]),
            # Letters and digits, no dash: never the pilot's "ddd-ddd" numbers.
            service_number=f"N{self.province.code:02d}{self.serial:06d}",
            party_member_since=datetime.date(birth.year + 22, 6, 1) if senior or rng.random() < 0.6 else None,
            home_unit=home, status=OfficerStatus.SERVING,
        )
        officer.fill_derived()
        self.build.officers.append(officer)
        return officer

    def _party(self, communes: list[Commune], tenures: list[_Tenure]) -> None:
        rng = self.rng
        chiefs: dict[int, list[_Tenure]] = {}
        deputies: dict[int, list[_Tenure]] = {}
        for t in tenures:
            if t.slot == 0:
                chiefs.setdefault(t.commune.pk, []).append(t)
            elif t.slot == 1:
                deputies.setdefault(t.commune.pk, []).append(t)
        for commune in communes:
            if rng.random() >= CELL_SHARE or commune.pk not in chiefs:
                continue
            first = chiefs[commune.pk][0].start
            established = first + _days(20, 400, rng)
            if established > HORIZON:
                continue
            cell = PartyCell(
                commune=commune, name=cell_default_name(commune.name), established_on=established,
                decision_number=f"{rng.randint(10, 499)}-QĐ/ĐU", decision_date=established - datetime.timedelta(days=2),
            )
            self.build.cells.append(cell)
            if rng.random() < OUTSIDE_SECRETARY_SHARE:
                self._role(commune, cell, PartyRoleKind.CELL_SECRETARY, None, established, None, holder="Y Hơ Len")
            else:
                self._follow(commune, cell, PartyRoleKind.CELL_SECRETARY, chiefs[commune.pk], established)
            if rng.random() < 0.5:
                self._follow(commune, cell, PartyRoleKind.CELL_DEPUTY_SECRETARY, deputies.get(commune.pk, []), established)
            if rng.random() < BCH_SHARE:
                self._follow(commune, None, PartyRoleKind.EXECUTIVE_COMMITTEE, chiefs[commune.pk], established)
                if rng.random() < BTV_SHARE:
                    self._follow(commune, None, PartyRoleKind.STANDING_COMMITTEE, chiefs[commune.pk], established)

    def _follow(self, commune, cell, role, holders: list[_Tenure], since: datetime.date) -> None:
        """The role passes from one holder of a post to the next, from `since` on."""
        for t in holders:
            if t.end is not None and t.end < since:
                continue
            start = max(t.start, since)
            officer = t.posting.officer
            if officer.party_member_since is None or officer.party_member_since > start:
                # Admitted three years before, but never before the 18th birthday (the admission rule).
                officer.party_member_since = max(datetime.date(start.year - 3, 3, 3), adult_from(officer.birth_date))
            self._role(commune, cell, role, officer, start, t.end)

    def _role(self, commune, cell, role, officer, start, end, holder="") -> None:
        self.build.roles.append(
            PartyRole(
                officer=officer, holder_name=holder, commune=commune, cell=cell, role=role, start_date=start,
                end_date=end, decision_number=f"{self.rng.randint(10, 499)}-QĐ/ĐU",
                decision_date=start - datetime.timedelta(days=2),
            )
        )
