"""Forms of the pipeline's data entry. Pick lists offer only what the user may change (their scope); the
rules are checked again by the services, whose refusals the views show beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import District
from kontum_posts.lib.asof import today
from kontum_posts.lib.clean import CleanInputMixin
from personnel.access import scoped
from personnel.web.forms import DMYDateField, officer_choices
from personnel.web.officer_picker import OfficerChoiceField
from pipeline.choices import Result
from pipeline.selectors import scoped_candidates, units_offered


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CandidateSelectForm(CleanInputMixin, forms.Form):
    officer = OfficerChoiceField(label=_("Officer"), queryset=None)
    selected_by = UnitChoiceField(label=_("Selected by"), queryset=None)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=None, required=False,
        help_text=_("for a provincial department's selection while there are districts; a district police selects for its own"))
    selected_on = DMYDateField(label=_("Selected on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    decision_date = DMYDateField(label=_("Decision date"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officer_choices(user).filter(candidacies__isnull=True)
        self.fields["selected_by"].queryset = units_offered(user, day=None)
        self.fields["district"].queryset = scoped(District.objects.all(), user).order_by("sort_key")


class CourseForm(CleanInputMixin, forms.Form):
    name = forms.CharField(label=_("Course name"), max_length=200)
    place = forms.CharField(label=_("Venue"), max_length=200)
    start_date = DMYDateField(label=_("First day"))
    end_date = DMYDateField(label=_("Last day"))
    organiser = UnitChoiceField(label=_("Organised by"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = units_offered(user, day=None)


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.officer.full_name} — {obj.officer.service_number} ({obj.selected_on:%d/%m/%Y})"


class EnrolForm(CleanInputMixin, forms.Form):
    candidate = CandidateChoiceField(label=_("Candidate"), queryset=None)

    def __init__(self, *args, user, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = (
            scoped_candidates(user).filter(dropped_on__isnull=True, selected_on__lte=course.end_date)
            .exclude(enrolments__course=course).select_related("officer").order_by("officer__sort_key", "pk"))


class ResultForm(CleanInputMixin, forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    result_on = DMYDateField(label=_("Result on"), initial=today)


class ReadyForm(CleanInputMixin, forms.Form):
    ready_on = DMYDateField(label=_("Ready for posting from"))
    ready_note = forms.CharField(label=_("Basis for readiness"), max_length=200, required=False,
                                 help_text=_("e.g. trained before selection, the decision declaring them ready"))


class DropForm(CleanInputMixin, forms.Form):
    dropped_on = DMYDateField(label=_("Dropped out on"))
    drop_reason = forms.CharField(label=_("Reason for dropping out"), max_length=200)
