"""Reads of the pipeline: the candidates a user may see on a day with their stage, the counts at each stage
per district (per selecting unit on days without districts), and the ready officers a gap could take."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from communes.lookup import province_of_the_day
from communes.models import District, Province, ProvinceLineage
from datacache import topics
from datacache.compiled import compiled_rows
from kontum_posts.lib.vntext import place_sort_key
from personnel.access import scope_for
from personnel.choices import UnitKind
from personnel.models import Unit
from pipeline.choices import STAGE_ORDER, Stage
from pipeline.models import Candidate, Course
from pipeline.stages import with_stage


def area_province_q(province: Province, day: datetime.date, prefix: str = "") -> Q:
    """Rows (through `prefix`) of the provinces whose candidates count in `province`'s area on the day: the province
    of that day holding its area (Kon Tum on a day after 01/07/2025: Quảng Ngãi) and those merged into it by then.
    A subquery, so that a count costs one query."""
    holder = province_of_the_day(province, day)
    merged = ProvinceLineage.objects.filter(successor=holder, effective_on__lte=day).values("predecessor_id")
    return Q(**{f"{prefix}province_id": holder.pk}) | Q(**{f"{prefix}province_id__in": merged})


def scoped_candidates(user, queryset: QuerySet[Candidate] | None = None) -> QuerySet[Candidate]:
    """The candidates a user may see: selected by a unit of their provinces (a province's departments go on under
    the province it was merged into), and for a user limited to districts, of their districts."""
    scope = scope_for(user)
    rows = Candidate.objects.all() if queryset is None else queryset
    if scope.national:
        return rows
    if not scope.sees_anything:
        return rows.none()
    rows = rows.filter(selected_by__province_id__in=scope.provinces)
    if scope.district_ids:
        rows = rows.filter(Q(district_id__in=scope.district_ids) | Q(selected_by__district_id__in=scope.district_ids))
    return rows


def may_change_candidate(user, candidate: Candidate) -> bool:
    scope = scope_for(user)
    return scope.can_edit and scoped_candidates(user, Candidate.objects.filter(pk=candidate.pk)).exists()


def may_manage_courses(user) -> bool:
    """Courses are the province's: its editors and administrators not limited to districts create them."""
    scope = scope_for(user)
    return scope.can_edit and not scope.district_ids


def scoped_courses(user) -> QuerySet[Course]:
    scope = scope_for(user)
    if scope.national:
        return Course.objects.all()
    if not scope.sees_anything:
        return Course.objects.none()
    return Course.objects.filter(Q(organiser__province_id__in=scope.provinces) | Q(province_id__in=scope.provinces))


def candidates_on(user, *, province: Province, day: datetime.date) -> QuerySet[Candidate]:
    """The candidates of the province's area the user may see, in the pipeline on the day, with their stage."""
    rows = scoped_candidates(user).filter(area_province_q(province, day))
    return with_stage(rows, day).select_related("officer", "district", "selected_by", "province")


def has_districts_on(province: Province, day: datetime.date) -> bool:
    return District.objects.filter(province=province_of_the_day(province, day)).existing_on(day).exists()


@dataclass
class StageRow:
    """One line of the counts: a district (or, on a day without districts, a selecting unit) and its counts."""

    label: str
    district_code: int | None = None
    unit_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(stage, self.counts.get(stage, 0)) for stage in STAGE_ORDER]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def stage_counts(rows: QuerySet[Candidate], *, by_district: bool) -> tuple[list[StageRow], StageRow]:
    """The counts at each stage per district (candidates selected without a district under "the province") or per
    selecting unit, and the totals; one query whatever the number of candidates."""
    from django.utils.translation import gettext as _

    groups: dict[object, StageRow] = {}
    total = StageRow(label=_("Total"))
    key_field = "district_id" if by_district else "selected_by_id"
    values = rows.values_list(key_field, "district__name", "district__code", "district__sort_key",
                              "selected_by__name", "stage")
    sort_keys = {}
    for key, d_name, d_code, d_sort, unit_name, stage in values:
        if key not in groups:
            if by_district:
                groups[key] = StageRow(label=d_name or _("The province (no district)"), district_code=d_code)
                sort_keys[key] = (d_sort is None, d_sort or "")
            else:
                groups[key] = StageRow(label=unit_name, unit_id=key)
                sort_keys[key] = (False, place_sort_key(unit_name))
        groups[key].counts[stage] = groups[key].counts.get(stage, 0) + 1
        total.counts[stage] = total.counts.get(stage, 0) + 1
    ordered = sorted(groups, key=lambda k: sort_keys[k])
    return [groups[k] for k in ordered], total


def ready_waiting_counts(*, province: Province, day: datetime.date) -> dict[int | None, int]:
    """Trained and waiting candidates of the province's area on the day, per district (None: all of them): how
    many could fill a gap of a commune of that district, or since 01/07/2025 of the province."""
    def ready():
        rows = with_stage(Candidate.objects.filter(area_province_q(province, day)), day, details=False)
        return rows.filter(stage=Stage.READY).values_list("district_id")

    # Its SQL depends on the province and the day (and the province holding its area then): compiled once for them.
    counts: dict[int | None, int] = {None: 0}
    for (district_id,) in compiled_rows(f"ready-waiting:{province.pk}:{day.isoformat()}", ready, model=Candidate,
                                        topics=(topics.UNITS,), provinces=[province.pk]):
        counts[None] += 1
        if district_id is not None:
            counts[district_id] = counts.get(district_id, 0) + 1
    return counts


def ready_for_gap(counts: dict[int | None, int], commune) -> int:
    """How many ready officers could fill a commune's gap: its district's on a day with districts, else the province's."""
    return counts.get(commune.district_id, 0) if commune.district_id is not None else counts.get(None, 0)


def units_offered(user, day: datetime.date | None = None) -> QuerySet[Unit]:
    """Units that may select candidates or organise courses: the user's (provincial departments and district police),
    those still existing on `day` if given (a form for a past day offers the units of then; the rule checks the day)."""
    from personnel.access import scoped

    units = scoped(Unit.objects.select_related("district"), user).exclude(kind=UnitKind.COMMUNE_POLICE)
    if day is not None:
        units = units.filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))
    return units.order_by("kind", "name")
