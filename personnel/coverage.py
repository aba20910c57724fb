"""Reads that follow relations: coverage, counts and gaps as of a day.

Everything is computed per commune in one query (counts by correlated subquery, NetBox's
count_related idea, so joins never multiply rows) and summed from there, so the number of
queries does not grow with the data.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from communes.choices import CommuneKind
from communes.models import Commune, District, PartyCell, Province
from communes.periods import CELL_LIFE, COMMUNE_LIFE, TERM
from personnel.choices import PartyRoleKind, Position
from personnel.models import PartyRole, Plan, Posting
from personnel.prepared import PreparedQuery


def plan_for(province: Province) -> Plan | None:
    """The province's posting plan: the latest issued."""
    return Plan.objects.filter(province=province).order_by("-issued_on", "-pk").first()


def _count(queryset: QuerySet, key: str = "commune") -> Coalesce:
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _cell_active_on(day: datetime.date) -> Q:
    """The role's own cell is active on the day: a join on the cell's key, not `cell IN (every active cell)`,
    whose hashed scan of all the country's cells made Kon Tum's dashboard depend on the national data."""
    return CELL_LIFE.open_on(day, "cell__")


def communes_with_staffing(*, communes: QuerySet[Commune], as_of: datetime.date, plan: Plan | None) -> QuerySet[Commune]:
    """Communes annotated with what they had on `as_of`: the figures' counts, plus the name and kind on
    the day, the chief, and whether the cell has a secretary at all (police or not)."""
    chief = Posting.objects.open_on(as_of).filter(commune=OuterRef("pk"), position=Position.CHIEF)
    secretaries = PartyRole.objects.open_on(as_of).filter(
        _cell_active_on(as_of), commune=OuterRef("pk"), role=PartyRoleKind.CELL_SECRETARY
    )
    return _staffing_counts(communes=communes.with_state_on(as_of), as_of=as_of, plan=plan).annotate(
        chief_name=Subquery(chief.values("officer__full_name")[:1]),
        chief_id=Subquery(chief.values("officer_id")[:1]),
        has_secretary=Exists(secretaries),
    )


@dataclass(frozen=True)
class Figures:
    """The pilot's six figures for an area on a day."""

    officers_in_post: int
    communes_covered: int
    communes_in_plan: int
    party_cells: int
    cells_with_police_secretary: int
    executive_committee_members: int
    standing_committee_members: int

    @property
    def coverage_percent(self) -> float:
        return 100.0 * self.communes_covered / self.communes_in_plan if self.communes_in_plan else 0.0


_FIGURE_NAMES = tuple(f.name for f in fields(Figures))


def _staffing_counts(*, communes: QuerySet[Commune], as_of: datetime.date, plan: Plan | None) -> QuerySet[Commune]:
    """Per commune, what the six figures read on `as_of` (communes_with_staffing() adds names and the chief)."""
    postings = Posting.objects.open_on(as_of).filter(commune=OuterRef("pk"))
    roles = PartyRole.objects.open_on(as_of).filter(commune=OuterRef("pk"), officer__isnull=False)
    in_plan = (
        Exists(Plan.communes.through.objects.filter(plan_id=plan.pk, commune_id=OuterRef("pk")))
        if plan is not None
        else Value(False)
    )
    return communes.annotate(
        officers_on=_count(postings),
        has_cell=Exists(PartyCell.objects.active_on(as_of).filter(commune=OuterRef("pk"))),
        has_police_secretary=Exists(
            roles.filter(_cell_active_on(as_of), role=PartyRoleKind.CELL_SECRETARY)
        ),
        bch_on=_count(roles.filter(role=PartyRoleKind.EXECUTIVE_COMMITTEE)),
        btv_on=_count(roles.filter(role=PartyRoleKind.STANDING_COMMITTEE)),
        in_plan=in_plan,
    )


def _figures_of(rows) -> Figures:
    """The six figures summed over communes annotated by _staffing_counts()."""
    rows = list(rows)
    return Figures(
        officers_in_post=sum(c.officers_on for c in rows),
        communes_covered=sum(1 for c in rows if c.in_plan and c.officers_on > 0),
        communes_in_plan=sum(1 for c in rows if c.in_plan),
        party_cells=sum(1 for c in rows if c.has_cell),
        cells_with_police_secretary=sum(1 for c in rows if c.has_cell and c.has_police_secretary),
        executive_committee_members=sum(c.bch_on for c in rows),
        standing_committee_members=sum(c.btv_on for c in rows),
    )


