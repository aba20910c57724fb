"""The demo's follow-up log and support assignments: written once, dated as docs say, the seed figures unchanged."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from communes.models import Province
from followup.models import LogEntry, StateChange
from followup.selectors import entry_rows
from personnel.coverage import area_staffing
from personnel.support import SupportAssignment
from sampledata.followup_demo import followup_demo_ensure
from sampledata.pilot import KON_TUM, REVIEW_DAY
from tests import demo

NEW_TIER = datetime.date(2025, 7, 1)


class FollowupDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", "--province", "62", "--province", "51", stdout=StringIO())
        demo.load_demo()

    def test_running_it_again_changes_nothing(self):
        before = (LogEntry.objects.count(), StateChange.objects.count(), SupportAssignment.objects.count())
        followup_demo_ensure()
        self.assertEqual((LogEntry.objects.count(), StateChange.objects.count(), SupportAssignment.objects.count()), before)
        self.assertGreater(before[0], 10)

    def test_the_pilots_assignments_end_with_their_communes_and_todays_units_have_their_own(self):
        kon_tum = Province.objects.get(code=KON_TUM)
        pilot = SupportAssignment.objects.filter(commune__province=kon_tum)
        self.assertEqual(pilot.in_force_on(REVIEW_DAY).count(), 86)
        self.assertFalse(pilot.in_force_on(NEW_TIER).exists())
        self.assertEqual(set(pilot.values_list("end_date", flat=True)), {NEW_TIER - datetime.timedelta(days=1)})
        today = SupportAssignment.objects.filter(commune__province__code=51).in_force_on(datetime.date.today())
        self.assertEqual(today.count(), 40)

    def test_on_the_review_day_some_follow_ups_are_done_and_some_open(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="quantri")
        states = list(entry_rows(user=user, as_of=REVIEW_DAY).values_list("state_on", flat=True))
        self.assertIn("done", states)
        self.assertIn("open", states)
        self.assertTrue(all(day <= REVIEW_DAY for day in entry_rows(user=user, as_of=REVIEW_DAY).values_list("day", flat=True)))

    def test_the_seed_figures_are_unchanged(self):
        f = area_staffing(province=Province.objects.get(code=KON_TUM), as_of=REVIEW_DAY).figures
        self.assertEqual((f.officers_in_post, f.communes_covered, f.communes_in_plan, f.party_cells,
                          f.cells_with_police_secretary, f.executive_committee_members, f.standing_committee_members),
                         (349, 86, 86, 61, 60, 41, 22))

    def test_its_list_renders_the_same_cells_in_one_loop_as_through_the_library(self):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from tests.web.test_fast_tables import assert_fast_body_matches

        self.client.force_login(get_user_model().objects.get(username="toanquoc"))
        for query in ({"province": "62", "as_of": "2019-04-23"}, {"province": "51"}):
            with self.subTest(query=query):
                self.assertIn("<td", assert_fast_body_matches(self, reverse("followup:entries"), query))
