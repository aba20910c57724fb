"""Data-entry screens under /manage/: officers, postings, Party roles and cells, bulk import, history.

Every view needs an editor or a province administrator (viewers get 403); every record is looked
up through the user's scope, so another district's record is a 404 and its commune is not in any
pick list. Views stay thin: a form checks, a service writes, the page redirects with a message.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune, PartyCell
from personnel import services
from personnel.access import require_edit, scope_for, scoped
from personnel.importing import COLUMNS, postings_import, template_csv, template_xlsx
from personnel.models import Officer, PartyRole, Posting, Unit
from personnel.web.forms import (
    ImportForm,
    OfficerForm,
    PartyCellDissolveForm,
    PartyCellEstablishForm,
    PartyRoleAppointForm,
    PartyRoleEndForm,
    PostingAssignForm,
    PostingEndForm,
    PostingTransferForm,
    commune_choices,
    officer_choices,
)

IMPORT_DIR = Path(settings.BASE_DIR) / "var" / "imports"
RECENT_LIMIT = 50


def editor_required(view):
    """Only editors and province administrators; everyone else (viewers included) gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_edit(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _officer_for_user(user, pk: int) -> Officer:
    return get_object_or_404(scoped(Officer.objects.select_related("home_unit"), user), pk=pk)


def _posting_for_user(user, pk: int) -> Posting:
    posting = get_object_or_404(scoped(Posting.objects.select_related("officer", "commune__district"), user), pk=pk)
    require_edit(user, posting.commune)
    return posting


def _commune_for_user(user, code: int) -> Commune:
    return get_object_or_404(scoped(Commune.objects.select_related("district"), user), code=code)


def _form_page(request, form, *, title: str, intro: str = "", context: dict | None = None, submit: str = ""):
    return render(request, "personnel/edit/form.html", {
        "form": form, "title": title, "intro": intro, "submit": submit or _("Save"), **(context or {}),
    })


def _run(form, action) -> object | None:
    """Call the service; a refusal (its check or the database's) becomes a form error in the rule's words."""
    try:
        return action()
    except ValidationError as error:
        messages_ = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field_name, texts in messages_.items():
            for text in texts:
                form.add_error(field_name if field_name in form.fields else None, text)
        return None


# ---------------------------------------------------------------- index

@editor_required
def index(request):
    # The pick lists submit here (no JavaScript, so the page passes a strict CSP); the officer or
    # commune pages check the scope themselves.
    picked_officer, picked_commune = request.GET.get("officer", ""), request.GET.get("commune", "")
    if picked_officer.isdigit():
        return redirect("manage:officer", pk=int(picked_officer))
    if picked_commune.isdigit():
        return redirect("manage:commune", code=int(picked_commune))
    scope = scope_for(request.user)
    return render(request, "personnel/edit/index.html", {
        "officers": officer_choices(request.user).only(
            "pk", "full_name", "service_number", "home_unit__name", "home_unit__short_name"),
        "communes": commune_choices(request.user).only("code", "name", "district__name"),
        "scope": scope,
        "districts": scope.district_ids and request.user.profile.districts.all(),
    })


# ---------------------------------------------------------------- officers

@editor_required
def officer_add(request):
    form = OfficerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "change_reason"}
        officer = _run(form, lambda: services.officer_create(change_reason=form.cleaned_data["change_reason"], **data))
        if officer:
            messages.success(request, _("Officer %(name)s added.") % {"name": officer.full_name})
            return redirect("manage:officer", pk=officer.pk)
    return _form_page(request, form, title=_("Add an officer"), submit=_("Add the officer"))


@editor_required
def officer_edit(request, pk: int):
    officer = _officer_for_user(request.user, pk)
    form = OfficerForm(request.POST or None, instance=officer, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "change_reason"}
        # The form already wrote the values onto the instance; the service checks and saves them.
        done = _run(form, lambda: services.officer_update(
            officer=officer, change_reason=form.cleaned_data["change_reason"], **data))
        if done:
            messages.success(request, _("Details of %(name)s saved.") % {"name": officer.full_name})
            return redirect("manage:officer", pk=officer.pk)
        officer.refresh_from_db()
    return _form_page(request, form, title=_("Correct an officer's details"), context={"officer": officer})


@editor_required
def officer_page(request, pk: int):
    officer = _officer_for_user(request.user, pk)
    scope = scope_for(request.user)
    postings = list(officer.postings.select_related("commune__district").order_by("-start_date"))
    for posting in postings:
        posting.editable = scope.allows_commune(posting.commune)
    roles = list(officer.party_roles.select_related("commune__district", "cell").order_by("-start_date"))
    for role in roles:
        role.editable = scope.allows_commune(role.commune)
    changes = record_changes(Officer, [officer.pk]) + record_changes(Posting, [p.pk for p in postings]) + \
        record_changes(PartyRole, [r.pk for r in roles])
    changes.sort(key=lambda c: c.when, reverse=True)
    return render(request, "personnel/edit/officer.html", {
        "officer": officer, "postings": postings, "roles": roles, "changes": changes,
    })


