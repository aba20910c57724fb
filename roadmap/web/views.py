"""The roadmap's screens: the plans, a plan's roadmap as of a day (with its CSV/XLSX), and the milestone forms.
Views parse the request, call a selector or a service, and render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.export import csv_response, export_filename, xlsx_response
from personnel import access_log
from personnel.access import scope_for
from personnel.coverage import rollout_series, staffing_timeline
from personnel.models import AccessEvent
from roadmap import services
from roadmap.access import may_edit, may_edit_any, plans_for
from roadmap.chart import roadmap_charts
from roadmap.models import Milestone
from roadmap.progress import plan_roadmap
from roadmap.web.forms import MilestoneForm


def _plan_for_user(request, pk: int):
    return get_object_or_404(plans_for(request.user), pk=pk)


def _milestone_for_user(request, pk: int) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.select_related("plan__province", "district")
                                  .filter(plan__in=plans_for(request.user)), pk=pk)
    if not may_edit(request.user, milestone.plan, milestone.district):
        raise PermissionDenied
    return milestone


def _roadmap_of(request, plan, as_of: datetime.date, *, chart: bool):
    district_ids = scope_for(request.user).district_ids
    if as_of < plan.issued_on:  # nothing due yet, nothing to draw
        return plan_roadmap(plan=plan, as_of=as_of, district_ids=district_ids)
    # One timeline from the plan's issue (its due dates are never before it) for the chart and the due dates.
    timeline = staffing_timeline(province=plan.province, start=plan.issued_on, end=as_of, plan=plan,
                                 district_ids=district_ids)
    rollout = rollout_series(province=plan.province, start=plan.issued_on, end=as_of, plan=plan,
                             district_ids=district_ids, timeline=timeline) if chart else []
    return plan_roadmap(plan=plan, as_of=as_of, district_ids=district_ids, rollout=rollout, timeline=timeline)


def plan_list(request):
    as_of = request_as_of(request).day
    plans = list(plans_for(request.user).order_by("-issued_on", "number"))
    return render(request, "roadmap/plan_list.html", {"plans": plans, "as_of": as_of})


def plan_page(request, pk: int):
    as_of = request_as_of(request).day
    plan = _plan_for_user(request, pk)
    roadmap = _roadmap_of(request, plan, as_of, chart=True)
    return render(request, "roadmap/plan.html", {
        "plan": plan, "roadmap": roadmap, "as_of": as_of, "charts": roadmap_charts(roadmap),
        "can_add": may_edit_any(request.user, plan),
        "editable": {row.milestone.pk for row in roadmap.rows if may_edit(request.user, plan, row.milestone.district)},
        "limited": bool(scope_for(request.user).district_ids),
    })


def export_rows(roadmap) -> list[list]:
    """The roadmap's table as a spreadsheet has it: one row a milestone, its actual figures on both days."""
    rows = [[_("No."), _("Area"), _("Due date"), _("Target: communes covered"), _("Target: officers in post"),
             _("Communes covered on the due date"), _("Officers in post on the due date"),
             _("Communes covered on %(day)s") % {"day": f"{roadmap.as_of:%d/%m/%Y}"},
             _("Officers in post on %(day)s") % {"day": f"{roadmap.as_of:%d/%m/%Y}"}, _("State"), _("Note")]]
    for i, row in enumerate(roadmap.rows, start=1):
        m, due = row.milestone, row.on_due
        rows.append([i, row.area, m.due_on, m.communes_target, m.officers_target,
                     due.communes_covered if due else None, due.officers_in_post if due else None,
                     row.on_day.communes_covered, row.on_day.officers_in_post, row.state_label, m.note])
    return rows


def plan_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    as_of = request_as_of(request).day
    plan = _plan_for_user(request, pk)
    roadmap = _roadmap_of(request, plan, as_of, chart=False)
    access_log.record(request, AccessEvent.Kind.EXPORT)
    filename = export_filename("lo-trinh", plan.number, plan.province.short_name, day=as_of, ext=fmt)
    notes = [(_("Plan"), plan.number), (_("Province"), plan.province.name), (_("As of"), as_of)]
    if fmt == "xlsx":
        return xlsx_response(export_rows(roadmap), filename, sheet_title=_("Roadmap"), notes=notes)
    return csv_response([*export_rows(roadmap), [], *notes], filename)


def _run(form, action):
    """The service's refusal (its rule or the database's) as the form's errors: nothing is written then."""
    try:
        return action()
    except ValidationError as error:
        for field, texts in (error.message_dict if hasattr(error, "error_dict") else {None: error.messages}).items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return None


def _form_page(request, form, plan, *, title: str, submit: str, milestone=None):
    return render(request, "roadmap/milestone_form.html", {
        "form": form, "plan": plan, "title": title, "submit": submit, "milestone": milestone})


def _back(plan, message_day=None) -> str:
    return reverse("roadmap:plan", args=[plan.pk]) + (f"?as_of={message_day:%Y-%m-%d}" if message_day else "")


def milestone_add(request, pk: int):
    plan = _plan_for_user(request, pk)
    if not may_edit_any(request.user, plan):
        raise PermissionDenied
    form = MilestoneForm(request.POST or None, plan=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.milestone_add(
                plan=plan, district=d.get("district"), due_on=d["due_on"], communes_target=d["communes_target"],
                officers_target=d["officers_target"], note=d["note"])):
            messages.success(request, _("Milestone of %(day)s added.") % {"day": f"{d['due_on']:%d/%m/%Y}"})
            return redirect(_back(plan))
    return _form_page(request, form, plan, title=_("Add a milestone to plan %(plan)s") % {"plan": plan.number},
                      submit=_("Add the milestone"))


def milestone_edit(request, pk: int):
    milestone = _milestone_for_user(request, pk)
    plan = milestone.plan
    form = MilestoneForm(request.POST or None, plan=plan, user=request.user, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _run(form, lambda: services.milestone_correct(
                milestone=milestone, district=d.get("district"), due_on=d["due_on"],
                communes_target=d["communes_target"], officers_target=d["officers_target"], note=d["note"])):
            messages.success(request, _("Milestone of %(day)s corrected.") % {"day": f"{d['due_on']:%d/%m/%Y}"})
            return redirect(_back(plan))
    return _form_page(request, form, plan, title=_("Correct a milestone of plan %(plan)s") % {"plan": plan.number},
                      submit=_("Save the correction"), milestone=milestone)


def milestone_delete(request, pk: int):
    milestone = _milestone_for_user(request, pk)
    if request.method == "POST":
        services.milestone_delete(milestone=milestone)
        messages.success(request, _("Milestone of %(day)s deleted.") % {"day": f"{milestone.due_on:%d/%m/%Y}"})
        return redirect(_back(milestone.plan))
    return render(request, "roadmap/milestone_delete.html", {"milestone": milestone, "plan": milestone.plan})
