"""The pipeline's pages: the counts at each stage as of a day, the candidates list (exported), a candidate's
and a course's page, and the data-entry forms. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from communes.lookup import province_of_scope, province_of_the_day, unit_on
from communes.models import District, Province
from kontum_posts.lib.asof import request_as_of
from kontum_posts.lib.params import is_ascii_int
from personnel.access import require_edit, scope_for, scoped
from personnel.web.listing import table_page
from pipeline import services
from pipeline.choices import STAGE_ORDER, Stage
from pipeline.models import Candidate, Course, Enrolment
from pipeline.selectors import (
    area_province_q,
    candidates_on,
    has_districts_on,
    may_change_candidate,
    may_manage_courses,
    scoped_candidates,
    scoped_courses,
    stage_counts,
    units_offered,
)
from pipeline.stages import with_stage
from pipeline.web.filters import CandidateFilterSet
from pipeline.web.forms import CandidateSelectForm, CourseForm, DropForm, EnrolForm, ReadyForm, ResultForm
from pipeline.web.tables import CandidateTable

KON_TUM = 62


# ---- permission helpers ----------------------------------------------------------------------

def _province_for(request, as_of: datetime.date) -> Province | None:
    """The province the page is about, as on the dashboard: the user's own (before it existed, one it came
    from; after it ended, it still names its area); ?province=CODE picks another of the user's scope."""
    scope = scope_for(request.user)
    if not scope.sees_anything:
        return None
    code = request.GET.get("province", "")
    if code and not is_ascii_int(code):
        raise Http404
    provinces = scoped(Province.objects.all(), request.user)
    if code and provinces.filter(code=int(code)).exists():
        return unit_on(provinces, int(code), as_of)
    if scope.national:
        kon_tum = Province.objects.filter(code=KON_TUM).order_by("established_on").first()
        default = kon_tum or Province.objects.order_by("code").first()
        return province_of_the_day(default, as_of) if default is not None else None
    return province_of_scope(provinces, scope.province_id, as_of)


def _candidate_for_user(request, pk: int, *, change: bool = False) -> Candidate:
    candidate = get_object_or_404(
        scoped_candidates(request.user).select_related("officer", "selected_by", "district", "province"), pk=pk)
    if change and not may_change_candidate(request.user, candidate):
        raise PermissionDenied
    return candidate


def _course_for_user(request, pk: int) -> Course:
    return get_object_or_404(scoped_courses(request.user).select_related("organiser", "province"), pk=pk)


def _run(form, action):
    """Call the service; a refusal becomes a form error in the rule's words, and nothing is written."""
    try:
        return action()
    except ValidationError as error:
        texts = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, lines in texts.items():
            for text in lines:
                form.add_error(name if name in form.fields else None, text)
        return None


def _form_page(request, form, *, title: str, back: str, intro: str = "", submit: str = ""):
    return render(request, "pipeline/form.html", {
        "form": form, "title": title, "intro": intro, "back": back, "submit": submit or _("Save")})


# ---- pages -------------------------------------------------------------------------------------

def overview(request):
    as_of = request_as_of(request).day
    province = _province_for(request, as_of)
    if province is None:
        return render(request, "dashboard/no_access.html", status=403)
    rows = candidates_on(request.user, province=province, day=as_of)
    by_district = has_districts_on(province, as_of)
    groups, total = stage_counts(rows, by_district=by_district)
    enrolled = Enrolment.objects.filter(course=OuterRef("pk")).order_by().values("course").annotate(n=Count("pk")).values("n")
    courses = list(
        scoped_courses(request.user).filter(area_province_q(province, as_of), start_date__lte=as_of)
        .select_related("organiser").annotate(enrolled=Coalesce(Subquery(enrolled), 0)).order_by("-start_date", "pk")[:20])
    return render(request, "pipeline/overview.html", {
        "province": province, "province_of_day": province_of_the_day(province, as_of), "as_of": as_of,
        "groups": groups, "total": total, "by_district": by_district, "stages": [(s, Stage(s).label) for s in STAGE_ORDER],
        "courses": courses, "can_edit": scope_for(request.user).can_edit,
        "can_manage_courses": may_manage_courses(request.user),
        "province_query": f"&province={province.code}" if request.GET.get("province") else "",
    })


def candidate_list(request):
    as_of = request_as_of(request).day
    province = _province_for(request, as_of)
    if province is None:
        return render(request, "dashboard/no_access.html", status=403)
    area = area_province_q(province, as_of)

    def filterset_kwargs() -> dict:
        districts = scoped(District.objects.filter(area), request.user).order_by("sort_key") \
            if has_districts_on(province, as_of) else []
        return {
            "districts": list(districts), "units": list(units_offered(request.user)),
            "courses": list(scoped_courses(request.user).filter(area, start_date__lte=as_of)),
        }

    return table_page(  # rows and filters made only when the body is computed, not when it is served cached
        request, queryset=lambda: candidates_on(request.user, province=province, day=as_of).order_by("officer__sort_key", "pk"),
        filterset_class=CandidateFilterSet, table_class=CandidateTable,
        template="pipeline/candidate_list.html", what="nguon-can-bo", title=_("Candidates for commune posts"),
        filterset_kwargs=filterset_kwargs,
        context={"province": province, "stages": Stage.choices},
    )