@dataclass(frozen=True)
class DistrictFigures:
    district: District
    figures: Figures


@dataclass(frozen=True)
class CommuneStaffing:
    """One commune of the plan on a day, with the norms it misses."""

    commune: Commune
    gaps: list[str] = field(default_factory=list)


class Gap:
    """The norms a commune of the plan can miss (personnel.web.tables.commune_gaps decides which)."""

    NO_CHIEF = "no_chief"
    BELOW_NORM = "below_norm"
    NO_PARTY_CELL = "no_party_cell"
    SECRETARY_NOT_POLICE = "secretary_not_police"


GAP_LABELS = {
    "no_chief": _("no chief"),
    "below_norm": _("below the norm"),
    "no_party_cell": _("no Party cell"),
    "secretary_not_police": _("secretary not from the police"),
}


def commune_gaps(row, *, requires_chief: bool, min_officers: int) -> list[str]:
    """The plan's norms a commune row (annotated by communes_with_staffing) misses:
    the one place the dashboard, the gap lists, the commune pages and the PDF learn them from."""
    if not getattr(row, "in_plan", False):
        return []
    gaps = []
    if requires_chief and row.chief_id is None:
        gaps.append("no_chief")
    if row.officers_on < min_officers:
        gaps.append("below_norm")
    if not row.has_cell:
        gaps.append("no_party_cell")
    elif row.has_secretary and not row.has_police_secretary:
        gaps.append("secretary_not_police")
    return gaps


@dataclass(frozen=True)
class AreaStaffing:
    """Every commune of an area as it stood on a day, read in one query; the dashboard's figures, its
    district table and its gaps are all sums and filters of these rows (a province has ~100 communes),
    so the per-commune probes run once rather than once per figure."""

    plan: Plan | None
    communes: list[Commune]  # annotated by communes_with_staffing(), in district then commune order
    districts: list[District]

    @property
    def figures(self) -> Figures:
        return _figures_of(self.communes)

    def breakdown(self) -> list[DistrictFigures]:
        by_district: dict[int, list[Commune]] = {}
        for commune in self.communes:
            by_district.setdefault(commune.district_id, []).append(commune)
        return [DistrictFigures(district=d, figures=_figures_of(by_district.get(d.pk, ()))) for d in self.districts]

    def plan_communes(self) -> list[CommuneStaffing]:
        if self.plan is None:
            return []
        requires_chief, min_officers = self.plan.requires_chief, self.plan.min_officers
        return [CommuneStaffing(commune=c, gaps=commune_gaps(c, requires_chief=requires_chief, min_officers=min_officers))
                for c in self.communes if c.in_plan]


def _area_rows(*, province_id: int, district_id: int | None, as_of: datetime.date, plan_id: int | None) -> QuerySet[Commune]:
    communes = Commune.objects.filter(district__province_id=province_id).existing_on(as_of)
    if district_id is not None:
        communes = communes.filter(district_id=district_id)
    plan = Plan(pk=plan_id) if plan_id is not None else None
    return communes_with_staffing(communes=communes, as_of=as_of, plan=plan).order_by("district__sort_key", "sort_key")


# The same query for every province and day: compiled once per process (see personnel.prepared).
_AREA_ROWS = PreparedQuery(Commune, _area_rows, {"province_id": int, "district_id": int, "as_of": datetime.date, "plan_id": int})
_BOOLEANS = ("has_cell", "has_police_secretary", "has_secretary", "in_plan")


def area_staffing(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None = None
) -> AreaStaffing:
    """The province's (or one district's) communes on a day with their staffing: two queries."""
    plan = plan if plan is not None else plan_for(province)
    districts = [district] if district is not None else list(District.objects.filter(province=province).order_by("sort_key"))
    by_pk = {d.pk: d for d in districts}
    communes = _AREA_ROWS.run(
        (district is None, plan is None), province_id=province.pk, district_id=district.pk if district else None,
        as_of=as_of, plan_id=plan.pk if plan else None,
    )
    for commune in communes:
        commune.district = by_pk[commune.district_id]  # one District object per district, not one per row
        for name in _BOOLEANS:  # raw rows keep the database's own booleans (SQLite: 0 and 1)
            setattr(commune, name, bool(getattr(commune, name)))
    return AreaStaffing(plan=plan, communes=communes, districts=districts)


