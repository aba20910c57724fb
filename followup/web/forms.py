"""Forms of the follow-up log and the support assignments. Pick lists offer only what the user may change
(their scope); the model's rules (followup/rules.py, personnel/support.py) are asked by clean()."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from followup.choices import FollowUpState
from followup.models import LogEntry
from followup.services import check_state_change
from kontum_posts.lib.clean import CleanInputMixin
from personnel.access import scoped
from personnel.choices import UnitKind
from personnel.models import Unit
from personnel.support import SupportAssignment
from personnel.web.forms import CommuneChoiceField, DMYDateField, commune_choices

TEXTAREA = {"rows": 3, "cols": 70}


def unit_choices(user, *, departments_only: bool = False):
    units = scoped(Unit.objects.all(), user).order_by("kind", "name")
    return units.filter(kind=UnitKind.DEPARTMENT) if departments_only else units


class LogEntryForm(CleanInputMixin, forms.ModelForm):
    """Record or correct a visit, working session, inspection or report and its follow-up."""

    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    day = DMYDateField(label=_("Date"))
    due_on = DMYDateField(label=_("Due by"), required=False)

    class Meta:
        model = LogEntry
        fields = ["commune", "day", "kind", "visitor", "unit", "findings", "requests", "action", "due_on", "responsible"]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in ("findings", "requests", "action")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_choices(user)
        self.fields["unit"].queryset = unit_choices(user)
        self.fields["visitor"].widget.attrs["size"] = 60


class StateChangeForm(CleanInputMixin, forms.Form):
    """The follow-up's new state from a day on."""

    state = forms.ChoiceField(label=_("New state"), choices=[("", "---------"), *FollowUpState.choices])
    on = DMYDateField(label=_("From"), help_text=_("the day the state changed"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args, entry: LogEntry, **kwargs):
        self.entry = entry
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("state") and data.get("on"):
            try:
                check_state_change(self.entry, list(self.entry.states.all()), state=data["state"], on=data["on"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


class SupportAssignForm(CleanInputMixin, forms.ModelForm):
    """Assign a provincial department to help a commune, from a day (to a day)."""

    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    start_date = DMYDateField(label=_("From"))
    end_date = DMYDateField(label=_("Until"), required=False, help_text=_("the last day; empty while it goes on"))

    class Meta:
        model = SupportAssignment
        fields = ["unit", "commune", "start_date", "end_date", "decision_number"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_choices(user)
        self.fields["unit"].queryset = unit_choices(user, departments_only=True)


class SupportEndForm(CleanInputMixin, forms.Form):
    end_date = DMYDateField(label=_("Last day of the assignment"))
