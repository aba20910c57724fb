"""Forms for the data-entry screens (/manage/).

Each form checks the data's rules itself (through the model's clean()), so the user reads which
rule an input breaks before anything is written; the services check again inside the transaction
and the database refuses whatever still slips through (two administrators at the same moment).
Pick lists only offer what the user may change: `scoped(…, user)`. Every form takes
CleanInputMixin (kontum_posts/lib/clean.py): no control characters, markup or spreadsheet
formulas in text, text areas capped, dates between 1900 and 2100, text stored NFC.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, PartyCell
from communes.rules import CELL_DISSOLVED_AFTER_ESTABLISHED, CELL_RULES, describe_life
from kontum_posts.lib.clean import CleanInputMixin
from kontum_posts.lib.fastselect import FastSelect
from personnel import versions
from personnel.access import scope_for, scoped
from personnel.choices import CELL_ROLES, EndReason, OfficerStatus, PartyRoleKind, Position, Rank
from personnel.models import Officer, PartyRole, Posting, Unit
from personnel.rules import POSTING_ENDS_AFTER_START, POSTING_RULES, ROLE_ENDS_AFTER_START, service_number_key
from personnel.web.officer_picker import OfficerChoiceField

DATE_FORMAT = "%d/%m/%Y"
REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason


DMY_SHAPE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


class DMYDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, whatever the interface language."""

    widget = forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 11})
    input_formats = [DATE_FORMAT]
    default_error_messages = {"invalid": _("Enter a date as dd/mm/yyyy, e.g. 23/04/2019.")}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # Written the right way but not in the calendar (31/02/2019): say that, not "use dd/mm/yyyy".
            if isinstance(value, str) and DMY_SHAPE.fullmatch(value.strip()):
                raise forms.ValidationError(
                    _("%(value)s is not a day of the calendar."), code="invalid", params={"value": value.strip()}
                ) from None
            raise


def _reason_field(*, required: bool = False):
    return forms.CharField(
        # The history's column holds 100 characters: a longer reason would be a database error (a 500).
        label=_("Reason for the change"), required=required, max_length=REASON_MAX_LENGTH,
        help_text=_("required: a correction is kept with its reason, your name and the time") if required
        else _("optional; kept in the history with your name and the time"),
        widget=forms.TextInput(attrs={"size": 60}),
    )


class VersionField(forms.CharField):
    """The hidden version of an edit form: a number, or None when missing or not one (refused by the form)."""

    widget = forms.HiddenInput
    _kp_clean = True  # digits or refused: the text checks have nothing to say

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return versions.parse(value)


class VersionedFormMixin:
    """An edit form carries the version of its record it was read at (personnel/versions.py).

    A submission read at an older version is refused here with who changed what, and again by the
    service under the row's lock; the form then carries the current version, so submitting again
    (having looked at the change) goes through. `versioned` is the record; it is read when the form is.
    """

    versioned = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.versioned is None or self.versioned.pk is None:
            return
        self.fields["version"] = VersionField(initial=versions.version_of(self.versioned))

    def clean(self):
        data = super().clean()
        if "version" not in self.fields:
            return data
        if data.get("version") is None:
            self.add_error(None, ValidationError(str(versions.UNKNOWN_VERSION_MESSAGE), code="stale"))
            return data
        try:
            versions.check(self.versioned, data["version"])
        except versions.StaleEdit as error:
            self.refuse_stale(error)
        return data

    def refuse_stale(self, error: versions.StaleEdit) -> None:
        """Show the refusal and carry the current version from now on."""
        self.add_error(None, error)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(error.current)


def _unit_label(unit) -> str:
    """A unit with its last day once it has ended (district police: until 28/02/2025)."""
    if unit.abolished_on is None:
        return unit.name
    return _("%(name)s (until %(day)s)") % {"name": unit.name, "day": f"{unit.abolished_on - datetime.timedelta(days=1):%d/%m/%Y}"}


def officer_choices(user):
    return scoped(Officer.objects.select_related("home_unit"), user).order_by("sort_key")


def commune_choices(user):
    return scoped(Commune.objects.select_related("district", "province"), user).order_by(
        "province__sort_key", F("district__sort_key").asc(nulls_last=True), "sort_key", "established_on")


class CommuneChoiceField(forms.ModelChoiceField):
    """A commune with its district (since 01/07/2025 its province) and, for a unit that began or ended, its life:
    a code or a name can stand for two units, and the unit-life rule refuses a posting outside the one chosen.
    Its options (a province's communes, hundreds) are written in Python (FastSelect)."""

    widget = FastSelect

    def label_from_instance(self, obj):
        place = obj.district.short_name if obj.district_id else obj.province.name
        life = describe_life(obj)
        return f"{obj.name} ({place}{', ' + life if life else ''})"


