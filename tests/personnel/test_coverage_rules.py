"""Coverage's rules written once: the SQL forms (the commune list's annotations and filters) equal the Python
ones on random data, a roll-out point is the figures of its day, and the gap of a cell without a secretary."""

from __future__ import annotations

import datetime
import random

from django.test import TestCase

from communes.models import Commune, District, PartyCell, Province
from communes.services import divisions_import
from personnel.choices import PartyRoleKind
from personnel.coverage import (
    GAP_LABELS,
    Figures,
    Gap,
    area_staffing,
    commune_gaps,
    communes_with_gaps,
    communes_with_staffing,
    coverage_figures,
    covered_filter,
    gap_filter,
    is_covered,
    plan_norm,
    rollout_series,
    staffing_timeline,
    sum_figures,
)
from personnel.models import PartyRole
from personnel.plans import plan_for
from reports.data import pilot_review
from sampledata.synthetic import generate_national
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting

COLUMNS = ("officers_on", "chief_id", "chief_name", "has_cell", "has_secretary", "has_police_secretary",
           "bch_on", "btv_on", "in_plan", "name_on", "kind_on")
DAYS = [D(2019, 4, 23), D(2020, 6, 30), D(2022, 1, 31), D(2024, 12, 31)]


def columns(row) -> tuple:
    return tuple(bool(getattr(row, c)) if c.startswith(("has_", "in_")) else getattr(row, c) for c in COLUMNS)


