"""The 2019 pilot as data: the review's figures come out of the rows through the selectors."""

import unittest
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

from communes.models import NEW_TIER_FROM, PartyCell, Province
from personnel.choices import Role
from personnel.coverage import coverage_figures, district_breakdown
from personnel.models import Officer, PartyRole, Plan, Posting, UserProfile
from personnel.plans import plan_for
from sampledata import careers
from sampledata.pilot import DEMO_USERS, KON_TUM, REVIEW_DAY
from tests import demo
from tests.plausibility import plausibility_breaches


class PilotDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        cls.province = Province.objects.get(code=KON_TUM)

    def test_the_review_figures_as_of_23_april_2019(self):
        figures = coverage_figures(province=self.province, as_of=REVIEW_DAY)
        self.assertEqual(figures.officers_in_post, 349)
        self.assertEqual((figures.communes_covered, figures.communes_in_plan), (86, 86))
        self.assertEqual(figures.coverage_percent, 100.0)
        self.assertEqual(figures.party_cells, 61)
        self.assertEqual(figures.cells_with_police_secretary, 60)
        self.assertEqual(figures.executive_committee_members, 41)
        self.assertEqual(figures.standing_committee_members, 22)

    def test_every_row_keeps_the_plausibility_rules(self):
        self.assertEqual(plausibility_breaches(), [])

    def test_the_plan_covers_the_86_xa_of_april_2019(self):
        plan = plan_for(self.province, REVIEW_DAY)
        self.assertEqual(plan.number, "223/KH-BCA-V05")
        self.assertEqual(plan.communes.count(), 86)
        self.assertTrue(plan.communes.filter(code=23473).exists())  # Đắk Long, a township since 09/2019

    def test_district_rows_add_up_to_the_province(self):
        rows = district_breakdown(province=self.province, as_of=REVIEW_DAY)
        self.assertEqual(len(rows), 10)
        self.assertEqual(sum(r.figures.officers_in_post for r in rows), 349)
        self.assertEqual(sum(r.figures.communes_covered for r in rows), 86)
        self.assertEqual(sum(r.figures.party_cells for r in rows), 61)

    def test_coverage_grows_over_the_months_before_the_review(self):
        counts = [coverage_figures(province=self.province, as_of=day).communes_covered
                  for day in (REVIEW_DAY.replace(year=2018, month=11, day=1), REVIEW_DAY.replace(month=1, day=1), REVIEW_DAY)]
        self.assertEqual(counts, sorted(counts))
        self.assertEqual(counts[0], 0)
        self.assertLess(counts[1], 86)

    def test_history_goes_on_after_the_review(self):
        self.assertTrue(Posting.objects.filter(end_date__gt=REVIEW_DAY, end_reason="transferred").exists())
        self.assertTrue(Posting.objects.filter(start_date__gt=REVIEW_DAY).exists())
        later = coverage_figures(province=self.province, as_of=REVIEW_DAY.replace(year=2020, month=6, day=1))
        self.assertNotEqual(later.officers_in_post, 349)

    def test_names_include_the_provinces_own_peoples(self):
        ethnicities = set(Officer.objects.values_list("ethnicity", flat=True))
        self.assertLessEqual({"Kinh", "Xơ Đăng", "Ba Na", "Giẻ Triêng", "Gia Rai"}, ethnicities)

    def test_every_record_has_a_history_entry(self):
        self.assertEqual(Officer.history.filter(history_type="+").count(), Officer.objects.count())
        # Later saves of an officer row are the careers' changes (a promotion keeps the row's latest rank).
        self.assertEqual(set(Officer.history.filter(history_type="~").values_list("history_change_reason", flat=True)),
                         {careers.CHANGE_REASON})
        # Every posting was created with a history row; the carried ones also record their end on 30/06/2025.
        self.assertEqual(Posting.history.filter(history_type="+").count(), Posting.objects.count())
        self.assertEqual(Posting.history.filter(history_type="~").count(), Posting.objects.filter(start_date=NEW_TIER_FROM).count())

    def test_demo_accounts_have_their_roles(self):
        roles = dict(UserProfile.objects.values_list("user__username", "role"))
        self.assertEqual(roles, {username: role for username, _pw, role, _d in DEMO_USERS})
        editor = UserProfile.objects.get(role=Role.EDITOR)
        self.assertEqual([d.code for d in editor.districts.all()], [610])

    def test_running_it_twice_changes_nothing(self):
        before = [m.objects.count() for m in (Officer, Posting, PartyCell, PartyRole, Plan)]
        out = StringIO()
        call_command("load_pilot_demo", stdout=out)
        self.assertIn("already loaded", out.getvalue())
        self.assertEqual([m.objects.count() for m in (Officer, Posting, PartyCell, PartyRole, Plan)], before)

    def test_it_prints_the_figures_of_both_days_as_the_dashboards_compute_them(self):
        import datetime

        from django.utils import timezone

        from communes.models import Province
        from personnel.coverage import area_staffing

        out = StringIO()
        call_command("load_pilot_demo", stdout=out)
        for code, day in ((62, datetime.date(2019, 4, 23)), (51, timezone.localdate())):
            province = Province.objects.of_code(code, day)
            f = area_staffing(province=province, as_of=day).figures
            self.assertIn(f"{province.name}, {day:%d/%m/%Y}: {f.officers_in_post} officers in post, "
                          f"{f.communes_covered}/{f.communes_in_plan} communes", out.getvalue())


@unittest.skipIf(connection.vendor == "postgresql", "the seed's determinism is the generator's, not the database's: the "
                 "SQLite pass runs it (two whole loads of the demo)")
class PilotDemoIsDeterministicTests(TestCase):
    def test_the_same_seed_gives_the_same_officers(self):
        before = transaction.savepoint()
        call_command("load_pilot_demo", stdout=StringIO())
        first = list(Officer.objects.order_by("pk").values_list("full_name", "service_number")[:20])
        transaction.savepoint_rollback(before)  # everything the first load wrote goes (row-by-row deletes took 30 s)
        self.assertFalse(Officer.objects.exists())
        call_command("load_pilot_demo", stdout=StringIO())
        self.assertEqual(list(Officer.objects.order_by("pk").values_list("full_name", "service_number")[:20]), first)
