"""The candidates table (django-tables2): sortable, paginated, exported with the project's export code."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kontum_posts.lib.fasttable import FastBodyTable
from personnel.officer_history import rank_label
from personnel.web.tables import DateColumn
from pipeline.choices import Stage
from pipeline.models import Candidate


def _course_link(record):
    return reverse("pipeline:course", args=[record.ready_course_id]) if record.ready_course_id else None


class CandidateTable(FastBodyTable):
    full_name = tables.Column(verbose_name=_("Full name"), accessor="officer__full_name",
                              order_by=("officer__sort_key", "pk"), linkify=("pipeline:candidate", [tables.A("pk")]))
    service_number = tables.Column(verbose_name=_("Service number"), accessor="officer__service_number")
    rank = tables.Column(verbose_name=_("Rank"), accessor="rank_on", order_by=("rank_on", "officer__sort_key"))
    stage = tables.Column(verbose_name=_("Stage"), order_by=("stage", "officer__sort_key"))
    district = tables.Column(verbose_name=_("District"), accessor="district__name",
                             order_by=("district__sort_key", "officer__sort_key"), default="—")
    selected_by = tables.Column(verbose_name=_("Selected by"), accessor="selected_by__name",
                                order_by=("selected_by__name", "officer__sort_key"))
    selected_on = DateColumn(verbose_name=_("Selected on"), order_by=("selected_on", "pk"))
    ready_course = tables.Column(verbose_name=_("Course passed"), order_by=("ready_course", "officer__sort_key"),
                                 linkify=_course_link,
                                 default="—")
    ready_since = DateColumn(verbose_name=_("Ready since"), order_by=("ready_since", "officer__sort_key"), default="—")
    decision_number = tables.Column(verbose_name=_("Decision"), default="—")

    class Meta:
        model = Candidate
        fields = ()
        sequence = ("full_name", "service_number", "rank", "stage", "district", "selected_by", "selected_on",
                    "ready_course", "ready_since", "decision_number")
        empty_text = _("No candidate matches these filters on this day.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table nowrap"}

    def render_rank(self, value):
        return rank_label(value)

    def value_rank(self, value):
        return rank_label(value)

    def render_stage(self, value):
        return Stage(value).label

    def value_stage(self, value):
        return Stage(value).label
