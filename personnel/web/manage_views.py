"""Data-entry screens under /manage/: officers, postings, Party roles and cells (the import and the
history have modules of their own: import_views, history_views).

Every view needs an editor or a province administrator (viewers get 403); every record is looked
up through the user's scope, so another district's record is a 404 and its commune is not in any
pick list. Views stay thin: a form checks, a service writes, the page redirects with a message.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from communes.lookup import unit_on
from communes.models import Commune, PartyCell
from kontum_posts.lib.asof import today
from kontum_posts.lib.params import is_ascii_int
from personnel import corrections, services
from personnel.access import editor_required, require_edit, scope_for, scoped
from personnel.models import Correction, Officer, PartyRole, Posting
from personnel.versions import StaleEdit
from personnel.web.forms import (
    OfficerChangeForm,
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
from personnel.web.history_views import record_changes


def _officer_for_user(user, pk: int) -> Officer:
    return get_object_or_404(scoped(Officer.objects.select_related("home_unit"), user), pk=pk)


def _posting_for_user(user, pk: int) -> Posting:
    posting = get_object_or_404(scoped(Posting.objects.select_related("officer", "commune__district"), user), pk=pk)
    require_edit(user, posting.commune)
    return posting


def _commune_for_user(user, code: int) -> Commune:
    return unit_on(scoped(Commune.objects.select_related("district"), user), code, today())


def _prefill(request) -> dict:
    """A form's officer and commune chosen by the link that opened it (`?officer=<pk>`, `?commune=<code>`);
    a commune outside the user's area is simply not chosen."""
    initial = {}
    if is_ascii_int(request.GET.get("officer", "")):
        initial["officer"] = request.GET["officer"]
    if is_ascii_int(request.GET.get("commune", "")):
        try:
            initial["commune"] = unit_on(scoped(Commune.objects.all(), request.user), int(request.GET["commune"]), today()).pk
        except Http404:
            pass
    return initial


def _form_page(request, form, *, title: str, intro: str = "", context: dict | None = None, submit: str = ""):
    return render(request, "personnel/edit/form.html", {
        "form": form, "title": title, "intro": intro, "submit": submit or _("Save"), **(context or {}),
    })


def _run(form, action) -> object | None:
    """Call the service; a refusal (its check or the database's) becomes a form error in the rule's words."""
    try:
        return action()
    except StaleEdit as error:
        # Changed between the form's check and the service's lock: the same refusal as the form's own.
        form.refuse_stale(error)
        return None
    except ValidationError as error:
        messages_ = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field_name, texts in messages_.items():
            for text in texts:
                form.add_error(field_name if field_name in form.fields else None, text)
        return None


def _roles_ended_message(request, posting: Posting, roles) -> None:
    """The Party roles a posting's end ended with it (a police officer holds them only while posted there)."""
    if roles:
        messages.info(request, _("Their Party roles in %(commune)s end on %(date)s too: %(roles)s.") % {
            "commune": posting.commune.name, "date": posting.end_date.strftime("%d/%m/%Y"),
            "roles": ", ".join(str(role.get_role_display()) for role in roles)})


# ---------------------------------------------------------------- index

