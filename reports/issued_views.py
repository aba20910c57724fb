"""The register of issued reports: issue one for signature, list them, download one as issued, compare it with
today's data. Every page needs a login and shows only the user's area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from communes.models import Province
from kontum_posts.lib.params import is_ascii_int
from personnel import access_log
from personnel.access import scope_for, scoped
from reports import issued, views
from reports.data import Issuer
from reports.models import IssuedReport, ReportKind


def visible_reports(user):
    """The issued reports of the user's area: a district-limited user sees their districts' rosters."""
    scope = scope_for(user)
    rows = IssuedReport.objects.select_related("province", "district", "issued_by")
    if scope.national:
        return rows
    if not scope.sees_anything:
        return rows.none()
    if scope.district_ids:
        return rows.filter(district_id__in=scope.district_ids)
    return rows.filter(Q(province__in=scoped(Province.objects.all(), user)) | Q(district__province__in=scope.provinces))


@login_required
@never_cache
def register(request):
    rows = visible_reports(request.user).defer("pdf", "figures", "lines")
    kind, year = request.GET.get("kind", ""), request.GET.get("year", "")
    if kind in ReportKind.values:
        rows = rows.filter(kind=kind)
    if is_ascii_int(year):
        rows = rows.filter(year=int(year))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    years = sorted(set(visible_reports(request.user).values_list("year", flat=True)), reverse=True)
    return render(request, "reports/register.html", {
        "page": page, "kinds": ReportKind.choices, "kind": kind, "year": year, "years": years,
    })


@login_required
@never_cache
def issue_report(request):
    """?kind=pilot_review&province=CODE or ?kind=district_roster&district=CODE, and ?as_of=, as the download links
    take them. A GET asks to confirm (the dashboard is cached for everyone, so it links here rather than carry
    a form and its CSRF token); the POST issues."""
    kind = request.GET.get("kind", "")
    if kind not in ReportKind.values:
        raise PermissionDenied
    try:
        as_of = views._as_of(request)
        area = ({"province": views._province_for(request)} if kind == ReportKind.PILOT_REVIEW
                else {"district": views._district_for(request)})
    except views.BadReportRequest as error:
        return render(request, "reports/bad_request.html", {"reason": str(error), "date_error": ""}, status=400)
    if request.method != "POST":
        return render(request, "reports/issue_confirm.html", {
            "kind": ReportKind(kind).label, "as_of": as_of, "area": area.get("district") or area["province"],
            "issuer": Issuer.for_province(issued.issuing_province(as_of=as_of, **area)).name_in_text})
    report = issued.issue(request, kind, as_of=as_of, **area)
    messages.success(request, _("Issued as No. %(number)s; it is in the register.") % {"number": report.number_text})
    return redirect("reports:issued_detail", pk=report.pk)


@login_required
@never_cache
def issued_detail(request, pk: int):
    report = get_object_or_404(visible_reports(request.user).defer("pdf"), pk=pk)
    comparison = issued.compare(request, report) if request.GET.get("compare") else None
    return render(request, "reports/issued_detail.html", {"report": report, "comparison": comparison})


@login_required
@never_cache
@access_log.logs_download
def issued_pdf(request, pk: int):
    """The PDF exactly as it was issued (the stored bytes)."""
    report = get_object_or_404(visible_reports(request.user), pk=pk)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = f"so-{report.number}-{report.abbreviation}-{report.as_of:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-SHA256"] = report.sha256
    return response
