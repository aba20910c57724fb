"""Filters for the officer, posting and Party-role lists (django-filter).

Choices of districts, communes and units come from the user's scope, so a filter cannot name a
place the user may not see. `as_of` is the day "in post", "open" and "held" are read on.
"""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, District
from kontum_posts.lib.asof import parse_as_of
from personnel.access import scoped
from personnel.choices import Gender, PartyRoleKind, Position, Rank
from personnel.models import Officer, PartyRole, Posting, Unit, open_on

YES_NO = (("yes", _("yes")), ("no", _("no")))
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _districts(request):
    return scoped(District.objects.all(), request.user).order_by("sort_key")


def _communes(request):
    communes = scoped(Commune.objects.all(), request.user)
    district = request.GET.get("district", "") if request else ""
    if district.isdigit():
        communes = communes.filter(district__code=int(district))
    return communes.order_by("sort_key")


def _units(request):
    return scoped(Unit.objects.all(), request.user).order_by("kind", "name")


class _BaseFilterSet(filters.FilterSet):
    """`?as_of=` (set by the as-of form in the page header) is the day status filters read."""

    @property
    def as_of_day(self):
        return parse_as_of((self.data or {}).get("as_of"))[0]


class OfficerFilterSet(_BaseFilterSet):
    q = filters.CharFilter(label=_("Name or service number"), method="filter_q")
    district = filters.ModelChoiceFilter(label=_("District"), queryset=_districts, to_field_name="code", method="filter_district")
    commune = filters.ModelChoiceFilter(label=_("Commune"), queryset=_communes, to_field_name="code", method="filter_commune")
    unit = filters.ModelChoiceFilter(label=_("Home unit"), queryset=_units, field_name="home_unit")
    rank = filters.ChoiceFilter(label=_("Rank"), choices=Rank.choices)
    position = filters.ChoiceFilter(label=_("Position"), choices=Position.choices, method="filter_position")
    ethnicity = filters.ChoiceFilter(label=_("Ethnicity"), choices=())
    gender = filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    party = filters.ChoiceFilter(label=_("Party member"), choices=YES_NO, method="filter_party")
    in_post = filters.ChoiceFilter(label=_("In post"), choices=YES_NO, method="filter_in_post")

    class Meta:
        model = Officer
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ethnicities = self.queryset.order_by("ethnicity").values_list("ethnicity", flat=True).distinct()
        self.filters["ethnicity"].extra["choices"] = [(e, e) for e in ethnicities if e]
        self.form.fields["ethnicity"].choices = [("", "---------")] + [(e, e) for e in ethnicities if e]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    # These filters start from the postings held on the day (indexed by commune and dates) rather
    # than from the per-officer annotations, which would be computed for every officer in the
    # country before filtering: 1.5 s instead of milliseconds on national data.
    def _held_on_day(self, **where):
        return Posting.objects.open_on(self.as_of_day).filter(**where).values("officer_id")

    def filter_district(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(commune__district=value))

    def filter_commune(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(commune=value))

    def filter_position(self, queryset, name, value):
        return queryset.filter(pk__in=self._held_on_day(position=value))

    def filter_party(self, queryset, name, value):
        return queryset.filter(party_member_since__isnull=(value == "no"))

    def filter_in_post(self, queryset, name, value):
        return queryset.filter(in_post=(value == "yes"))


class PostingFilterSet(_BaseFilterSet):
    q = filters.CharFilter(label=_("Officer"), method="filter_q")
    district = filters.ModelChoiceFilter(label=_("District"), queryset=_districts, to_field_name="code", field_name="commune__district")
    commune = filters.ModelChoiceFilter(label=_("Commune"), queryset=_communes, to_field_name="code", field_name="commune")
    position = filters.ChoiceFilter(label=_("Position"), choices=Position.choices)
    status = filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=(("open", _("Open on the as-of day")), ("ended", _("Ended before the as-of day"))),
    )
    started_from = filters.DateFilter(label=_("Started from"), field_name="start_date", lookup_expr="gte", widget=DATE_WIDGET)
    started_until = filters.DateFilter(label=_("Started until"), field_name="start_date", lookup_expr="lte", widget=DATE_WIDGET)

    class Meta:
        model = Posting
        fields = ()

    def filter_q(self, queryset, name, value):
        return queryset.filter(officer__in=Officer.objects.search(value))

    def filter_status(self, queryset, name, value):
        day = self.as_of_day
        if value == "open":
            return queryset.filter(open_on(day))
        return queryset.filter(end_date__lt=day)


class PartyRoleFilterSet(_BaseFilterSet):
    q = filters.CharFilter(label=_("Holder"), method="filter_q")
    district = filters.ModelChoiceFilter(label=_("District"), queryset=_districts, to_field_name="code", field_name="commune__district")
    commune = filters.ModelChoiceFilter(label=_("Commune"), queryset=_communes, to_field_name="code", field_name="commune")
    role = filters.ChoiceFilter(label=_("Role"), choices=PartyRoleKind.choices)
    holder = filters.ChoiceFilter(
        label=_("Held by"), method="filter_holder",
        choices=(("police", _("a police officer")), ("other", _("someone outside the police"))),
    )
    status = filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=(("open", _("Held on the as-of day")), ("ended", _("Ended before the as-of day"))),
    )

    class Meta:
        model = PartyRole
        fields = ()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(officer__in=Officer.objects.search(value)) | Q(holder_name__icontains=value.strip()))

    def filter_holder(self, queryset, name, value):
        return queryset.filter(officer__isnull=(value == "other"))

    def filter_status(self, queryset, name, value):
        day = self.as_of_day
        if value == "open":
            return queryset.filter(open_on(day))
        return queryset.filter(end_date__lt=day)
