"""The bench's lower bounds compute the same numbers as what they bound (else a ratio would mean nothing)."""

from __future__ import annotations

import datetime
import unittest

from django.db import connection
from django.test import Client, TestCase

from bench import national_bench as bench
from communes.models import District, Province
from communes.services import divisions_import
from sampledata.synthetic import generate_national
from tests import demo

D = datetime.date
DAYS = [D(2019, 4, 23), D(2020, 6, 30), D(2024, 12, 31)]


@unittest.skipUnless(connection.vendor == "postgresql", "the bounds are PostgreSQL SQL, as `make bench` runs")
class RawBoundsTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        divisions_import(province_codes=[1, 2])
        demo.load_pilot()
        generate_national(seed=3, scale=0.05)
        cls.kon_tum = Province.objects.get(code=62)

    def test_the_dashboard_bound_computes_the_dashboard_numbers(self):
        for province in (self.kon_tum, Province.objects.get(code=2)):
            for day in DAYS:
                expected = bench.dashboard_as_tuples(bench.dashboard_selectors(province, day))
                self.assertEqual(bench.dashboard_raw(province.pk, day), expected, (province, day))

    def test_the_national_bound_computes_national_figures(self):
        for day in DAYS:
            self.assertEqual(bench.national_raw(day), bench.national_selector(day), day)

    def test_the_officer_page_bound_finds_the_same_officers_in_the_same_order(self):
        district = District.objects.get(code=610)
        for day in DAYS:
            self.assertEqual(bench.officer_page_raw(district.pk, day), bench.officer_page_orm(district, day))


class ViewCasesTests(TestCase):
    def test_a_url_name_missing_on_the_branch_is_reported_not_raised(self):
        self.assertEqual(bench._client_case(Client(), "no_such_url_name"), (None, bench.NOT_HERE))

    def test_the_table_prints_a_row_for_a_case_without_figures(self):
        row = bench.Row("import", None, target="≤ 3×", note=bench.NOT_HERE)
        self.assertEqual(row.cells()[1], "—")
        self.assertIn(bench.NOT_HERE, row.cells())
