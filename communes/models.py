from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.choices import CommuneKind, DistrictKind, ProvinceKind
from communes.periods import CELL_LIFE, UNIT_LIFE
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

    def existing_on(self, day: datetime.date):
        return self.filter(UNIT_LIFE.open_on(day))

    def last_bearer(self, code: int, day: datetime.date):
        """The unit that last bore `code` by `day`, as a query of its pk: the unit of the day, or, when none
        bears the code that day, the one that bore it until then (a former province or district)."""
        started = Q(established_on__isnull=True) | Q(established_on__lte=day)
        return self.filter(started, code=code).order_by(F("established_on").desc(nulls_last=True), "-pk").values("pk")[:1]

    def offered_on(self, day: datetime.date, code: str = ""):
        """The units a list's filter offers on a day: those existing then and, when a request names
        `code`, the unit that last bore it (a link from the page of a former province or district)."""
        offered = UNIT_LIFE.open_on(day)
        if code:
            offered |= Q(pk__in=self.last_bearer(int(code), day))
        return self.filter(offered)

    def of_code(self, code: int, day: datetime.date):
        """The unit bearing the GSO code on the day (a code is not an identity: units reuse their
        predecessors' codes), or None."""
        return self.existing_on(day).filter(code=code).first()


class Place(models.Model):
    """What every administrative unit has: a GSO code and a name, and a life (`established_on` ..
    `abolished_on`, the first day it no longer exists). The app's key is its own: a code names
    different units on different days (23473 was Xã Đắk Long, then Thị trấn Măng Đen, then Xã Măng Đen)."""

    code = models.PositiveIntegerField(_("GSO code"), db_index=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=fold_length(100), editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True, help_text=_("first day it no longer exists"))

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

    def exists_on(self, day: datetime.date) -> bool:
        return UNIT_LIFE.is_open_on(self, day)

    def outside_life_on(self, day: datetime.date) -> str:
        """"before" or "after" the unit's life when it did not exist on `day`; "" when it did."""
        if self.exists_on(day):
            return ""
        return "before" if self.established_on is not None and day < self.established_on else "after"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the unit exists, or None while it goes on."""
        return None if self.abolished_on is None else UNIT_LIFE.last_day(self.abolished_on)


def unit_constraints(model: str) -> list:
    """One unit at a time bears a code: two rows with one code never both go on, nor start on one day."""
    return [
        models.UniqueConstraint(fields=["code"], condition=UNIT_LIFE.still_open(), name=f"{model}_one_open_per_code"),
        models.UniqueConstraint(fields=["code", "established_on"], name=f"{model}_code_once_a_day"),
        models.UniqueConstraint(
            fields=["code"], condition=models.Q(established_on__isnull=True), name=f"{model}_one_original_per_code"
        ),
        models.CheckConstraint(name=f"{model}_abolished_after_established", condition=UNIT_LIFE.well_formed()),
    ]


def short_name(name: str) -> str:
    for prefix in ("Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class Province(Place):
    """A province or centrally-run city (tỉnh / thành phố trực thuộc trung ương)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProvinceKind.choices, default=ProvinceKind.PROVINCE)

    class Meta(Place.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = unit_constraints("province")


class District(Place):
    """A district-level unit of a province (huyện, quận, thị xã, thành phố thuộc tỉnh)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province"))
    kind = models.CharField(_("kind"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.RURAL_DISTRICT)

    class Meta(Place.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = unit_constraints("district")


class CommuneQuerySet(PlaceQuerySet):
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
    """A commune-level unit (xã, phường, thị trấn; đặc khu from 01/07/2025): where a commune police post stands.

    It belongs to a district until 30/06/2025 and to its province directly from 01/07/2025 (`district`
    empty); a unit of the new tier keeps the district its code came from as `former_district`, as
    staff still group communes by it."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communes", verbose_name=_("district"), null=True, blank=True
    )
    former_district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("former district"), null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommuneKind.choices, default=CommuneKind.COMMUNE)
    has_police_post = models.BooleanField(
        _("has a commune police unit"), default=True, help_text=_("two special zones have none")
    )

    objects = CommuneQuerySet.as_manager()

    class Meta(Place.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = unit_constraints("commune")

    def fill_derived(self) -> None:
        super().fill_derived()
        if self.province_id is None and self.district_id is not None:
            self.province_id = District.objects.values_list("province_id", flat=True).get(pk=self.district_id)

    @property
    def area_district(self) -> District | None:
        """The district staff group the commune under: its own, or the one it came from."""
        return self.district if self.district_id is not None else self.former_district

    @property
    def area_district_id(self) -> int | None:
        return self.district_id if self.district_id is not None else self.former_district_id


class Lineage(models.Model):
    """A unit came (whole or in part) from another on a day, by a legal act."""

    effective_on = models.DateField(_("effective on"))
    whole = models.BooleanField(_("whole"), default=True, help_text=_("the predecessor went whole into this unit"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    # Entered in the app (communes/changes.py), after the packaged data: the divisions import leaves it.
    recorded = models.BooleanField(_("recorded in the app"), default=False)

    class Meta:
        abstract = True
        ordering = ["effective_on", "pk"]


class CommuneLineage(Lineage):
    predecessor = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("came from"))
    successor = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("became"))

    class Meta(Lineage.Meta):
        verbose_name = _("commune lineage")
        verbose_name_plural = _("commune lineage")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="commune_lineage_once")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class ProvinceLineage(Lineage):
    predecessor = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("came from"))
    successor = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("became"))

    class Meta(Lineage.Meta):
        verbose_name = _("province lineage")
        verbose_name_plural = _("province lineage")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="province_lineage_once")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class CommuneChange(models.Model):
    """A dated change of a commune's name or kind (e.g. Xã Đắk Long became Thị trấn Măng Đen)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="changes", verbose_name=_("commune"))
    effective_on = models.DateField(_("effective on"))
    previous_name = models.CharField(_("name before"), max_length=100)
    previous_kind = models.CharField(_("kind before"), max_length=20, choices=CommuneKind.choices)
    previous_sort_key = models.CharField(max_length=400, editable=False, default="")
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    recorded = models.BooleanField(_("recorded in the app"), default=False)

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


# Communes belong to a district until 30/06/2025 and to their province directly from this day (Nghị quyết
# 202/2025/QH15): before it no commune lacks a district, so an area is its own units only.
NEW_TIER_FROM = datetime.date(2025, 7, 1)


def area_q(*, province: Province | None = None, district: District | None = None, prefix: str = "",
           until: datetime.date | None = None) -> Q:
    """The communes of an area (through `prefix`, e.g. "commune__"): a province's or a district's, and since
    01/07/2025 the communes whose former district was theirs (Kon Tum's area today: the 40 units it became).
    `until`: the last day the rows are read on; before NEW_TIER_FROM the second part is left out (it
    could match nothing, and the planner would still scan the new tier for it)."""
    if district is None:
        return in_provinces_q([province.pk], prefix=prefix, until=until)
    return in_districts_q([district.pk], prefix=prefix, until=until)


def _old_tier_only(until: datetime.date | None) -> bool:
    return until is not None and until < NEW_TIER_FROM


def in_provinces_q(province_ids, *, prefix: str = "", until: datetime.date | None = None) -> Q:
    """The communes (through `prefix`) of some provinces (ids, or a query of them), as area_q() has a province's."""
    ids = province_ids if isinstance(province_ids, models.QuerySet) else list(province_ids)
    own = Q(**{f"{prefix}province_id__in": ids})
    if _old_tier_only(until):
        return own
    return own | Q(**{f"{prefix}district__isnull": True, f"{prefix}former_district__province_id__in": ids})


def in_districts_q(district_ids, *, prefix: str = "", until: datetime.date | None = None) -> Q:
    """The communes (through `prefix`) of some districts (ids, or a query of them), as area_q() has a district's."""
    ids = district_ids if isinstance(district_ids, models.QuerySet) else list(district_ids)
    own = Q(**{f"{prefix}district_id__in": ids})
    if _old_tier_only(until):
        return own
    return own | Q(**{f"{prefix}district__isnull": True, f"{prefix}former_district_id__in": ids})
