"""A commune police post's headquarters through time, its equipment, and the equipment norm set as data.

Each row holds from its day on (`effective_on`): the state on a day is the latest row on or before it
(facilities.selectors). A row belongs to the commune unit of its day; a unit formed on 01/07/2025
starts with rows of its own (docs/facilities.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.rules import check_all, without_rule_constraints
from facilities import rules
from facilities.choices import EquipmentKind, Funding, HeadquartersState


class HeadquartersRecord(models.Model):
    """The state of a commune police post's headquarters (trụ sở) from a day, with the works while it is built."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.PROTECT, related_name="headquarters_records",
                                verbose_name=_("commune"))
    effective_on = models.DateField(_("from"))
    state = models.CharField(_("headquarters"), max_length=20, choices=HeadquartersState.choices)
    construction_start = models.DateField(_("works started"), null=True, blank=True)
    completion_date = models.DateField(_("completion"), null=True, blank=True)
    completion_actual = models.BooleanField(_("completed on that day"), default=False,
                                            help_text=_("unticked: the planned day"))
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    cost = models.BigIntegerField(_("cost (VND)"), null=True, blank=True)
    funding = models.CharField(_("funding source"), max_length=20, choices=Funding.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("headquarters state")
        verbose_name_plural = _("headquarters states")
        ordering = ["commune", "effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "effective_on"], name="headquarters_one_record_a_day",
                                    violation_error_message=rules.HQ_ONE_A_DAY.message),
            models.CheckConstraint(
                condition=~Q(state=HeadquartersState.UNDER_CONSTRUCTION) | Q(construction_start__isnull=False),
                name="headquarters_construction_has_start"),
            models.CheckConstraint(
                condition=Q(construction_start__isnull=True) | Q(completion_date__isnull=True)
                | Q(completion_date__gte=models.F("construction_start")),
                name="headquarters_completion_after_start"),
            models.CheckConstraint(condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0),
                                   name="headquarters_floor_area_positive"),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="headquarters_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.effective_on:%d/%m/%Y}: {self.get_state_display()}"

    @property
    def is_own(self) -> bool:
        return self.state == HeadquartersState.OWN

    def clean(self):
        super().clean()
        check_all(self, rules.HEADQUARTERS_RULES)

    def get_constraints(self):
        return without_rule_constraints(super().get_constraints(), rules.HEADQUARTERS_RULES)


class EquipmentItem(models.Model):
    """A kind of equipment a commune police post is issued (a motorbike, a computer, a radio…), set as data."""

    name = models.CharField(_("item"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices, default=EquipmentKind.OTHER)
    unit = models.CharField(_("counted in"), max_length=20, blank=True, help_text=_("e.g. chiếc, bộ"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EquipmentNorm(models.Model):
    """How many of an item each commune police post of a province should have, from a day."""

    province = models.ForeignKey("communes.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("province"))
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="norms", verbose_name=_("item"))
    effective_on = models.DateField(_("from"))
    quantity = models.IntegerField(_("norm per commune post"))
    decision = models.CharField(_("decided by"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment norm")
        verbose_name_plural = _("equipment norms")
        ordering = ["province", "item__order", "effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["province", "item", "effective_on"], name="equipment_norm_one_a_day",
                                    violation_error_message=rules.NORM_ONE_A_DAY.message),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="equipment_norm_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.quantity} ({self.effective_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        check_all(self, rules.NORM_RULES)

    def get_constraints(self):
        return without_rule_constraints(super().get_constraints(), rules.NORM_RULES)


class EquipmentCount(models.Model):
    """How many of an item a commune police post has from a day (a count taken, an issue, a write-off)."""

    commune = models.ForeignKey("communes.Commune", on_delete=models.PROTECT, related_name="equipment_counts",
                                verbose_name=_("commune"))
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="counts", verbose_name=_("item"))
    effective_on = models.DateField(_("from"))
    quantity = models.IntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment count")
        verbose_name_plural = _("equipment counts")
        ordering = ["commune", "item__order", "effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "item", "effective_on"], name="equipment_count_one_a_day",
                                    violation_error_message=rules.COUNT_ONE_A_DAY.message),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="equipment_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.item}: {self.quantity} ({self.effective_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        check_all(self, rules.COUNT_RULES)

    def get_constraints(self):
        return without_rule_constraints(super().get_constraints(), rules.COUNT_RULES)