@editor_required
def index(request):
    # The pick lists submit here (no JavaScript, so the page passes a strict CSP); the officer or
    # commune pages check the scope themselves.
    picked_officer, picked_commune = request.GET.get("officer", ""), request.GET.get("commune", "")
    if is_ascii_int(picked_officer):
        return redirect("manage:officer", pk=int(picked_officer))
    if is_ascii_int(picked_commune):
        return redirect("manage:commune", code=int(picked_commune))
    scope = scope_for(request.user)
    return render(request, "personnel/edit/index.html", {
        "officers": officer_choices(request.user).only(
            "pk", "full_name", "service_number", "home_unit__name", "home_unit__short_name"),
        # The commune screens work on today's units: the code names one of them.
        "communes": commune_choices(request.user).existing_on(today()).only(
            "code", "name", "district__name", "province__name"),
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
        before = Officer.objects.get(pk=officer.pk)

        def correct():  # the edit and its correction record in one transaction
            with transaction.atomic():
                done = services.officer_update(officer=officer, change_reason=form.cleaned_data["change_reason"], **data)
                corrections.record_officer_edit(before, officer, reason=form.cleaned_data["change_reason"])
                return done

        # The form already wrote the values onto the instance; the service checks and saves them.
        done = _run(form, correct)
        if done:
            messages.success(request, _("Details of %(name)s saved.") % {"name": officer.full_name})
            return redirect("manage:officer", pk=officer.pk)
        officer.refresh_from_db()
    return _form_page(request, form, title=_("Correct an officer's details"), context={"officer": officer})


@editor_required
def officer_change(request, pk: int):
    officer = _officer_for_user(request.user, pk)
    form = OfficerChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _run(form, lambda: services.officer_change(
            officer=officer, on=d["on"], rank=d["rank"], home_unit=d["home_unit"], status=d["status"],
            decision_number=d["decision_number"], decision_date=d["decision_date"], change_reason=d["change_reason"]))
        if done:
            messages.success(request, _("The change for %(name)s from %(date)s is recorded.") % {
                "name": officer.full_name, "date": d["on"].strftime("%d/%m/%Y")})
            return redirect("manage:officer", pk=officer.pk)
    return _form_page(request, form, title=_("Promotion, home unit or status from a day on"),
                      context={"officer": officer}, submit=_("Record the change"))


@editor_required
def officer_page(request, pk: int):
    officer = _officer_for_user(request.user, pk)
    scope = scope_for(request.user)
    postings = list(officer.postings.select_related("commune__district", "commune__former_district").order_by("-start_date"))
    for posting in postings:
        posting.editable = scope.allows_commune(posting.commune)
    roles = list(officer.party_roles.select_related("commune__district", "commune__former_district", "cell")
                 .order_by("-start_date"))
    for role in roles:
        role.editable = scope.allows_commune(role.commune)
    changes = record_changes(Officer, [officer.pk]) + record_changes(Posting, [p.pk for p in postings]) + \
        record_changes(PartyRole, [r.pk for r in roles])
    changes.sort(key=lambda c: c.when, reverse=True)
    return render(request, "personnel/edit/officer.html", {
        "officer": officer, "postings": postings, "roles": roles, "changes": changes,
        "corrections": list(Correction.objects.filter(officer=officer).select_related("user", "undone_by")),
        "dated_changes": list(officer.changes.filter(effective_on__isnull=False).select_related("home_unit")
                              .order_by("-effective_on", "attribute")),
    })


# ---------------------------------------------------------------- postings

@editor_required
def posting_assign(request):
    form = PostingAssignForm(request.POST or None, user=request.user, initial=_prefill(request))
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
    # A submission for a posting ended meanwhile is answered by the form (who ended it), not a 404.
    if not posting.is_open and request.method != "POST":
        raise Http404
    form = PostingTransferForm(request.POST or None, user=request.user, posting=posting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["to_commune"])
        new = _run(form, lambda: services.posting_transfer(
            posting=posting, to_commune=d["to_commune"], on=d["on"], position=d["position"],
            decision_number=d["decision_number"], decision_date=d["decision_date"], change_reason=d["change_reason"],
            version=d["version"],
        ))
        if new:
            messages.success(request, _("%(name)s transferred to %(commune)s from %(date)s.") % {
                "name": posting.officer.full_name, "commune": new.commune.name, "date": new.start_date.strftime("%d/%m/%Y")})
            _roles_ended_message(request, posting, new.ended_roles)
            return redirect("manage:officer", pk=posting.officer_id)
    return _form_page(request, form, title=_("Transfer an officer"), context={"posting": posting}, submit=_("Transfer"))


@editor_required
def posting_end(request, pk: int):
    posting = _posting_for_user(request.user, pk)
    if not posting.is_open and request.method != "POST":
        raise Http404
    form = PostingEndForm(request.POST or None, posting=posting)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _run(form, lambda: services.posting_end(
            posting=posting, on=d["end_date"], reason=d["end_reason"], note=d["note"], change_reason=d["change_reason"],
            version=d["version"]))
        if done:
            messages.success(request, _("The posting of %(name)s in %(commune)s ended on %(date)s.") % {
                "name": posting.officer.full_name, "commune": posting.commune.name, "date": d["end_date"].strftime("%d/%m/%Y")})
            _roles_ended_message(request, posting, done.ended_roles)
            return redirect("manage:officer", pk=posting.officer_id)
    return _form_page(request, form, title=_("End a posting"), context={"posting": posting}, submit=_("End the posting"))


# ---------------------------------------------------------------- Party roles and cells

@editor_required
def partyrole_appoint(request):
    form = PartyRoleAppointForm(request.POST or None, user=request.user, initial=_prefill(request))
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
    if not role.is_open and request.method != "POST":
        raise Http404
    form = PartyRoleEndForm(request.POST or None, party_role=role)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.party_role_end(
                party_role=role, on=d["end_date"], change_reason=d["change_reason"], version=d["version"])):
            messages.success(request, _("%(holder)s is no longer %(role)s from %(date)s.") % {
                "holder": role.holder, "role": role.get_role_display(),
                "date": (d["end_date"] + datetime.timedelta(days=1)).strftime("%d/%m/%Y")})
            return redirect("manage:commune", code=role.commune.code)
    return _form_page(request, form, title=_("End a Party role"), context={"party_role": role}, submit=_("End the role"))


@editor_required
def partycell_establish(request):
    form = PartyCellEstablishForm(request.POST or None, user=request.user, initial=_prefill(request))
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
    if not cell.is_active and request.method != "POST":
        raise Http404
    form = PartyCellDissolveForm(request.POST or None, cell=cell)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.party_cell_dissolve(
                cell=cell, on=d["dissolved_on"], change_reason=d["change_reason"], version=d["version"])):
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
