"""A seeded generator of random staffing histories: two provinces whose communes are renamed,
abolished and established, with officers posted (and moving between the provinces), Party cells
with and without secretaries, and committee seats.

`build_world(seed)` writes the rows with bulk_create (no HTTP, no services) and returns a `World`
holding plain-Python copies of everything it wrote, so that a test can compute what the app
should say from the rows alone (see tests/properties/test_random_histories.py). The same seed
always gives the same world. The rows keep the data rules of DESIGN.md ("Rules the data must
keep"), so every database constraint, PostgreSQL's exclusion constraints included, accepts them:

- an officer's postings never overlap (end dates are inclusive: the last day in post);
- a commune has at most one chief at a time;
- a posting (and a Party role) lies within the life of its commune;
- a commune has at most one Party cell at a time; a cell at most one secretary at a time, within
  the cell's life.
"""

from __future__ import annotations

import calendar
import datetime
import itertools
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

# App code: models and choices only (the lead re-points these when modules move).
from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange, District, PartyCell, Province
from personnel.choices import Gender, PartyRoleKind, Position, Rank, Role, UnitKind
from personnel.models import Officer, PartyRole, Plan, Posting, Unit, UserProfile

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
FIRST = D(2019, 1, 1)  # the first day of every history
LAST = D(2020, 12, 31)  # the last day anything happens on (histories stay open after it)
PLAN_ISSUED = D(2019, 1, 15)

PREFIX = {CommuneKind.COMMUNE: "Xã", CommuneKind.WARD: "Phường", CommuneKind.TOWNSHIP: "Thị trấn"}
SYLLABLES = (
    "Đắk", "Pờ", "Kô", "Ngọc", "Tơ", "Lây", "Hơ", "Moong", "Xốp", "Pét", "Long", "Nhoong", "Môn", "Choong",
    "Plông", "Rờ", "Hà", "Ya", "Sa", "Bình", "Ia", "Chim", "Măng", "Đen", "Bút", "Tân", "Lập", "Ruồng",
    "Kroong", "Vinh", "Quang", "Ê", "Ăng", "Ơ", "Ưng", "Ân", "Yên", "Trà", "Lộc", "Hòa",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "A", "Y", "Đinh", "Rơ Châm")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Quốc", "")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Đông", "Hải", "Hùng", "Khánh", "Lâm", "Nam", "Phúc", "Quân", "Sơn",
         "Tâm", "Thắng", "Tuấn", "Vũ", "Xuân", "Ý", "Ưng", "Ánh", "Blông", "H'Hen")


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_open_on(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """[start, end] holds the day; end is the last day, inclusive; None is open."""
    return start <= day and (end is None or end >= day)


# ---- what the generator wrote, as plain values -------------------------------------------------

@dataclass
class CommuneSpec:
    pk: int
    code: int
    district_pk: int
    province_pk: int
    established_on: datetime.date | None
    abolished_on: datetime.date | None  # the first day it no longer exists
    # (first day, name, kind): the first entry's day is None (since the beginning)
    names: list[tuple[datetime.date | None, str, str]]

    def exists_on(self, day: datetime.date) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.abolished_on is None or self.abolished_on > day)

    def name_on(self, day: datetime.date) -> str:
        return self._state_on(day)[1]

    def kind_on(self, day: datetime.date) -> str:
        return self._state_on(day)[2]

    def _state_on(self, day):
        state = self.names[0]
        for entry in self.names[1:]:
            if entry[0] <= day:
                state = entry
        return state

    @property
    def first_day(self) -> datetime.date:
        return self.established_on or FIRST

    @property
    def last_day(self) -> datetime.date | None:
        return self.abolished_on - ONE_DAY if self.abolished_on else None


@dataclass
class Period:
    """A posting or a Party role, as written."""

    pk: int
    officer_pk: int | None
    commune_pk: int
    start: datetime.date
    end: datetime.date | None
    kind: str  # a Position for postings, a PartyRoleKind for roles
    cell_pk: int | None = None
    holder_name: str = ""

    def open_on(self, day: datetime.date) -> bool:
        return is_open_on(self.start, self.end, day)


@dataclass
class CellSpec:
    pk: int
    commune_pk: int
    established_on: datetime.date
    dissolved_on: datetime.date | None  # the first day it no longer exists

    def active_on(self, day: datetime.date) -> bool:
        return self.established_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


