"""Corrections: a record entered wrong is changed or deleted, with a reason, under the rules of a new entry.

An event (a transfer, a promotion, an end) is a service of its own (personnel/services.py) and dates what
happened; a correction rewrites what was recorded, so it may change what a report printed for an earlier day
showed. Each one is a `Correction` row (who, when, why, before, after) beside the record's history row, listed
apart from events, and can be undone while the record still holds what the correction wrote; the undo is a
correction too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from communes.models import PartyCell
from datacache import writing
from datacache.topics import STAFFING
from personnel import services, versions
from personnel.models import Correction, Officer, OfficerChange, PartyRole, Posting
from personnel.services import _lock_and_reload, _save

# What a correction may change, per kind of record (who holds a posting is not among them: a posting entered
# for the wrong officer is deleted and entered again).
EDITABLE = {
    "posting": (Posting, ["commune", "position", "start_date", "end_date", "end_reason", "decision_number",
                          "decision_date", "note"]),
    "partyrole": (PartyRole, ["role", "holder_name", "start_date", "end_date", "decision_number", "decision_date"]),
    "partycell": (PartyCell, ["name", "established_on", "dissolved_on", "decision_number", "decision_date"]),
    "officer": (Officer, ["full_name", "service_number", "gender", "birth_date", "ethnicity", "party_member_since"]),
    "officerchange": (OfficerChange, ["effective_on", "rank", "home_unit", "status", "decision_number", "decision_date"]),
}
OFFICER_FORM_FIELDS = [*EDITABLE["officer"][1], "rank", "home_unit", "status"]
HISTORY_REASON_LENGTH = 100  # django-simple-history's history_change_reason
KIND_OF = {model: kind for kind, (model, _fields) in EDITABLE.items()}


def _raw(record, fields) -> dict:
    out = {}
    for name in fields:
        field = record._meta.get_field(name)
        value = getattr(record, field.attname)
        out[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _shown(record, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(record) -> str:
    if isinstance(record, Posting):
        return f"{record.officer.full_name} — {record.get_position_display()}, {record.commune.name}"
    if isinstance(record, PartyRole):
        return f"{record.holder} — {record.get_role_display()}, {record.commune.name}"
    if isinstance(record, OfficerChange):
        return f"{record.officer.full_name} — {record.get_attribute_display()}: {record.value_label}"
    return str(record)


def _where(record) -> dict:
    return {"commune_id": getattr(record, "commune_id", None),
            "officer_id": record.pk if isinstance(record, Officer) else getattr(record, "officer_id", None)}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this is corrected: the reason is kept with the correction.")})
    return reason


def correct(record, *, reason: str, changes: dict, version: int | None = None) -> Correction | None:
    """Change the given fields of a record entered wrong; None when nothing differs. The rules of a new entry
    apply (two chiefs at once is refused, naming the other posting); nothing is written if one is broken."""
    kind = KIND_OF[type(record)]
    reason = _reason(reason)
    with writing(record, topics=(STAFFING,)):
        _lock_and_reload(record)
        versions.check(record, version)
        fields = [name for name in EDITABLE[kind][1] if name in changes]
        before = _raw(record, fields)
        shown_before = {name: _shown(record, name) for name in fields}
        for name in fields:
            setattr(record, name, changes[name])
        if isinstance(record, Officer):
            record.fill_derived()
        after = _raw(record, fields)
        changed = [name for name in fields if before[record._meta.get_field(name).attname]
                   != after[record._meta.get_field(name).attname]]
        if not changed:
            return None
        _save(record, _history_reason(_("Correction: %(reason)s") % {"reason": reason}))
        return Correction.objects.create(
            kind=Correction.Kind.CORRECTED, model=kind, object_id=record.pk, label=_label(record), **_where(record),
            before={record._meta.get_field(n).attname: before[record._meta.get_field(n).attname] for n in changed},
            after={record._meta.get_field(n).attname: after[record._meta.get_field(n).attname] for n in changed},
            shown=[[str(record._meta.get_field(n).verbose_name), shown_before[n], _shown(record, n)] for n in changed],
            reason=reason, user=_user(record))


def record_officer_edit(before: Officer, after: Officer, *, reason: str) -> Correction | None:
    """The officer edit form ("Correct details", services.officer_update) is a correction too: kept the same way."""
    fields = [name for name in OFFICER_FORM_FIELDS
              if _raw(before, [name]) != _raw(after, [name])]
    if not fields:
        return None
    return Correction.objects.create(
        kind=Correction.Kind.CORRECTED, model="officer", object_id=after.pk, label=_label(after), **_where(after),
        before=_raw(before, fields), after=_raw(after, fields),
        shown=[[str(after._meta.get_field(n).verbose_name), _shown(before, n), _shown(after, n)] for n in fields],
        reason=_reason(reason), user=_user(after))


def delete(record, *, reason: str, version: int | None = None) -> Correction:
    """Delete a record entered by mistake (kept in the correction, to undo)."""
    kind = KIND_OF[type(record)]
    reason = _reason(reason)
    with writing(record, topics=(STAFFING,)):
        _lock_and_reload(record)
        versions.check(record, version)
        fields = [f.name for f in record._meta.concrete_fields if f.name not in ("id", "search_name", "sort_key")]
        correction = Correction(
            kind=Correction.Kind.DELETED, model=kind, object_id=record.pk, label=_label(record), **_where(record),
            before=_raw(record, fields), shown=[[str(record._meta.verbose_name), _label(record), "—"]],
            reason=reason, user=_user(record))
        record._change_reason = _history_reason(_("Correction: %(reason)s") % {"reason": reason})
        try:
            record.delete()
        except ProtectedError as error:
            raise ValidationError(_("%(record)s cannot be deleted while other records point at it (%(count)s): "
                                    "correct or delete those first.") % {
                "record": _label(record), "count": len(error.protected_objects)}) from error
        correction.save()
        return correction


def undo(correction: Correction, *, reason: str) -> Correction:
    """Put back what a correction changed, while the record still holds what it wrote; recorded as a correction."""
    reason = _reason(reason)
    model = EDITABLE[correction.model][0]
    with writing(correction, topics=(STAFFING,)):  # postings, roles, cells, officers
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.undone or correction.kind == Correction.Kind.UNDONE:
            raise ValidationError(_("This correction has already been undone."))
        if correction.kind == Correction.Kind.DELETED:
            if model.objects.filter(pk=correction.object_id).exists():
                raise ValidationError(_("The record is there again; nothing to undo."))
            record = model(pk=correction.object_id)
            for attname, value in correction.before.items():
                setattr(record, attname, _value(record, attname, value))
            after, shown = correction.before, [[correction.shown[0][0], "—", correction.label]]
        else:
            record = model.objects.select_for_update().filter(pk=correction.object_id).first()
            if record is None:
                raise ValidationError(_("The record was deleted since; undo that deletion first."))
            if _raw(record, _names(record, correction.after)) != correction.after:
                raise ValidationError(_("The record was changed again after this correction; correct it instead."))
            for attname, value in correction.before.items():
                setattr(record, attname, _value(record, attname, value))
            after = correction.before
            shown = [[label, new, old] for label, old, new in correction.shown]
        history_reason = _history_reason(_("Correction undone: %(reason)s") % {"reason": reason})
        if isinstance(record, Officer) and record.pk and correction.kind == Correction.Kind.CORRECTED:
            # Through the officer service, which keeps the dated rank, unit and status in step.
            services.officer_update(officer=record, change_reason=history_reason,
                                    **{name: getattr(record, name) for name in _names(record, correction.before)})
        else:
            if isinstance(record, Officer):
                record.fill_derived()
            _save(record, history_reason)
        return Correction.objects.create(
            kind=Correction.Kind.UNDONE, model=correction.model, object_id=record.pk, label=_label(record),
            **_where(record), before=correction.after, after=after, shown=shown, reason=reason,
            user=_user(record), undoes=correction)


def _history_reason(text: str) -> str:
    """The history row's reason column holds 100 characters; the correction keeps the whole reason."""
    return text if len(text) <= HISTORY_REASON_LENGTH else text[:HISTORY_REASON_LENGTH - 1] + "…"


def _names(record, raw: dict) -> list[str]:
    by_attname = {f.attname: f.name for f in record._meta.concrete_fields}
    return [by_attname[a] for a in raw]


def _value(record, attname: str, value):
    field = next(f for f in record._meta.concrete_fields if f.attname == attname)
    return field.to_python(value) if value is not None else None


def _user(record):
    user = getattr(record, "_history_user", None)
    if user is None:
        from simple_history.models import HistoricalRecords

        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
