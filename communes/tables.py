"""The commune table: communes with their staffing on a day (rows from
personnel.selectors.communes_with_staffing; this module only knows the annotation names)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from communes.choices import CommuneKind
from communes.models import Commune

GAP_LABELS = {
    "no_chief": _("no chief"),
    "below_norm": _("below the norm"),
    "no_party_cell": _("no Party cell"),
    "secretary_not_police": _("secretary not from the police"),
}


def commune_gaps(row, *, requires_chief: bool, min_officers: int) -> list[str]:
    """The plan's norms a commune row (annotated by personnel.selectors.communes_with_staffing) misses:
    the one place the dashboard, the gap lists, the commune pages and the PDF learn them from."""
    if not getattr(row, "in_plan", False):
        return []
    gaps = []
    if requires_chief and row.chief_id is None:
        gaps.append("no_chief")
    if row.officers_on < min_officers:
        gaps.append("below_norm")
    if not row.has_cell:
        gaps.append("no_party_cell")
    elif row.has_secretary and not row.has_police_secretary:
        gaps.append("secretary_not_police")
    return gaps


class CommuneTable(tables.Table):
    name_on = tables.Column(verbose_name=_("Commune"), order_by=("sort_key",),
                            linkify=("commune_detail", [tables.A("code")]))
    kind_on = tables.Column(verbose_name=_("Kind"), order_by=("kind_on", "sort_key"))
    district = tables.Column(verbose_name=_("District"), order_by=("district__sort_key", "sort_key"),
                             linkify=("district_detail", [tables.A("district__code")]))
    in_plan = tables.BooleanColumn(verbose_name=_("In the plan"), order_by=("-in_plan", "sort_key"), yesno=(_("yes"), _("no")))
    officers_on = tables.Column(verbose_name=_("Officers"), order_by=("officers_on", "sort_key"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    chief_name = tables.Column(verbose_name=_("Chief"), order_by=("chief_name", "sort_key"), default="—")
    has_cell = tables.BooleanColumn(verbose_name=_("Party cell"), order_by=("-has_cell", "sort_key"), yesno=(_("yes"), _("no")))
    has_police_secretary = tables.BooleanColumn(verbose_name=_("Police secretary"), order_by=("-has_police_secretary", "sort_key"), yesno=(_("yes"), _("no")))
    bch_on = tables.Column(verbose_name=_("BCH"), order_by=("bch_on", "sort_key"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    btv_on = tables.Column(verbose_name=_("BTV"), order_by=("btv_on", "sort_key"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    gaps = tables.Column(verbose_name=_("Gaps"), empty_values=(), orderable=False, attrs={"td": {"class": "wrap"}})

    class Meta:
        model = Commune
        fields = ()
        sequence = ("name_on", "kind_on", "district", "in_plan", "officers_on", "chief_name", "has_cell",
                    "has_police_secretary", "bch_on", "btv_on", "gaps")
        empty_text = _("No commune matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table nowrap"}

    def __init__(self, *args, plan=None, **kwargs):
        self.requires_chief = plan.requires_chief if plan else False
        self.min_officers = plan.min_officers if plan else 0
        super().__init__(*args, **kwargs)

    def _gaps(self, record):
        return commune_gaps(record, requires_chief=self.requires_chief, min_officers=self.min_officers)

    def render_has_police_secretary(self, value, record):
        if not record.has_cell:
            return "—"
        return _("yes") if value else _("no")

    def value_has_police_secretary(self, value, record):
        return self.render_has_police_secretary(value, record)

    def render_kind_on(self, value):
        return CommuneKind(value).label

    def render_chief_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("officer_detail", args=[record.chief_id]), value)

    def value_chief_name(self, value):
        return value

    def render_gaps(self, record):
        gaps = self._gaps(record)
        if not gaps:
            return "—"
        return format_html_join(" ", '<span class="tag gap">{}</span>', ((GAP_LABELS[g],) for g in gaps))

    def value_gaps(self, record):
        return "; ".join(str(GAP_LABELS[g]) for g in self._gaps(record))
