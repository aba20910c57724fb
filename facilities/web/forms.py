"""Forms for recording facilities: each asks the model's rules (clean()) so the user reads which rule an
input breaks before anything is written; the services ask again inside the transaction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.choices import EquipmentKind, Funding, HeadquartersState
from facilities.models import EquipmentCount, EquipmentItem, EquipmentNorm, HeadquartersRecord
from kontum_posts.lib.clean import CleanInputMixin
from personnel.web.forms import DMYDateField


class _RuledForm(CleanInputMixin, forms.Form):
    """Builds the unsaved row and runs its rules, each message beside its field."""

    def build(self):  # pragma: no cover - each form gives its row
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            row = self.build()
            try:
                row.clean()
            except forms.ValidationError as refusal:
                for field, messages in refusal.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return cleaned


class HeadquartersForm(_RuledForm):
    effective_on = DMYDateField(label=_("From"))
    state = forms.ChoiceField(label=_("Headquarters"), choices=HeadquartersState.choices)
    construction_start = DMYDateField(label=_("Works started"), required=False)
    completion_date = DMYDateField(label=_("Completion"), required=False)
    completion_actual = forms.BooleanField(label=_("Completed on that day"), required=False,
                                           help_text=_("unticked: the planned day"))
    floor_area = forms.DecimalField(label=_("Floor area (m²)"), required=False, max_digits=8, decimal_places=1)
    cost = forms.IntegerField(label=_("Cost (VND)"), required=False, max_value=10**15)
    funding = forms.ChoiceField(label=_("Funding source"), choices=[("", "—"), *Funding.choices], required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, commune, **kwargs):
        self.commune = commune
        super().__init__(*args, **kwargs)

    def build(self) -> HeadquartersRecord:
        data = {k: v for k, v in self.cleaned_data.items()}
        return HeadquartersRecord(commune=self.commune, **{k: data.get(k) for k in (
            "effective_on", "state", "construction_start", "completion_date", "floor_area", "cost")},
            completion_actual=bool(data.get("completion_actual")), funding=data.get("funding") or "",
            note=data.get("note") or "")


class EquipmentCountForm(_RuledForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=EquipmentItem.objects.all())
    effective_on = DMYDateField(label=_("From"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=None, max_value=10_000)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, commune, **kwargs):
        self.commune = commune
        super().__init__(*args, **kwargs)

    def build(self) -> EquipmentCount:
        d = self.cleaned_data
        return EquipmentCount(commune=self.commune, item=d["item"], effective_on=d["effective_on"],
                              quantity=d["quantity"], note=d.get("note") or "")


class NormForm(_RuledForm):
    item = forms.ModelChoiceField(label=_("Item"), queryset=EquipmentItem.objects.all())
    effective_on = DMYDateField(label=_("From"))
    quantity = forms.IntegerField(label=_("Norm per commune post"), max_value=10_000)
    decision = forms.CharField(label=_("Decided by"), required=False, max_length=200)

    def __init__(self, *args, province, **kwargs):
        self.province = province
        super().__init__(*args, **kwargs)

    def build(self) -> EquipmentNorm:
        d = self.cleaned_data
        return EquipmentNorm(province=self.province, item=d["item"], effective_on=d["effective_on"],
                             quantity=d["quantity"], decision=d.get("decision") or "")


class ItemForm(CleanInputMixin, forms.Form):
    name = forms.CharField(label=_("Item"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=EquipmentKind.choices)
    unit = forms.CharField(label=_("Counted in"), max_length=20, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if EquipmentItem.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("The norm list already has an item of that name."))
        return name


class FacilitiesImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), required=False)


class FacilitiesFilterForm(forms.Form):
    """The facilities table's filters: district (of the day, or former district), state, gap."""

    district = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("Headquarters"), required=False)
    gap = forms.ChoiceField(label=_("Gap"), required=False)

    def __init__(self, *args, districts, states, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "—"), *((d.code, d.name) for d in districts)]
        self.fields["state"].choices = [("", "—"), *states]
        self.fields["gap"].choices = [("", "—"), *gaps]
