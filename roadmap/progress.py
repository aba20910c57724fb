"""A roadmap as of a day: each milestone met, missed or upcoming, and the areas behind schedule.

The actual figures are the dashboard's own (personnel/coverage.py), never counted again here: on the day shown,
figures_of() the plan's province's communes on that day, all of them or a district's (breakdown()'s grouping); on
each due date, the roll-out's point of that day (personnel/rollout.py), figures_of() that day by construction.
Queries: the milestones, the day's area (two, none on the dashboard, which has read it), and one timeline for
every due date, whatever their number, the districts' or the milestones' (none on the dashboard, which has read it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from personnel.coverage import (
    AreaStaffing,
    Figures,
    RolloutPoint,
    Timeline,
    area_staffing,
    figures_of,
    is_covered,
    staffing_timeline,
    sum_figures,
)
from personnel.models import Plan
from roadmap.models import Milestone
from roadmap.rules import area_name


class State:
    MET = "met"
    MISSED = "missed"
    UPCOMING = "upcoming"


STATE_LABELS = {State.MET: _("met"), State.MISSED: _("missed"), State.UPCOMING: _("upcoming")}


def reaches(figures: Figures | RolloutPoint, milestone: Milestone) -> bool:
    """The figures reach the milestone's targets (a target of 0 asks nothing)."""
    return (figures.communes_covered >= milestone.communes_target
            and figures.officers_in_post >= milestone.officers_target)


class FiguresOnDays:
    """The plan's area on the day shown, through area_staffing() (the dashboard's own read, its communes listed
    when behind), and on each due date through the roll-out's timeline (personnel/rollout.py: one query for every
    due date, figures_of() each day by construction); for the province or a district (breakdown()'s grouping)."""

    def __init__(self, plan: Plan, timeline: Timeline, known: dict[datetime.date, AreaStaffing] | None = None):
        self.plan = plan
        self.timeline = timeline
        self._areas = dict(known or {})
        self._grouped: dict[datetime.date, dict] = {}

    def area(self, day: datetime.date) -> AreaStaffing:
        if day not in self._areas:
            self._areas[day] = area_staffing(province=self.plan.province, as_of=day, plan=self.plan)
        return self._areas[day]

    def figures(self, day: datetime.date, district_id: int | None = None) -> Figures:
        """The province's figures on the day shown, or one district's (since 01/07/2025: the communes that came from it)."""
        if district_id is None:
            return figures_of(self.area(day).communes)
        return figures_of(self._by_district(day).get(district_id, ()))

    def _by_district(self, day: datetime.date) -> dict[int | None, list[Commune]]:
        """The area's communes on the day grouped by area_district_id, once per day (a milestone per district)."""
        if day not in self._grouped:
            grouped: dict[int | None, list[Commune]] = {}
            for c in self.area(day).communes:
                grouped.setdefault(c.area_district_id, []).append(c)
            self._grouped[day] = grouped
        return self._grouped[day]

    def on_due(self, day: datetime.date, district_id: int | None = None) -> RolloutPoint:
        """The communes covered and officers in post on a due date, in the province or a district."""
        return self.timeline.point(day, district_id)

    def uncovered(self, day: datetime.date, district_id: int | None = None) -> list[Commune]:
        """The plan's communes in the area not covered on the day (is_covered), in district then commune order."""
        return [c for c in self.area(day).communes if c.in_plan and not is_covered(c)
                and (district_id is None or c.area_district_id == district_id)]


@dataclass(frozen=True)
class MilestoneProgress:
    milestone: Milestone
    area: str
    on_due: RolloutPoint | None  # the two figures a milestone sets targets for; None while it is due after the day
    on_day: Figures
    state: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def decided_by(self) -> Figures | RolloutPoint:
        """The figures the state was decided on: the due date's, or the day's for an upcoming milestone."""
        return self.on_due if self.on_due is not None else self.on_day


