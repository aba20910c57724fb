"""Filters of the candidates list: stage, district, selecting unit, course passed and a name or service number."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kontum_posts.lib.vntext import fold
from personnel.rules import service_number_key
from pipeline.choices import Stage


class CandidateFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Name or service number"), method="filter_q")
    stage = filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    district = filters.ChoiceFilter(label=_("District"), method="filter_district")
    unit = filters.ChoiceFilter(label=_("Selected by"), method="filter_unit")
    course = filters.ChoiceFilter(label=_("Course passed"), method="filter_course")

    def __init__(self, data=None, *args, request=None, districts=(), units=(), courses=(), **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        self.filters["district"].extra["choices"] = [(str(d.code), d.name) for d in districts]
        self.filters["unit"].extra["choices"] = [(str(u.pk), u.name) for u in units]
        self.filters["course"].extra["choices"] = [(str(c.pk), str(c)) for c in courses]
        if not districts:
            del self.filters["district"]

    def filter_q(self, queryset, name, value):
        folded = fold(value)
        if not folded:
            return queryset
        match = Q(officer__search_name__contains=folded)
        if any(ch.isdigit() for ch in folded):
            match |= Q(officer__service_number__contains=service_number_key(value))
        return queryset.filter(match)

    def filter_district(self, queryset, name, value):
        return queryset.filter(district__code=int(value))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(selected_by_id=int(value))

    def filter_course(self, queryset, name, value):
        return queryset.filter(ready_course_id=int(value))
