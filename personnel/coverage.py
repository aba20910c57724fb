"""Coverage, the one home of its rules: the six figures, the gap rule and its labels, the area's
staffing on a day, the national figures and the roll-out.

The rules are written once, in Python, on per-commune rows (is_covered, commune_gaps, figures_of).
Two readers restate them in SQL for speed, each held equal to the Python form by a test on random
data: the commune list's annotations and filters (communes_with_staffing, covered_filter,
gap_filter; tests/personnel/test_coverage_sql.py) and national_figures (tests/sampledata/test_synthetic.py).
A roll-out point for a day is figures_of() that day by construction (personnel/rollout.py).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

import datacache
from communes.choices import CommuneKind
from communes.counts import unit_count_annotations
from communes.models import Commune, District, PartyCell, Province, area_q
from communes.periods import CELL_LIFE, TERM, UNIT_LIFE
from datacache import topics
from datacache.compiled import compiled_rows
from personnel.choices import PartyRoleKind, Position
from personnel.models import Officer, PartyRole, Plan, Posting
from personnel.plans import IN_FORCE, InForce, in_plan, plan_given, plan_in_force_sql

# The roll-out: its points are figures_of() their days by construction (read through here, as every figure).
from personnel.rollout import RolloutPoint, Timeline, rollout_series, staffing_timeline  # noqa: F401

COMMITTEES = (PartyRoleKind.EXECUTIVE_COMMITTEE, PartyRoleKind.STANDING_COMMITTEE)


# ---- the rules, on one commune's row --------------------------------------------------------------
# A row is a Commune with what it had on the day: officers_on, chief_id, chief_name, has_cell, has_secretary
# (any secretary of its active cell), has_police_secretary, bch_on, btv_on, in_plan.

def held_on(day: datetime.date, prefix: str = "") -> Q:
    """Postings or Party roles (reached through `prefix`) held on the day: open that day, in a commune that
    exists that day. What the figures count, so a list filtered this way has the figure's rows."""
    return TERM.open_on(day, prefix) & UNIT_LIFE.open_on(day, f"{prefix}commune__")


def is_covered(row) -> bool:
    """Covered on the day: at least one regular officer holds a posting there on it (DESIGN.md)."""
    return row.officers_on > 0


class Gap:
    """The norms a commune of the plan can miss (commune_gaps decides which)."""

    NO_CHIEF = "no_chief"
    BELOW_NORM = "below_norm"
    NO_PARTY_CELL = "no_party_cell"
    NO_SECRETARY = "no_secretary"
    SECRETARY_NOT_POLICE = "secretary_not_police"


# The one set of labels: the dashboard, the commune pages and list, the PDF and the XLSX print these.
GAP_LABELS = {
    Gap.NO_CHIEF: _("no chief"),
    Gap.BELOW_NORM: _("fewer regular officers than the norm"),
    Gap.NO_PARTY_CELL: _("no police Party cell"),
    Gap.NO_SECRETARY: _("Party cell without a secretary"),
    Gap.SECRETARY_NOT_POLICE: _("cell secretary not a police officer"),
}


def commune_gaps(row, *, plan: Plan | None) -> list[str]:
    """The plan's norms a commune row misses: a chief (when the plan asks for one), at least
    `min_officers` regular officers, a Party cell, with a secretary, who is a police officer."""
    if plan is None or not getattr(row, "in_plan", False):
        return []
    gaps = []
    if plan.requires_chief and row.chief_id is None:
        gaps.append(Gap.NO_CHIEF)
    if row.officers_on < plan.min_officers:
        gaps.append(Gap.BELOW_NORM)
    if not row.has_cell:
        gaps.append(Gap.NO_PARTY_CELL)
    elif not row.has_secretary:
        gaps.append(Gap.NO_SECRETARY)
    elif not row.has_police_secretary:
        gaps.append(Gap.SECRETARY_NOT_POLICE)
    return gaps


