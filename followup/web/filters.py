"""Filters of the follow-up list: place (districts of the day), unit, kind and the follow-up's state on the day."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from followup.choices import EntryKind, FollowUpState
from followup.models import LogEntry
from followup.selectors import PENDING
from personnel.web.filters import _PlaceFilterSet, unit_choices

NO_FOLLOWUP, PENDING_CHOICE = "none", "pending"
STATE_CHOICES = [(PENDING_CHOICE, _("Open or in progress")), *FollowUpState.choices, (NO_FOLLOWUP, _("No follow-up"))]


class LogEntryFilterSet(_PlaceFilterSet):
    unit = filters.ChoiceFilter(label=_("Unit"), method="filter_unit")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=EntryKind.choices)
    state = filters.ChoiceFilter(label=_("State on the day"), choices=STATE_CHOICES, method="filter_state")
    overdue = filters.ChoiceFilter(label=_("Overdue"), choices=(("yes", _("yes")), ("no", _("no"))), method="filter_overdue")

    class Meta:
        model = LogEntry
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer("unit", unit_choices(self.request.user, self.places))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id=int(value))

    def filter_state(self, queryset, name, value):
        if value == NO_FOLLOWUP:
            return queryset.filter(state_on__isnull=True)
        if value == PENDING_CHOICE:
            return queryset.filter(state_on__in=PENDING)
        return queryset.filter(state_on=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_on=(value == "yes"))