# ---------------------------------------------------------------- postings

@editor_required
def posting_assign(request):
    initial = {k: request.GET[k] for k in ("officer", "commune") if request.GET.get(k, "").isdigit()}
    form = PostingAssignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        posting = _run(form, lambda: services.posting_start(
            officer=d["officer"], commune=d["commune"], position=d["position"], on=d["start_date"],
            decision_number=d["decision_number"], decision_date=d["decision_date"], note=d["note"],
            change_reason=d["change_reason"],
        ))
        if posting:
            messages.success(request, _("%(name)s assigned to %(commune)s.") % {
                "name": posting.officer.full_name, "commune": posting.commune.name})
            return redirect("manage:officer", pk=posting.officer_id)
    return _form_page(request, form, title=_("Assign an officer to a commune police position"), submit=_("Assign"))


@editor_required
def posting_transfer(request, pk: int):
    posting = _posting_for_user(request.user, pk)
    if not posting.is_open:
        raise Http404
    form = PostingTransferForm(request.POST or None, user=request.user, posting=posting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["to_commune"])
        new = _run(form, lambda: services.posting_transfer(
            posting=posting, to_commune=d["to_commune"], on=d["on"], position=d["position"],
            decision_number=d["decision_number"], decision_date=d["decision_date"], change_reason=d["change_reason"],
        ))
        if new:
            messages.success(request, _("%(name)s transferred to %(commune)s from %(date)s.") % {
                "name": posting.officer.full_name, "commune": new.commune.name, "date": new.start_date.strftime("%d/%m/%Y")})
            return redirect("manage:officer", pk=posting.officer_id)
    return _form_page(request, form, title=_("Transfer an officer"), context={"posting": posting}, submit=_("Transfer"))


@editor_required
def posting_end(request, pk: int):
    posting = _posting_for_user(request.user, pk)
    if not posting.is_open:
        raise Http404
    form = PostingEndForm(request.POST or None, posting=posting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _run(form, lambda: services.posting_end(
            posting=posting, on=d["end_date"], reason=d["end_reason"], note=d["note"], change_reason=d["change_reason"]))
        if done:
            messages.success(request, _("The posting of %(name)s in %(commune)s ended on %(date)s.") % {
                "name": posting.officer.full_name, "commune": posting.commune.name, "date": d["end_date"].strftime("%d/%m/%Y")})
            return redirect("manage:officer", pk=posting.officer_id)
    return _form_page(request, form, title=_("End a posting"), context={"posting": posting}, submit=_("End the posting"))


# ---------------------------------------------------------------- Party roles and cells

@editor_required
def partyrole_appoint(request):
    initial = {}
    if request.GET.get("officer", "").isdigit():
        initial["officer"] = request.GET["officer"]
    if request.GET.get("commune", "").isdigit():
        commune = scoped(Commune.objects.all(), request.user).filter(code=request.GET["commune"]).first()
        initial["commune"] = commune.pk if commune else None
    form = PartyRoleAppointForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        role = _run(form, lambda: services.party_role_appoint(
            commune=d["commune"], role=d["role"], on=d["start_date"], officer=d["officer"], holder_name=d["holder_name"],
            cell=form.cell, decision_number=d["decision_number"], decision_date=d["decision_date"],
            change_reason=d["change_reason"],
        ))
        if role:
            messages.success(request, _("%(holder)s appointed %(role)s.") % {"holder": role.holder, "role": role.get_role_display()})
            return redirect("manage:commune", code=role.commune.code)
    return _form_page(request, form, title=_("Appoint to a Party role"), submit=_("Appoint"))


@editor_required
def partyrole_end(request, pk: int):
    role = get_object_or_404(scoped(PartyRole.objects.select_related("officer", "commune__district", "cell"), request.user), pk=pk)
    require_edit(request.user, role.commune)
    if not role.is_open:
        raise Http404
    form = PartyRoleEndForm(request.POST or None, party_role=role)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.party_role_end(party_role=role, on=d["end_date"], change_reason=d["change_reason"])):
            messages.success(request, _("%(holder)s is no longer %(role)s from %(date)s.") % {
                "holder": role.holder, "role": role.get_role_display(),
                "date": (d["end_date"] + datetime.timedelta(days=1)).strftime("%d/%m/%Y")})
            return redirect("manage:commune", code=role.commune.code)
    return _form_page(request, form, title=_("End a Party role"), context={"party_role": role}, submit=_("End the role"))