class OfficerForm(CleanInputMixin, VersionedFormMixin, forms.ModelForm):
    """Add or correct an officer's details."""

    change_reason = _reason_field()  # required when correcting (__init__)

    class Meta:
        model = Officer
        fields = [
            "full_name", "service_number", "gender", "birth_date", "ethnicity", "rank", "party_member_since",
            "home_unit", "status",
        ]
        field_classes = {"birth_date": DMYDateField, "party_member_since": DMYDateField}

    def __init__(self, *args, user, **kwargs):
        self.versioned = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:  # correcting what was recorded: say why (personnel/corrections.py)
            self.fields["change_reason"] = _reason_field(required=True)
        scope = scope_for(user)
        units = scoped(Unit.objects.all(), user)
        if scope.district_ids:
            # An officer an editor adds must stay in the editor's view: a unit of one of their districts.
            # Correcting an officer from elsewhere (a provincial department) keeps their unit on offer.
            units = units.filter(Q(district_id__in=scope.district_ids) | Q(pk=self.instance.home_unit_id))
            self.fields["home_unit"].required = self.instance.pk is None
        self.fields["home_unit"].queryset = units.order_by("kind", "name")
        self.fields["home_unit"].label_from_instance = _unit_label
        self.fields["full_name"].widget.attrs["size"] = 40

    def clean_service_number(self):
        return service_number_key(self.cleaned_data["service_number"])

    def validate_unique(self):
        # Officer.clean() asks the service-number rule (on its key); Django's check would repeat it.
        pass


def _check_alone(rule, probe) -> None:
    """A rule about a row alone, for one field's clean_…(): its message without the field's name."""
    if rule.first_clash(probe) is not None:
        raise ValidationError(rule.text(probe), code=rule.code)


class PostingRuleMixin:
    """Run Posting.clean() on what the form would create, and put each message beside its field."""

    def check_posting(self, posting: Posting) -> None:
        try:
            posting.clean()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    target = field if field in self.fields else None
                    for e in errors:
                        self.add_error(target, e)
            else:
                for e in error.error_list:
                    self.add_error(None, e)


