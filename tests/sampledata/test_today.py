"""The demo goes on to today: the pilot carried into Quảng Ngãi's units on 01/07/2025 by the reorganisation
service, newcomers only where the new plan's norm asks, Party cells and committee seats in the new units."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.test import TestCase

from communes.models import NEW_TIER_FROM, Commune, PartyCell, Province
from personnel.coverage import Gap, coverage_figures, plan_communes
from personnel.models import Officer, PartyRole, Posting
from personnel.plans import plan_for
from sampledata import today
from sampledata.pilot import KON_TUM, REVIEW_DAY, load_pilot_demo
from tests import demo
from tests.base import D
from tests.plausibility import plausibility_breaches
from tests.web.helpers import tile

TODAY = D(2026, 12, 1)
EVE = D(2025, 6, 30)


class DemoTodayTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_pilot()
        cls.quang_ngai = Province.objects.of_code(today.QUANG_NGAI, NEW_TIER_FROM)
        cls.plan = plan_for(cls.quang_ngai, TODAY)
        cls.newcomers = Posting.objects.filter(commune__province=cls.quang_ngai, start_date__gt=NEW_TIER_FROM)

    def test_every_row_carried_and_added_keeps_the_plausibility_rules(self):
        self.assertEqual(plausibility_breaches(), [])

    def test_the_plan_in_force_today_covers_the_new_units_of_the_former_kon_tum_area(self):
        self.assertEqual(self.plan.number, today.PLAN_NUMBER)
        units = Commune.objects.filter(province=self.quang_ngai, former_district__province__code=KON_TUM)
        self.assertEqual(set(self.plan.communes.all()), set(units.existing_on(TODAY).exclude(has_police_post=False)))
        self.assertEqual(plan_for(Province.objects.get(code=KON_TUM), REVIEW_DAY).number, "223/KH-BCA-V05")

    def test_the_same_officers_are_in_post_on_30_06_and_on_01_07(self):
        eve = set(Posting.objects.open_on(EVE).filter(commune__province__code=KON_TUM).values_list("officer", flat=True))
        day = set(Posting.objects.open_on(NEW_TIER_FROM).filter(commune__province=self.quang_ngai)
                  .values_list("officer", flat=True))
        self.assertTrue(eve)
        self.assertEqual(day, eve)

    def test_newcomers_arrive_only_where_the_plans_norm_asks_and_as_many_as_it_asks(self):
        before = {row.commune.pk: row for row in plan_communes(province=self.quang_ngai, as_of=today.PLAN_ISSUED)}
        arrived = Counter(self.newcomers.values_list("commune", flat=True))
        self.assertTrue(arrived)
        asked = {}
        for pk, row in before.items():
            c = row.commune
            if {Gap.NO_CHIEF, Gap.BELOW_NORM} & set(row.gaps):
                asked[pk] = max(self.plan.min_officers - c.officers_on, 1 if c.chief_id is None else 0)
        self.assertEqual(dict(arrived), asked)
        # Newcomers are new officers: none of them held a posting before.
        self.assertFalse(Posting.objects.filter(officer__postings__in=self.newcomers, start_date__lt=NEW_TIER_FROM).exists())

    def test_today_every_unit_of_the_plan_meets_its_norm_with_a_cell_led_by_an_officer(self):
        rows = plan_communes(province=self.quang_ngai, as_of=TODAY)
        self.assertEqual(len(rows), self.plan.communes.count())
        self.assertEqual([(row.commune.code, row.gaps) for row in rows if row.gaps], [])
        figures = coverage_figures(province=self.quang_ngai, as_of=TODAY)
        self.assertEqual(figures.communes_covered, figures.communes_in_plan)
        self.assertEqual(figures.party_cells, PartyCell.objects.active_on(TODAY).filter(commune__in=self.plan.communes.all()).count())
        self.assertGreater(figures.executive_committee_members, 0)

    def test_every_row_after_the_day_was_written_through_the_services_with_its_history(self):
        for model in (Posting, Officer, PartyCell, PartyRole):
            rows = model.history.filter(history_type="+", history_change_reason=today.CHANGE_REASON)
            with self.subTest(model=model.__name__):
                self.assertTrue(rows.exists())
        self.assertEqual(
            Posting.history.filter(history_type="+", history_change_reason=today.CHANGE_REASON).count(),
            self.newcomers.count(),
        )

    def test_the_dashboard_today_shows_the_living_province(self):
        self.client.force_login(get_user_model().objects.get(username="toanquoc"))
        html = self.client.get("/", {"province": "51", "as_of": TODAY.isoformat()}).content.decode()
        figures = coverage_figures(province=self.quang_ngai, as_of=TODAY)
        self.assertEqual(tile(html, "tile-officers"), str(figures.officers_in_post))
        self.assertEqual(tile(html, "tile-coverage"), f"{figures.communes_covered}/{figures.communes_in_plan}")
        self.assertIn(today.PLAN_NUMBER, html)

    def test_running_it_again_changes_nothing(self):
        counts = [model.objects.count() for model in (Officer, Posting, PartyCell, PartyRole)]
        load_pilot_demo()
        self.assertEqual([model.objects.count() for model in (Officer, Posting, PartyCell, PartyRole)], counts)
