"""Issuing a report for signature, and comparing what it printed with what the same report prints today.

`issue()` numbers the report (Số: N/BC-CAT, counted per issuing province and year, one at a time under the
province row's lock), renders the PDF with its number, and keeps the bytes, their SHA-256, the figures and
the printed lines. A later download returns those bytes. `compare()` renders the same report for the same
day from today's data and lists the figures and lines that changed, with the corrections made since it was
issued in its area (events dated after its day change nothing it printed: tests/personnel/test_later_events.py).
"""

from __future__ import annotations

import difflib
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.html import strip_tags

from communes.lookup import province_of_the_day
from communes.models import Province, area_q
from personnel.models import Correction, Officer
from reports.models import IssuedReport, ReportKind
from reports.pdf import render_pdf

_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_BLOCK_END = re.compile(r"</(?:tr|p|div|li|h[1-6]|caption)\s*>|<br\s*/?>", re.I)
_ROW_NUMBER = re.compile(r"^\d+ \| ")


def printed_lines(html: str) -> list[str]:
    """The text a document prints, a line per paragraph or table row (cells joined by " | "), from the HTML
    it is rendered from: what a reader compares."""
    body = " ".join(html.split("<body>", 1)[-1].split())  # the source's own line breaks print nothing
    body = _BLOCK_END.sub("\n", _CELL_END.sub(" | ", body))
    text = html_lib.unescape(strip_tags(body))
    lines = (" ".join(line.split()).strip(" |") for line in text.splitlines())
    return [line for line in lines if line]


def _printed(request, kind: str, *, as_of, province=None, district=None, number: str = "") -> tuple[str, dict]:
    from reports import views  # the report views build the documents

    if kind == ReportKind.PILOT_REVIEW:
        return views.pilot_review_printed(request, province, as_of, number)
    return views.district_roster_printed(request, district, as_of, number)


def issuing_province(*, as_of, province=None, district=None) -> Province:
    return province if district is None else province_of_the_day(district.province, as_of)


def issue(request, kind: str, *, as_of, province=None, district=None) -> IssuedReport:
    issuer = issuing_province(as_of=as_of, province=province, district=district)
    year = timezone.localdate().year
    with transaction.atomic():
        Province.objects.select_for_update().filter(pk=issuer.pk).first()  # numbers of a province one at a time
        last = IssuedReport.objects.filter(province=issuer, year=year).aggregate(n=Max("number"))["n"] or 0
        report = IssuedReport(province=issuer, district=district, kind=kind, year=year, number=last + 1, as_of=as_of,
                              issued_by=request.user, issued_at=timezone.now())
        html, figures = _printed(request, kind, as_of=as_of, province=province, district=district,
                                 number=report.number_text)
        report.pdf = render_pdf(html)
        report.sha256 = hashlib.sha256(report.pdf).hexdigest()
        report.figures = {str(k): v for k, v in figures.items()}
        report.lines = printed_lines(html)
        report.save()
    return report


@dataclass
class Comparison:
    figures: list[tuple[str, object, object]] = field(default_factory=list)  # label, then, now
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.figures or self.removed or self.added)


def compare(request, report: IssuedReport) -> Comparison:
    """The same report for the same day from today's data, against what was issued."""
    area = {"province": report.province} if report.kind == ReportKind.PILOT_REVIEW else {"district": report.district}
    html, figures = _printed(request, report.kind, as_of=report.as_of, number=report.number_text, **area)
    now = {str(k): v for k, v in figures.items()}
    out = Comparison(corrections=corrections_since(report))
    for label in list(report.figures) + [k for k in now if k not in report.figures]:
        then, today = report.figures.get(label, "—"), now.get(label, "—")
        if then != today:
            out.figures.append((label, then, today))
    lines = printed_lines(html)
    # Rows are matched without their number (one row more renumbers those after it; they did not change).
    keys = [_ROW_NUMBER.sub("", line) for line in report.lines], [_ROW_NUMBER.sub("", line) for line in lines]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False).get_opcodes():
        if tag != "equal":
            out.removed += report.lines[i1:i2]
            out.added += lines[j1:j2]
    return out


def corrections_since(report: IssuedReport) -> list[Correction]:
    """The corrections made after the report was issued to records of its area (a posting, role or cell in one
    of its communes, or the details of an officer posted there)."""
    if report.district_id is not None:
        place = area_q(district=report.district, prefix="commune__")
        posted = area_q(district=report.district, prefix="postings__commune__")
    else:
        place = area_q(province=report.province, prefix="commune__")
        posted = area_q(province=report.province, prefix="postings__commune__")
    officers = Officer.objects.filter(posted).values("pk")
    return list(Correction.objects.filter(at__gt=report.issued_at).filter(place | Q(commune__isnull=True, officer__in=officers))
                .select_related("user").order_by("at", "pk"))
