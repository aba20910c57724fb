"""An officer's rank, home unit and status through time.

Each `OfficerChange` row sets one of the three from its day on (a promotion, a move to another unit, a
retirement); the row without a day holds what was first recorded. The value on a day is the latest row of
that attribute on or before it (`attributes_on()`, the one definition every page, list, export and report
reads; an officer without changes of an attribute has the value of its row). The officer row keeps the
latest values (`Officer.rank`, `home_unit`, `status`): what edit forms
show and scopes read. Rows are written by personnel.services (officer_create, officer_change,
officer_update), never directly.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.rules import DECISION_NOT_IN_FUTURE, Rule, after_today, check_all, today_params
from personnel.choices import OfficerStatus, Rank


class Attribute(models.TextChoices):
    RANK = "rank", _("Rank")
    HOME_UNIT = "home_unit", _("Home unit")
    STATUS = "status", _("Status")


ATTRIBUTE_FIELDS = {Attribute.RANK: "rank", Attribute.HOME_UNIT: "home_unit", Attribute.STATUS: "status"}
NOT_SERVING = (OfficerStatus.RETIRED, OfficerStatus.LEFT, OfficerStatus.DECEASED)


# A promotion, a move or a retirement is recorded once it has happened, by a decision already signed.
CHANGE_NOT_IN_FUTURE = Rule(
    code="change_in_future", message=_("A change of rank, unit or status is dated today (%(today)s) or earlier."),
    constraints=(), broken=after_today("effective_on"), params=today_params, field="effective_on",
)
CHANGE_RULES = (CHANGE_NOT_IN_FUTURE, DECISION_NOT_IN_FUTURE)


class OfficerChangeQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> OfficerChangeQuerySet:
        """The rows that may set a value on `day`, latest first (the first one is in force)."""
        return self.filter(Q(effective_on__lte=day) | Q(effective_on__isnull=True)).order_by(
            F("effective_on").desc(nulls_last=True), "-pk")


class OfficerChange(models.Model):
    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="changes",
                                verbose_name=_("officer"))
    attribute = models.CharField(_("what changed"), max_length=20, choices=Attribute.choices)
    effective_on = models.DateField(_("from"), null=True, blank=True, help_text=_("empty: as first recorded"))
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, blank=True)
    home_unit = models.ForeignKey("personnel.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("home unit"))
    status = models.CharField(_("status"), max_length=20, choices=OfficerStatus.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    objects = OfficerChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change of rank, unit or status")
        verbose_name_plural = _("changes of rank, unit or status")
        ordering = ["officer", "attribute", F("effective_on").asc(nulls_first=True), "pk"]
        indexes = [models.Index(fields=["officer", "attribute", "effective_on"], name="officer_change_on")]
        constraints = [
            models.UniqueConstraint(fields=["officer", "attribute", "effective_on"], name="one_change_a_day",
                                    violation_error_message=_("This officer already has a change of this kind on that day.")),
            models.UniqueConstraint(fields=["officer", "attribute"], condition=Q(effective_on__isnull=True),
                                    name="one_first_value",
                                    violation_error_message=_("This officer already has a first recorded value.")),
            models.CheckConstraint(
                condition=(Q(attribute="rank") & ~Q(rank="")) | (Q(attribute="status") & ~Q(status=""))
                | Q(attribute="home_unit"),
                name="change_holds_its_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.attribute} {self.effective_on}: {self.value_label}"

    def clean(self):
        super().clean()
        check_all(self, CHANGE_RULES)

    @property
    def value(self):
        return getattr(self, ATTRIBUTE_FIELDS[self.attribute])

    @property
    def value_label(self) -> str:
        if self.attribute == Attribute.HOME_UNIT:
            return self.home_unit.name if self.home_unit_id else "—"
        field = ATTRIBUTE_FIELDS[self.attribute]
        return getattr(self, f"get_{field}_display")()


def _in_force(attribute: str, day: datetime.date, officer_ref: str):
    return OfficerChange.objects.filter(officer=OuterRef(officer_ref), attribute=attribute).in_force_on(day)


def attributes_on(day: datetime.date, officer_ref: str = "pk", only: tuple[str, ...] | None = None) -> dict:
    """Annotations for rows that are (or point at) officers: `rank_on`, `home_unit_on_id`, `home_unit_on_name`,
    `status_on` and `party_member_on` (a Party member by then), as they were on `day`. `officer_ref`: "pk" on
    officers, "officer_id" on postings and roles. An officer with no change of an attribute has the value of
    its row all along (the first change of one writes its first value too). `only`: those annotations alone
    (each subquery costs ~1 ms of Python to build on a slow machine, asked for or not)."""
    prefix = "" if officer_ref == "pk" else officer_ref.removesuffix("_id") + "__"

    def value(attribute: str, field: str, own: str, output=None):
        return lambda: Coalesce(Subquery(_in_force(attribute, day, officer_ref).values(field)[:1]),
                                F(f"{prefix}{own}"), output_field=output)

    built = {
        "rank_on": value(Attribute.RANK, "rank", "rank"),
        "home_unit_on_id": value(Attribute.HOME_UNIT, "home_unit_id", "home_unit_id", models.BigIntegerField()),
        "home_unit_on_name": value(Attribute.HOME_UNIT, "home_unit__name", "home_unit__name"),
        "status_on": value(Attribute.STATUS, "status", "status"),
        "party_member_on": lambda: Case(When(Q(**{f"{prefix}party_member_since__lte": day}), then=Value(True)),
                                        default=Value(False), output_field=models.BooleanField()),
    }
    return {name: build() for name, build in built.items() if only is None or name in only}


def rank_label(value: str | None) -> str:
    return Rank(value).label if value else "—"


def status_label(value: str | None) -> str:
    return OfficerStatus(value).label if value else "—"


def not_serving_from(officer, start: datetime.date) -> OfficerChange | None:
    """The status change that ends the officer's service on a day of a term from `start` on with no end (a
    posting or role being started), if any: in force on `start`, or dated later."""
    if officer.pk is None:
        return None
    changes = OfficerChange.objects.filter(officer=officer, attribute=Attribute.STATUS)
    in_force = changes.in_force_on(start).first()
    if in_force is not None and in_force.status in NOT_SERVING:
        return in_force
    if in_force is None and officer.status in NOT_SERVING and not changes.exists():
        return OfficerChange(officer=officer, attribute=Attribute.STATUS, status=officer.status)
    return changes.filter(effective_on__gt=start, status__in=NOT_SERVING).order_by("effective_on").first()
