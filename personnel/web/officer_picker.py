"""The officer pick list of the /manage/ forms: a plain <select> that static/js/officer-picker.js turns
into search-as-you-type (progressive enhancement: without the script, the select works as it is).

Among hundreds of officers several share a name ("A Kim" seven times in the pilot), so every option
names the service number and the home unit.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontum_posts.lib.fastselect import FastSelect


def officer_label(officer) -> str:
    unit = officer.home_unit
    where = (unit.short_name or unit.name) if unit is not None else ""
    return " · ".join(part for part in (f"{officer.full_name} — {officer.service_number}", where) if part)


def picker_attrs() -> dict:
    """What the script reads from the select: the texts it shows, in the user's language."""
    return {
        "data-picker": "officer",
        "data-picker-placeholder": _("Type a name, service number or unit"),
        "data-picker-count": _("{count} of {total} officers match"),
    }


class OfficerPickerSelect(FastSelect):
    """A select the picker script enhances; the script (a local file, as the CSP requires) is loaded by
    templates/personnel/edit/base_manage.html on every /manage/ page. Its hundreds of options are written in Python
    (FastSelect): through Django's two templates an option, they were most of a form page's time."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({**picker_attrs(), **(attrs or {})}, choices)


class OfficerChoiceField(forms.ModelChoiceField):
    widget = OfficerPickerSelect

    def label_from_instance(self, obj):
        return officer_label(obj)
