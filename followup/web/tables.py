"""The follow-up list's table: sortable, paginated, exported (CSV/XLSX through kontum_posts.lib.export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from followup.choices import FollowUpState
from followup.models import LogEntry
from kontum_posts.lib.fasttable import FastBodyTable
from personnel.web.tables import DateColumn, YesNoColumn


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def state_label(value) -> str:
    return FollowUpState(value).label if value else _("no follow-up")


class LogEntryTable(FastBodyTable):
    day = DateColumn(verbose_name=_("Date"), order_by=("day", "pk"),
                     linkify=("followup:entry", [tables.A("pk")]))
    commune = tables.Column(verbose_name=_("Commune"), accessor="commune_name_on",
                            order_by=("commune_sort_key_on", "-day"), linkify=("commune_detail", [tables.A("commune__code")]))
    district = tables.Column(verbose_name=_("District"), accessor="district_name", order_by=("district_sort", "commune_sort_key_on"),
                             default="—")
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "-day"))
    visitor = tables.Column(verbose_name=_("Led or reported by"), order_by=("visitor", "-day"))
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", order_by=("unit__name", "-day"))
    findings = tables.Column(verbose_name=_("What was found"), orderable=False, attrs={"td": {"class": "wrap"}})
    requests = tables.Column(verbose_name=_("What was asked"), orderable=False, default="—", attrs={"td": {"class": "wrap"}})
    action = tables.Column(verbose_name=_("Follow-up"), orderable=False, default="—", attrs={"td": {"class": "wrap"}})
    due_on = DateColumn(verbose_name=_("Due by"), order_by=("due_on", "pk"), default="—")
    responsible = tables.Column(verbose_name=_("By whom"), default="—")
    state = tables.Column(verbose_name=_("State"), accessor="state_on", order_by=("state_on", "-day"), empty_values=())
    overdue = YesNoColumn(verbose_name=_("Overdue"), accessor="overdue_on", order_by=("overdue_on", "due_on"))

    class Meta:
        model = LogEntry
        fields = ()
        sequence = ("day", "commune", "district", "kind", "visitor", "unit", "findings", "requests", "action", "due_on",
                    "responsible", "state", "overdue")
        empty_text = _("No visit or report matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table followup"}

    # The page shows the start of long texts (the entry's page and the exports have them whole).
    def render_findings(self, value):
        return _short(value)

    def render_requests(self, value):
        return _short(value)

    def render_action(self, value):
        return _short(value)

    def render_unit(self, value, record):
        short = record.unit.short_name
        return format_html('<abbr title="{}">{}</abbr>', value, short) if short else value

    def render_state(self, value, record):
        label = state_label(value)
        css = "tag gap" if record.overdue_on else "tag"
        return format_html('<span class="{}">{}</span>', css, label) if value else label

    def value_state(self, value):
        return state_label(value)

    def render_district(self, value):
        return value


