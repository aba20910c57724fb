"""Input hygiene shared by every form: no control characters, no spreadsheet formulas, NFC text.

PostgreSQL refuses NUL in text (Django's CharField already rejects it with a message); other
control characters and bidirectional overrides are invisible in a page or a PDF but change what a
name means, and a value starting with "=" or "@" becomes a formula when an export is opened in a
spreadsheet; markup has no place in a name or a decision number; a date in year 20190 is a typo.
Forms adopt all of it with one mixin:

    from kontum_posts.lib.clean import CleanInputMixin

    class PostingForm(CleanInputMixin, forms.ModelForm): ...

An import checks each cell with `clean_text(value)` (raises ValidationError, returns NFC text)
and each date with `date_in_range(value)`.

The admin gets it for every registered model of this project (kontum_posts.apps). What counts as a
formula is kontum_posts.lib.export.is_formula, the rule every export also defuses.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# NOT_TEXT: what XML 1.0 cannot carry (lone surrogates, controls) and Unicode's noncharacters (U+FFFE, U+FFFF,
# …): an XLSX holding one is unreadable and no keyboard types one; refused here, dropped by every export.
from kontum_posts.lib.export import NOT_TEXT, is_formula

# C0 controls except tab/newline/carriage return, DEL, C1 controls, and the bidi embedding/override/
# isolate marks used to make text read differently from how it is stored ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# Anything that looks like an HTML tag: names and numbers never contain one.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>?")
# Text areas (notes) without a length of their own stop here; dates outside this range are typos.
MAX_TEXT = 10_000
DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
# A plain signed number ("-5", "+2,5") and a bullet ("- một") are what a person meant to type: a form
# accepts them, and an export defuses them like any other text that starts like a formula.
_PLAIN_NUMBER_OR_BULLET = re.compile(r"^\s*(?:[+\-]\s?\d+(?:[.,]\d+)?\s*$|-\s)")


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


def no_noncharacters(value) -> None:
    if isinstance(value, str) and NOT_TEXT.search(value):
        raise ValidationError(
            _("Remove the characters that are not text (such as U+FFFF or U+FFFE) from this field."),
            code="noncharacters",
        )


def no_formula(value) -> None:
    if isinstance(value, str) and is_formula(value) and not _PLAIN_NUMBER_OR_BULLET.match(value):
        raise ValidationError(
            _("This field cannot start with =, +, - or @ (a spreadsheet would run it as a formula)."), code="formula"
        )


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Validate and normalise one value outside a form (an import row): NFC, or ValidationError."""
    if multiline:
        no_control_characters_multiline(value)
    else:
        no_control_characters(value)
    no_noncharacters(value)
    no_formula(value)
    no_markup(value)
    return unicodedata.normalize("NFC", value)


def no_markup(value) -> None:
    if isinstance(value, str) and _MARKUP.search(value):
        raise ValidationError(_("Remove the HTML tags (text between < and >) from this field."), code="markup")


class CleanInputMixin:
    """Form mixin for every form that writes: text refuses control characters, markup and (single-line)
    spreadsheet formulas, text areas stop at MAX_TEXT characters, dates stay within DATE_RANGE,
    and text is stored NFC."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "_kp_clean", False):
                continue
            field._kp_clean = True
            if isinstance(field, (forms.DateField, forms.DateTimeField)):
                field.validators.append(date_in_range)
                continue
            if not isinstance(field, forms.CharField):
                continue
            field.validators.append(no_noncharacters)
            if isinstance(field, (forms.EmailField, forms.URLField, forms.SlugField)):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                field.validators.append(no_control_characters_multiline)
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            if multiline:
                field.validators += [no_control_characters_multiline, no_formula]
                if field.max_length is None:
                    field.max_length = MAX_TEXT
                    field.validators.append(MaxLengthValidator(MAX_TEXT))
                    field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))
            else:
                field.validators += [no_control_characters, no_formula]
            field.validators.append(no_markup)
        self._drop_unusable_initial()

    def _drop_unusable_initial(self):
        # The admin takes initial values from the query string (?commune=…): one that is not a key
        # would crash the autocomplete widget that looks it up.
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or name not in self.initial:
                continue
            to_field = _key_field(field)
            value = self.initial[name]
            if isinstance(value, (list, tuple)):
                self.initial[name] = [v for v in value if _is_key(to_field, v)]
            elif not isinstance(value, models.Model) and not _is_key(to_field, value):
                del self.initial[name]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._drop_unusable_choices()

    def _drop_unusable_choices(self):
        """A refused choice that is not even a key ("abc", NUL) is dropped from the data shown again:
        the admin's autocomplete widget would look it up in the database and crash (a 500) re-rendering."""
        data = None
        for name, field in self.fields.items():
            if name not in self._errors or not isinstance(field, forms.ModelChoiceField):
                continue
            key = self.add_prefix(name)
            to_field = _key_field(field)
            raw = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            usable = [value for value in raw if _is_key(to_field, value)]
            if usable != raw:
                if data is None:
                    data = self.data.copy()
                if hasattr(data, "setlist"):
                    data.setlist(key, usable)
                else:
                    data[key] = usable[0] if usable else ""
        if data is not None:
            self.data = data

    def clean(self):
        cleaned = super().clean()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = unicodedata.normalize("NFC", value)
        return cleaned


def _key_field(choice_field):
    meta = choice_field.queryset.model._meta
    return meta.get_field(choice_field.to_field_name) if choice_field.to_field_name else meta.pk


def _is_key(field, value) -> bool:
    if value in (None, ""):
        return True
    try:
        prepared = field.get_prep_value(field.to_python(value))
    except (TypeError, ValueError, ValidationError, OverflowError):
        return False
    if isinstance(prepared, int) and not -(2**63) <= prepared < 2**63:
        return False  # no database column holds it; SQLite raises OverflowError on the lookup
    return "\x00" not in str(value)


def date_in_range(value) -> None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and not (DATE_RANGE[0] <= value <= DATE_RANGE[1]):
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": DATE_RANGE[0].strftime("%d/%m/%Y"), "last": DATE_RANGE[1].strftime("%d/%m/%Y")},
        )


def harden_admin_forms(site, *, app_labels: set[str]) -> None:
    """Put CleanInputMixin into the forms of every ModelAdmin (and its inlines) of these apps."""
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in app_labels:
            continue
        model_admin.form = _with_mixin(model_admin.form)
        for inline in model_admin.inlines:
            inline.form = _with_mixin(inline.form)


def _with_mixin(form_class):
    if issubclass(form_class, CleanInputMixin):
        return form_class
    return type(f"Clean{form_class.__name__}", (CleanInputMixin, form_class), {"__module__": __name__})
