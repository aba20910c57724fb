"""Annotated querysets behind the browsing tables (officers, postings, Party roles) and two small
variants of the coverage selectors for users limited to some districts.

Every value a row shows comes from a join or a correlated subquery on the one query, so a page
of any length costs the same number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from communes.models import Province
from personnel.models import Officer, PartyRole, Plan, Posting
from personnel.selectors import Figures, RolloutPoint, _month_ends, plan_for  # _month_ends: same months as rollout_series


def officer_rows(*, user, as_of: datetime.date) -> QuerySet[Officer]:
    """The officers the user may see, with the posting each held on `as_of` (if any)."""
    current = Posting.objects.open_on(as_of).filter(officer=OuterRef("pk")).order_by("-start_date")
    return (
        Officer.objects.for_user(user)
        .select_related("home_unit")
        .annotate(
            post_position=Subquery(current.values("position")[:1]),
            post_since=Subquery(current.values("start_date")[:1]),
            post_commune_code=Subquery(current.values("commune__code")[:1]),
            post_commune_name=Subquery(current.values("commune__name")[:1]),
            post_commune_sort=Subquery(current.values("commune__sort_key")[:1]),
            post_district_code=Subquery(current.values("commune__district__code")[:1]),
            post_district_name=Subquery(current.values("commune__district__name")[:1]),
            in_post=Exists(current),
        )
        .order_by("sort_key", "pk")
    )


def posting_rows(*, user) -> QuerySet[Posting]:
    return (
        Posting.objects.for_user(user)
        .select_related("officer", "commune", "commune__district")
        .order_by("-start_date", "officer__sort_key", "pk")
    )


def partyrole_rows(*, user) -> QuerySet[PartyRole]:
    return (
        PartyRole.objects.for_user(user)
        .select_related("officer", "commune", "commune__district", "cell")
        .order_by("commune__district__sort_key", "commune__sort_key", "role", "-start_date", "pk")
    )


def sum_figures(rows: Iterable[Figures]) -> Figures:
    """Figures of several areas added up (a district-limited user's share of the province)."""
    rows = list(rows)
    names = [f.name for f in dataclasses.fields(Figures)]
    return Figures(**{name: sum(getattr(r, name) for r in rows) for name in names})


def rollout_series_in(
    *, province: Province, start: datetime.date, end: datetime.date, plan: Plan | None = None,
    district_ids: Iterable[int] = (), plan_commune_ids: Iterable[int] | None = None,
) -> list[RolloutPoint]:
    """personnel.selectors.rollout_series, limited to some districts when `district_ids` is given.

    `plan_commune_ids`: the plan's communes in the area, when the caller already has them (saves a query).
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
    postings = Posting.objects.filter(commune__district__province=province, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
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
        # Open on `day`: started on or before it, and not ended before it (end_date is inclusive).
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