class RandomDataTests(TestCase):
    """Two generated provinces, with some plan communes abolished, some cells dissolved and some
    secretaries removed at random, so every branch of the rules is met."""

    @classmethod
    def setUpTestData(cls):
        divisions_import(province_codes=[2, 4])
        generate_national(seed=23, scale=0.05)
        rng = random.Random(23)
        communes = list(Commune.objects.filter(postings__isnull=False).distinct().order_by("pk"))
        for commune in rng.sample(communes, len(communes) // 8):
            Commune.objects.filter(pk=commune.pk).update(abolished_on=D(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2200)))
        cells = list(PartyCell.objects.order_by("pk"))
        for cell in rng.sample(cells, len(cells) // 8):
            dissolved = max(D(2020, 1, 1) + datetime.timedelta(days=rng.randrange(1500)), cell.established_on + datetime.timedelta(days=1))
            PartyCell.objects.filter(pk=cell.pk).update(dissolved_on=dissolved)
        secretaries = list(PartyRole.objects.filter(role=PartyRoleKind.CELL_SECRETARY).order_by("pk"))
        PartyRole.objects.filter(pk__in=[r.pk for r in rng.sample(secretaries, len(secretaries) // 5)]).delete()
        cls.provinces = list(Province.objects.filter(plans__isnull=False).distinct().order_by("code"))

    def list_rows(self, province, day):
        communes = Commune.objects.filter(province=province).existing_on(day)
        return communes_with_staffing(communes=communes, as_of=day, plan=plan_for(province, day))

    def test_there_is_something_to_compare(self):
        self.assertEqual(len(self.provinces), 3)  # Hà Giang, Cao Bằng and Tuyên Quang, where Hà Giang went in 2025
        gaps = {g for p in self.provinces for day in DAYS for row in communes_with_gaps(province=p, as_of=day) for g in row.gaps}
        self.assertLessEqual({Gap.BELOW_NORM, Gap.NO_PARTY_CELL, Gap.NO_SECRETARY}, gaps)

    def test_the_commune_lists_annotations_equal_the_area_rows(self):
        for province in self.provinces:
            for day in DAYS:
                area = {c.pk: columns(c) for c in area_staffing(province=province, as_of=day).communes}
                listed = {c.pk: columns(c) for c in self.list_rows(province, day)}
                self.assertEqual(listed, area, (province, day))

    def test_each_gap_filter_selects_the_communes_the_gap_rule_names(self):
        for province in self.provinces:
            for day in DAYS:
                plan = plan_for(province, day)
                rows = area_staffing(province=province, as_of=day, plan=plan).communes
                for gap in GAP_LABELS:
                    expected = {c.pk for c in rows if gap in commune_gaps(c, plan=plan)}
                    found = set(self.list_rows(province, day).filter(gap_filter(gap, plan=plan)).values_list("pk", flat=True))
                    self.assertEqual(found, expected, (province, day, gap))

    def test_the_covered_filter_selects_the_covered_communes(self):
        for province in self.provinces:
            for day in DAYS:
                rows = area_staffing(province=province, as_of=day).communes
                for covered in (True, False):
                    expected = {c.pk for c in rows if is_covered(c) == covered}
                    found = set(self.list_rows(province, day).filter(covered_filter(covered)).values_list("pk", flat=True))
                    self.assertEqual(found, expected, (province, day, covered))

    def test_each_rollout_point_is_the_figures_of_its_day_in_the_province_and_in_a_district(self):
        for province in self.provinces:
            plan = plan_for(province, D(2025, 3, 15))
            districts = list(District.objects.filter(province=province).order_by("code")[:2])
            for scope in [None, *districts]:
                ids = [scope.pk] if scope else []
                points = rollout_series(province=province, start=D(2018, 10, 1), end=D(2025, 3, 15), plan=plan, district_ids=ids)
                for point in points[::3] + points[-1:]:
                    figures = coverage_figures(province=province, as_of=point.day, district=scope, plan=plan)
                    self.assertEqual((point.communes_covered, point.officers_in_post),
                                     (figures.communes_covered, figures.officers_in_post), (province, scope, point.day))

    def test_one_timeline_answers_any_day_for_the_province_and_each_district_as_their_figures(self):
        """The roadmap reads its due dates off one timeline of the province (personnel/rollout.py)."""
        rng = random.Random(5)
        start, end = D(2018, 10, 1), D(2025, 3, 15)
        days = sorted({start + datetime.timedelta(days=rng.randrange((end - start).days + 1)) for _ in range(6)} | {end})
        for province in self.provinces:
            plan = plan_for(province, end)
            timeline = staffing_timeline(province=province, start=start, end=end, plan=plan)
            for scope in [None, *District.objects.filter(province=province).order_by("code")]:
                for day in days:
                    point = timeline.point(day, scope.pk if scope else None)
                    figures = coverage_figures(province=province, as_of=day, district=scope, plan=plan)
                    self.assertEqual((point.communes_covered, point.officers_in_post),
                                     (figures.communes_covered, figures.officers_in_post), (province, scope, day))


class RolloutLifeTests(SmallProvinceTestCase):
    def test_a_plan_commune_abolished_after_a_month_counts_on_that_months_point_as_in_that_days_figures(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))  # still open when its commune goes
        make_posting(make_officer(), self.commune_b1, D(2019, 1, 1), D(2019, 2, 10))
        make_posting(make_officer(), self.ward_b2, D(2019, 1, 1))  # outside the plan: officers, not coverage
        Commune.objects.filter(pk=self.commune_a1.pk).update(abolished_on=D(2019, 3, 1))
        end = D(2019, 4, 23)
        # The case the chart used to get wrong: a1 covered on 31/01, gone by the end day.
        covered_in_january = [c.pk for c in area_staffing(province=self.province, as_of=D(2019, 1, 31)).communes
                              if c.in_plan and is_covered(c)]
        self.assertIn(self.commune_a1.pk, covered_in_january)
        self.assertNotIn(self.commune_a1.pk, [c.pk for c in area_staffing(province=self.province, as_of=end).communes])
        for scope in (None, self.district_a, self.district_b):
            ids = [scope.pk] if scope else []
            for point in rollout_series(province=self.province, start=D(2019, 1, 1), end=end, plan=self.plan, district_ids=ids):
                figures = coverage_figures(province=self.province, as_of=point.day, district=scope, plan=self.plan)
                self.assertEqual((point.communes_covered, point.officers_in_post),
                                 (figures.communes_covered, figures.officers_in_post), (scope, point.day))


class NoSecretaryGapTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))  # nobody elected yet
        cell = PartyCell.objects.create(commune=cls.commune_b1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(holder_name="Nguyễn Thị Ngoài", commune=cls.commune_b1, cell=cell,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))

    def test_a_cell_with_no_secretary_misses_the_norm_with_its_own_gap(self):
        gaps = {row.commune.pk: row.gaps for row in communes_with_gaps(province=self.province, as_of=D(2019, 4, 23))}
        self.assertIn(Gap.NO_SECRETARY, gaps[self.commune_a1.pk])
        self.assertNotIn(Gap.SECRETARY_NOT_POLICE, gaps[self.commune_a1.pk])
        self.assertIn(Gap.SECRETARY_NOT_POLICE, gaps[self.commune_b1.pk])
        self.assertIn(Gap.NO_PARTY_CELL, gaps[self.commune_a2.pk])

    def test_the_commune_lists_gap_filter_finds_it(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/communes/", {"as_of": "2019-04-23", "gap": Gap.NO_SECRETARY})
        self.assertEqual([row.record.pk for row in response.context["table"].page.object_list], [self.commune_a1.pk])

    def test_the_dashboard_the_pdf_and_the_workbook_print_the_one_label(self):
        label = str(GAP_LABELS[Gap.NO_SECRETARY])
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get("/?as_of=2019-04-23"), label)
        report = pilot_review(province=self.province, as_of=D(2019, 4, 23))
        row = next(r for r in report.communes if r.commune.pk == self.commune_a1.pk)
        self.assertIn(label, report.gap_labels(row))


class PlanNormTests(SmallProvinceTestCase):
    def test_the_dashboard_the_commune_list_and_the_pdf_say_the_norm_in_the_same_words(self):
        from django.test import RequestFactory
        from django.utils import translation

        from reports.views import DOCUMENT_LANGUAGE, pilot_review_html

        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))  # below the norm: the PDF lists its gaps
        self.client.force_login(self.viewer)
        for url in ("/?as_of=2019-04-23", "/communes/?as_of=2019-04-23"):
            response = self.client.get(url)
            with translation.override(response.wsgi_request.LANGUAGE_CODE):
                self.assertContains(response, plan_norm(self.plan), msg_prefix=url)
        request = RequestFactory().get("/")
        request.user = self.viewer
        html = pilot_review_html(request, self.province, D(2019, 4, 23))
        with translation.override(DOCUMENT_LANGUAGE):
            self.assertIn(plan_norm(self.plan), html)


class SumFiguresTests(TestCase):
    def test_it_adds_each_figure_of_several_areas(self):
        a = Figures(1, 2, 3, 4, 5, 6, 7)
        b = Figures(10, 20, 30, 40, 50, 60, 70)
        self.assertEqual(sum_figures([a, b]), Figures(11, 22, 33, 44, 55, 66, 77))
        self.assertEqual(sum_figures([]), Figures(0, 0, 0, 0, 0, 0, 0))
