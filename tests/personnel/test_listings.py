"""The roll-out series: the province's is the sum of its districts', and its edge cases."""

from __future__ import annotations

import datetime

from django.test import TestCase

from communes.models import District, Province
from personnel.coverage import rollout_series
from personnel.models import Plan
from sampledata.pilot import KON_TUM
from tests import demo
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting


class RolloutVariantOnThePilotTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        cls.province = Province.objects.get(code=KON_TUM)

    def test_the_province_series_is_the_sum_of_its_districts_series(self):
        start = Plan.objects.get(province=self.province).issued_on
        for end in (D(2019, 4, 23), D(2021, 1, 10)):
            with self.subTest(end=end):
                whole = rollout_series(province=self.province, start=start, end=end)
                parts = [rollout_series(province=self.province, start=start, end=end, district_ids=[d.pk])
                         for d in District.objects.filter(province=self.province)]
                self.assertEqual([p.officers_in_post for p in whole],
                                 [sum(s[i].officers_in_post for s in parts) for i in range(len(whole))])
                self.assertEqual([p.communes_covered for p in whole],
                                 [sum(s[i].communes_covered for s in parts) for i in range(len(whole))])
                self.assertGreater(whole[-1].officers_in_post, 0)

    def test_a_district_series_counts_only_that_district(self):
        district = District.objects.get(code=610)
        points = rollout_series(province=self.province, start=D(2018, 10, 12), end=D(2019, 4, 23),
                                   district_ids=[district.pk])
        self.assertEqual(points[-1].officers_in_post, 47)
        self.assertEqual(points[-1].communes_covered, 11)


class RolloutVariantEdgeTests(SmallProvinceTestCase):
    def test_overlapping_and_successive_postings_count_a_commune_once(self):
        for i, (start, end) in enumerate([(D(2019, 1, 1), D(2019, 2, 28)), (D(2019, 2, 1), None), (D(2019, 3, 1), None)]):
            make_posting(make_officer(f"Lê Văn Thử {i}"), self.commune_a1, start, end)
        points = rollout_series(province=self.province, start=D(2018, 12, 1), end=D(2019, 3, 31))
        self.assertEqual([p.communes_covered for p in points], [0, 1, 1, 1])
        self.assertEqual([p.officers_in_post for p in points], [0, 1, 2, 2])

    def test_a_far_date_is_fine(self):
        points = rollout_series(province=self.province, start=D(2018, 10, 12), end=datetime.date(2100, 12, 31))
        self.assertEqual(len(points), 12 * 82 + 3)