def coverage_figures(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None = None
) -> Figures:
    """The six figures for a province (or one of its districts) on a day."""
    return area_staffing(province=province, as_of=as_of, district=district, plan=plan).figures


def district_breakdown(*, province: Province, as_of: datetime.date, plan: Plan | None = None) -> list[DistrictFigures]:
    """The six figures for each district of the province, in Vietnamese name order."""
    return area_staffing(province=province, as_of=as_of, plan=plan).breakdown()


def plan_communes(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None = None
) -> list[CommuneStaffing]:
    """Every commune of the plan in the area, with its staffing on the day and its gaps."""
    plan = plan if plan is not None else plan_for(province)
    if plan is None:
        return []
    return area_staffing(province=province, as_of=as_of, district=district, plan=plan).plan_communes()


def communes_with_gaps(**kwargs) -> list[CommuneStaffing]:
    return [row for row in plan_communes(**kwargs) if row.gaps]


@dataclass(frozen=True)
class RolloutPoint:
    day: datetime.date
    communes_covered: int
    officers_in_post: int


def rollout_series(
    *, province: Province, start: datetime.date, end: datetime.date, plan: Plan | None = None,
    district_ids: Iterable[int] = (), plan_commune_ids: Iterable[int] | None = None,
) -> list[RolloutPoint]:
    """Communes of the plan covered and officers in post at each month's end from `start` to `end`, and
    on `end`; limited to some districts when `district_ids` is given.

    One query reads the area's posting periods (two without `plan_commune_ids`, the plan's communes in
    the area, when the caller already has them); the months are counted in Python.
    """
    district_ids = set(district_ids)
    if plan_commune_ids is not None:
        plan_ids = set(plan_commune_ids)
    else:
        plan = plan if plan is not None else plan_for(province)
        communes = plan.communes.all() if plan is not None else None
        if communes is not None and district_ids:
            communes = communes.filter(district_id__in=district_ids)
        plan_ids = set(communes.values_list("pk", flat=True)) if communes is not None else set()
    postings = Posting.objects.filter(commune__district__province=province).filter(TERM.overlapping(start, end))
    if district_ids:
        postings = postings.filter(commune__district_id__in=district_ids)
    periods = list(postings.values_list("commune_id", "start_date", "end_date"))
    # Count by sweeping sorted start and end days (bisect), not by scanning every period for every
    # month: a far as-of date (hundreds of months) over a large province stays fast.
    starts = sorted(s for _c, s, _e in periods)
    ends = sorted(e for _c, _s, e in periods if e is not None)
    covered_starts, covered_ends = _covered_intervals(periods, plan_ids)
    points = []
    for day in _month_ends(start, end):
        # Open on `day` (communes/periods.py TERM): started on or before it, and not ended before it (end_date is inclusive).
        officers = bisect_right(starts, day) - bisect_left(ends, day)
        covered = bisect_right(covered_starts, day) - bisect_left(covered_ends, day)
        points.append(RolloutPoint(day=day, communes_covered=covered, officers_in_post=officers))
    return points


def _covered_intervals(periods, plan_ids: set[int]) -> tuple[list, list]:
    """Sorted starts and ends of each plan commune's merged staffed periods (ends inclusive; open = date.max)."""
    by_commune: dict[int, list] = {}
    for commune_id, s, e in periods:
        if commune_id in plan_ids:
            by_commune.setdefault(commune_id, []).append((s, e or datetime.date.max))
    starts, ends = [], []
    for spans in by_commune.values():
        spans.sort()
        cur_s, cur_e = spans[0]
        for s, e in spans[1:]:
            if s <= cur_e:  # overlapping: one covered stretch (disjoint stretches never count twice)
                cur_e = max(cur_e, e)
            else:
                starts.append(cur_s)
                ends.append(cur_e)
                cur_s, cur_e = s, e
        starts.append(cur_s)
        ends.append(cur_e)
    return sorted(starts), sorted(ends)


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = []
    year, month = start.year, start.month
    while True:
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = next_month - datetime.timedelta(days=1)
        if last >= end:
            days.append(end)
            return days
        days.append(last)
        year, month = next_month.year, next_month.month