def gap_labels(gaps: Iterable[str]) -> list[str]:
    return [str(GAP_LABELS[g]) for g in gaps]


def plan_norm(plan: Plan) -> str:
    """The norms commune_gaps() checks, in words: the dashboard, the commune list and the PDF say them so."""
    if plan.requires_chief:
        return _("a chief and at least %(n)s regular officers, a police Party cell led by a regular officer") % {"n": plan.min_officers}
    return _("at least %(n)s regular officers, a police Party cell led by a regular officer") % {"n": plan.min_officers}


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


def figures_of(rows: Iterable) -> Figures:
    """The six figures of an area: sums over its communes' rows on the day."""
    rows = list(rows)
    return Figures(
        officers_in_post=sum(c.officers_on for c in rows),
        communes_covered=sum(1 for c in rows if c.in_plan and is_covered(c)),
        communes_in_plan=sum(1 for c in rows if c.in_plan),
        party_cells=sum(1 for c in rows if c.has_cell),
        cells_with_police_secretary=sum(1 for c in rows if c.has_cell and c.has_police_secretary),
        executive_committee_members=sum(c.bch_on for c in rows),
        standing_committee_members=sum(c.btv_on for c in rows),
    )


def sum_figures(rows: Iterable[Figures]) -> Figures:
    """Figures of several areas added up (a district-limited user's share of the province, the nation)."""
    rows = list(rows)
    return Figures(**{name: sum(getattr(r, name) for r in rows) for name in _FIGURE_NAMES})


# ---- an area's communes on a day --------------------------------------------------------------------

def _cell_active_on(day: datetime.date, prefix: str = "cell__") -> Q:
    """The role's own cell is active on the day: a join on the cell's key (not `cell IN (every active cell)`)."""
    return CELL_LIFE.open_on(day, prefix)


def _area_communes(*, province: Province, district: District | None, as_of: datetime.date, plan: Plan | None) -> list[Commune]:
    """The communes of staffing_rows(), named and flagged as on the day: units and plans alone, cached under their
    numbers (datacache.topics), so that a posting written reads the staffing again and not the communes (~7 ms of
    a province's dashboard computed after a write; unpickling them takes under 1)."""
    def read() -> list[Commune]:
        rows = list(
            Commune.objects.filter(area_q(province=province, district=district, until=as_of)).existing_on(as_of)
            .with_state_on(as_of)
            .select_related("district", "former_district")
            .annotate(in_plan=in_plan(plan)).order_by("district__sort_key", "sort_key")
        )
        shared: dict[int, District] = {}  # one object per district, so it is pickled (and unpickled) once
        for c in rows:
            for name in ("district", "former_district"):
                if (unit := getattr(c, name)) is not None:
                    setattr(c, name, shared.setdefault(unit.pk, unit))
        return rows
    key = f"area-communes-on:{province.pk}:{district.pk if district else ''}:{plan.pk if plan else ''}:{as_of.isoformat()}"
    return datacache.cached(key, read, provinces=[province.pk], topics=(topics.UNITS, topics.PLANS))


