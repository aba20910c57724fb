"""Id parameters accept ASCII digits only: "²" and "①" pass str.isdigit() but not int()."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from kontum_posts.lib.params import ascii_int
from tests.base import SmallProvinceTestCase
from tests.lean import UnrecordedTemplates

PAGES = [
    "dashboard", "national_dashboard", "search", "commune_list", "officer_list", "posting_list", "partyrole_list",
    "reports:pilot_review_pdf", "reports:pilot_review_xlsx", "reports:district_roster_pdf",
    "manage:index", "manage:posting_assign", "manage:partyrole_appoint", "manage:partycell_establish",
]
VALUES = ["²", "①", "１"]
PARAMS = ["district", "commune", "province", "officer"]


class UnicodeDigitTests(UnrecordedTemplates, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.national = get_user_model().objects.create_superuser("national", password="pw-national-123")

    def test_the_helper_reads_only_ascii_digits(self):
        self.assertEqual(ascii_int("42"), 42)
        for value in [*VALUES, "٣", "12²", "", "-1", " 4", "4.0", None, 4]:
            self.assertIsNone(ascii_int(value), value)

    def test_no_list_or_report_page_fails_on_a_unicode_digit_in_an_id_parameter(self):
        # Each page gets every value and every parameter (the values taken in turn: four parameters, three values),
        # each parameter every value across the pages: a third of the whole product, whose PDFs took half a minute.
        for user in (self.national, self.editor):
            self.client.force_login(user)
            for i, name in enumerate(PAGES):
                for j, param in enumerate(PARAMS):
                    value = VALUES[(i + j) % len(VALUES)]
                    response = self.client.get(reverse(name), {param: value})
                    self.assertLess(response.status_code, 500, f"{user} {name}?{param}={value}")


class ImportUnicodeDigitTests(SmallProvinceTestCase):
    def test_an_import_row_whose_commune_is_a_unicode_digit_is_reported_not_a_crash(self):
        from personnel.importing import postings_import
        from tests.personnel.test_import import csv_bytes, row

        result = postings_import(file=csv_bytes([row(commune="²")]), filename="a.csv", user=self.admin, dry_run=True)
        self.assertFalse(result.ok)
        self.assertTrue(result.errors)
