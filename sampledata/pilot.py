"""Kon Tum's 2019 pilot as data: deterministic (seeded), plausible, and counted by the selectors.

The figures of the review of 23/04/2019 (349 officers, 86/86 communes, 61 cells, 60/61, 41, 22)
are targets the generator builds toward; the dashboards recompute them from the rows it writes.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

import datacache
from communes.choices import CommuneKind
from communes.models import Commune, District, PartyCell, Province
from communes.services import divisions_import
from kontum_posts.lib.vntext import cell_default_name
from personnel.choices import (
    EndReason,
    Gender,
    OfficerStatus,
    PartyRoleKind,
    Position,
    Rank,
    Role,
    UnitKind,
)
from personnel.models import Officer, PartyRole, Plan, Posting, Unit, UserProfile
from sampledata import careers, followup_demo, people, today

KON_TUM = 62
REVIEW_DAY = datetime.date(2019, 4, 23)
PLAN_NUMBER = "223/KH-BCA-V05"
SEED = 20190423
CHANGE_REASON = "Dữ liệu mẫu: thí điểm Kon Tum 2019"

TARGET_OFFICERS = 349
TARGET_CELLS = 61
TARGET_POLICE_SECRETARIES = 60
TARGET_BCH = 41
TARGET_BTV = 22
COMMUNES_WITHOUT_CHIEF = 3

# Waves of decisions: the roll-out the dashboards chart month by month.
WAVES = [
    (datetime.date(2018, 11, 26), 14),
    (datetime.date(2018, 12, 24), 18),
    (datetime.date(2019, 1, 21), 20),
    (datetime.date(2019, 2, 25), 16),
    (datetime.date(2019, 3, 20), 12),
    (datetime.date(2019, 4, 10), 6),
]

DEPARTMENTS = [
    ("Phòng Tham mưu", "PV01"),
    ("Phòng Tổ chức cán bộ", "PX01"),
    ("Phòng An ninh chính trị nội bộ", "PA03"),
    ("Phòng Cảnh sát hình sự", "PC02"),
    ("Phòng Cảnh sát điều tra tội phạm về ma túy", "PC04"),
    ("Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "PC06"),
    ("Phòng Cảnh sát giao thông", "PC08"),
    ("Phòng Cảnh sát cơ động", "PK02"),
]


DEMO_USERS = [
    # username, password, role, district code (None: the whole province; NATIONAL: no province, the country)
    ("lanhdao", "xem-kontum-2019", Role.VIEWER, None),
    ("bientap.dakglei", "sua-dakglei-2019", Role.EDITOR, 610),
    ("quantri", "quantri-kontum-2019", Role.PROVINCE_ADMIN, None),
    ("toanquoc", "xem-toanquoc-2019", Role.VIEWER, "national"),
    # The national administrator: the one demo superuser (the Django admin), with the whole country.
    ("quantri.toanquoc", "quantri-toanquoc-2019", Role.PROVINCE_ADMIN, "national"),
]
NATIONAL = "national"


@dataclass
class DemoResult:
    created: bool
    officers: int = 0
    postings: int = 0
    cells: int = 0
    roles: int = 0


def demo_already_loaded() -> bool:
    return Plan.objects.filter(province__code=KON_TUM, number=PLAN_NUMBER).exists()


def demo_users_ensure(*, province: Province, only_missing: bool = False) -> None:
    """The demo accounts of DEMO_USERS; with `only_missing`, those not there yet (a demo loaded before one was added)."""
    User = get_user_model()
    for username, password, role, district_code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        # Only national administrators are superusers (and staff: the Django admin); a demo loaded when
        # `quantri` was one is corrected here even when its accounts are otherwise left alone.
        national_admin = role == Role.PROVINCE_ADMIN and district_code == NATIONAL
        if only_missing and not created:
            if (user.is_staff, user.is_superuser) != (national_admin, national_admin):
                user.is_staff = user.is_superuser = national_admin
                user.save(update_fields=["is_staff", "is_superuser"])
            continue
        user.set_password(password)
        user.is_staff = user.is_superuser = national_admin
        user.save()
        # A profile with no province has national scope (personnel.access.scope_for).
        home = None if district_code == NATIONAL else province
        profile, _ = UserProfile.objects.update_or_create(user=user, defaults={"role": role, "province": home})
        if district_code and district_code != NATIONAL:
            profile.districts.set(District.objects.filter(code=district_code))


def load_pilot_demo(*, seed: int = SEED) -> DemoResult:
    """Write the pilot and carry it on to today; running it again when the plan is there changes nothing but
    adding missing demo accounts and the steps to today a demo loaded before them lacks."""
    if demo_already_loaded():
        with transaction.atomic():
            demo_users_ensure(province=Province.objects.get(code=KON_TUM), only_missing=True)
            today.carry_on_to_today(from_province=KON_TUM, seed=seed)
            careers.careers_ensure(province_code=KON_TUM, seed=seed)
        return DemoResult(created=False)
    with transaction.atomic():
        if not Province.objects.filter(code=KON_TUM).exists():
            divisions_import(province_codes=[KON_TUM])
        result = _Generator(random.Random(seed)).run()
        today.carry_on_to_today(from_province=KON_TUM, seed=seed)
        careers.careers_ensure(province_code=KON_TUM, seed=seed)
        return result


class _Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.province = Province.objects.get(code=KON_TUM)
        self.districts = list(District.objects.filter(province=self.province).order_by("code"))
        self.service_numbers = iter(rng.sample(range(100_000, 999_999), 2_000))
        self.officers: list[Officer] = []
        self.postings: list[Posting] = []
        self.roles: list[PartyRole] = []

    # ---- people -------------------------------------------------------------------------
    def _officer(self, *, rank_choices: list[str], home_unit: Unit, party_member: bool) -> Officer:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.9 else Gender.FEMALE
        ethnicity = people.ethnicity(rng)
        birth = datetime.date(rng.randint(1975, 1996), rng.randint(1, 12), rng.randint(1, 28))
        officer = Officer(
            full_name=people.full_name(rng, ethnicity, gender),
            gender=gender,
            birth_date=birth,
            ethnicity=ethnicity,
            rank=rng.choice(rank_choices),
            service_number=f"{next(self.service_numbers):06d}"[:3] + "-" + f"{next(self.service_numbers):06d}"[3:],
            party_member_since=datetime.date(birth.year + rng.randint(20, 24), rng.randint(1, 12), rng.randint(1, 28))
            if party_member
            else None,
            home_unit=home_unit,
            status=OfficerStatus.SERVING,
        )
        if officer.party_member_since and officer.party_member_since > datetime.date(2018, 12, 31):
            officer.party_member_since = datetime.date(2018, rng.randint(1, 12), rng.randint(1, 28))
        officer.fill_derived()
        self.officers.append(officer)
        return officer

    # ---- the run ------------------------------------------------------------------------
    def run(self) -> DemoResult:
        rng = self.rng
        units = self._units()
        plan_communes = list(
            Commune.objects.filter(province=self.province)
            .existing_on(REVIEW_DAY)
            .with_state_on(REVIEW_DAY)
            .filter(kind_on=CommuneKind.COMMUNE)
            .order_by("code")
        )
        plan = Plan.objects.create(
            province=self.province,
            number=PLAN_NUMBER,
            title="Kế hoạch triển khai thí điểm bố trí Công an chính quy đảm nhận các chức danh Công an xã trên địa bàn tỉnh Kon Tum",
            issued_on=datetime.date(2018, 10, 12),
            requires_chief=True,
            min_officers=3,
        )
        plan.communes.set(plan_communes)
        self._support_assignments(units["departments"], plan_communes, start=plan.issued_on)

        # Each commune's wave: when its officers arrive.
        shuffled = plan_communes[:]
        rng.shuffle(shuffled)
        wave_of: dict[int, datetime.date] = {}
        position = 0
        for day, count in WAVES:
            for commune in shuffled[position:position + count]:
                wave_of[commune.pk] = day
            position += count
        if position != len(plan_communes):
            raise RuntimeError("the waves must cover every commune of the plan")

        # Officers per commune: four on average, some short of the norm, adding up to the target.
        sizes = {c.pk: 4 for c in plan_communes}
        extra = TARGET_OFFICERS - sum(sizes.values())
        for c in rng.sample(plan_communes, 6):
            sizes[c.pk] = 2  # below the norm of three
        extra += 12
        for c in rng.sample([c for c in plan_communes if sizes[c.pk] == 4], extra):
            sizes[c.pk] += 1
        if sum(sizes.values()) != TARGET_OFFICERS:
            raise RuntimeError("the communes' staff must add up to the target")
        without_chief = {c.pk for c in rng.sample(plan_communes, COMMUNES_WITHOUT_CHIEF)}

        by_commune: dict[int, list[Posting]] = {}
        for commune in plan_communes:
            start = wave_of[commune.pk]
            home = units["district_police"][commune.district_id]
            decision = f"{rng.randint(100, 2999)}/QĐ-CAT-PX01"
            staff = []
            for i in range(sizes[commune.pk]):
                if i == 0:
                    position_ = Position.DEPUTY_CHIEF if commune.pk in without_chief else Position.CHIEF
                    ranks = [Rank.CAPTAIN, Rank.MAJOR, Rank.SENIOR_LIEUTENANT]
                elif i == 1:
                    position_, ranks = Position.DEPUTY_CHIEF, [Rank.SENIOR_LIEUTENANT, Rank.CAPTAIN, Rank.LIEUTENANT]
                else:
                    position_, ranks = Position.STANDING_OFFICER, [Rank.SUB_LIEUTENANT, Rank.LIEUTENANT, Rank.SENIOR_LIEUTENANT]
                from_unit = home if rng.random() < 0.7 else rng.choice(units["departments"])
                officer = self._officer(rank_choices=ranks, home_unit=from_unit, party_member=i < 2 or rng.random() < 0.6)
                late = i >= 3 and rng.random() < 0.3  # a few join their post a couple of weeks later
                staff.append(
                    Posting(
                        officer=officer, commune=commune, position=position_,
                        start_date=min(start + datetime.timedelta(days=14 if late else 0), REVIEW_DAY),
                        decision_number=decision, decision_date=start - datetime.timedelta(days=5),
                    )
                )
            by_commune[commune.pk] = staff
            self.postings.extend(staff)

        cells = self._party(plan_communes, wave_of, by_commune)
        self._history_after_review(plan_communes, by_commune, units)

        datacache.bump()  # bulk_create sends no signals
        bulk_create_with_history(self.officers, Officer, batch_size=500, default_change_reason=CHANGE_REASON)
        bulk_create_with_history(cells, PartyCell, batch_size=500, default_change_reason=CHANGE_REASON)
        for posting in self.postings:
            posting.officer_id = posting.officer.pk
        for role in self.roles:
            role.officer_id = role.officer.pk if role.officer else None
            role.cell_id = role.cell.pk if role.cell else None
        bulk_create_with_history(self.postings, Posting, batch_size=500, default_change_reason=CHANGE_REASON)
        bulk_create_with_history(self.roles, PartyRole, batch_size=500, default_change_reason=CHANGE_REASON)
        self._users()
        return DemoResult(
            created=True, officers=len(self.officers), postings=len(self.postings), cells=len(cells), roles=len(self.roles)
        )

    def _units(self) -> dict:
        departments = [
            Unit(province=self.province, name=f"{name} Công an tỉnh", short_name=code, kind=UnitKind.DEPARTMENT)
            for name, code in DEPARTMENTS
        ]
        district_police = [
            Unit(
                province=self.province, district=d, kind=UnitKind.DISTRICT_POLICE,
                name="Công an " + d.name.replace("Huyện ", "huyện ").replace("Thành phố ", "thành phố "),
            )
            for d in self.districts
        ]
        for unit in district_police:
            unit.fill_derived()
        Unit.objects.bulk_create(departments + district_police)
        return {"departments": departments, "district_police": {u.district_id: u for u in district_police}}

    def _support_assignments(self, departments: list[Unit], communes: list[Commune], *, start: datetime.date) -> None:
        """Each department supports a share of the communes from the plan's day (the review asked for it)."""
        followup_demo.pilot_support(departments=departments, communes=communes, start=start)

    def _party(self, communes, wave_of, by_commune) -> list[PartyCell]:
        rng = self.rng
        with_cells = sorted(rng.sample(communes, TARGET_CELLS), key=lambda c: c.code)
        cells = []
        outside_secretary = rng.choice(with_cells).pk
        bch_pool = []
        for commune in with_cells:
            established = min(wave_of[commune.pk] + datetime.timedelta(days=rng.randint(20, 60)), REVIEW_DAY - datetime.timedelta(days=3))
            staff = [p for p in by_commune[commune.pk] if p.start_date <= established]
            cell = PartyCell(
                commune=commune, name=cell_default_name(commune.name_on), established_on=established,
                decision_number=f"{rng.randint(10, 499)}-QĐ/ĐU", decision_date=established - datetime.timedelta(days=2),
            )
            cells.append(cell)
            leader = staff[0]
            self._make_party_member(leader.officer, established)
            if commune.pk == outside_secretary:
                self.roles.append(self._role(commune, cell, PartyRoleKind.CELL_SECRETARY, None, established, holder="Y Hơ Len"))
                self.roles.append(self._role(commune, cell, PartyRoleKind.CELL_DEPUTY_SECRETARY, leader.officer, established))
            else:
                self.roles.append(self._role(commune, cell, PartyRoleKind.CELL_SECRETARY, leader.officer, established))
                if len(staff) > 1 and rng.random() < 0.5:
                    self._make_party_member(staff[1].officer, established)
                    self.roles.append(self._role(commune, cell, PartyRoleKind.CELL_DEPUTY_SECRETARY, staff[1].officer, established))
            bch_pool.append((commune, leader.officer, established))
        bch = rng.sample(bch_pool, TARGET_BCH)
        for commune, officer, established in bch:
            self.roles.append(self._role(commune, None, PartyRoleKind.EXECUTIVE_COMMITTEE, officer, established + datetime.timedelta(days=1)))
        # The standing committee is drawn from the executive committee, as in a real Party committee.
        for commune, officer, established in rng.sample(bch, TARGET_BTV):
            self.roles.append(self._role(commune, None, PartyRoleKind.STANDING_COMMITTEE, officer, established + datetime.timedelta(days=1)))
        return cells

    def _make_party_member(self, officer: Officer, by: datetime.date) -> None:
        if officer.party_member_since is None or officer.party_member_since > by:
            officer.party_member_since = datetime.date(by.year - 3, 3, 3)

    def _role(self, commune, cell, role, officer, start, holder="") -> PartyRole:
        return PartyRole(
            officer=officer, holder_name=holder, commune=commune, cell=cell, role=role, start_date=start,
            decision_number=f"{self.rng.randint(10, 499)}-QĐ/ĐU", decision_date=start - datetime.timedelta(days=2),
        )

    def _history_after_review(self, communes, by_commune, units) -> None:
        """What happened after the review: transfers, officers who left, newcomers filling gaps."""
        rng = self.rng
        transfer_day = datetime.date(2019, 7, 1)
        standing = [p for p in self.postings if p.position == Position.STANDING_OFFICER and p.end_date is None]
        for posting in rng.sample(standing, 15):
            posting.end_date = transfer_day - datetime.timedelta(days=1)
            posting.end_reason = EndReason.TRANSFERRED
            target = rng.choice([c for c in communes if c.pk != posting.commune_id])
            self.postings.append(
                Posting(
                    officer=posting.officer, commune=target, position=Position.STANDING_OFFICER, start_date=transfer_day,
                    decision_number=f"{rng.randint(100, 2999)}/QĐ-CAT-PX01", decision_date=transfer_day - datetime.timedelta(days=7),
                    note="Điều động sau sơ kết 3 tháng",
                )
            )
        still_open = [p for p in self.postings if p.end_date is None and p.position == Position.STANDING_OFFICER]
        for posting, reason in zip(rng.sample(still_open, 8), [EndReason.RETIRED, EndReason.TRAINING] * 4, strict=True):
            posting.end_date = datetime.date(2019, 10, 1) + datetime.timedelta(days=rng.randint(0, 300))
            posting.end_reason = reason
            if reason == EndReason.RETIRED:
                posting.officer.status = OfficerStatus.RETIRED
            else:
                posting.officer.status = OfficerStatus.TRAINING
        # Newcomers, first to the communes short of the norm or without a chief.
        chiefless = [c for c in communes if not any(p.position == Position.CHIEF for p in by_commune[c.pk])]
        short = [c for c in communes if len(by_commune[c.pk]) < 3]
        arrivals = [(c, True) for c in chiefless] + [(c, False) for c in short + rng.sample(communes, 8)]
        for i, (commune, is_chief) in enumerate(arrivals):
            day = datetime.date(2019, 8, 15) + datetime.timedelta(days=20 * i)
            officer = self._officer(
                rank_choices=[Rank.CAPTAIN] if is_chief else [Rank.SUB_LIEUTENANT, Rank.LIEUTENANT],
                home_unit=units["district_police"][commune.district_id], party_member=is_chief,
            )
            self.postings.append(
                Posting(
                    officer=officer, commune=commune, position=Position.CHIEF if is_chief else Position.STANDING_OFFICER,
                    start_date=day, decision_number=f"{rng.randint(100, 2999)}/QĐ-CAT-PX01",
                    decision_date=day - datetime.timedelta(days=5),
                )
            )

    def _users(self) -> None:
        demo_users_ensure(province=self.province)
