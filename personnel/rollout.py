"""The roll-out: communes of the plan covered and officers in post on any day of a stretch, from one query.

A point for a day is figures_of() that day by construction (personnel/coverage.py): a posting counts on the days
it is open AND its commune exists (its period is clipped to the commune's life), and a commune covers when the
plan itself lists it, whatever communes exist at the stretch's end. By district too: a commune's district, and
since 01/07/2025 (no district) its former district, as AreaStaffing.breakdown() groups them. Held equal to the
figures of each day by tests/properties/test_random_histories.py and tests/personnel/test_coverage_rules.py.
The dashboard's chart reads its month ends; the roadmap its due dates (roadmap/progress.py).
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from communes.models import Province, area_q, in_districts_q
from communes.periods import TERM, UNIT_LIFE
from datacache import topics
from datacache.compiled import compiled_rows
from personnel.models import Plan, Posting
from personnel.plans import IN_FORCE, InForce, in_plan, plan_given


@dataclass(frozen=True)
class RolloutPoint:
    day: datetime.date
    communes_covered: int
    officers_in_post: int


class _Sweep:
    """Sorted first and last days of some postings, and of their communes' merged covered stretches: how many are
    open on a day is a bisection (a far day over a large province stays fast)."""

    def __init__(self, periods: list[tuple[int, datetime.date, datetime.date, bool]]):
        self.starts = sorted(p[1] for p in periods)
        self.ends = sorted(p[2] for p in periods)
        self.covered_starts, self.covered_ends = _covered_intervals((c, s, e) for c, s, e, in_plan in periods if in_plan)

    def point(self, day: datetime.date) -> RolloutPoint:
        # Counted on `day`: first day on or before it, last day not before it (both inclusive).
        return RolloutPoint(
            day=day,
            communes_covered=bisect_right(self.covered_starts, day) - bisect_left(self.covered_ends, day),
            officers_in_post=bisect_right(self.starts, day) - bisect_left(self.ends, day),
        )


@dataclass(frozen=True)
class Timeline:
    """The area's staffing from `start` to `end` (a province's, or only `district_ids`' when given)."""

    start: datetime.date
    end: datetime.date
    district_ids: frozenset[int]
    plan_id: int | None  # the plan whose communes cover (in_plan)
    whole: _Sweep
    by_district: dict[int, _Sweep]

    def answers(self, start: datetime.date, end: datetime.date, district_ids: Iterable[int] = (), *,
                plan: Plan | None) -> bool:
        """Read over the days asked, for the same area and plan."""
        return (self.start <= start and end <= self.end and self.district_ids == frozenset(district_ids)
                and self.plan_id == (plan.pk if plan is not None else None))

    def point(self, day: datetime.date, district_id: int | None = None) -> RolloutPoint:
        """The area's point on the day, or one district's."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the timeline's {self.start}..{self.end}")
        if district_id is None:
            return self.whole.point(day)
        if self.district_ids and district_id not in self.district_ids:
            raise ValueError(f"district {district_id} was not read")
        sweep = self.by_district.get(district_id)
        return sweep.point(day) if sweep is not None else RolloutPoint(day=day, communes_covered=0, officers_in_post=0)


def staffing_timeline(
    *, province: Province, start: datetime.date, end: datetime.date, plan: Plan | None | InForce = IN_FORCE,
    district_ids: Iterable[int] = (),
) -> Timeline:
    """The timeline of the province (or of some districts) from `start` to `end`: one query (two without `plan`)."""
    plan = plan_given(plan, province, end)
    district_ids = frozenset(district_ids)

    def periods_read():
        postings = (Posting.objects.filter(area_q(province=province, prefix="commune__", until=end))
                    .filter(TERM.overlapping(start, end)))
        if district_ids:
            postings = postings.filter(in_districts_q(district_ids, prefix="commune__", until=end))
        return postings.annotate(in_plan=in_plan(plan, "commune_id")).values_list(
            "commune_id", "start_date", "end_date", "commune__established_on", "commune__abolished_on", "in_plan",
            "commune__district_id", "commune__former_district_id",
        )

    # Its SQL depends on the area, the days and the plan only: compiled once for them (datacache/compiled.py).
    key = (f"timeline:{province.pk}:{start.isoformat()}:{end.isoformat()}:{plan.pk if plan is not None else ''}:"
           f"{','.join(map(str, sorted(district_ids)))}")
    rows = compiled_rows(key, periods_read, model=Posting, provinces=[province.pk], topics=(topics.UNITS, topics.PLANS))
    periods, by_district = [], {}  # (commune_id, first day, last day, in plan): the days the posting counts
    for commune_id, s, e, established, abolished, in_plan_, district_id, former_district_id in rows:
        first = max(TERM.first_day(s), UNIT_LIFE.first_day(established))
        last = min(TERM.last_day(e), UNIT_LIFE.last_day(abolished))
        if first <= last:
            period = (commune_id, first, last, bool(in_plan_))
            periods.append(period)
            area_district = district_id if district_id is not None else former_district_id
            by_district.setdefault(area_district, []).append(period)
    return Timeline(start=start, end=end, district_ids=district_ids, plan_id=plan.pk if plan is not None else None,
                    whole=_Sweep(periods),
                    by_district={d: _Sweep(p) for d, p in by_district.items() if d is not None})


def rollout_series(
    *, province: Province, start: datetime.date, end: datetime.date, plan: Plan | None | InForce = IN_FORCE,
    district_ids: Iterable[int] = (), timeline: Timeline | None = None,
) -> list[RolloutPoint]:
    """Communes of the plan covered and officers in post at each month's end from `start` to `end`, and on `end`;
    limited to some districts when `district_ids` is given. One query (two without `plan`), none with a `timeline`
    read over the same days and area."""
    if timeline is None or plan is IN_FORCE or not timeline.answers(start, end, district_ids, plan=plan):
        timeline = staffing_timeline(province=province, start=start, end=end, plan=plan, district_ids=district_ids)
    return [timeline.point(day) for day in _month_ends(start, end)]


def _covered_intervals(periods) -> tuple[list, list]:
    """Sorted starts and ends of each commune's merged staffed stretches (is_covered: one officer is enough)."""
    by_commune: dict[int, list] = {}
    for commune_id, s, e in periods:
        by_commune.setdefault(commune_id, []).append((s, e))
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
