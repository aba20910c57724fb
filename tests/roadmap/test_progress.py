"""A roadmap as of a day: met, missed, upcoming, the areas behind schedule, and the queries it takes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from personnel.coverage import area_staffing, staffing_timeline
from roadmap.progress import State, plan_roadmap
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.roadmap.test_rules import add


class RoadmapStateTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A1 from 01/01/2019 (two officers), B1 from 01/03/2019 (one), A2 never.
        make_posting(make_officer("Nguyễn Văn Một"), cls.commune_a1, D(2019, 1, 1))
        make_posting(make_officer("Trần Thị Hai"), cls.commune_a1, D(2019, 1, 1))
        make_posting(make_officer("Lê Văn Ba"), cls.commune_b1, D(2019, 3, 1))

    def test_a_milestone_is_met_or_missed_on_its_due_date_and_upcoming_until_then(self):
        met = add(self.plan, due=D(2019, 1, 31), communes=1, officers=2)
        missed = add(self.plan, due=D(2019, 2, 28), communes=2, officers=0)
        upcoming = add(self.plan, due=D(2019, 6, 30), communes=3, officers=6)
        rows = {row.milestone.pk: row for row in plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23)).rows}
        self.assertEqual(rows[met.pk].state, State.MET)
        self.assertEqual(rows[missed.pk].state, State.MISSED)
        self.assertEqual(rows[upcoming.pk].state, State.UPCOMING)
        self.assertIsNone(rows[upcoming.pk].on_due)
        # Missed on its day though the province caught up later: the state is the due date's.
        self.assertEqual(rows[missed.pk].on_due.communes_covered, 1)
        self.assertEqual(rows[missed.pk].on_day.communes_covered, 2)

    def test_a_timeline_read_for_another_plan_or_area_is_not_used(self):
        add(self.plan, due=D(2019, 1, 31), communes=1, officers=2)
        as_of = D(2019, 4, 23)
        expected = [row.on_due for row in plan_roadmap(plan=self.plan, as_of=as_of).rows]
        for other in (staffing_timeline(province=self.province, start=D(2019, 1, 1), end=as_of, plan=None),
                      staffing_timeline(province=self.province, start=D(2019, 1, 1), end=as_of, plan=self.plan,
                                        district_ids=[self.district_b.pk])):
            with self.subTest(plan_id=other.plan_id, districts=other.district_ids):
                rows = plan_roadmap(plan=self.plan, as_of=as_of, timeline=other).rows
                self.assertEqual([row.on_due for row in rows], expected)

    def test_every_actual_figure_is_the_dashboards_area_on_that_day(self):
        add(self.plan, due=D(2019, 1, 31), communes=1, officers=2)
        add(self.plan, self.district_a, due=D(2019, 3, 31), communes=2, officers=4)
        add(self.plan, self.district_b, due=D(2019, 3, 31), communes=1, officers=1)
        as_of = D(2019, 4, 23)
        for row in plan_roadmap(plan=self.plan, as_of=as_of).rows:
            m = row.milestone
            for day, figures in ((m.due_on, row.on_due), (as_of, row.on_day)):
                area = area_staffing(province=self.province, as_of=day, plan=self.plan)
                expected = area.figures if m.district is None else next(
                    r.figures for r in area.breakdown() if r.district == m.district)
                with self.subTest(milestone=str(m), day=day):
                    if day == as_of:  # the day shown: all the dashboard's figures
                        self.assertEqual(figures, expected)
                    else:  # a due date: the two a milestone sets targets for, from the roll-out's timeline
                        self.assertEqual((figures.communes_covered, figures.officers_in_post),
                                         (expected.communes_covered, expected.officers_in_post))

    def test_an_area_is_behind_while_its_latest_milestone_due_is_not_reached(self):
        add(self.plan, self.district_a, due=D(2019, 1, 31), communes=1, officers=2)
        add(self.plan, self.district_a, due=D(2019, 3, 31), communes=2, officers=3)
        add(self.plan, self.district_b, due=D(2019, 3, 31), communes=1, officers=1)
        roadmap = plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23))
        self.assertEqual([b.progress.area for b in roadmap.behind], [self.district_a.name])
        behind = roadmap.behind[0]
        self.assertEqual((behind.communes_short, behind.officers_short), (1, 1))
        self.assertEqual([c.pk for c in behind.uncovered], [self.commune_a2.pk])
        # Before the second milestone was due, district A had met its first: not behind.
        self.assertEqual(plan_roadmap(plan=self.plan, as_of=D(2019, 2, 15)).behind, [])

    def test_a_user_limited_to_districts_gets_their_districts_milestones_only(self):
        add(self.plan, due=D(2019, 1, 31))
        add(self.plan, self.district_a, due=D(2019, 1, 31))
        add(self.plan, self.district_b, due=D(2019, 1, 31))
        roadmap = plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23), district_ids={self.district_a.pk})
        self.assertEqual([row.milestone.district for row in roadmap.rows], [self.district_a])

    def test_the_chart_targets_are_the_province_milestones_or_else_the_districts_in_force_added_up(self):
        add(self.plan, self.district_a, due=D(2019, 1, 31), communes=1, officers=2)
        add(self.plan, self.district_b, due=D(2019, 3, 31), communes=1, officers=1)
        roadmap = plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23))
        self.assertEqual(roadmap.targets, [(D(2019, 1, 31), 1, 2), (D(2019, 3, 31), 2, 3)])
        area = area_staffing(province=self.province, as_of=D(2019, 3, 31), plan=self.plan)
        both = [r.figures for r in area.breakdown()]
        self.assertIn((D(2019, 3, 31), sum(f.communes_covered for f in both), sum(f.officers_in_post for f in both)),
                      roadmap.actual)

    def test_no_plan_or_no_milestone_is_an_empty_roadmap(self):
        self.assertEqual(plan_roadmap(plan=None, as_of=D(2019, 4, 23)).rows, [])
        self.assertEqual(plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23)).rows, [])


class RoadmapQueryTests(SmallProvinceTestCase):
    def queries(self) -> int:
        with CaptureQueriesContext(connection) as ctx:
            plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23))
        return len(ctx.captured_queries)

    def test_the_queries_do_not_grow_with_the_milestones_their_days_or_the_districts(self):
        add(self.plan, due=D(2019, 1, 31))
        one = self.queries()
        for i, due in enumerate((D(2018, 12, 15), D(2019, 2, 28), D(2019, 3, 31), D(2019, 6, 30))):
            add(self.plan, due=due, communes=1 + i % 3)
            for district in (self.district_a, self.district_b):
                add(self.plan, district, due=due)
        self.assertEqual(self.queries(), one)
        # The milestones, the area on the day (communes, their rows), every due date at once.
        self.assertEqual(one, 1 + 2 + 1)


class RoadmapAfterItsUnitsTests(SmallProvinceTestCase):
    def test_no_area_is_behind_on_a_day_the_plans_communes_no_longer_exist(self):
        from communes.models import Commune

        add(self.plan, self.district_a, due=D(2019, 1, 31), communes=1, officers=1)
        Commune.objects.filter(pk__in=[self.commune_a1.pk, self.commune_a2.pk]).update(abolished_on=D(2025, 7, 1))
        roadmap = plan_roadmap(plan=self.plan, as_of=D(2025, 8, 1), district_ids={self.district_a.pk})
        self.assertEqual(roadmap.behind, [])
        self.assertTrue(roadmap.units_gone)
        self.assertEqual(len(plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23)).behind), 1)


class RoadmapByAreaTests(SmallProvinceTestCase):
    def test_each_area_gets_its_latest_milestone_due_and_its_next_the_province_first(self):
        add(self.plan, self.district_b, due=D(2019, 1, 31), communes=1, officers=0)
        first = add(self.plan, self.district_a, due=D(2019, 1, 31), communes=1, officers=0)
        later = add(self.plan, self.district_a, due=D(2019, 6, 30), communes=2, officers=0)
        add(self.plan, due=D(2019, 3, 31), communes=2, officers=0)
        areas = plan_roadmap(plan=self.plan, as_of=D(2019, 4, 23)).by_area()
        self.assertEqual([a.district for a in areas], [None, self.district_a, self.district_b])
        a = areas[1]
        self.assertEqual((a.latest.milestone, a.next.milestone), (first, later))
        self.assertEqual(a.counts, {State.MET: 0, State.MISSED: 1, State.UPCOMING: 1})
        self.assertIsNone(areas[0].next)
