"""The follow-up log's pages: the province-wide list (filters, CSV/XLSX), an entry with its states, and the
forms to record, correct and move on a follow-up and to assign or end a department's support.

Every page needs a login (the project's middleware); reads follow the user's scope (another area's entry is a
404); writes need an editor whose scope holds the commune (require_edit), else 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.lookup import unit_on
from communes.models import Commune
from followup import services
from followup.models import LogEntry
from followup.selectors import entry_rows
from followup.web.filters import LogEntryFilterSet
from followup.web.forms import LogEntryForm, StateChangeForm, SupportAssignForm, SupportEndForm
from followup.web.tables import LogEntryTable, state_label
from kontum_posts.lib.asof import request_as_of, today
from kontum_posts.lib.params import is_ascii_int
from personnel.access import editor_required, require_edit, scope_for, scoped
from personnel.support import SupportAssignment, support_assign, support_end
from personnel.web.listing import table_page


def _entry_for_user(request, pk: int) -> LogEntry:
    """The entry read on the request's day, in the user's scope (404 otherwise)."""
    return get_object_or_404(entry_rows(user=request.user, as_of=request_as_of(request).day, later_too=True), pk=pk)


def _commune_prefill(request) -> dict:
    code = request.GET.get("commune", "")
    if not is_ascii_int(code):
        return {}
    try:
        return {"commune": unit_on(scoped(Commune.objects.all(), request.user), int(code), today()).pk}
    except Http404:
        return {}


def _saved(form, action):
    """The service's result, or None with its refusal shown on the form in the rule's words."""
    try:
        return action()
    except ValidationError as error:
        found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in found.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return None


def _form_page(request, form, *, title, submit, context: dict | None = None):
    return render(request, "followup/form.html", {"form": form, "title": title, "submit": submit, **(context or {})})


def entry_list(request):
    if not scope_for(request.user).sees_anything:
        raise Http404
    as_of = request_as_of(request).day
    return table_page(
        request, queryset=lambda: entry_rows(user=request.user, as_of=as_of), filterset_class=LogEntryFilterSet,
        table_class=LogEntryTable, template="followup/entry_list.html", what="theo-doi-xa", title=gettext_lazy("Follow-up log"),
    )


def entry_detail(request, pk: int):
    entry = _entry_for_user(request, pk)
    as_of = request_as_of(request).day
    states = list(entry.states.select_related("recorded_by").order_by("on", "pk"))
    scope = scope_for(request.user)
    return render(request, "followup/entry_detail.html", {
        "entry": entry, "states": states, "as_of": as_of, "state_now": state_label(entry.state_at(as_of, states)),
        "may_edit": scope.can_edit and scope.allows_commune(entry.commune),
    })


@editor_required
def entry_add(request):
    form = LogEntryForm(request.POST or None, user=request.user, initial=_commune_prefill(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        entry = _saved(form, lambda: services.entry_record(user=request.user, **d))
        if entry:
            messages.success(request, _("Visit or report in %(commune)s recorded.") % {"commune": entry.commune.name})
            return redirect("followup:entry", pk=entry.pk)
    return _form_page(request, form, title=_("Record a visit or report"), submit=_("Save"))


@editor_required
def entry_edit(request, pk: int):
    entry = _entry_for_user(request, pk)
    require_edit(request.user, entry.commune)
    form = LogEntryForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        if _saved(form, lambda: services.entry_correct(entry=entry, user=request.user, **d)):
            messages.success(request, _("Entry corrected."))
            return redirect("followup:entry", pk=entry.pk)
    return _form_page(request, form, title=_("Correct a visit or report"), submit=_("Save"), context={"entry": entry})


@editor_required
def entry_state(request, pk: int):
    entry = _entry_for_user(request, pk)
    require_edit(request.user, entry.commune)
    if not entry.has_followup:
        raise Http404
    form = StateChangeForm(request.POST or None, entry=entry, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _saved(form, lambda: services.entry_change_state(entry=entry, user=request.user, **d)):
            messages.success(request, _("The follow-up's state is recorded."))
            return redirect("followup:entry", pk=entry.pk)
    return _form_page(request, form, title=_("Change the follow-up's state"), submit=_("Save"), context={"entry": entry})


@editor_required
def support_add(request):
    initial = {**_commune_prefill(request), "start_date": today()}
    form = SupportAssignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require_edit(request.user, d["commune"])
        assignment = _saved(form, lambda: support_assign(unit=d["unit"], commune=d["commune"], start=d["start_date"],
                                                         end=d["end_date"], decision_number=d["decision_number"]))
        if assignment:
            messages.success(request, _("%(unit)s supports %(commune)s.") % {"unit": assignment.unit.name,
                                                                             "commune": assignment.commune.name})
            return redirect("commune_detail", code=assignment.commune.code)
    return _form_page(request, form, title=_("Assign a department to support a commune"), submit=_("Assign"))


@editor_required
def support_end_view(request, pk: int):
    assignment = get_object_or_404(SupportAssignment.objects.filter(scope_for(request.user).commune_q("commune__"))
                                   .select_related("unit", "commune"), pk=pk)
    require_edit(request.user, assignment.commune)
    if assignment.end_date is not None and request.method != "POST":
        raise Http404
    form = SupportEndForm(request.POST or None, initial={"end_date": today()})
    if request.method == "POST" and form.is_valid():
        if _saved(form, lambda: support_end(assignment=assignment, on=form.cleaned_data["end_date"])):
            messages.success(request, _("The assignment of %(unit)s to %(commune)s ends.") % {
                "unit": assignment.unit.name, "commune": assignment.commune.name})
            return redirect("commune_detail", code=assignment.commune.code)
    return _form_page(request, form, title=_("End a support assignment"), submit=_("End it"),
                      context={"assignment": assignment})