@dataclass
class World:
    seed: int
    provinces: list[Province]
    districts: dict[int, District]  # by pk
    district_province: dict[int, int]  # district pk -> province pk
    communes: dict[int, CommuneSpec]  # by pk
    plans: dict[int, Plan]  # by province pk
    plan_communes: dict[int, set[int]]  # province pk -> commune pks
    postings: list[Period]
    roles: list[Period]
    cells: list[CellSpec]
    officer_home_province: dict[int, int]  # officer pk -> province pk of the home unit
    officer_service_numbers: dict[int, str]
    viewers: dict[int, object]  # province pk -> a viewer of the whole province
    district_editor: object  # limited to one district of the first province
    district_editor_districts: list[int]
    two_district_viewer: object  # limited to two districts of the second province
    two_district_viewer_districts: list[int]
    interesting_days: list[datetime.date] = field(default_factory=list)

    def commune_by_code(self, code: int) -> CommuneSpec:
        return next(c for c in self.communes.values() if c.code == code)

    def communes_of(self, province_pk: int, district_pks=None) -> list[CommuneSpec]:
        return [c for c in self.communes.values() if c.province_pk == province_pk
                and (not district_pks or c.district_pk in district_pks)]


# ---- the generator -------------------------------------------------------------------------------

class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def place(self) -> str:
        while True:
            words = self.rng.sample(SYLLABLES, self.rng.choice((2, 2, 3)))
            name = " ".join(words)
            if name not in self.used:
                self.used.add(name)
                return name

    def person(self) -> str:
        parts = [self.rng.choice(FAMILY), self.rng.choice(MIDDLE), self.rng.choice(GIVEN)]
        return " ".join(p for p in parts if p)


def _user(username: str):
    """A user the tests log in with force_login: no password, so no (slow) password hashing."""
    user = get_user_model()(username=username)
    user.set_unusable_password()
    user.save()
    return user


