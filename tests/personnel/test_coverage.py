"""Coverage selectors on small hand-made cases at the edges, and their query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange, PartyCell
from personnel.choices import PartyRoleKind, Position
from personnel.coverage import (
    Gap,
    area_staffing,
    communes_with_gaps,
    coverage_figures,
    district_breakdown,
    plan_communes,
    rollout_series,
)
from personnel.models import PartyRole
from personnel.services import posting_transfer
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting

AS_OF = D(2019, 4, 23)


class CoverageEdgeTests(SmallProvinceTestCase):
    def figures(self, day=AS_OF, **kwargs):
        return coverage_figures(province=self.province, as_of=day, **kwargs)

    def test_an_empty_province_has_zero_figures_and_the_plans_communes(self):
        figures = self.figures()
        self.assertEqual((figures.officers_in_post, figures.communes_covered, figures.communes_in_plan), (0, 0, 3))
        self.assertEqual(figures.coverage_percent, 0.0)

    def test_a_posting_ending_the_day_before_does_not_count(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), AS_OF.replace(day=22))
        self.assertEqual(self.figures().officers_in_post, 0)
        self.assertEqual(self.figures().communes_covered, 0)

    def test_a_posting_ending_on_the_day_counts_because_the_end_is_the_last_day_in_post(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), AS_OF)
        self.assertEqual(self.figures().officers_in_post, 1)

    def test_a_posting_starting_the_day_after_does_not_count(self):
        make_posting(make_officer(), self.commune_a1, AS_OF.replace(day=24))
        self.assertEqual(self.figures().officers_in_post, 0)

    def test_a_transfer_on_the_day_counts_the_officer_once_in_the_new_commune(self):
        old = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        posting_transfer(posting=old, to_commune=self.commune_b1, on=AS_OF)
        figures = self.figures()
        self.assertEqual((figures.officers_in_post, figures.communes_covered), (1, 1))
        by_district = {row.district: row.figures for row in district_breakdown(province=self.province, as_of=AS_OF)}
        self.assertEqual(by_district[self.district_a].officers_in_post, 0)
        self.assertEqual(by_district[self.district_b].communes_covered, 1)
        self.assertEqual(self.figures(day=AS_OF.replace(day=22)).communes_covered, 1)

    def test_officers_in_a_ward_outside_the_plan_count_but_do_not_cover_a_plan_commune(self):
        make_posting(make_officer(), self.ward_b2, D(2019, 1, 1))
        figures = self.figures()
        self.assertEqual((figures.officers_in_post, figures.communes_covered), (1, 0))

    def test_a_commune_that_changed_kind_keeps_its_place_in_the_plan(self):
        CommuneChange.objects.create(commune=self.commune_a2, effective_on=D(2019, 9, 1),
                                     previous_name="Xã Mường Hoong", previous_kind=CommuneKind.COMMUNE)
        Commune.objects.filter(pk=self.commune_a2.pk).update(name="Thị trấn Mường Hoong", kind=CommuneKind.TOWNSHIP)
        make_posting(make_officer(), self.commune_a2, D(2019, 1, 1))
        self.assertEqual(self.figures(day=D(2020, 1, 1)).communes_covered, 1)
        row = next(r for r in plan_communes(province=self.province, as_of=AS_OF) if r.commune.pk == self.commune_a2.pk)
        self.assertEqual((row.commune.name_on, row.commune.kind_on), ("Xã Mường Hoong", CommuneKind.COMMUNE))

    def test_an_abolished_commune_is_gone_after_its_last_day(self):
        Commune.objects.filter(pk=self.commune_b1.pk).update(abolished_on=D(2020, 1, 1))
        self.assertEqual(self.figures(day=D(2019, 12, 31)).communes_in_plan, 3)
        self.assertEqual(self.figures(day=D(2020, 1, 1)).communes_in_plan, 2)

    def test_party_figures_count_cells_police_secretaries_and_committee_members(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        cell_a1 = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        cell_b1 = PartyCell.objects.create(commune=self.commune_b1, established_on=D(2019, 2, 1))
        PartyCell.objects.create(commune=self.commune_a2, established_on=D(2019, 5, 1))  # after the day
        PartyRole.objects.create(officer=officer, commune=self.commune_a1, cell=cell_a1,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        PartyRole.objects.create(holder_name="Y Hơ Len", commune=self.commune_b1, cell=cell_b1,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        PartyRole.objects.create(officer=officer, commune=self.commune_a1,
                                 role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=D(2019, 2, 2))
        PartyRole.objects.create(officer=officer, commune=self.commune_a1,
                                 role=PartyRoleKind.STANDING_COMMITTEE, start_date=D(2019, 4, 24))  # after the day
        figures = self.figures()
        self.assertEqual(
            (figures.party_cells, figures.cells_with_police_secretary,
             figures.executive_committee_members, figures.standing_committee_members),
            (2, 1, 1, 0),
        )
        gaps = {row.commune.pk: row.gaps for row in communes_with_gaps(province=self.province, as_of=AS_OF)}
        self.assertIn(Gap.SECRETARY_NOT_POLICE, gaps[self.commune_b1.pk])
        self.assertIn(Gap.NO_PARTY_CELL, gaps[self.commune_a2.pk])
        self.assertNotIn(Gap.NO_CHIEF, gaps[self.commune_a1.pk])
        self.assertIn(Gap.BELOW_NORM, gaps[self.commune_a1.pk])  # one officer, the plan's norm is two

    def test_a_commune_meeting_every_norm_has_no_gap(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(officer=make_officer(), commune=self.commune_a1, cell=cell,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        gaps = {row.commune.pk for row in communes_with_gaps(province=self.province, as_of=AS_OF)}
        self.assertNotIn(self.commune_a1.pk, gaps)

    def test_district_figures_add_up_to_the_province(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        make_posting(make_officer(), self.commune_b1, D(2019, 1, 1))
        make_posting(make_officer(), self.ward_b2, D(2019, 1, 1))
        rows = district_breakdown(province=self.province, as_of=AS_OF)
        total = self.figures()
        self.assertEqual(sum(r.figures.officers_in_post for r in rows), total.officers_in_post)
        self.assertEqual(sum(r.figures.communes_covered for r in rows), total.communes_covered)
        self.assertEqual(sum(r.figures.communes_in_plan for r in rows), total.communes_in_plan)

    def test_the_rollout_counts_each_month_end_and_the_last_day(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 15))
        make_posting(make_officer(), self.commune_b1, D(2019, 3, 1), D(2019, 3, 20))
        series = rollout_series(province=self.province, start=D(2019, 1, 1), end=AS_OF)
        self.assertEqual([p.day for p in series], [D(2019, 1, 31), D(2019, 2, 28), D(2019, 3, 31), AS_OF])
        self.assertEqual([p.communes_covered for p in series], [1, 1, 1, 1])
        self.assertEqual(rollout_series(province=self.province, start=D(2019, 3, 1), end=D(2019, 3, 10))[0].officers_in_post, 2)


class CoverageQueryCountTests(SmallProvinceTestCase):
    """The selectors run a fixed number of queries whatever the number of rows."""

    def count_queries(self, call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    def all_selectors(self):
        coverage_figures(province=self.province, as_of=AS_OF, plan=self.plan)
        district_breakdown(province=self.province, as_of=AS_OF, plan=self.plan)
        plan_communes(province=self.province, as_of=AS_OF, plan=self.plan)
        rollout_series(province=self.province, start=D(2018, 10, 1), end=AS_OF, plan=self.plan)

    def test_query_counts_do_not_grow_with_the_data(self):
        small = self.count_queries(self.all_selectors)
        for commune in (self.commune_a1, self.commune_a2, self.commune_b1, self.ward_b2):
            for _ in range(5):
                make_posting(make_officer(), commune, D(2019, 1, 1))
            PartyCell.objects.create(commune=commune, established_on=D(2019, 2, 1))
        self.assertEqual(self.count_queries(self.all_selectors), small)
        # Each of the first three reads the area (communes with their districts, their postings, cells and roles): 2; the roll-out 1.
        self.assertEqual(small, 7)

    def test_the_dashboard_reads_the_area_once(self):
        with CaptureQueriesContext(connection) as ctx:
            area = area_staffing(province=self.province, as_of=AS_OF, plan=self.plan)
            figures, breakdown, staffing = area.figures, area.breakdown(), area.plan_communes()
        self.assertEqual(len(ctx.captured_queries), 2)  # communes with their districts; their postings, cells and roles
        self.assertEqual(figures, coverage_figures(province=self.province, as_of=AS_OF, plan=self.plan))
        self.assertEqual(breakdown, district_breakdown(province=self.province, as_of=AS_OF, plan=self.plan))
        self.assertEqual([(r.commune.pk, r.gaps) for r in staffing],
                         [(r.commune.pk, r.gaps) for r in plan_communes(province=self.province, as_of=AS_OF, plan=self.plan)])
        self.assertTrue(staffing)