def staffing_rows(
    *, province: Province, district: District | None = None, as_of: datetime.date, plan: Plan | None
) -> list[Commune]:
    """The communes of the area (area_q()) existing on `as_of`, with what they had on the day, in district
    then commune order. Two plain queries: the communes (cached through a posting: _area_communes), and the postings,
    cells and roles open on the day there (one UNION ALL of simple indexed reads, its SQL compiled once) rather than
    a dozen correlated subqueries per commune."""
    rows = _area_communes(province=province, district=district, as_of=as_of, plan=plan)
    by_pk = {}
    for c in rows:
        c.in_plan = bool(c.in_plan)
        c.officers_on, c.bch_on, c.btv_on, c.chief_id, c.chief_name = 0, 0, 0, None, None
        c.has_cell = c.has_secretary = c.has_police_secretary = False
        by_pk[c.pk] = c

    def held():
        place = Q(commune_id__in=list(by_pk))  # the communes just read: no second walk through the area
        text, none = CharField(), Value(None, output_field=CharField())
        # The chief's name alone is shown: read for the chiefs' rows (a probe each), not by joining every officer
        # in post (which PostgreSQL did by scanning the country's 60,000 officers: 9 of Quảng Ngãi's 11 ms).
        chief_name = Case(When(position=Position.CHIEF, then=Subquery(
            Officer.objects.filter(pk=OuterRef("officer_id")).values("full_name")[:1])), default=none)
        postings = Posting.objects.open_on(as_of).filter(place).values_list(
            Value("posting", output_field=text), "commune_id", "position", "officer_id", chief_name)
        cells = PartyCell.objects.active_on(as_of).filter(place).values_list(
            Value("cell", output_field=text), "commune_id", none, Value(None, output_field=IntegerField()), none)
        roles = PartyRole.objects.open_on(as_of).filter(place).filter(
            Q(role=PartyRoleKind.CELL_SECRETARY) & _cell_active_on(as_of) | Q(role__in=COMMITTEES, officer__isnull=False)
        ).values_list(Value("role", output_field=text), "commune_id", "role", "officer_id", none)
        parts = (postings.order_by(), cells.order_by(), roles.order_by())  # a compound query: no ORDER BY in its parts
        return parts[0].union(*parts[1:], all=True)

    # Its SQL names the communes read above: compiled once for them (their ids in the key: read before the numbers
    # the SQL is filed under, they could be older than those; datacache/compiled.py).
    communes_digest = hashlib.blake2b(",".join(map(str, by_pk)).encode(), digest_size=12).hexdigest()
    key = f"held-on:{province.pk}:{communes_digest}:{as_of.isoformat()}"
    for source, commune_id, kind, officer_id, name in compiled_rows(
            key, held, model=Posting, provinces=[province.pk], topics=(topics.UNITS, topics.PLANS)):
        if (c := by_pk.get(commune_id)) is None:
            continue
        if source == "posting":
            c.officers_on += 1
            if kind == Position.CHIEF and c.chief_id is None:
                c.chief_id, c.chief_name = officer_id, name
        elif source == "cell":
            c.has_cell = True
        elif kind == PartyRoleKind.CELL_SECRETARY:
            c.has_secretary = True
            c.has_police_secretary = c.has_police_secretary or officer_id is not None
        elif kind == PartyRoleKind.EXECUTIVE_COMMITTEE:
            c.bch_on += 1
        else:
            c.btv_on += 1
    return rows


@dataclass(frozen=True)
class DistrictFigures:
    district: District
    figures: Figures


@dataclass(frozen=True)
class CommuneStaffing:
    """One commune of the plan on a day, with the norms it misses."""

    commune: Commune
    gaps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AreaStaffing:
    """Every commune of an area on a day: the dashboard's figures, district table and gaps sum and filter these."""

    plan: Plan | None
    communes: list[Commune]  # staffing_rows(), in district then commune order

    @property
    def figures(self) -> Figures:
        return figures_of(self.communes)

    @property
    def has_districts(self) -> bool:
        """Whether the area's communes belonged to districts on the day (until 30/06/2025)."""
        return any(c.district_id is not None for c in self.communes)

    def breakdown(self) -> list[DistrictFigures]:
        """The figures of each district, in the order of its sort key; since 01/07/2025 a commune has
        no district and is grouped under the district it came from (its former district)."""
        groups: dict[int, tuple[District, list[Commune]]] = {}
        for commune in self.communes:
            district = commune.area_district
            if district is not None:
                groups.setdefault(district.pk, (district, []))[1].append(commune)
        ordered = sorted(groups.values(), key=lambda group: (group[0].sort_key, group[0].pk))
        return [DistrictFigures(district=d, figures=figures_of(rows)) for d, rows in ordered]

    def plan_communes(self) -> list[CommuneStaffing]:
        return [CommuneStaffing(commune=c, gaps=commune_gaps(c, plan=self.plan)) for c in self.communes if c.in_plan]


