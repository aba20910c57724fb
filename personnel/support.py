"""Department support assignments (phân công giúp đỡ): a provincial department helps a commune from a day to a day.

The review asked the province to assign each department to help particular communes. An assignment is a
*term* (communes/periods.py TERM: `end_date` is the last day it holds); the units it names are read on a
day: `in_force_on(day)` is the one definition every page uses (commune page, district page, the list).

An assignment lies within its commune's life: a commune that ceases to exist (01/07/2025) ends its
assignments on its last day. They are NOT carried to the successor: the new commune's support is a new
decision of the new province (a merged commune would otherwise inherit several departments from each of
its predecessors). `support_end_with_communes()` ends, on their commune's last day, the assignments still
open when a reorganisation ends their communes; the rule refuses any other assignment outliving its commune.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from communes.periods import TERM, UNIT_LIFE
from communes.rules import Rule, after_today, check_all, today_params
from datacache import writing


def _outside_commune_life(obj) -> bool:
    if obj.commune_id is None or obj.start_date is None:
        return False  # the form says the field is required
    commune = obj.commune
    if commune.established_on is not None and obj.start_date < commune.established_on:
        return True
    last = commune.last_day
    return last is not None and (obj.end_date is None or obj.end_date > last)


def _life_params(obj) -> dict:
    from communes.rules import describe_life

    return {"commune": obj.commune.name, "life": describe_life(obj.commune)}


SUPPORT_ENDS_AFTER_START = Rule(
    code="support_ends_before_start",
    message=_("An assignment ends on or after the day it starts."),
    constraints=("support_ends_after_start",),
    broken=lambda obj: obj.end_date is not None and obj.start_date is not None and obj.end_date < obj.start_date,
    field="end_date",
)
SUPPORT_NOT_IN_FUTURE = Rule(
    code="support_in_future",
    message=_("An assignment starts today (%(today)s) or earlier: it is recorded once decided."),
    constraints=(),
    broken=after_today("start_date"),
    params=today_params,
    field="start_date",
)
SUPPORT_WITHIN_COMMUNE_LIFE = Rule(
    code="support_outside_commune_life",
    message=_("%(commune)s existed %(life)s: an assignment to it lies within those days (give its last day)."),
    constraints=(),
    broken=_outside_commune_life,
    params=_life_params,
    field="end_date",
)
ONE_ASSIGNMENT_AT_A_TIME = Rule(
    code="support_overlaps",
    message=_("%(unit)s is already assigned to %(commune)s for %(period)s."),
    constraints=("support_one_open_per_unit_and_commune",),
    clashes=lambda obj: None if None in (obj.unit_id, obj.commune_id, obj.start_date) else SupportAssignment.objects.filter(
        TERM.overlapping(obj.start_date, obj.end_date), unit_id=obj.unit_id, commune_id=obj.commune_id,
    ).exclude(pk=obj.pk).select_related("unit", "commune"),
    params=lambda clash: {"unit": clash.unit.name, "commune": clash.commune.name, "period": TERM.describe_row(clash)},
)
SUPPORT_RULES = (SUPPORT_ENDS_AFTER_START, SUPPORT_NOT_IN_FUTURE, SUPPORT_WITHIN_COMMUNE_LIFE, ONE_ASSIGNMENT_AT_A_TIME)


class SupportAssignmentQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        """The assignments that hold on the day: the one definition of "supported by" on a day. The commune must
        exist that day too: an assignment recorded before its commune's end was known stops with the commune."""
        return self.filter(TERM.open_on(day), UNIT_LIFE.open_on(day, "commune__"))


class SupportAssignment(models.Model):
    """A provincial department's assignment to help a commune police post, from a day to a day (inclusive)."""

    unit = models.ForeignKey("personnel.Unit", on_delete=models.PROTECT, related_name="support_assignments",
                             verbose_name=_("unit"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="support_assignments",
                                verbose_name=_("commune"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("the last day of the assignment"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)

    objects = SupportAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("support assignment")
        verbose_name_plural = _("support assignments")
        ordering = ["commune", "unit", "start_date"]
        constraints = [
            models.CheckConstraint(condition=TERM.well_formed(), name="support_ends_after_start"),
            models.UniqueConstraint(fields=["unit", "commune"], condition=Q(end_date__isnull=True),
                                    name="support_one_open_per_unit_and_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.commune} ({TERM.describe_row(self)})"

    def clean(self):
        check_all(self, SUPPORT_RULES)

    def holds_on(self, day: datetime.date) -> bool:
        return TERM.is_open_on(self, day) and self.commune.exists_on(day)


def support_assign(*, unit, commune: Commune, start: datetime.date, end: datetime.date | None = None,
                   decision_number: str = "") -> SupportAssignment:
    """Assign a department to help a commune from `start` (to `end`, inclusive, if given)."""
    with writing():
        assignment = SupportAssignment(unit=unit, commune=commune, start_date=start, end_date=end,
                                       decision_number=decision_number)
        assignment.full_clean()
        assignment.save()
        return assignment


def support_end(*, assignment: SupportAssignment, on: datetime.date) -> SupportAssignment:
    """End an assignment on `on`, its last day."""
    with writing():
        assignment = SupportAssignment.objects.select_for_update().select_related("unit", "commune").get(pk=assignment.pk)
        if assignment.end_date is not None:
            raise ValidationError(_("This assignment has already ended."), code="support_ended")
        if on > timezone.localdate():
            raise ValidationError({"end_date": SUPPORT_NOT_IN_FUTURE.text(assignment)})
        assignment.end_date = on
        assignment.full_clean()
        assignment.save(update_fields=["end_date"])
        return assignment


def support_end_with_communes(*, communes) -> int:
    """End, on their commune's last day, the open assignments of communes that have ended (a reorganisation):
    they are not carried to the successor (see the module's docstring). Returns how many ended."""
    with writing():
        ended = 0
        rows = SupportAssignment.objects.select_for_update().filter(
            end_date__isnull=True, commune__in=communes, commune__abolished_on__isnull=False).select_related("commune")
        for assignment in rows:
            assignment.end_date = UNIT_LIFE.last_day(assignment.commune.abolished_on)
            assignment.save(update_fields=["end_date"])
            ended += 1
        return ended


# ---- reads -----------------------------------------------------------------------------------

def support_in_area(*, area_q: Q, as_of: datetime.date) -> list:
    """The units supporting communes of an area on the day (`area_q` through "commune__"), each with `here`:
    its communes there, named as on the day. Two queries, whatever the number of units."""
    from personnel.listings import commune_named_on

    rows = list(SupportAssignment.objects.in_force_on(as_of).filter(area_q).select_related("unit", "commune")
                .annotate(**commune_named_on(as_of)).order_by("unit__name", "commune_sort_key_on", "pk"))
    units: dict[int, object] = {}
    for row in rows:
        unit = units.setdefault(row.unit_id, row.unit)
        row.commune.name_on = row.commune_name_on
        unit.__dict__.setdefault("here", []).append(row.commune)
        unit.__dict__.setdefault("assignments", []).append(row)
    return list(units.values())


def support_of_commune(commune: Commune, *, as_of: datetime.date) -> list[SupportAssignment]:
    """The commune's assignments in force on the day, with their units (one query)."""
    return list(SupportAssignment.objects.in_force_on(as_of).filter(commune=commune).select_related("unit")
                .order_by("unit__name", "pk"))
