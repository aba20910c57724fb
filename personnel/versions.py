"""The version an edit form was read at, so that a change made meanwhile is never overwritten unseen.

A record's version is the id of its latest history row (django-simple-history writes one on every
save of an officer, posting, Party role or cell, with who and when). It needs no column of its own,
every write through the app moves it (services, forms, the admin, the import's history copy), and
the same rows say who changed what since the form was opened, which the refusal must tell. Changes
of one record are serialised by its row lock, so its history ids commit in order: "a history row
newer than the version" is exactly "changed since".

Edit forms carry the version in a hidden field; the service compares it again after locking the row
(personnel/services.py), so two submissions read at the same version cannot both pass.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_SHAPE = re.compile(r"[0-9]{1,18}")
SHOWN_CHANGES = 5
_HIDDEN_FIELDS = {"id", "search_name", "sort_key"}

STALE_MESSAGE = gettext_lazy(
    "This record was changed after you opened the form, so nothing was saved. %(changes)s "
    "If your entry still applies after that change, submit the form again."
)
CHANGE_MESSAGE = gettext_lazy("%(user)s at %(when)s: %(fields)s.")
UNKNOWN_VERSION_MESSAGE = gettext_lazy(
    "This form does not say which version of the record it was opened at, so nothing was saved; "
    "open it again from the record's page."
)


class StaleEdit(ValidationError):
    """A submission read at an older version than the record's; `current` is the version now."""

    def __init__(self, message: str, current: int):
        super().__init__(message, code="stale")
        self.current = current


def version_of(obj) -> int:
    """The id of the record's latest history row (0 when it has none)."""
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def parse(raw) -> int | None:
    """A version as a form posts it, or None when it is missing or not one (ASCII digits only)."""
    return int(raw) if isinstance(raw, str) and VERSION_SHAPE.fullmatch(raw) else None


def check(obj, version: int | None) -> None:
    """Raise StaleEdit, saying who changed what, when the record changed after `version`; None: no form, no check."""
    if version is None:
        return
    newer = list(obj.history.filter(history_id__gt=version).select_related("history_user").order_by("history_id"))
    if not newer:
        return
    base = obj.history.filter(history_id__lte=version).order_by("-history_id").first()
    described, before = [], base
    for row in newer:
        described.append(_describe(type(obj), row, before))
        before = row
    if len(described) > SHOWN_CHANGES:
        described = ["…", *described[-SHOWN_CHANGES:]]
    raise StaleEdit(str(STALE_MESSAGE) % {"changes": " ".join(described)}, current=newer[-1].history_id)


def _describe(model, row, before) -> str:
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in _HIDDEN_FIELDS:
            continue
        old = _shown(before, field) if before is not None else "—"
        new = _shown(row, field)
        if old != new:
            fields.append(f"{field.verbose_name}: {old} → {new}")
    user = row.history_user.get_username() if row.history_user_id else _("someone")
    when = timezone.localtime(row.history_date).strftime("%H:%M %d/%m/%Y")
    return str(CHANGE_MESSAGE) % {"user": user, "when": when, "fields": "; ".join(fields) or "—"}


def _shown(row, field) -> str:
    value = getattr(row, field.attname)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
