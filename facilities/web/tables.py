"""The facilities table (django-tables2 on the rows of facilities.selectors): sortable, exportable."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from facilities.gaps import facility_gap_labels
from facilities.selectors import state_label
from kontum_posts.lib.fasttable import FastBodyTable


class FacilitiesTable(FastBodyTable):
    commune = tables.Column(verbose_name=_("Commune"), accessor="commune__name_on", order_by="commune__sort_key_on")
    district = tables.Column(verbose_name=_("District"), accessor="commune", orderable=False, empty_values=())
    state = tables.Column(verbose_name=_("Headquarters"), accessor="state", empty_values=())
    since = tables.DateColumn(verbose_name=_("Since"), accessor="headquarters__effective_on", format="d/m/Y")
    works = tables.Column(verbose_name=_("Construction"), accessor="headquarters", orderable=False, empty_values=())
    equipment = tables.Column(verbose_name=_("Equipment (have/norm)"), accessor="equipment_text", orderable=False,
                              empty_values=())
    gaps = tables.Column(verbose_name=_("Gaps"), accessor="gaps", orderable=False, empty_values=())

    class Meta:
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table", "id": "facilities-table"}
        orderable = True

    def __init__(self, *args, as_of, **kwargs):
        self.as_of = as_of
        super().__init__(*args, **kwargs)

    def render_commune(self, record, value):
        url = reverse("commune_detail", args=[record.commune.code])
        return format_html('<a href="{}?as_of={}">{}</a>', url, self.as_of.isoformat(), value)

    def value_commune(self, record, value):
        return value

    def render_district(self, record):
        district = record.commune.area_district
        return district.name if district is not None else "—"

    def value_district(self, record):
        district = record.commune.area_district
        return district.name if district is not None else ""

    def render_state(self, value):
        return state_label(value)

    def value_state(self, value):
        return state_label(value)

    def _works(self, hq) -> str:
        if hq is None or hq.construction_start is None:
            return ""
        end = f"{hq.completion_date:%d/%m/%Y}" if hq.completion_date else "…"
        planned = "" if hq.completion_actual or not hq.completion_date else f" ({_('planned')})"
        area = f", {number_format(hq.floor_area)} m²" if hq.floor_area else ""
        return f"{hq.construction_start:%d/%m/%Y}–{end}{planned}{area}"

    def render_works(self, value):
        return self._works(value) or "—"

    def value_works(self, value):
        return self._works(value)

    def render_equipment(self, value):
        return value or "—"

    def render_gaps(self, value):
        if not value:
            return "—"
        return format_html_join(" ", '<span class="tag gap">{}</span>', ((label,) for label in facility_gap_labels(value)))

    def value_gaps(self, value):
        return "; ".join(facility_gap_labels(value))
