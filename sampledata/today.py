"""The pilot goes on to today. On 01/07/2025 its staff, Party cells and roles are carried into Quảng Ngãi's
new units by the reorganisation service (never typed in). Then the province's plan for those units asks
for a chief and at least NORM officers in each: newcomers arrive where the plan's own gaps say so (the
dashboard's definition, read through personnel.coverage), and a Party cell is set up where none was
carried. Every row goes through the services an administrator's forms use."""

from __future__ import annotations

import datetime
import random

from communes.models import NEW_TIER_FROM, Commune, Province
from kontum_posts.lib.vntext import cell_default_name
from personnel import reorganisation, services
from personnel.choices import Gender, OfficerStatus, PartyRoleKind, Position, Rank, UnitKind
from personnel.coverage import Gap, plan_communes
from personnel.models import Officer, Plan, Posting, Unit
from sampledata import people

QUANG_NGAI = 51
REFORM_ACT = "Nghị quyết 1677/NQ-UBTVQH15"
# A demo plan (its number is made up): the new units of the former Kon Tum area, whose staff the demo carries.
PLAN_NUMBER = "125/KH-CAT"
PLAN_TITLE = ("Kế hoạch bố trí Công an chính quy đảm nhận các chức danh Công an xã, phường sau sắp xếp "
              "đơn vị hành chính (khu vực tỉnh Kon Tum cũ)")
PLAN_ISSUED = datetime.date(2025, 7, 15)
NORM = 5
FIRST_ARRIVAL = datetime.date(2025, 8, 4)
CELL_PARTY_MEMBERS = 3  # a Party cell needs at least three members
CHANGE_REASON = "Dữ liệu mẫu: sau sắp xếp đơn vị hành chính 01/07/2025"
ONE_DAY = datetime.timedelta(days=1)


def carry_on_to_today(*, from_province: int, seed: int) -> None:
    """Carry the pilot into the new units, then staff them to the new plan; each step only once, and only
    when Quảng Ngãi's new units are loaded."""
    quang_ngai = Province.objects.of_code(QUANG_NGAI, NEW_TIER_FROM)
    if quang_ngai is None:
        return
    proposal = reorganisation.propose(province=quang_ngai, effective_on=NEW_TIER_FROM, legal_basis=REFORM_ACT)
    if proposal.ready and not proposal.empty:
        reorganisation.apply(proposal)
    if not Plan.objects.filter(province=quang_ngai, number=PLAN_NUMBER).exists():
        _Staffing(quang_ngai, from_province, random.Random(seed)).run()