@dataclass(frozen=True)
class Behind:
    """An area whose latest milestone due by the day is not reached on the day."""

    progress: MilestoneProgress
    communes_short: int
    officers_short: int
    uncovered: list[Commune] = field(default_factory=list)


@dataclass(frozen=True)
class AreaProgress:
    """One area's line of the roadmap: its milestones by state, the latest due by the day and the next one."""

    area: str
    district: object
    on_day: Figures
    counts: dict[str, int]
    latest: MilestoneProgress | None
    next: MilestoneProgress | None


@dataclass(frozen=True)
class Roadmap:
    plan: Plan | None
    as_of: datetime.date
    rows: list[MilestoneProgress]
    behind: list[Behind]
    targets: list[tuple[datetime.date, int, int]]  # (day, communes, officers): the target in force from each due date
    actual: list[tuple[datetime.date, int, int]]   # (day, communes, officers): month ends and due dates up to the day

    @property
    def has_districts(self) -> bool:
        return any(row.milestone.district_id for row in self.rows)

    @property
    def units_gone(self) -> bool:
        """No commune of the plan exists on the day: the plan was made for the units of its time."""
        return bool(self.rows) and not any(row.on_day.communes_in_plan for row in self.rows)

    def by_area(self) -> list[AreaProgress]:
        """Each area's milestones (the province first, then districts in order): its latest due by the day, its next."""
        areas: dict[int | None, list[MilestoneProgress]] = {}
        for row in self.rows:
            areas.setdefault(row.milestone.district_id, []).append(row)
        ordered = sorted(areas.values(), key=lambda rows: (rows[0].milestone.district_id is not None,
                                                           rows[0].milestone.district.sort_key if rows[0].milestone.district_id else ""))
        return [AreaProgress(
            area=rows[0].area, district=rows[0].milestone.district, on_day=rows[0].on_day,
            counts={state: sum(1 for r in rows if r.state == state) for state in STATE_LABELS},
            latest=next((r for r in reversed(rows) if r.on_due is not None), None),
            next=next((r for r in rows if r.on_due is None), None),
        ) for rows in ordered]

    def counts(self) -> dict[str, int]:
        return {state: sum(1 for row in self.rows if row.state == state) for state in STATE_LABELS}


def milestones_of(plan: Plan, district_ids: Iterable[int] = ()) -> list[Milestone]:
    """The plan's milestones (those of some districts only, for a user limited to them), by day then district."""
    rows = Milestone.objects.filter(plan=plan).select_related("district", "plan__province")
    if district_ids := set(district_ids):
        rows = rows.filter(district_id__in=district_ids)
    return list(rows.order_by("due_on", "district__sort_key", "pk"))


def plan_roadmap(*, plan: Plan | None, as_of: datetime.date, district_ids: Iterable[int] = (),
                 known: dict[datetime.date, AreaStaffing] | None = None,
                 rollout: list[RolloutPoint] = (), timeline: Timeline | None = None,
                 milestones: list[Milestone] | None = None) -> Roadmap:
    """The roadmap of a plan as of a day, limited to some districts when `district_ids` is given.

    `known`: areas the caller already read (the dashboard's day), not read again. `rollout`: the dashboard's
    roll-out points for the same area, the actual line's month ends. `timeline`: the caller's, used when it was read
    for the plan over its due dates and the same area (the dashboard's, from the plan's issue to the day).
    `milestones`: milestones_of() the plan and districts, when the caller has read them."""
    district_ids = frozenset(district_ids)
    if milestones is None:  # the caller's: milestones_of() the same plan and districts
        milestones = milestones_of(plan, district_ids) if plan is not None else []
    if not milestones:
        return Roadmap(plan=plan, as_of=as_of, rows=[], behind=[], targets=[], actual=[])
    plan = milestones[0].plan  # with its province (select_related)
    first_due = min(min(m.due_on for m in milestones), as_of)
    if timeline is None or not timeline.answers(first_due, as_of, district_ids, plan=plan):
        timeline = staffing_timeline(province=plan.province, start=first_due, end=as_of, plan=plan,
                                     district_ids=district_ids)
    days = FiguresOnDays(plan, timeline, known)
    rows = []
    for m in milestones:
        on_due = days.on_due(m.due_on, m.district_id) if m.due_on <= as_of else None
        state = State.UPCOMING if on_due is None else (State.MET if reaches(on_due, m) else State.MISSED)
        rows.append(MilestoneProgress(milestone=m, area=area_name(m), on_due=on_due,
                                      on_day=days.figures(as_of, m.district_id), state=state))
    return Roadmap(plan=plan, as_of=as_of, rows=rows, behind=_behind(rows, days, as_of),
                   **_series(rows, days, as_of, district_ids, rollout))