class PostingAssignForm(CleanInputMixin, PostingRuleMixin, forms.Form):
    """Assign an officer to a commune police position."""

    officer = OfficerChoiceField(label=_("Officer"), queryset=Officer.objects.none())
    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    # No preselected value: a careless save must not record a chief.
    position = forms.ChoiceField(label=_("Position"), choices=[("", "---------"), *Position.choices])
    start_date = DMYDateField(label=_("First day in post"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    change_reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officer_choices(user)
        self.fields["commune"].queryset = commune_choices(user)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.check_posting(Posting(
            officer=data["officer"], commune=data["commune"], position=data["position"], start_date=data["start_date"],
            decision_date=data.get("decision_date"),
        ))
        return data


class PostingTransferForm(CleanInputMixin, VersionedFormMixin, PostingRuleMixin, forms.Form):
    """Move an officer: the current posting ends the day before, the new one starts that day."""

    to_commune = CommuneChoiceField(label=_("New commune"), queryset=Commune.objects.none())
    position = forms.ChoiceField(label=_("Position there"), choices=Position.choices)
    on = DMYDateField(label=_("First day in the new commune"), help_text=_("the current posting ends the day before"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    change_reason = _reason_field()

    def __init__(self, *args, user, posting: Posting, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("position", posting.position)
        self.posting = self.versioned = posting
        super().__init__(*args, **kwargs)
        self.fields["to_commune"].queryset = commune_choices(user)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        on = data["on"]
        if data["to_commune"] == self.posting.commune and data["position"] == self.posting.position:
            self.add_error("to_commune", _(
                "The officer already holds this position in this commune: choose another commune, or another position here."))
            return data
        if on <= self.posting.start_date:
            self.add_error("on", _("A transfer takes effect after the current posting started (%(date)s).") % {
                "date": self.posting.start_date.strftime(DATE_FORMAT)})
            return data
        # The new posting, checked as if the current one already ended the day before.
        new = Posting(officer=self.posting.officer, commune=data["to_commune"], position=data["position"], start_date=on,
                      decision_date=data.get("decision_date"))
        for rule in POSTING_RULES:
            clash = rule.first_clash(new, ignoring=[self.posting.pk])
            if clash is not None:
                # Beside the rule's field, named here as this form names it (the new posting's first day is `on`).
                field = {"start_date": "on", "commune": "to_commune"}.get(rule.field, rule.field)
                self.add_error(field if field in self.fields else None, ValidationError(rule.text(clash), code=rule.code))
        return data


class OfficerChangeForm(CleanInputMixin, forms.Form):
    """A promotion, a move to another home unit or a change of status, from a day on (services.officer_change)."""

    rank = forms.ChoiceField(label=_("New rank"), choices=[("", "---------"), *Rank.choices], required=False)
    home_unit = forms.ModelChoiceField(label=_("New home unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(label=_("New status"), choices=[("", "---------"), *OfficerStatus.choices], required=False)
    on = DMYDateField(label=_("From"), help_text=_("the first day of the new rank, unit or status"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    change_reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = scoped(Unit.objects.all(), user).order_by("kind", "name")
        self.fields["home_unit"].label_from_instance = _unit_label

    def clean(self):
        data = super().clean()
        if not (data.get("rank") or data.get("home_unit") or data.get("status")):
            raise ValidationError(_("Give a new rank, home unit or status."))
        return data


class PostingEndForm(CleanInputMixin, VersionedFormMixin, forms.Form):
    """End a posting with a reason."""

    end_date = DMYDateField(label=_("Last day in post"))
    end_reason = forms.ChoiceField(label=_("Why it ends"), choices=[("", "---------"), *EndReason.choices])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    change_reason = _reason_field()

    def __init__(self, *args, posting: Posting, **kwargs):
        self.posting = self.versioned = posting
        super().__init__(*args, **kwargs)

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        _check_alone(POSTING_ENDS_AFTER_START, Posting(start_date=self.posting.start_date, end_date=end))
        return end


class PartyRoleAppointForm(CleanInputMixin, forms.Form):
    """Appoint a police officer (or, for a cell led from outside the police, a named person) to a Party role."""

    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=PartyRoleKind.choices)
    officer = OfficerChoiceField(label=_("Officer"), queryset=Officer.objects.none(), required=False)
    holder_name = forms.CharField(
        label=_("or holder outside the police"), required=False, max_length=100,
        help_text=_("only when the holder is not a police officer"),
    )
    start_date = DMYDateField(label=_("First day in the role"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    change_reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officer_choices(user)
        self.fields["commune"].queryset = commune_choices(user)
        self.cell = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if bool(data.get("officer")) == bool(data.get("holder_name", "").strip()):
            self.add_error("officer", _("Name either a police officer or, for someone outside the police, the holder's name."))
            return data
        if data["role"] in CELL_ROLES:
            self.cell = PartyCell.objects.active_on(data["start_date"]).filter(commune=data["commune"]).first()
            if self.cell is None:
                self.add_error("role", _("This commune has no police Party cell on that day; set one up first."))
                return data
        role = PartyRole(
            commune=data["commune"], role=data["role"], officer=data.get("officer"), holder_name=data.get("holder_name", ""),
            cell=self.cell, start_date=data["start_date"], decision_date=data.get("decision_date"),
        )
        try:
            role.clean()
        except ValidationError as error:
            for e in error.error_list if not hasattr(error, "error_dict") else sum(error.error_dict.values(), []):
                self.add_error(None, e)
        return data


class PartyRoleEndForm(CleanInputMixin, VersionedFormMixin, forms.Form):
    end_date = DMYDateField(label=_("Last day in the role"))
    change_reason = _reason_field()

    def __init__(self, *args, party_role: PartyRole, **kwargs):
        self.party_role = self.versioned = party_role
        super().__init__(*args, **kwargs)

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        _check_alone(ROLE_ENDS_AFTER_START, PartyRole(start_date=self.party_role.start_date, end_date=end))
        return end


class PartyCellEstablishForm(CleanInputMixin, forms.Form):
    commune = CommuneChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    established_on = DMYDateField(label=_("Established on"))
    name = forms.CharField(label=_("Name"), required=False, max_length=200,
                           help_text=_("empty: “Chi bộ Công an” and the commune's name"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    change_reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_choices(user)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        cell = PartyCell(commune=data["commune"], established_on=data["established_on"],
                         decision_date=data.get("decision_date"))
        for rule in CELL_RULES:
            clash = rule.first_clash(cell)
            if clash is not None:
                self.add_error(None, rule.error(clash))  # beside the rule's field
        return data


class PartyCellDissolveForm(CleanInputMixin, VersionedFormMixin, forms.Form):
    dissolved_on = DMYDateField(label=_("Dissolved on"), help_text=_("the first day it no longer exists; its open roles end the day before"))
    change_reason = _reason_field()

    def __init__(self, *args, cell: PartyCell, **kwargs):
        self.cell = self.versioned = cell
        super().__init__(*args, **kwargs)

    def clean_dissolved_on(self):
        day = self.cleaned_data["dissolved_on"]
        _check_alone(CELL_DISSOLVED_AFTER_ESTABLISHED, PartyCell(established_on=self.cell.established_on, dissolved_on=day))
        return day


class ImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), required=False)
