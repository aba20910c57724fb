"""What each report shows: built from the coverage selectors, in a fixed number of queries.

The PDF and XLSX views and the benchmark share these builders, so the printed figures and the
workbook's figures are the same numbers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from communes.choices import ProvinceKind
from communes.models import Commune, District, Province, area_q
from dashboards.charts import rollout_chart
from facilities.selectors import FacilitiesSummary, facilities_summary
from kontum_posts.lib.vntext import in_text
from personnel.access import scoped
from personnel.choices import Position
from personnel.coverage import (
    AreaStaffing,
    CommuneStaffing,
    DistrictFigures,
    Figures,
    RolloutPoint,
    Timeline,
    area_staffing,
    gap_labels,
    plan_norm,
    rollout_series,
    staffing_timeline,
)
from personnel.models import Plan, Posting
from personnel.officer_history import attributes_on
from personnel.plans import plan_for

DOCUMENT_FONT = "Tinos"  # the @font-face family of static/css/print.css

@dataclass(frozen=True)
class Issuer:
    """The issuing body of a province's documents and how its documents are numbered and placed.

    Decree 30/2020/NĐ-CP: the issuing body's name in capitals, the document's number with the
    kind's abbreviation and the body's (BC-CAT: a report of a provincial police), and the place
    name of the province (its name without "Tỉnh"/"Thành phố").
    """

    parent: str
    name: str
    name_in_text: str
    abbreviation: str
    place: str

    @classmethod
    def for_province(cls, province: Province) -> Issuer:
        city = province.kind == ProvinceKind.CITY
        return cls(
            parent="BỘ CÔNG AN",
            name=f"CÔNG AN {province.name.upper()}",
            # In running text the kind is lower-case: "Công an tỉnh Kon Tum".
            name_in_text=f"Công an {in_text(province.name)}",
            abbreviation="CATP" if city else "CAT",
            place=province.short_name,
        )


FIGURE_LABELS = {
    "officers_in_post": _("Officers in post"),
    "communes_covered": _("Communes covered"),
    "communes_in_plan": _("Communes in the plan"),
    "party_cells": _("Party cells"),
    "cells_with_police_secretary": _("Cells led by a police secretary"),
    "executive_committee_members": _("Executive committee members"),
    "standing_committee_members": _("Standing committee members"),
}


def figure_labels(figures: Figures, area: str) -> dict[str, int]:
    """An area's six figures by printed label ("Huyện Đắk Glei: Communes covered"), for comparing."""
    return {f"{area}: {label}": getattr(figures, name) for name, label in FIGURE_LABELS.items()}


def document_date(day: datetime.date) -> str:
    """The date as a document's place-date line writes it: "ngày 05 tháng 02 năm 2019".

    Decree 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class PilotReview:
    province: Province
    as_of: datetime.date
    plan: Plan | None
    issuer: Issuer
    figures: Figures
    districts: list[DistrictFigures]
    communes: list[CommuneStaffing]
    rollout: list[RolloutPoint]
    facilities: FacilitiesSummary | None = None  # the facilities of the plan's communes (facilities.selectors)
    area: AreaStaffing | None = None    # the province on the day, and the postings since the plan's issue:
    timeline: Timeline | None = None    # what the roadmap's section reads too (roadmap/progress.py)

    @property
    def date_line(self) -> str:
        return document_date(self.as_of)

    @property
    def gaps(self) -> list[CommuneStaffing]:
        return [row for row in self.communes if row.gaps]

    @property
    def gap_rows(self) -> list[tuple[CommuneStaffing, list[str]]]:
        return [(row, self.gap_labels(row)) for row in self.gaps]

    @property
    def norm(self) -> str:
        return plan_norm(self.plan) if self.plan is not None else ""

    def gap_labels(self, row: CommuneStaffing) -> list[str]:
        return gap_labels(row.gaps)

    def chart(self):
        if not self.rollout:
            return ""
        svg = rollout_chart(
            self.rollout,
            as_of=self.as_of,
            communes_label=str(_("Communes with regular officers")),
            officers_label=str(_("Regular officers in post")),
            marker_label=f"{self.as_of:%d/%m/%Y}",
            width=560,
            height=250,
        )
        # WeasyPrint draws SVG apart from the page's CSS, so "inherit" would fall back to a system
        # font (DejaVu) and embed it; name the document's shipped font instead.
        return mark_safe(svg.replace('font-family="inherit"', f'font-family="{DOCUMENT_FONT}"', 1))  # noqa: S308 — the chart escapes its texts


def pilot_review(*, province: Province, as_of: datetime.date) -> PilotReview:
    """The interim review of a province's posting plan as of a day: ten queries whatever the size (three for the facilities section)."""
    plan = plan_for(province, as_of)
    area = area_staffing(province=province, as_of=as_of, plan=plan)
    rollout, timeline = [], None
    if plan is not None:
        start = min(plan.issued_on, as_of)
        timeline = staffing_timeline(province=province, start=start, end=as_of, plan=plan)
        rollout = rollout_series(province=province, start=start, end=as_of, plan=plan, timeline=timeline)
    communes = area.plan_communes()
    return PilotReview(
        province=province,
        as_of=as_of,
        plan=plan,
        issuer=Issuer.for_province(province),
        figures=area.figures,
        districts=area.breakdown(),
        communes=communes,
        rollout=rollout,
        facilities=facilities_summary([row.commune for row in communes], as_of),
        area=area,
        timeline=timeline,
    )


@dataclass
class RosterCommune:
    commune: Commune
    postings: list[Posting] = field(default_factory=list)


_POSITION_ORDER = Case(
    When(position=Position.CHIEF, then=Value(0)),
    When(position=Position.DEPUTY_CHIEF, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def district_roster(*, district: District, as_of: datetime.date, user) -> list[RosterCommune]:
    """The district's communes on the day with the officers in post there: two queries.

    Every commune of a posting plan is listed, staffed or not (an empty one is a gap the reader must
    see); a ward or township outside the plans only when someone holds a post there, so the roster
    does not read as if every ward still lacked its police.
    """
    area = area_q(district=district, until=as_of)  # since 01/07/2025: the communes that came from it
    communes = (
        scoped(Commune.objects.filter(area), user)
        .existing_on(as_of)
        .with_state_on(as_of)
        .annotate(in_plan=Exists(Plan.communes.through.objects.filter(commune_id=OuterRef("pk"))))
        .order_by("sort_key")
    )
    rows = {c.pk: RosterCommune(commune=c) for c in communes}
    postings = (
        Posting.objects.for_user(user)
        .open_on(as_of)
        .filter(area_q(district=district, prefix="commune__", until=as_of))
        .select_related("officer")
        .annotate(rank_on=attributes_on(as_of, "officer_id")["rank_on"])
        .order_by(_POSITION_ORDER, "officer__sort_key", "pk")
    )
    for posting in postings:
        if posting.commune_id in rows:
            rows[posting.commune_id].postings.append(posting)
    return [row for row in rows.values() if row.commune.in_plan or row.postings]
