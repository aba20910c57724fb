"""Filters for the commune list; the staffing filters read annotations of
personnel.selectors.communes_with_staffing (officers_on, chief_id, has_cell, ...)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.choices import CommuneKind
from communes.models import Commune, District
from communes.tables import GAP_LABELS
from kontum_posts.lib.vntext import fold

YES_NO = (("yes", _("yes")), ("no", _("no")))


class CommuneFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Name"), method="filter_q")
    district = filters.ModelChoiceFilter(label=_("District"), queryset=District.objects.none(), to_field_name="code", field_name="district")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=CommuneKind.choices, field_name="kind_on")
    in_plan = filters.ChoiceFilter(label=_("In the plan"), choices=YES_NO, method="filter_flag")
    covered = filters.ChoiceFilter(label=_("Covered"), choices=YES_NO, method="filter_covered")
    has_cell = filters.ChoiceFilter(label=_("Party cell"), choices=YES_NO, method="filter_flag")
    police_secretary = filters.ChoiceFilter(label=_("Police secretary"), choices=YES_NO, method="filter_police_secretary")
    gap = filters.ChoiceFilter(label=_("Gap"), choices=list(GAP_LABELS.items()), method="filter_gap")

    class Meta:
        model = Commune
        fields = ()

    def __init__(self, *args, plan=None, districts=None, **kwargs):
        """`districts`: the districts the user may choose (the view scopes them; communes imports no personnel)."""
        self.plan = plan
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.filters["district"].queryset = districts
            self.form.fields["district"].queryset = districts

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_name__contains=fold(value))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_covered(self, queryset, name, value):
        return queryset.filter(officers_on__gt=0) if value == "yes" else queryset.filter(officers_on=0)

    def filter_police_secretary(self, queryset, name, value):
        yes = Q(has_cell=True, has_police_secretary=True)
        return queryset.filter(yes) if value == "yes" else queryset.filter(has_cell=True).exclude(yes)

    def filter_gap(self, queryset, name, value):
        min_officers = self.plan.min_officers if self.plan else 0
        in_plan = queryset.filter(in_plan=True)
        if value == "no_chief":
            return in_plan.filter(chief_id__isnull=True) if self.plan and self.plan.requires_chief else in_plan.none()
        if value == "below_norm":
            return in_plan.filter(officers_on__lt=min_officers)
        if value == "no_party_cell":
            return in_plan.filter(has_cell=False)
        return in_plan.filter(has_cell=True, has_secretary=True, has_police_secretary=False)
