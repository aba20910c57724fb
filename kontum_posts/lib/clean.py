"""Input hygiene shared by every form: no control characters, no spreadsheet formulas, NFC text.

PostgreSQL refuses NUL in text (Django's CharField already rejects it with a message); other
control characters and bidirectional overrides are invisible in a page or a PDF but change what a
name means, and a value starting with "=" or "@" becomes a formula when an export is opened in a
spreadsheet. Forms adopt all of it with one mixin:

    from kontum_posts.lib.clean import CleanTextMixin

    class PostingForm(CleanTextMixin, forms.ModelForm): ...

The admin gets it for every registered model of this project (kontum_posts.apps). Exports that
write user text into CSV/XLSX cells should also pass it through `spreadsheet_safe()`.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except tab/newline/carriage return, DEL, C1 controls, and the bidi embedding/override/
# isolate marks used to make text read differently from how it is stored ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# A spreadsheet runs a cell as a formula when it starts with one of these; "-5" and "+84 …" stay numbers.
_FORMULA = re.compile(r"^\s*(?:[=@]|[+\-](?![\d\s]))")


def no_control_characters(value) -> None:
    """For single-line fields: no control characters, no line breaks or tabs."""
    if isinstance(value, str) and (_CONTROL.search(value) or _LINE_BREAKS.search(value)):
        raise ValidationError(
            _("Remove the invisible control characters (such as tabs, line breaks or NUL) from this field."),
            code="control_characters",
        )


def no_control_characters_multiline(value) -> None:
    """For text areas: line breaks and tabs are fine, other control characters are not."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(
            _("Remove the invisible control characters (such as NUL) from this field."), code="control_characters"
        )


def no_formula(value) -> None:
    if isinstance(value, str) and _FORMULA.match(value):
        raise ValidationError(
            _("This field cannot start with =, +, - or @ (a spreadsheet would run it as a formula)."), code="formula"
        )


def spreadsheet_safe(value):
    """A cell value a spreadsheet shows as text, never runs: formulas get a leading apostrophe."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Validate and normalise one value outside a form (an import row): NFC, or ValidationError."""
    if multiline:
        no_control_characters_multiline(value)
    else:
        no_control_characters(value)
        no_formula(value)
    return unicodedata.normalize("NFC", value)


class CleanTextMixin:
    """Form mixin: every text field refuses control characters (and single-line ones formulas); text is stored NFC."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(
                field, (forms.EmailField, forms.URLField, forms.SlugField)
            ) or getattr(field, "_kp_clean", False):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(no_control_characters_multiline if multiline else no_control_characters)
            if not multiline and not isinstance(field.widget, forms.PasswordInput):
                field.validators.append(no_formula)
            field._kp_clean = True

    def clean(self):
        cleaned = super().clean()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = unicodedata.normalize("NFC", value)
        return cleaned


def harden_admin_forms(site, *, app_labels: set[str]) -> None:
    """Put CleanTextMixin into the forms of every ModelAdmin (and its inlines) of these apps."""
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in app_labels:
            continue
        model_admin.form = _with_mixin(model_admin.form)
        for inline in model_admin.inlines:
            inline.form = _with_mixin(inline.form)


def _with_mixin(form_class):
    if issubclass(form_class, CleanTextMixin):
        return form_class
    return type(f"Clean{form_class.__name__}", (CleanTextMixin, form_class), {"__module__": __name__})