def area_staffing(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None | InForce = IN_FORCE
) -> AreaStaffing:
    """The province's (or one district's) communes on a day with their staffing: three queries."""
    plan = plan_given(plan, province, as_of)
    return AreaStaffing(plan=plan, communes=staffing_rows(province=province, district=district, as_of=as_of, plan=plan))


def coverage_figures(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None | InForce = IN_FORCE
) -> Figures:
    """The six figures for a province (or one of its districts) on a day."""
    return area_staffing(province=province, as_of=as_of, district=district, plan=plan).figures


def district_breakdown(*, province: Province, as_of: datetime.date, plan: Plan | None | InForce = IN_FORCE) -> list[DistrictFigures]:
    """The six figures for each district of the province, in Vietnamese name order."""
    return area_staffing(province=province, as_of=as_of, plan=plan).breakdown()


def plan_communes(
    *, province: Province, as_of: datetime.date, district: District | None = None, plan: Plan | None | InForce = IN_FORCE
) -> list[CommuneStaffing]:
    """Every commune of the plan in the area, with its staffing on the day and its gaps."""
    return area_staffing(province=province, as_of=as_of, district=district, plan=plan).plan_communes()


def communes_with_gaps(**kwargs) -> list[CommuneStaffing]:
    return [row for row in plan_communes(**kwargs) if row.gaps]


# ---- the commune list: the same rows as SQL annotations, to filter, sort and page in the database ----

def _count(queryset: QuerySet, key: str = "commune") -> Coalesce:
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def communes_with_staffing(*, communes: QuerySet[Commune], as_of: datetime.date, plan: Plan | None) -> QuerySet[Commune]:
    """`communes` annotated with staffing_rows()'s values on `as_of`, computed in SQL (a test holds them equal)."""
    postings = Posting.objects.open_on(as_of).filter(commune=OuterRef("pk"))
    chief = postings.filter(position=Position.CHIEF)
    roles = PartyRole.objects.open_on(as_of).filter(commune=OuterRef("pk"))
    secretaries = roles.filter(_cell_active_on(as_of), role=PartyRoleKind.CELL_SECRETARY)
    police = roles.filter(officer__isnull=False)
    return communes.with_state_on(as_of).annotate(
        officers_on=_count(postings),
        chief_name=Subquery(chief.values("officer__full_name")[:1]),
        chief_id=Subquery(chief.values("officer_id")[:1]),
        has_cell=Exists(PartyCell.objects.active_on(as_of).filter(commune=OuterRef("pk"))),
        has_secretary=Exists(secretaries),
        has_police_secretary=Exists(secretaries.filter(officer__isnull=False)),
        bch_on=_count(police.filter(role=PartyRoleKind.EXECUTIVE_COMMITTEE)),
        btv_on=_count(police.filter(role=PartyRoleKind.STANDING_COMMITTEE)),
        in_plan=in_plan(plan),
    )


def covered_filter(covered: bool) -> Q:
    """is_covered() on communes_with_staffing() rows, in SQL."""
    return Q(officers_on__gt=0) if covered else Q(officers_on=0)


def gap_filter(gap: str, *, plan: Plan | None) -> Q:
    """The communes_with_staffing() rows whose commune_gaps() hold `gap`, in SQL."""
    if plan is None:
        return Q(pk__in=[])
    has = {
        Gap.NO_CHIEF: Q(chief_id__isnull=True) if plan.requires_chief else Q(pk__in=[]),
        Gap.BELOW_NORM: Q(officers_on__lt=plan.min_officers),
        Gap.NO_PARTY_CELL: Q(has_cell=False),
        Gap.NO_SECRETARY: Q(has_cell=True, has_secretary=False),
        Gap.SECRETARY_NOT_POLICE: Q(has_cell=True, has_secretary=True, has_police_secretary=False),
    }[gap]
    return Q(in_plan=True) & has