def _behind(rows: list[MilestoneProgress], days: FiguresOnDays, as_of: datetime.date) -> list[Behind]:
    latest: dict[int | None, MilestoneProgress] = {}
    for row in rows:  # by due date: the last one due by the day wins
        if row.milestone.due_on <= as_of:
            latest[row.milestone.district_id] = row
    behind = []
    for district_id, row in latest.items():
        # No commune of the plan exists that day (a plan of the units of its time, after them): nothing to be behind.
        if reaches(row.on_day, row.milestone) or not row.on_day.communes_in_plan:
            continue
        behind.append(Behind(
            progress=row,
            communes_short=max(0, row.milestone.communes_target - row.on_day.communes_covered),
            officers_short=max(0, row.milestone.officers_target - row.on_day.officers_in_post),
            uncovered=days.uncovered(as_of, district_id),
        ))
    # The province first, then districts in their order.
    return sorted(behind, key=lambda b: (b.progress.milestone.district_id is not None,
                                         b.progress.milestone.district.sort_key if b.progress.milestone.district_id else ""))


def _series(rows: list[MilestoneProgress], days: FiguresOnDays, as_of: datetime.date, district_ids: frozenset[int],
            rollout: Iterable[RolloutPoint]) -> dict:
    """The chart's two lines for the area shown: the province's milestones when it has some (and the user is not
    limited to districts), else the districts' added up, each district's target in force from its due dates."""
    province_rows = [r for r in rows if r.milestone.district_id is None]
    scoped = province_rows if province_rows and not district_ids else [r for r in rows if r.milestone.district_id]
    by_scope: dict[int | None, list[MilestoneProgress]] = {}
    for row in scoped:
        by_scope.setdefault(row.milestone.district_id, []).append(row)
    targets = []
    for day in sorted({r.milestone.due_on for r in scoped}):
        in_force = [max((r for r in group if r.milestone.due_on <= day), key=lambda r: r.milestone.due_on, default=None)
                    for group in by_scope.values()]
        in_force = [r.milestone for r in in_force if r is not None]
        targets.append((day, sum(m.communes_target for m in in_force), sum(m.officers_target for m in in_force)))
    # The roll-out's month ends when it covers the same area (the province, or the user's districts, all with
    # milestones); the due dates and the day always, read as the rows were.
    whole = by_scope.keys() == {None}
    same_area = (whole and not district_ids) or (bool(district_ids) and set(by_scope) == district_ids)
    actual = {p.day: (p.communes_covered, p.officers_in_post) for p in rollout} if same_area else {}
    for day in {r.milestone.due_on for r in scoped if r.milestone.due_on <= as_of}:
        points = [days.on_due(day)] if whole else [days.on_due(day, d) for d in by_scope]
        actual[day] = (sum(p.communes_covered for p in points), sum(p.officers_in_post for p in points))
    f = days.figures(as_of) if whole else sum_figures(days.figures(as_of, d) for d in by_scope)
    actual[as_of] = (f.communes_covered, f.officers_in_post)
    return {"targets": targets, "actual": [(day, *actual[day]) for day in sorted(actual)]}