class _Staffing:
    def __init__(self, province: Province, from_province: int, rng: random.Random):
        self.province, self.from_province, self.rng = province, from_province, rng
        self.taken = set(Officer.objects.values_list("service_number", flat=True))
        # Kon Tum's organisation department goes on under Quảng Ngãi (Unit: scopes follow the lineage).
        departments = Unit.objects.filter(province__code=from_province, kind=UnitKind.DEPARTMENT).order_by("name")
        self.home_unit = departments.filter(short_name="PX01").first() or departments.first()

    def run(self) -> None:
        communes = (Commune.objects.filter(province=self.province, former_district__province__code=self.from_province)
                    .existing_on(NEW_TIER_FROM).exclude(has_police_post=False).order_by("code"))
        plan = Plan.objects.create(province=self.province, number=PLAN_NUMBER, title=PLAN_TITLE,
                                   issued_on=PLAN_ISSUED, requires_chief=True, min_officers=NORM)
        plan.communes.set(communes)
        rows = plan_communes(province=self.province, as_of=PLAN_ISSUED, plan=plan)
        short = [row for row in rows if {Gap.NO_CHIEF, Gap.BELOW_NORM} & set(row.gaps)]
        for i, row in enumerate(short):
            self._newcomers(row.commune, FIRST_ARRIVAL + datetime.timedelta(days=7 * i))
        last_arrival = FIRST_ARRIVAL + datetime.timedelta(days=7 * len(short))
        cells_from = last_arrival + datetime.timedelta(days=30)
        for i, row in enumerate(r for r in rows if Gap.NO_PARTY_CELL in r.gaps):
            self._cell(row.commune, cells_from + datetime.timedelta(days=7 * i))
        self._committee_seats(communes, cells_from)

    def _committee_seats(self, communes, by: datetime.date) -> None:
        """The new communes' Party committees, named on the day of the reorganisation, seat each chief who is a
        Party member (a chief who arrived later from the day he took up the post); one in three in the standing
        committee too."""
        chiefs = (Posting.objects.open_on(by).filter(commune__in=communes, position=Position.CHIEF,
                                                     officer__party_member_since__isnull=False)
                  .select_related("officer", "commune").order_by("commune__code"))
        for i, posting in enumerate(chiefs):
            on = max(posting.start_date, NEW_TIER_FROM, posting.officer.party_member_since)
            seats = [PartyRoleKind.EXECUTIVE_COMMITTEE] + ([PartyRoleKind.STANDING_COMMITTEE] if i % 3 == 0 else [])
            for role in seats:
                services.party_role_appoint(
                    commune=posting.commune, role=role, on=on, officer=posting.officer, change_reason=CHANGE_REASON,
                    decision_number=f"{self.rng.randint(100, 999)}-QĐ/TU", decision_date=on - ONE_DAY,
                )

    def _newcomers(self, commune: Commune, day: datetime.date) -> None:
        """Officers to the norm, the first one the chief when there is none; the first three Party members
        where the commune has no cell, so that one can be set up."""
        rng = self.rng
        missing = max(NORM - commune.officers_on, 1 if commune.chief_id is None else 0)
        decision = f"{rng.randint(100, 999)}/QĐ-CAT"
        for i in range(missing):
            chief = i == 0 and commune.chief_id is None
            officer = self._officer(
                day, ranks=[Rank.CAPTAIN, Rank.MAJOR] if chief else [Rank.SUB_LIEUTENANT, Rank.LIEUTENANT],
                party_member=chief or (not commune.has_cell and i < CELL_PARTY_MEMBERS) or rng.random() < 0.5,
            )
            services.posting_start(
                officer=officer, commune=commune, position=Position.CHIEF if chief else Position.STANDING_OFFICER,
                on=day, decision_number=decision, decision_date=day - datetime.timedelta(days=5),
                change_reason=CHANGE_REASON,
            )

    def _officer(self, day: datetime.date, *, ranks: list[str], party_member: bool) -> Officer:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.85 else Gender.FEMALE
        ethnicity = people.ethnicity(rng)
        birth = datetime.date(rng.randint(1988, 2001), rng.randint(1, 12), rng.randint(1, 28))
        joined = datetime.date(birth.year + rng.randint(20, 23), rng.randint(1, 12), rng.randint(1, 28))
        return services.officer_create(
            full_name=people.full_name(rng, ethnicity, gender), gender=gender, birth_date=birth, ethnicity=ethnicity,
            rank=rng.choice(ranks), service_number=self._service_number(), home_unit=self.home_unit,
            party_member_since=min(joined, day - datetime.timedelta(days=90)) if party_member else None,
            status=OfficerStatus.SERVING, change_reason=CHANGE_REASON,
        )

    def _service_number(self) -> str:
        while (number := f"{self.rng.randint(100, 999)}-{self.rng.randint(100, 999)}") in self.taken:
            pass
        self.taken.add(number)
        return number

    def _cell(self, commune: Commune, day: datetime.date) -> None:
        """A cell where the commune has Party members enough in post; its secretary the chief if a member."""
        in_post = (Posting.objects.open_on(day).filter(commune=commune, officer__party_member_since__lte=day)
                   .select_related("officer").order_by("position", "start_date", "pk"))
        members = [p.officer for p in in_post]
        if len(members) < CELL_PARTY_MEMBERS:
            return
        cell = services.party_cell_establish(
            commune=commune, on=day, name=cell_default_name(commune.name_on), change_reason=CHANGE_REASON,
            decision_number=f"{self.rng.randint(10, 499)}-QĐ/ĐU", decision_date=day - 2 * ONE_DAY,
        )
        for officer, role in zip(members, [PartyRoleKind.CELL_SECRETARY, PartyRoleKind.CELL_DEPUTY_SECRETARY], strict=False):
            services.party_role_appoint(
                commune=commune, role=role, on=day, officer=officer, cell=cell, change_reason=CHANGE_REASON,
                decision_number=cell.decision_number, decision_date=cell.decision_date,
            )
