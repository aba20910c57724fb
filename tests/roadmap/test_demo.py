"""The demo's roadmaps against the dashboard: on every due date, on the review day and today, the roadmap's actual
figures are the numbers the dashboard page shows; the seed's figures are unchanged; the review PDF prints the section."""

from __future__ import annotations

import datetime
import re
from html import unescape

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from communes.models import Province
from personnel.coverage import coverage_figures
from personnel.models import Plan
from roadmap.models import Milestone
from roadmap.progress import State, plan_roadmap
from sampledata.pilot import KON_TUM, REVIEW_DAY
from sampledata.roadmap_demo import PILOT_PLAN, TODAY_PLAN, load_roadmaps
from tests import demo
from tests.reports.helpers import pdf_pages
from tests.web.helpers import district_rows, tile


class DemoRoadmapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        cls.pilot = Plan.objects.select_related("province").get(number=PILOT_PLAN)
        cls.today_plan = Plan.objects.select_related("province").get(number=TODAY_PLAN)
        cls.today = timezone.localdate()

    def setUp(self):
        self.client.force_login(get_user_model().objects.get(username="quantri"))

    def dashboard(self, day: datetime.date, province: Province) -> str:
        self.client.force_login(get_user_model().objects.get(username="toanquoc"))  # either province, by its code
        return self.client.get(reverse("dashboard"), {"as_of": day.isoformat(), "province": province.code}).content.decode()

    def test_the_actual_figures_are_the_dashboards_on_every_due_date_the_review_day_and_today(self):
        cases = [(self.pilot, REVIEW_DAY), (self.today_plan, self.today)]
        for plan, as_of in cases:
            roadmap = plan_roadmap(plan=plan, as_of=as_of)
            days = {row.milestone.due_on: row for row in roadmap.rows if row.on_due is not None}
            for day in sorted(days) + [as_of]:
                html = self.dashboard(day, plan.province)
                districts = {unescape(cells[0]): cells for cells in district_rows(html)}
                for row in roadmap.rows:
                    figures = row.on_day if day == as_of else (row.on_due if row.milestone.due_on == day else None)
                    if figures is None:
                        continue
                    with self.subTest(plan=plan.number, day=day, area=row.area):
                        if row.milestone.district is None:
                            self.assertEqual(tile(html, "tile-officers"), str(figures.officers_in_post))
                            self.assertEqual(tile(html, "tile-coverage").split("/")[0], str(figures.communes_covered))
                        else:
                            cells = districts[row.milestone.district.name]
                            self.assertEqual(cells[1], str(figures.officers_in_post))
                            self.assertEqual(cells[2].split("/")[0], str(figures.communes_covered))

    def test_the_dashboard_shows_the_roadmap_of_the_day_with_who_is_behind(self):
        html = self.dashboard(datetime.date(2019, 2, 15), self.pilot.province)
        roadmap = plan_roadmap(plan=self.pilot, as_of=datetime.date(2019, 2, 15))
        self.assertIn('id="roadmap"', html)
        self.assertTrue(roadmap.behind)
        section = html[html.index('id="behind-list"'):]
        for behind in roadmap.behind:
            self.assertIn(behind.progress.area, section)
        self.assertIn(reverse("roadmap:plan", args=[self.pilot.pk]), html)

    def test_the_pilot_demo_meets_some_milestones_and_misses_others_in_every_state(self):
        roadmap = plan_roadmap(plan=self.pilot, as_of=REVIEW_DAY)
        states = {row.state for row in roadmap.rows}
        self.assertEqual(states, {State.MET, State.MISSED, State.UPCOMING})
        by_district = {}
        for row in roadmap.rows:
            if row.milestone.district_id:
                by_district.setdefault(row.state, set()).add(row.milestone.district_id)
        self.assertTrue(by_district[State.MET] and by_district[State.MISSED])
        # Every district covered all its communes by the review: none behind on 23/04/2019.
        self.assertEqual(roadmap.behind, [])
        today = plan_roadmap(plan=self.today_plan, as_of=self.today)
        self.assertTrue(all(row.milestone.district_id is None for row in today.rows))

    def test_the_seed_figures_are_unchanged_and_a_second_load_writes_no_milestone(self):
        figures = coverage_figures(province=Province.objects.get(code=KON_TUM), as_of=REVIEW_DAY)
        self.assertEqual((figures.officers_in_post, figures.communes_covered, figures.communes_in_plan, figures.party_cells,
                          figures.cells_with_police_secretary, figures.executive_committee_members,
                          figures.standing_committee_members), (349, 86, 86, 61, 60, 41, 22))
        count = Milestone.objects.count()
        self.assertEqual(load_roadmaps(), 0)
        self.assertEqual(Milestone.objects.count(), count)

    def test_the_review_pdf_prints_each_milestone_with_its_figures_and_state(self):
        response = self.client.get(reverse("reports:pilot_review_pdf"), {"as_of": REVIEW_DAY.isoformat()})
        self.assertEqual(response.status_code, 200)
        text = re.sub(r"\s+", " ", " ".join(pdf_pages(response.content)))
        self.assertIn("IV. TIẾN ĐỘ THEO LỘ TRÌNH", text)
        self.assertIn("V. NHỮNG TỒN TẠI", text)
        self.assertIn("VI. CƠ SỞ VẬT CHẤT CỦA CÔNG AN XÃ", text)  # the sections after the roadmap's are numbered on
        roadmap = plan_roadmap(plan=self.pilot, as_of=REVIEW_DAY)
        for row in roadmap.rows:
            m = row.milestone
            due = f"{row.on_due.communes_covered} / {row.on_due.officers_in_post}" if row.on_due else "—"
            with translation.override("vi"):
                state = row.state_label
            line = (f"{row.area} {m.due_on:%d/%m/%Y} {m.communes_target} / {m.officers_target} {due} "
                    f"{row.on_day.communes_covered} / {row.on_day.officers_in_post} {state}")
            with self.subTest(milestone=str(m)):
                self.assertIn(line, text)
