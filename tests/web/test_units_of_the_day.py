"""Pages in the units of their day: a code that two units bore, a unit of the new tier with no district."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from communes.models import Commune, Province
from sampledata.pilot import load_pilot_demo
from tests.base import D, InEnglish

REFORM = D(2025, 7, 1)


class UnitsOfTheDayPagesTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[62], verbosity=0)
        load_pilot_demo()
        cls.national = get_user_model().objects.get(username="toanquoc")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.national)

    def get(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_one_code_opens_the_unit_that_bore_it_on_the_day(self):
        self.assertContains(self.get("/communes/23473/", as_of="2019-04-23"), "Xã Đắk Long")
        self.assertContains(self.get("/communes/23473/", as_of="2025-06-30"), "Thị trấn Măng Đen")
        today = self.get("/communes/23473/", as_of="2026-12-01")
        self.assertContains(today, "Xã Măng Đen")
        self.assertContains(today, "Tỉnh Quảng Ngãi (Huyện Kon Plông)")  # no district: the province, and where it came from
        self.assertEqual(today.context["commune"], Commune.objects.of_code(23473, REFORM))

    def test_the_province_code_both_quang_ngais_bore_lists_the_units_of_the_day(self):
        before = self.get("/communes/", province="51", as_of="2025-06-30")
        after = self.get("/communes/", province="51", as_of="2026-12-01")
        self.assertEqual(after.context["table"].paginator.count, 96)
        self.assertEqual(before.context["table"].paginator.count,
                         Commune.objects.filter(province__code=51, abolished_on=REFORM).count())
        self.assertContains(self.get("/", province="51", as_of="2026-12-01"), "Tỉnh Quảng Ngãi")

    def test_the_national_page_lists_the_provinces_of_the_day(self):
        before = self.get("/national/", as_of="2025-06-30").context["rows"]
        after = self.get("/national/", as_of="2026-12-01").context["rows"]
        self.assertEqual({r.province.code for r in before}, {51, 62})
        self.assertEqual([r.province.pk for r in after], [Province.objects.of_code(51, REFORM).pk])
        kon_tum = next(r for r in self.get("/national/", as_of="2019-04-23").context["rows"] if r.province.code == 62)
        self.assertEqual((kon_tum.figures.officers_in_post, kon_tum.figures.communes_covered), (349, 86))

    def test_a_national_users_first_dashboard_is_kon_tum_then_the_province_it_went_into(self):
        self.assertEqual(self.get("/", as_of="2019-04-23").context["province"].code, 62)
        today = self.get("/", as_of="2026-12-01").context["province"]
        self.assertEqual(today, Province.objects.of_code(51, REFORM))

    def test_the_new_tier_groups_communes_under_their_former_district(self):
        from tests.base import make_officer, make_posting
        from tests.web.helpers import district_rows, tile, totals_row

        mang_den = Commune.objects.of_code(23473, REFORM)
        make_posting(make_officer("Y Nhận Mới"), mang_den, REFORM)
        page = self.get("/", province="51", as_of="2026-12-01")
        html = page.content.decode()
        self.assertContains(page, "By former district")
        rows = {cells[0]: cells for cells in district_rows(html)}
        self.assertEqual(rows["Huyện Kon Plông"][1], "1")
        self.assertEqual(tile(html, "tile-officers"), "1")
        self.assertEqual(totals_row(html)[1], "1")
        # The district page of a district that no longer exists shows the communes that came from it.
        district = self.get("/districts/613/", as_of="2026-12-01")
        self.assertContains(district, "Y Nhận Mới")
        self.assertIn(mang_den, district.context["communes"])
        # Before the reform the table is by district, as it always was.
        before = self.get("/", as_of="2019-04-23")
        self.assertContains(before, "By district")
        self.assertEqual(before.content.decode().count('<option value="51"'), 1)  # the province picker: the units of the day
