"""Printed summaries: the pilot review (PDF, XLSX) and the district roster (PDF).

Every report is limited to the user's scope. The province review covers every district, so a
user limited to some districts gets 403 for it (their district roster is open to them); a district
outside the user's scope is 404, as if it did not exist.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communes.lookup import province_of_scope, province_of_the_day, unit_on
from communes.models import District, Province
from kontum_posts.lib.asof import request_as_of, today
from kontum_posts.lib.export import XLSX_TYPE, export_filename
from kontum_posts.lib.params import is_ascii_int
from personnel import access_log
from personnel.access import scope_for, scoped
from reports import data
from reports.pdf import render_pdf
from reports.xlsx import pilot_review_workbook
from roadmap.progress import plan_roadmap

# The printed documents follow Decree 30/2020/NĐ-CP: Vietnamese, whatever the interface language.
DOCUMENT_LANGUAGE = "vi"


class BadReportRequest(Exception):
    """A parameter the user can fix; answered with 400 and the reason."""


def _as_of(request) -> datetime.date:
    """?as_of= as on every page (YYYY-MM-DD or dd/mm/yyyy; today when absent), but a report refuses
    what a page shows as today instead: a bad date, or one in the future, which no figure describes yet.
    Every report reads its day here, so the review and the roster share one default (lib.asof.today)."""
    chosen = request_as_of(request)
    day = chosen.day
    if not chosen.valid:
        raise BadReportRequest(
            _("Invalid date “%(value)s”: give the day as dd/mm/yyyy or YYYY-MM-DD, for example 23/04/2019.")
            % {"value": chosen.raw[:40]}
        )
    if day > today():
        raise BadReportRequest(
            _("The date %(day)s is in the future: a report describes a day that has passed.") % {"day": f"{day:%d/%m/%Y}"}
        )
    return day


def _code(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not is_ascii_int(raw):
        raise BadReportRequest(_("Invalid %(name)s code “%(value)s”: it is a number.") % {"name": name, "value": raw[:40]})
    return int(raw)


def _province_for(request) -> Province:
    """The province the review is about: the user's own, or ?province=CODE for national users."""
    scope = scope_for(request.user)
    if not scope.sees_anything or scope.district_ids:
        raise PermissionDenied
    code = _code(request, "province")
    provinces = scoped(Province.objects.all(), request.user)
    if code is not None:
        return unit_on(provinces, code, _as_of(request))
    if scope.national:
        raise BadReportRequest(_("Choose a province: add ?province=CODE (Kon Tum is 62)."))
    return province_of_scope(provinces, scope.province_id, _as_of(request))


def _district_for(request) -> District:
    code = _code(request, "district")
    if code is None:
        raise BadReportRequest(_("Choose a district: add ?district=CODE."))
    return unit_on(scoped(District.objects.select_related("province"), request.user), code, _as_of(request))


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _report_view(view):
    """GET only, never cached (personnel data), written to the access log, a BadReportRequest answered by a
    page saying why (400)."""

    @require_GET
    @never_cache
    @access_log.logs_download
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadReportRequest as error:
            # date_error: the reason says it; the header's own "showing today" would contradict it.
            return render(request, "reports/bad_request.html", {"reason": str(error), "date_error": ""}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def pilot_review_html(request, province: Province, as_of: datetime.date, number: str = "") -> str:
    return pilot_review_printed(request, province, as_of, number)[0]


def pilot_review_printed(request, province: Province, as_of: datetime.date, number: str = "") -> tuple[str, dict]:
    """The review's HTML (with its number once issued) and the figures it prints, by label."""
    report = data.pilot_review(province=province, as_of=as_of)
    with translation.override(DOCUMENT_LANGUAGE):
        context = {"report": report, "issuer": report.issuer, "date_line": report.date_line, "number": number,
                   "roadmap": plan_roadmap(plan=report.plan, as_of=as_of, known={as_of: report.area},
                                           timeline=report.timeline)}
        html = render_to_string("reports/pilot_review.html", context, request=request)
        figures = data.figure_labels(report.figures, province.name)
        for row in report.districts:
            figures.update(data.figure_labels(row.figures, row.district.name))
    return html, figures


def district_roster_printed(request, district: District, as_of: datetime.date, number: str = "") -> tuple[str, dict]:
    """The roster's HTML (with its number once issued) and what it counts, by label."""
    roster = data.district_roster(district=district, as_of=as_of, user=request.user)
    with translation.override(DOCUMENT_LANGUAGE):
        name = data.in_text(district.name)
        context = {
            "district": district,
            # Kept on one line: a title that breaks inside a place name reads badly. After its end, the
            # roster is the former district's area, issued by the province of the day.
            "district_in_text": format_html('<span class="nobr">{}</span>', name if district.exists_on(as_of)
                                            else _("%(name)s (former)") % {"name": name}),
            "as_of": as_of,
            "issuer": data.Issuer.for_province(province_of_the_day(district.province, as_of)),
            "date_line": data.document_date(as_of),
            "communes": roster,
            "officer_count": sum(len(row.postings) for row in roster),
            "number": number,
        }
        html = render_to_string("reports/district_roster.html", context, request=request)
        figures = {_("Officers in post"): context["officer_count"],
                   **{f"{row.commune.name}: {_('officers')}": len(row.postings) for row in roster}}
    return html, figures


@_report_view
def pilot_review_pdf(request):
    as_of = _as_of(request)
    province = _province_for(request)
    pdf = render_pdf(pilot_review_html(request, province, as_of))
    return _download(pdf, "application/pdf", export_filename("bao-cao-so-ket", province.short_name, day=as_of, ext="pdf"))


@_report_view
def district_roster_pdf(request):
    as_of = _as_of(request)
    district = _district_for(request)
    pdf = render_pdf(district_roster_printed(request, district, as_of)[0])
    return _download(pdf, "application/pdf", export_filename("danh-sach", district.short_name, day=as_of, ext="pdf"))


@_report_view
def pilot_review_xlsx(request):
    as_of = _as_of(request)
    province = _province_for(request)
    report = data.pilot_review(province=province, as_of=as_of)
    body = pilot_review_workbook(report)
    return _download(
        body,
        XLSX_TYPE,
        export_filename("so-lieu-so-ket", province.short_name, day=as_of, ext="xlsx"),
    )