def communes_of_kind_on(*, province: Province, as_of: datetime.date) -> dict[str, int]:
    """How many communes of each kind (xã, phường, thị trấn) the province had on a day: one query."""
    rows = (
        Commune.objects.filter(province=province)
        .existing_on(as_of)
        .with_state_on(as_of)
        .values("kind_on")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(CommuneKind.values, 0)
    counts.update({row["kind_on"]: row["n"] for row in rows})
    return counts


# ---- the national figures --------------------------------------------------------------------------

@dataclass(frozen=True)
class ProvinceFigures:
    """One province's row on the national dashboard: the six figures on a day, under its latest plan."""

    province: Province
    plan_id: int | None
    figures: Figures


def national_figures(*, as_of: datetime.date) -> list[ProvinceFigures]:
    """The six figures for every province on a day, in Vietnamese name order: five queries, whatever the data.

    figures_of() province by province, restated in SQL grouped by province (postings, plan communes,
    cells and committee roles each in one pass): at national scale rows per commune mean ~10,000 of
    each. tests/sampledata/test_synthetic.py holds every row equal to coverage_figures() on random data.
    """
    provinces = national_provinces(as_of=as_of)
    figures = provinces_figures(provinces, as_of=as_of)
    return [ProvinceFigures(province=p, plan_id=p.plan_id, figures=figures[p.pk]) for p in provinces]


def national_provinces(*, as_of: datetime.date) -> list[Province]:
    """The provinces of a day in Vietnamese name order, each with the pk of its plan in force (`plan_id`) and its
    units of the day (communes.counts.units_of): one query; what national_figures() lists."""
    return list(Province.objects.existing_on(as_of).annotate(plan_id=plan_in_force_sql(as_of), **unit_count_annotations(as_of))
                .order_by("sort_key"))


def provinces_figures(provinces: list[Province], *, as_of: datetime.date) -> dict[int, Figures]:
    """The six figures of each of `provinces` (national_provinces()'s rows: their `plan_id` is read) on a day, by
    pk: four queries, whatever their number (none for none). national_figures() is this for all of them; the
    national dashboard asks it for those whose figures are not cached (dashboards/national.py)."""
    if not provinces:
        return {}
    latest_plan = {p.pk: p.plan_id for p in provinces if p.plan_id is not None}
    plan_ids = list(latest_plan.values())
    province_key = "commune__province_id"
    through = Plan.communes.through
    among = {"commune__province_id__in": [p.pk for p in provinces]}

    in_own_plan = Exists(
        through.objects.filter(
            plan_id__in=plan_ids, commune_id=OuterRef("commune_id"), plan__province_id=OuterRef(province_key)
        )
    )
    postings = (
        Posting.objects.filter(held_on(as_of), **among)
        .annotate(in_plan=in_own_plan)
        .values(province=F(province_key))
        .annotate(
            officers_in_post=Count("pk"),
            # is_covered(): a commune of the plan where at least one posting is open on the day.
            communes_covered=Count("commune_id", distinct=True, filter=Q(in_plan=True)),
        )
        .order_by()
    )
    plan_communes = (
        through.objects.filter(plan_id__in=plan_ids, plan__province_id=F(province_key), **among)
        .filter(UNIT_LIFE.open_on(as_of, "commune__"))
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
        .filter(UNIT_LIFE.open_on(as_of, "commune__"), **among)
        .annotate(police_secretary=Exists(police_secretary))
        .values(province=F(province_key))
        .annotate(
            party_cells=Count("commune_id", distinct=True),
            cells_with_police_secretary=Count("commune_id", distinct=True, filter=Q(police_secretary=True)),
        )
        .order_by()
    )
    committees = (
        PartyRole.objects.filter(held_on(as_of), officer__isnull=False, **among)
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
    return {p.pk: Figures(**{**empty, **per_province.get(p.pk, {})}) for p in provinces}