def candidate_detail(request, pk: int):
    as_of = request_as_of(request).day
    candidate = _candidate_for_user(request, pk)
    on_day = with_stage(Candidate.objects.filter(pk=candidate.pk), as_of).values("stage", "ready_since", "status_on").first()
    enrolments = list(candidate.enrolments.select_related("course", "course__organiser").order_by("course__start_date", "pk"))
    return render(request, "pipeline/candidate_detail.html", {
        "candidate": candidate, "as_of": as_of, "on_day": on_day,
        "stage_label": Stage(on_day["stage"]).label if on_day else "",
        "enrolments": enrolments, "can_change": may_change_candidate(request.user, candidate),
    })


def course_detail(request, pk: int):
    as_of = request_as_of(request).day
    course = _course_for_user(request, pk)
    # Only the candidates the user may see; a result dated after the day is not shown as of the day.
    enrolments = list(
        Enrolment.objects.filter(course=course, candidate__in=scoped_candidates(request.user))
        .select_related("candidate__officer", "candidate__district", "candidate__selected_by")
        .order_by("candidate__officer__sort_key", "pk"))
    for enrolment in enrolments:
        enrolment.known = bool(enrolment.result) and enrolment.result_on <= as_of
        enrolment.may_record = not enrolment.result
    counts = {r: sum(1 for e in enrolments if e.known and e.result == r) for r in ("passed", "failed", "withdrawn")}
    return render(request, "pipeline/course_detail.html", {
        "course": course, "as_of": as_of, "enrolments": enrolments, "counts": counts,
        "can_edit": scope_for(request.user).can_edit, "not_yet": course.start_date > as_of,
    })


# ---- data entry --------------------------------------------------------------------------------

def candidate_select(request):
    scope = require_edit(request.user)
    form = CandidateSelectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit, district = data["selected_by"], data["district"]
        if scope.district_ids and not ({unit.district_id, district and district.pk} & scope.district_ids):
            form.add_error("district", _("You select candidates for your own districts only."))
        else:
            candidate = _run(form, lambda: services.candidate_select(
                officer=data["officer"], selected_by=unit, on=data["selected_on"], district=district,
                decision_number=data["decision_number"], decision_date=data["decision_date"]))
            if candidate:
                messages.success(request, _("%(name)s selected as a candidate.") % {"name": candidate.officer.full_name})
                return redirect("pipeline:candidate", pk=candidate.pk)
    return _form_page(request, form, title=_("Select a candidate"), back="pipeline:overview",
                      submit=_("Select the candidate"))


def course_add(request):
    require_edit(request.user)
    if not may_manage_courses(request.user):
        raise PermissionDenied
    form = CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        course = _run(form, lambda: services.course_create(**form.cleaned_data))
        if course:
            messages.success(request, _("Course %(name)s created.") % {"name": course.name})
            return redirect("pipeline:course", pk=course.pk)
    return _form_page(request, form, title=_("New training course"), back="pipeline:overview", submit=_("Create the course"))


def course_enrol(request, pk: int):
    course = _course_for_user(request, pk)
    require_edit(request.user)
    form = EnrolForm(request.POST or None, user=request.user, course=course)
    if request.method == "POST" and form.is_valid():
        candidate = form.cleaned_data["candidate"]
        if _run(form, lambda: services.enrolment_add(course=course, candidate=candidate)):
            messages.success(request, _("%(name)s enrolled.") % {"name": candidate.officer.full_name})
            return redirect("pipeline:course", pk=course.pk)
    return _form_page(request, form, title=_("Enrol in %(course)s") % {"course": course.name}, back="pipeline:overview",
                      submit=_("Enrol"))


def enrolment_result(request, pk: int):
    enrolment = get_object_or_404(
        Enrolment.objects.filter(candidate__in=scoped_candidates(request.user)).select_related("course", "candidate__officer"),
        pk=pk)
    if not may_change_candidate(request.user, enrolment.candidate):
        raise PermissionDenied
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: services.enrolment_result(
            enrolment=enrolment, result=form.cleaned_data["result"], on=form.cleaned_data["result_on"]))
        if done:
            messages.success(request, _("Result recorded for %(name)s.") % {"name": enrolment.candidate.officer.full_name})
            return redirect("pipeline:course", pk=enrolment.course_id)
    return _form_page(request, form, title=_("Result of %(name)s in %(course)s") % {
        "name": enrolment.candidate.officer.full_name, "course": enrolment.course.name}, back="pipeline:overview")


def candidate_ready(request, pk: int):
    candidate = _candidate_for_user(request, pk, change=True)
    form = ReadyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.candidate_mark_ready(
                candidate=candidate, on=form.cleaned_data["ready_on"], note=form.cleaned_data["ready_note"])):
            messages.success(request, _("%(name)s marked ready for posting.") % {"name": candidate.officer.full_name})
            return redirect("pipeline:candidate", pk=candidate.pk)
    return _form_page(request, form, title=_("Mark %(name)s ready for posting") % {"name": candidate.officer.full_name},
                      back="pipeline:overview")


def candidate_drop(request, pk: int):
    candidate = _candidate_for_user(request, pk, change=True)
    form = DropForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.candidate_drop(
                candidate=candidate, on=form.cleaned_data["dropped_on"], reason=form.cleaned_data["drop_reason"])):
            messages.success(request, _("%(name)s dropped out of the pipeline.") % {"name": candidate.officer.full_name})
            return redirect("pipeline:candidate", pk=candidate.pk)
    return _form_page(request, form, title=_("%(name)s drops out") % {"name": candidate.officer.full_name},
                      back="pipeline:overview")
