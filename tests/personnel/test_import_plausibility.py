"""The plausibility rules through the import: a file with a bad row imports nothing and lists every bad row with
its line, column and the rule's message (a date of birth, a Party admission, a decision date, a first day in post
before the 18th birthday, for new and for recorded officers)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from personnel.importing import RowError, postings_import
from personnel.models import Officer, Posting
from personnel.rules import adult_from
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.personnel.test_import import csv_bytes, row

ONE_DAY = datetime.timedelta(days=1)


class ImportPlausibilityTests(InEnglish, SmallProvinceTestCase):
    def run_import(self, rows, dry_run=False):
        return postings_import(file=csv_bytes(rows), filename="bo-tri.csv", user=self.admin, dry_run=dry_run)

    def test_every_implausible_row_is_listed_and_nothing_is_imported(self):
        today = timezone.localdate()
        tomorrow = f"{today + ONE_DAY:%d/%m/%Y}"
        recorded = make_officer("Lê Văn Cũ", service_number="OLD-1", birth_date=D(2001, 6, 1))
        make_posting(recorded, self.commune_b1, D(2019, 7, 1), D(2019, 12, 31))
        rows = [
            row("S-1", **{"Ngày sinh": "15/08/1990", "Ngày vào Đảng": "03/02/2015"}),              # 2 good
            row("S-2", **{"Ngày sinh": f"{today:%d/%m/%Y}"}),                                     # 3 born today
            row("S-3", **{"Ngày sinh": "15/08/1990", "Ngày vào Đảng": "14/08/2008"}),              # 4 admitted at 17
            row("S-4", **{"Ngày vào Đảng": tomorrow}),                                            # 5 admitted tomorrow
            row("S-5", start="14/08/2019", end="14/08/2019", **{"Ngày sinh": "15/08/2001"}),      # 6 posted at 17
            row("S-5", commune="90002", start="15/08/2019", **{"Ngày sinh": "15/08/2001"}),       # 7 good, same officer
            row("S-6", **{"Ngày quyết định": tomorrow}),                                          # 8 a decision to come
            row("OLD-1", name="Lê Văn Cũ", start="02/01/2019", end="31/03/2019", gender="", rank=""),  # 9 recorded, 17
        ]
        for dry_run in (True, False):
            result = self.run_import(rows, dry_run=dry_run)
            self.assertEqual(result.errors, [
                RowError(3, "Ngày sinh", f"A date of birth is before today ({today:%d/%m/%Y})."),
                RowError(3, "Ngày bắt đầu", f"An officer is posted from their 18th birthday on: born {today:%d/%m/%Y}, "
                                            f"18 on {adult_from(today):%d/%m/%Y}, posted from 02/01/2019."),
                RowError(4, "Ngày vào Đảng", "Party admission is on or after the 18th birthday (15/08/2008)."),
                RowError(5, "Ngày vào Đảng", f"Party admission is dated today ({today:%d/%m/%Y}) or earlier."),
                RowError(6, "Ngày bắt đầu", "An officer is posted from their 18th birthday on: born 15/08/2001, "
                                            "18 on 15/08/2019, posted from 14/08/2019."),
                RowError(8, "Ngày quyết định", f"A decision is dated today ({today:%d/%m/%Y}) or earlier."),
                RowError(9, "Ngày bắt đầu", "An officer is posted from their 18th birthday on: born 01/06/2001, "
                                            "18 on 01/06/2019, posted from 02/01/2019."),
            ])
            self.assertEqual((result.created_officers, result.created_postings), (0, 0))
        self.assertEqual(Officer.objects.count(), 1)
        self.assertEqual(Posting.objects.count(), 1)

    def test_plausible_dates_import(self):
        today = timezone.localdate()
        result = self.run_import([
            row("S-1", start="15/08/2008", **{"Ngày sinh": "15/08/1990", "Ngày vào Đảng": "15/08/2008",
                                              "Ngày quyết định": f"{today:%d/%m/%Y}"}),
        ])
        self.assertEqual((result.errors, result.created_officers, result.created_postings), ([], 1, 1))
