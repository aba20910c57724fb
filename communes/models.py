from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.choices import CommuneKind, DistrictKind, ProvinceKind
from communes.periods import CELL_LIFE, COMMUNE_LIFE
from communes.rules import (
    CELL_DISSOLVED_AFTER_ESTABLISHED,
    CELL_RULES,
    ONE_CELL_PER_COMMUNE,
    check_all,
    without_rule_constraints,
)
from kontum_posts.lib.vntext import cell_default_name, fold, fold_length, normalize_name, place_sort_key


class PlaceQuerySet(models.QuerySet):
    def search(self, text: str):
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self


class Place(models.Model):
    """Fields every administrative unit shares: an official GSO code and a name."""

    code = models.PositiveIntegerField(_("GSO code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=fold_length(100), editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Normalised name, folded search column and sort key; call before bulk_create."""
        self.name = normalize_name(self.name)
        self.search_name = fold(self.name)
        self.sort_key = place_sort_key(self.short_name)

    @property
    def short_name(self) -> str:
        """The name without its kind prefix ("Huyện Đắk Glei" -> "Đắk Glei"), for sorting and tables."""
        return short_name(self.name)


def short_name(name: str) -> str:
    for prefix in ("Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class Province(Place):
    """A province or centrally-run city (tỉnh / thành phố trực thuộc trung ương)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProvinceKind.choices, default=ProvinceKind.PROVINCE)

    class Meta(Place.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(Place):
    """A district-level unit of a province (huyện, quận, thị xã, thành phố thuộc tỉnh)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province"))
    kind = models.CharField(_("kind"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.RURAL_DISTRICT)

    class Meta(Place.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class CommuneQuerySet(PlaceQuerySet):
    def existing_on(self, day: datetime.date):
        return self.filter(COMMUNE_LIFE.open_on(day))

    def with_state_on(self, day: datetime.date):
        """Annotate `name_on`, `kind_on` and `sort_key_on`: the name and kind the unit had on that day,
        and the key that sorts it by that name."""
        return self.annotate(**commune_state_on(day))


def commune_state_on(day: datetime.date, prefix: str = "", *, fields=("name", "kind", "sort_key")) -> dict:
    """Expressions for the name, kind and sort key a commune (reached through `prefix`, e.g. "commune__")
    had on the day, keyed `<field>_on`: the one definition every page, list and export names a commune by.

    A unit's current name and kind are on the row; each CommuneChange keeps what it was before a change,
    so the state on a day is the earliest change after that day, or the row itself.
    """
    later = CommuneChange.objects.filter(commune=models.OuterRef(f"{prefix}pk"), effective_on__gt=day).order_by("effective_on")
    return {
        f"{name}_on": models.functions.Coalesce(
            models.Subquery(later.values(f"previous_{name}")[:1]), F(f"{prefix}{name}"), output_field=models.CharField()
        )
        for name in fields
    }


class Commune(Place):
    """A commune-level unit (xã, phường, thị trấn): where a commune police post stands."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="communes", verbose_name=_("district"))
    kind = models.CharField(_("kind"), max_length=20, choices=CommuneKind.choices, default=CommuneKind.COMMUNE)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True, help_text=_("first day it no longer exists"))

    objects = CommuneQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.CheckConstraint(
                name="commune_abolished_after_established",
                condition=COMMUNE_LIFE.well_formed(),
            ),
        ]


class CommuneChange(models.Model):
    """A dated change of a commune's name or kind (e.g. Xã Đắk Long became Thị trấn Măng Đen)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="changes", verbose_name=_("commune"))
    effective_on = models.DateField(_("effective on"))
    previous_name = models.CharField(_("name before"), max_length=100)
    previous_kind = models.CharField(_("kind before"), max_length=20, choices=CommuneKind.choices)
    previous_sort_key = models.CharField(max_length=400, editable=False, default="")
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("commune change")
        verbose_name_plural = _("commune changes")
        ordering = ["commune", "effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "effective_on"], name="commune_change_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.previous_name} → {self.commune.name} ({self.effective_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """What sorts the commune by its old name, as Place.sort_key sorts it by its current one; call before
        bulk_create."""
        self.previous_sort_key = place_sort_key(short_name(normalize_name(self.previous_name)))


class PartyCellQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(CELL_LIFE.open_on(day))


class PartyCell(models.Model):
    """A commune police Party cell (chi bộ Công an xã)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="party_cells", verbose_name=_("commune"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True, help_text=_("first day it no longer exists"))

    objects = PartyCellQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party cell")
        verbose_name_plural = _("Party cells")
        ordering = ["commune__sort_key", "-established_on"]
        constraints = [
            # "A commune has at most one police Party cell": at most one that is not dissolved.
            models.UniqueConstraint(
                fields=["commune"], condition=CELL_LIFE.still_open(), name="party_cell_one_open_per_commune",
                violation_error_message=ONE_CELL_PER_COMMUNE.message,
            ),
            models.CheckConstraint(
                name="party_cell_dissolved_after_established", condition=CELL_LIFE.well_formed(),
                violation_error_message=CELL_DISSOLVED_AFTER_ESTABLISHED.message,
            ),
        ]

    def __str__(self) -> str:
        return self.name or cell_default_name(self.commune.name)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def clean(self):
        super().clean()
        check_all(self, CELL_RULES)

    def get_constraints(self):
        # Constraints that restate a rule are validated by clean(), through the rule that names the clash.
        return without_rule_constraints(super().get_constraints(), CELL_RULES)