@editor_required
def partycell_establish(request):
    initial = {}
    if request.GET.get("commune", "").isdigit():
        commune = scoped(Commune.objects.all(), request.user).filter(code=request.GET["commune"]).first()
        initial["commune"] = commune.pk if commune else None
    form = PartyCellEstablishForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        cell = _run(form, lambda: services.party_cell_establish(
            commune=d["commune"], on=d["established_on"], name=d["name"], decision_number=d["decision_number"],
            decision_date=d["decision_date"], change_reason=d["change_reason"],
        ))
        if cell:
            messages.success(request, _("Party cell of %(commune)s set up.") % {"commune": cell.commune.name})
            return redirect("manage:commune", code=cell.commune.code)
    return _form_page(request, form, title=_("Set up a commune police Party cell"), submit=_("Set up the cell"))


@editor_required
def partycell_dissolve(request, pk: int):
    cell = get_object_or_404(scoped(PartyCell.objects.select_related("commune__district"), request.user), pk=pk)
    require_edit(request.user, cell.commune)
    if not cell.is_active:
        raise Http404
    form = PartyCellDissolveForm(request.POST or None, cell=cell)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.party_cell_dissolve(cell=cell, on=d["dissolved_on"], change_reason=d["change_reason"])):
            messages.success(request, _("Party cell of %(commune)s dissolved.") % {"commune": cell.commune.name})
            return redirect("manage:commune", code=cell.commune.code)
    return _form_page(request, form, title=_("Dissolve a Party cell"), context={"cell": cell}, submit=_("Dissolve"))


@editor_required
def commune_page(request, code: int):
    commune = _commune_for_user(request.user, code)
    postings = list(commune.postings.select_related("officer").order_by("end_date", "-start_date")[:200])
    cells = list(commune.party_cells.order_by("-established_on"))
    roles = list(commune.party_roles.select_related("officer", "cell").order_by("-start_date"))
    changes = record_changes(PartyCell, [c.pk for c in cells]) + record_changes(PartyRole, [r.pk for r in roles])
    changes.sort(key=lambda c: c.when, reverse=True)
    return render(request, "personnel/edit/commune.html", {
        "commune": commune, "postings": postings, "cells": cells, "roles": roles, "changes": changes,
        "active_cell": next((c for c in cells if c.is_active), None),
    })


# ---------------------------------------------------------------- history

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
    return history.filter(scope.district_q("commune__district__"))


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


# ---------------------------------------------------------------- bulk import

@editor_required
def import_template(request, fmt: str):
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        # The guide's examples name a commune and a unit this user may write to.
        commune = scoped(Commune.objects.all(), request.user).order_by("district__sort_key", "sort_key").first()
        unit = scoped(Unit.objects.all(), request.user).order_by("kind", "name").first()
        examples = {}
        if commune is not None:
            examples["commune"] = str(commune.code)  # a valid cell, as the column reads it
        if unit is not None:
            examples["home_unit"] = unit.name
        response = HttpResponse(
            template_xlsx(examples), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-bo-tri.{fmt}"'
    return response


@editor_required
def import_postings(request):
    """Upload → preview (nothing written) → import. The previewed file waits under var/imports for the confirm."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    filename = ""
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        upload = form.cleaned_data.get("file")
        pending = request.session.get("pending_import") or {}
        if upload is not None:
            content, filename = upload.read(), upload.name
        elif request.POST.get("token") and pending.get("token") == request.POST["token"]:
            content = (IMPORT_DIR / pending["token"]).read_bytes()
            filename = pending["filename"]
        else:
            form.add_error("file", _("Choose a file."))
            content = None
        if content is not None:
            result = postings_import(file=content, filename=filename, user=request.user, dry_run=action != "import",
                                     change_reason=request.POST.get("change_reason", ""))
            if action == "import" and result.ok:
                _drop_pending(request)
                messages.success(request, _("Imported %(postings)d postings and %(officers)d new officers.") % {
                    "postings": result.created_postings, "officers": result.created_officers})
                return redirect("manage:recent_changes")
            if action != "import" and result.ok:
                _drop_pending(request)
                IMPORT_DIR.mkdir(parents=True, exist_ok=True)
                token = uuid.uuid4().hex
                (IMPORT_DIR / token).write_bytes(content)
                request.session["pending_import"] = {"token": token, "filename": filename}
    return render(request, "personnel/edit/import.html", {
        "form": form, "result": result, "token": token, "filename": filename, "columns": COLUMNS,
    })


def _drop_pending(request) -> None:
    pending = request.session.pop("pending_import", None)
    if pending:
        (IMPORT_DIR / pending["token"]).unlink(missing_ok=True)
