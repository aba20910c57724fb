"""The national dashboard as users meet it: linked from the header, a demo login, a 403 that says why, an export."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from personnel.access import scope_for
from sampledata.pilot import DEMO_USERS, load_pilot_demo
from tests import demo
from tests.base import InEnglish

URL = reverse("national_dashboard")


class NationalPageTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()  # the whole command's rows: running it again below only prints (it changes nothing)
        User = get_user_model()
        cls.national = User.objects.get(username="toanquoc")
        cls.provincial = User.objects.get(username="lanhdao")

    def test_the_demo_has_a_national_viewer_who_cannot_edit(self):
        scope = scope_for(self.national)
        self.assertTrue(scope.national)
        self.assertFalse(scope.can_edit)
        self.assertIn("toanquoc", [username for username, *_rest in DEMO_USERS])

    def test_the_demo_command_prints_the_national_login(self):
        out = io.StringIO()
        call_command("load_pilot_demo", stdout=out)
        line = next(line for line in out.getvalue().splitlines() if "toanquoc" in line)
        self.assertIn("xem-toanquoc-2019", line)
        self.assertIn("/national/", line)

    def test_a_demo_loaded_before_the_national_login_existed_gets_it_on_the_next_load(self):
        self.national.delete()
        load_pilot_demo()
        user = get_user_model().objects.get(username="toanquoc")
        self.assertTrue(user.check_password("xem-toanquoc-2019"))
        self.assertTrue(scope_for(user).national)

    def test_the_header_links_the_national_page_for_national_users_only(self):
        self.client.force_login(self.national)
        self.assertContains(self.client.get(reverse("dashboard")), f'href="{URL}"')
        self.client.force_login(self.provincial)
        self.assertNotContains(self.client.get(reverse("dashboard")), f'href="{URL}"')

    def test_a_province_user_is_told_the_page_needs_national_scope(self):
        self.client.force_login(self.provincial)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "national scope", status_code=403)

    def test_the_page_has_one_date_picker_the_headers(self):
        self.client.force_login(self.national)
        html = self.client.get(URL, {"as_of": "2019-04-23"}).content.decode()
        self.assertEqual(html.count('type="date"'), 1)
        self.assertIn('id="as-of-form"', html)

    def test_the_table_exports_as_csv_and_xlsx_with_the_day_in_the_name(self):
        from openpyxl import load_workbook

        self.client.force_login(self.national)
        response = self.client.get(URL, {"as_of": "2019-04-23", "export": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("toan-quoc_2019-04-23.csv", response["Content-Disposition"])
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        # April 2019: 102 units (86 xã, 10 phường, 6 thị trấn), all with commune police; then the six figures.
        self.assertIn("Tỉnh Kon Tum,102,86,10,6,102,349,86,86,100.0,61,60,41,22", text)
        self.assertIn("23/04/2019", text)
        response = self.client.get(URL, {"as_of": "2019-04-23", "export": "xlsx"})
        self.assertIn("toan-quoc_2019-04-23.xlsx", response["Content-Disposition"])
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertEqual(rows[0][0], "Province")
        self.assertEqual(rows[1][:7], ("Tỉnh Kon Tum", 102, 86, 10, 6, 102, 349))
        self.assertEqual(rows[-1][0], "Whole country")