def _random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def build_world(seed: int) -> World:
    """Write a world of two provinces and return what was written; deterministic from `seed`."""
    rng = random.Random(seed)
    names = _Names(rng)
    base = 1000 + 37 * (seed % 1000)  # codes differ between seeds (harmless either way: tests roll back)

    provinces = [Province(code=base + i, name=f"Tỉnh {names.place()}") for i in range(2)]
    for p in provinces:
        p.fill_derived()
    provinces = Province.objects.bulk_create(provinces)

    districts: list[District] = []
    for i, province in enumerate(provinces):
        for j in range(rng.randint(2, 3)):
            districts.append(District(code=(base + i) * 10 + j, name=f"Huyện {names.place()}", province=province))
    for d in districts:
        d.fill_derived()
    districts = District.objects.bulk_create(districts)

    # Communes: some established during the history, some abolished, some renamed (kind too).
    commune_rows, histories = [], []
    code = (base * 100)
    for d in districts:
        for _ in range(rng.randint(5, 8)):
            code += 1
            established = _random_day(rng, D(2019, 3, 1), D(2020, 6, 30)) if rng.random() < 0.12 else None
            abolished = None
            if rng.random() < 0.22:
                abolished = _random_day(rng, max(established or FIRST, D(2019, 2, 1)) + datetime.timedelta(days=20), D(2020, 11, 30))
            kind = rng.choice((CommuneKind.COMMUNE,) * 6 + (CommuneKind.WARD, CommuneKind.TOWNSHIP))
            history = [(None, f"{PREFIX[kind]} {names.place()}", kind)]
            first_day = max(established or FIRST, FIRST)
            last_day = (abolished or LAST) - ONE_DAY
            for _change in range(rng.choice((0, 0, 0, 1, 1, 2))):
                lo = (history[-1][0] or first_day) + datetime.timedelta(days=10)
                if lo >= last_day:
                    break
                day = _random_day(rng, lo, min(last_day, lo + datetime.timedelta(days=400)))
                new_kind = rng.choice((kind, kind, CommuneKind.TOWNSHIP, CommuneKind.WARD))
                history.append((day, f"{PREFIX[new_kind]} {names.place()}", new_kind))
                kind = new_kind
            today_name, today_kind = history[-1][1], history[-1][2]
            commune_rows.append(Commune(code=code, name=today_name, kind=today_kind, district=d,
                                        established_on=established, abolished_on=abolished))
            histories.append(history)
    for c in commune_rows:
        c.fill_derived()
    commune_rows = Commune.objects.bulk_create(commune_rows)
    province_of_district = {d.pk: d.province_id for d in districts}
    communes: dict[int, CommuneSpec] = {}
    changes = []
    for row, history in zip(commune_rows, histories, strict=True):
        communes[row.pk] = CommuneSpec(
            pk=row.pk, code=row.code, district_pk=row.district_id, province_pk=province_of_district[row.district_id],
            established_on=row.established_on, abolished_on=row.abolished_on, names=history,
        )
        # Each change keeps what the commune was before it; the row holds today's name.
        for (_d, before_name, before_kind), (day, _name, _kind) in itertools.pairwise(history):
            changes.append(CommuneChange(commune=row, effective_on=day, previous_name=before_name,
                                         previous_kind=before_kind, legal_basis=f"NQ {day:%Y}/{row.code}"))
    for change in changes:
        change.fill_derived()
    CommuneChange.objects.bulk_create(changes)

    # Plans: most communes existing when the plan is issued, a few established later; at least one
    # plan commune abolished during the history (the chart's months before it must still count it).
    plans, plan_communes = {}, {}
    for province in provinces:
        mine = [c for c in communes.values() if c.province_pk == province.pk]
        chosen = {c.pk for c in mine if rng.random() < (0.8 if c.established_on is None else 0.5)}
        abolished = [c.pk for c in mine if c.abolished_on and c.abolished_on > D(2019, 3, 1)]
        if abolished and not chosen & set(abolished):
            chosen.add(rng.choice(abolished))
        plan = Plan.objects.create(
            province=province, number=f"{seed}/KH-{province.code}", title="Kế hoạch thử", issued_on=PLAN_ISSUED,
            requires_chief=rng.random() < 0.8, min_officers=rng.choice((2, 3)),
        )
        plan.communes.set(sorted(chosen))
        plans[province.pk], plan_communes[province.pk] = plan, chosen

    units = []
    for province in provinces:
        units.append(Unit(province=province, name=f"Phòng Cảnh sát {province.code}", kind=UnitKind.DEPARTMENT))
        for d in districts:
            if d.province_id == province.pk:
                units.append(Unit(province=province, district=d, name=f"Công an {d.name}", kind=UnitKind.DISTRICT_POLICE))
    units = Unit.objects.bulk_create(units)
    units_of = {p.pk: [u for u in units if u.province_id == p.pk] for p in provinces}

    # Officers: about three per commune; one in eight moves to the other province at some point.
    officer_rows, plans_of_officer = [], []
    n_officers = len(communes) * 3
    for i in range(n_officers):
        home = provinces[i % 2]
        officer_rows.append(Officer(
            full_name=names.person(), gender=rng.choice(Gender.values), rank=rng.choice(Rank.values),
            service_number=f"H{seed:03d}{i:04d}", home_unit=rng.choice(units_of[home.pk]),
            ethnicity=rng.choice(("Kinh", "Xơ Đăng", "Ba Na", "Gia Rai", "")),
            party_member_since=D(2010, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000)) if rng.random() < 0.7 else None,
        ))
        plans_of_officer.append((home.pk, rng.random() < 0.15))
    for o in officer_rows:
        o.fill_derived()
    officer_rows = Officer.objects.bulk_create(officer_rows)

    postings: list[Period] = []
    chiefs: dict[int, list[tuple[datetime.date, datetime.date]]] = {}  # commune -> chief spans (open = date.max)
    posting_rows = []
    for officer, (home_pk, mover) in zip(officer_rows, plans_of_officer, strict=True):
        province_pk = home_pk
        day = _random_day(rng, FIRST, D(2019, 9, 30))
        moved = has_posting = False
        while day <= LAST:
            if mover and not moved and has_posting and rng.random() < 0.5:
                province_pk = next(p.pk for p in provinces if p.pk != province_pk)
                moved = True
            possible = [c for c in communes.values() if c.province_pk == province_pk
                        and c.first_day <= day and (c.last_day is None or c.last_day >= day)]
            if not possible:
                day += datetime.timedelta(days=30)
                continue
            commune = rng.choice(possible)
            start = day
            length = rng.choice((0, 0) + (30, 90, 180, 365, 500) * 3 + (None,) * 4)  # 0: a one-day posting
            end = None if length is None else start + datetime.timedelta(days=rng.randint(0, length) if length else 0)
            if end is not None and end > LAST:
                end = None
            if commune.last_day is not None and (end is None or end > commune.last_day):
                end = commune.last_day  # a posting ends at the latest on its commune's last day
            position = rng.choice((Position.CHIEF, Position.DEPUTY_CHIEF, Position.STANDING_OFFICER,
                                   Position.STANDING_OFFICER))
            span = (start, end or D.max)
            if position == Position.CHIEF and any(s <= span[1] and span[0] <= e for s, e in chiefs.get(commune.pk, [])):
                position = Position.DEPUTY_CHIEF
            if position == Position.CHIEF:
                chiefs.setdefault(commune.pk, []).append(span)
            posting_rows.append(Posting(officer=officer, commune_id=commune.pk, position=position, start_date=start,
                                        end_date=end, decision_number=f"QĐ {len(posting_rows) + 1}"))
            has_posting = True
            if end is None:
                break
            # The next posting: the next day (a transfer), or after some time out of post.
            day = end + datetime.timedelta(days=rng.choice((1, 1, 1, 2, 15, 40, 120)))
    posting_rows = Posting.objects.bulk_create(posting_rows)
    for p in posting_rows:
        postings.append(Period(pk=p.pk, officer_pk=p.officer_id, commune_pk=p.commune_id, start=p.start_date,
                               end=p.end_date, kind=p.position))

    # Party cells: most communes have one; some dissolve (often when the commune goes) and a few
    # are set up again.
    cell_rows, cell_specs = [], []
    for c in communes.values():
        if rng.random() < 0.25:
            continue
        start = max(c.first_day, _random_day(rng, D(2018, 11, 1), D(2019, 8, 31)))
        while c.last_day is None or start <= c.last_day:
            dissolved = None
            if c.abolished_on and rng.random() < 0.8:
                dissolved = c.abolished_on
            if rng.random() < 0.15:
                end_at = start + datetime.timedelta(days=rng.randint(30, 300))
                if end_at <= LAST and (c.abolished_on is None or end_at < c.abolished_on):
                    dissolved = end_at
            if dissolved is not None and dissolved <= start:
                break
            cell_rows.append(PartyCell(commune_id=c.pk, name=f"Chi bộ Công an {c.name_on(start)}",
                                       established_on=start, dissolved_on=dissolved))
            if dissolved is None or (c.abolished_on and dissolved >= c.abolished_on) or rng.random() < 0.5:
                break
            start = dissolved + datetime.timedelta(days=rng.randint(0, 60))
            if start > LAST or (c.last_day and start > c.last_day):
                break
    cell_rows = PartyCell.objects.bulk_create(cell_rows)
    for cell in cell_rows:
        cell_specs.append(CellSpec(pk=cell.pk, commune_pk=cell.commune_id, established_on=cell.established_on,
                                   dissolved_on=cell.dissolved_on))

    # Party roles: secretaries (police or not) with stretches of no secretary at all, deputies, and
    # committee seats held by officers in post there (and, now and then, by someone outside the police).
    role_rows = []
    postings_in: dict[int, list[Period]] = {}
    for p in postings:
        postings_in.setdefault(p.commune_pk, []).append(p)
    for cell in cell_specs:
        commune = communes[cell.commune_pk]
        cell_last = min(x for x in (cell.dissolved_on and cell.dissolved_on - ONE_DAY, commune.last_day, LAST) if x)
        day = cell.established_on + datetime.timedelta(days=rng.choice((0, 0, 0, 10, 60)))
        while day <= cell_last:
            here = [p for p in postings_in.get(commune.pk, []) if p.open_on(day)]
            police = here and rng.random() < 0.85
            end = day + datetime.timedelta(days=rng.randint(0, 500))
            officer_pk, holder = None, ""
            if police:
                posting = rng.choice(here)
                officer_pk = posting.officer_pk
                end = min(end, posting.end) if posting.end else end
            else:
                holder = names.person()
            end = None if end > cell_last and cell.dissolved_on is None and commune.abolished_on is None else min(end, cell_last)
            role_rows.append(PartyRole(officer_id=officer_pk, holder_name=holder, commune_id=commune.pk, cell_id=cell.pk,
                                       role=PartyRoleKind.CELL_SECRETARY, start_date=day, end_date=end))
            if end is None:
                break
            day = end + datetime.timedelta(days=rng.choice((1, 1, 30, 90)))  # sometimes no secretary for a while
        if rng.random() < 0.5:
            here = [p for p in postings_in.get(commune.pk, []) if p.open_on(cell.established_on)]
            if here:
                p = rng.choice(here)
                end = p.end if p.end is None or p.end <= cell_last else cell_last
                if end is None and (cell.dissolved_on or commune.abolished_on):
                    end = cell_last
                role_rows.append(PartyRole(officer_id=p.officer_pk, commune_id=commune.pk, cell_id=cell.pk,
                                           role=PartyRoleKind.CELL_DEPUTY_SECRETARY, start_date=p.start if p.start >= cell.established_on else cell.established_on,
                                           end_date=end))
    for p in postings:
        commune = communes[p.commune_pk]
        if rng.random() < 0.3:
            kind = rng.choice((PartyRoleKind.EXECUTIVE_COMMITTEE, PartyRoleKind.EXECUTIVE_COMMITTEE,
                               PartyRoleKind.STANDING_COMMITTEE))
            start = p.start + datetime.timedelta(days=rng.choice((0, 0, 5, 30)))
            if p.end is not None and start > p.end:
                start = p.end
            end = p.end if rng.random() < 0.7 else (start + datetime.timedelta(days=rng.randint(0, 200)))
            if p.end is not None and (end is None or end > p.end):
                end = p.end
            role_rows.append(PartyRole(officer_id=p.officer_pk, commune_id=p.commune_pk, role=kind,
                                       start_date=start, end_date=end))
    for c in communes.values():
        if rng.random() < 0.15:
            start = max(c.first_day, D(2019, 2, 1))
            role_rows.append(PartyRole(holder_name=names.person(), commune_id=c.pk, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                       start_date=start, end_date=c.last_day))
    role_rows = PartyRole.objects.bulk_create(role_rows)
    roles = [Period(pk=r.pk, officer_pk=r.officer_id, commune_pk=r.commune_id, start=r.start_date, end=r.end_date,
                    kind=r.role, cell_pk=r.cell_id, holder_name=r.holder_name) for r in role_rows]

    # Users: a viewer per province, an editor limited to one district, a viewer limited to two.
    viewers = {}
    for province in provinces:
        user = _user(f"viewer-{province.code}")
        UserProfile.objects.create(user=user, role=Role.VIEWER, province=province)
        viewers[province.pk] = user
    first_districts = [d for d in districts if d.province_id == provinces[0].pk]
    second_districts = [d for d in districts if d.province_id == provinces[1].pk]
    editor_district = rng.choice(first_districts)
    editor = _user(f"editor-{provinces[0].code}")
    UserProfile.objects.create(user=editor, role=Role.EDITOR, province=provinces[0]).districts.set([editor_district])
    two = rng.sample(second_districts, 2)
    two_viewer = _user(f"viewer2-{provinces[1].code}")
    UserProfile.objects.create(user=two_viewer, role=Role.VIEWER, province=provinces[1]).districts.set(two)

    world = World(
        seed=seed, provinces=provinces, districts={d.pk: d for d in districts}, district_province=province_of_district,
        communes=communes, plans=plans, plan_communes=plan_communes, postings=postings, roles=roles, cells=cell_specs,
        officer_home_province={o.pk: o.home_unit.province_id for o in officer_rows},
        officer_service_numbers={o.pk: o.service_number for o in officer_rows},
        viewers=viewers, district_editor=editor, district_editor_districts=[editor_district.pk],
        two_district_viewer=two_viewer, two_district_viewer_districts=[d.pk for d in two],
    )
    world.interesting_days = _interesting_days(world)
    return world


def _interesting_days(world: World) -> list[datetime.date]:
    """Days where something changes, and the days either side: abolitions, establishments, renames,
    one-day postings, moves between provinces, stretches of a cell without a secretary."""
    days: set[datetime.date] = set()

    def around(day):
        days.update({day - ONE_DAY, day, day + ONE_DAY})

    for c in world.communes.values():
        for day in (c.abolished_on, c.established_on, *[d for d, _n, _k in c.names[1:]]):
            if day:
                around(day)
    for p in world.postings:
        if p.end == p.start:
            around(p.start)
        if world.communes[p.commune_pk].province_pk != world.officer_home_province[p.officer_pk]:
            days.add(p.start + (p.end - p.start) // 2 if p.end else p.start + ONE_DAY)
    for r in world.roles:
        if r.kind == PartyRoleKind.CELL_SECRETARY and r.end:
            days.add(r.end + ONE_DAY)
    return sorted(d for d in days if FIRST <= d <= LAST)
