"""The demo facilities: Kon Tum's pilot communes in 2019 (borrowed and temporary premises, a few works), Quảng
Ngãi's units from Kon Tum today (more own headquarters), written once, and the seed figures untouched."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from communes.models import NEW_TIER_FROM, Province
from facilities.choices import HeadquartersState as S
from facilities.models import EquipmentCount, HeadquartersRecord
from facilities.selectors import facilities_on
from personnel.plans import plan_for
from sampledata.facilities_demo import load_facilities_demo
from sampledata.pilot import KON_TUM, REVIEW_DAY
from sampledata.today import QUANG_NGAI
from tests import demo


class FacilitiesDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()  # the command's rows (tests/demo.py); run again, it changes nothing and prints the figures
        out = StringIO()
        call_command("load_pilot_demo", stdout=out)
        cls.printed = out.getvalue()
        cls.kon_tum = Province.objects.get(code=KON_TUM)
        cls.quang_ngai = Province.objects.of_code(QUANG_NGAI, NEW_TIER_FROM)

    def states(self, province, day):
        communes = list(plan_for(province, day).communes.existing_on(day))
        rows = facilities_on(communes, day)
        return [rows[c.pk] for c in communes]

    def test_the_seed_figures_are_printed_unchanged(self):
        self.assertIn("Tỉnh Kon Tum, 23/04/2019: 349 officers in post, 86/86 communes, 61 Party cells "
                      "(60 led by police), 41 BCH, 22 BTV", self.printed)

    def test_in_2019_every_pilot_commune_is_recorded_most_in_borrowed_or_temporary_premises(self):
        rows = self.states(self.kon_tum, REVIEW_DAY)
        self.assertEqual(len(rows), 86)
        states = [r.state for r in rows]
        self.assertGreater(states.count(S.BORROWED) + states.count(S.TEMPORARY), 86 // 2)
        self.assertGreater(states.count(S.UNDER_CONSTRUCTION), 0)
        self.assertTrue(all(r.gaps for r in rows if r.state != S.OWN))

    def test_today_the_new_units_have_more_own_headquarters_than_the_pilot_had(self):
        today = timezone.localdate()
        rows = self.states(self.quang_ngai, today)
        self.assertEqual(len(rows), 40)
        own_today = sum(1 for r in rows if r.state == S.OWN) / len(rows)
        own_2019 = sum(1 for r in self.states(self.kon_tum, REVIEW_DAY) if r.state == S.OWN) / 86
        self.assertGreater(own_today, own_2019)
        self.assertTrue(all(r.recorded for r in rows))

    def test_running_it_again_changes_nothing(self):
        before = (HeadquartersRecord.objects.count(), EquipmentCount.objects.count())
        self.assertFalse(load_facilities_demo())
        call_command("load_pilot_demo", stdout=StringIO())
        self.assertEqual((HeadquartersRecord.objects.count(), EquipmentCount.objects.count()), before)

    def test_its_list_renders_the_same_cells_in_one_loop_as_through_the_library(self):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from tests.web.test_fast_tables import assert_fast_body_matches

        self.client.force_login(get_user_model().objects.get(username="toanquoc"))
        for query in ({"province": "62", "as_of": "2019-04-23"}, {"province": "51"}):
            with self.subTest(query=query):
                self.assertIn("<td", assert_fast_body_matches(self, reverse("facilities:list"), query))