def communes_of_kind_on(*, province: Province, as_of: datetime.date) -> dict[str, int]:
    """How many communes of each kind (xã, phường, thị trấn) the province had on a day: one query."""
    rows = (
        Commune.objects.filter(district__province=province)
        .existing_on(as_of)
        .with_state_on(as_of)
        .values("kind_on")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(CommuneKind.values, 0)
    counts.update({row["kind_on"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class ProvinceFigures:
    """One province's row on the national dashboard: the six figures on a day, under its latest plan."""

    province: Province
    plan_id: int | None
    figures: Figures


def national_figures(*, as_of: datetime.date) -> list[ProvinceFigures]:
    """The six figures for every province on a day, in Vietnamese name order: five queries, whatever the data.

    The same numbers as coverage_figures() province by province, but aggregated in SQL grouped by
    province (postings, plan communes, cells and committee roles each in one pass) rather than
    commune by commune: at national scale a per-commune subquery means ~10,000 index probes per figure.
    """
    latest = Plan.objects.filter(province=OuterRef("pk")).order_by("-issued_on", "-pk").values("pk")[:1]
    provinces = list(Province.objects.annotate(plan_id=Subquery(latest)).order_by("sort_key"))
    latest_plan = {p.pk: p.plan_id for p in provinces if p.plan_id is not None}
    plan_ids = list(latest_plan.values())
    province_key = "commune__district__province_id"
    through = Plan.communes.through

    in_own_plan = Exists(
        through.objects.filter(
            plan_id__in=plan_ids, commune_id=OuterRef("commune_id"), plan__province_id=OuterRef(province_key)
        )
    )
    postings = (
        Posting.objects.open_on(as_of)
        .filter(COMMUNE_LIFE.open_on(as_of, "commune__"))
        .annotate(in_plan=in_own_plan)
        .values(province=F(province_key))
        .annotate(
            officers_in_post=Count("pk"),
            communes_covered=Count("commune_id", distinct=True, filter=Q(in_plan=True)),
        )
        .order_by()
    )
    plan_communes = (
        through.objects.filter(plan_id__in=plan_ids, plan__province_id=F(province_key))
        .filter(COMMUNE_LIFE.open_on(as_of, "commune__"))
        .values(province=F(province_key))
        .annotate(communes_in_plan=Count("commune_id", distinct=True))
        .order_by()
    )
    police_secretary = PartyRole.objects.open_on(as_of).filter(
        _cell_active_on(as_of), commune_id=OuterRef("commune_id"), role=PartyRoleKind.CELL_SECRETARY,
        officer__isnull=False,
    )
    cells = (
        PartyCell.objects.active_on(as_of)
        .filter(COMMUNE_LIFE.open_on(as_of, "commune__"))
        .annotate(police_secretary=Exists(police_secretary))
        .values(province=F(province_key))
        .annotate(
            party_cells=Count("commune_id", distinct=True),
            cells_with_police_secretary=Count("commune_id", distinct=True, filter=Q(police_secretary=True)),
        )
        .order_by()
    )
    committees = (
        PartyRole.objects.open_on(as_of)
        .filter(COMMUNE_LIFE.open_on(as_of, "commune__"), officer__isnull=False)
        .values(province=F(province_key))
        .annotate(
            executive_committee_members=Count("pk", filter=Q(role=PartyRoleKind.EXECUTIVE_COMMITTEE)),
            standing_committee_members=Count("pk", filter=Q(role=PartyRoleKind.STANDING_COMMITTEE)),
        )
        .order_by()
    )
    per_province: dict[int, dict[str, int]] = {}
    for rows in (postings, plan_communes, cells, committees):
        for row in rows:
            per_province.setdefault(row.pop("province"), {}).update(row)
    empty = dict.fromkeys(_FIGURE_NAMES, 0)
    return [
        ProvinceFigures(
            province=province,
            plan_id=latest_plan.get(province.pk),
            figures=Figures(**{**empty, **per_province.get(province.pk, {})}),
        )
        for province in provinces
    ]
