"""History under /manage/: one record's changes, and the recent changes in the user's scope (who, when, before, after, why)."""


import datetime
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune, PartyCell
from personnel.access import editor_required, scope_for, scoped
from personnel.models import Officer, PartyRole, Posting, Unit

RECENT_LIMIT = 50


HISTORY_MODELS = {"officer": Officer, "posting": Posting, "partyrole": PartyRole, "partycell": PartyCell}
_HIDDEN_FIELDS = {"id", "search_name", "sort_key"}
_KIND = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass
class Change:
    """One history row of a record, with what it changed from the row before."""

    when: datetime.datetime
    user: object
    kind: str
    type_code: str
    reason: str
    model_name: str
    label: str
    url: str
    diffs: list[tuple[str, str, str]] = field(default_factory=list)


def _tracked(model):
    return [f for f in model._meta.concrete_fields if f.name not in _HIDDEN_FIELDS]


def _display(record, f, names) -> str:
    value = getattr(record, f.attname)
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return names.get((f.related_model, value), str(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _names(records_by_model) -> dict:
    """Names of every officer, commune, unit and cell the records point to, one query per kind."""
    wanted: dict = {}
    for model, records in records_by_model:
        for f in _tracked(model):
            if f.is_relation:
                ids = wanted.setdefault(f.related_model, set())
                ids.update(getattr(r, f.attname) for r in records if getattr(r, f.attname))
    names = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        if model is Officer:
            rows = Officer.objects.filter(pk__in=ids).values_list("pk", "full_name")
        elif model is Commune:
            rows = Commune.objects.filter(pk__in=ids).values_list("pk", "name")
        elif model is Unit:
            rows = Unit.objects.filter(pk__in=ids).values_list("pk", "name")
        elif model is PartyCell:
            rows = [(c.pk, str(c)) for c in PartyCell.objects.filter(pk__in=ids).select_related("commune")]
        else:
            continue
        names.update({(model, pk): name for pk, name in rows})
    return names


def _label(model, record, names) -> str:
    if model is Officer:
        return f"{record.full_name} ({record.service_number})"
    if model is Posting:
        return f"{names.get((Officer, record.officer_id), '?')} — {record.get_position_display()}, {names.get((Commune, record.commune_id), '?')}"
    if model is PartyRole:
        holder = names.get((Officer, record.officer_id)) if record.officer_id else record.holder_name
        return f"{holder} — {record.get_role_display()}, {names.get((Commune, record.commune_id), '?')}"
    return str(record.name or _("Party cell of %(commune)s") % {"commune": names.get((Commune, record.commune_id), "?")})


def _changes(model, records, all_rows) -> list[Change]:
    """Changes for `records` (history rows), each compared with the row before it among `all_rows`."""
    previous = {}
    last = {}
    for row in sorted(all_rows, key=lambda r: (r.history_date, r.history_id)):
        previous[row.history_id] = last.get(row.id)
        last[row.id] = row
    fields = _tracked(model)
    names = _names([(model, list(all_rows))])
    kind = [k for k, m in HISTORY_MODELS.items() if m is model][0]
    out = []
    for record in records:
        before = previous.get(record.history_id)
        diffs = []
        for f in fields:
            new = _display(record, f, names)
            old = _display(before, f, names) if before is not None else "—"
            if before is None and new == "—":
                continue
            if before is None or getattr(before, f.attname) != getattr(record, f.attname):
                diffs.append((str(f.verbose_name), old, new))
        out.append(Change(
            when=record.history_date, user=record.history_user, kind=str(_KIND.get(record.history_type, "")),
            type_code=record.history_type, reason=record.history_change_reason or "",
            model_name=str(model._meta.verbose_name), label=_label(model, record, names),
            url=reverse("manage:history", args=[kind, record.id]), diffs=diffs,
        ))
    return out


def record_changes(model, ids) -> list[Change]:
    """Every change of the given records, newest first. Two queries."""
    if not ids:
        return []
    rows = list(model.history.filter(id__in=ids).select_related("history_user"))
    return sorted(_changes(model, rows, rows), key=lambda c: c.when, reverse=True)


def _history_in_scope(model, user):
    history = model.history.all()
    scope = scope_for(user)
    if model is Officer:
        return history.filter(id__in=scoped(Officer.objects.all(), user).values("pk"))
    return history.filter(scope.commune_q("commune__"))


@editor_required
def record_history(request, kind: str, pk: int):
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404
    # The record must be in the user's area; deleted records are not kept on these pages.
    current = get_object_or_404(scoped(model.objects.all(), request.user), pk=pk)
    changes = record_changes(model, [pk])
    back = None
    if model is Officer:
        back = reverse("manage:officer", args=[pk])
    elif model is Posting:
        back = reverse("manage:officer", args=[current.officer_id])
    else:
        back = reverse("manage:commune", args=[current.commune.code])
    return render(request, "personnel/edit/history.html", {
        "record": current, "model_name": model._meta.verbose_name, "changes": changes, "back": back,
    })


@editor_required
def recent_changes(request):
    changes = []
    for model in HISTORY_MODELS.values():
        latest = list(_history_in_scope(model, request.user).select_related("history_user").order_by("-history_date")[:RECENT_LIMIT])
        if not latest:
            continue
        ids = {r.id for r in latest}
        oldest = min(r.history_date for r in latest)
        # The rows before them, to say what changed: the records' earlier rows only.
        earlier = list(model.history.filter(id__in=ids, history_date__lt=oldest).order_by("id", "-history_date"))
        changes += _changes(model, latest, latest + earlier)
    changes.sort(key=lambda c: c.when, reverse=True)
    return render(request, "personnel/edit/recent_changes.html", {"changes": changes[:RECENT_LIMIT], "limit": RECENT_LIMIT})
