"""Bulk import: every bad row reported, all rows or none, BOM/NFD/semicolons/XLSX, the command, few queries."""

import io
import unicodedata
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from personnel.choices import Position, UnitKind
from personnel.importing import COLUMNS, postings_import, template_csv, template_xlsx
from personnel.models import Officer, Posting, Unit
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting

HEADER = [c.header for c in COLUMNS]


def row(number="S-1", name="Nguyễn Văn An", commune="90001", position="Công an viên thường trực", start="02/01/2019",
        end="", reason="", gender="Nam", rank="Trung úy", **extra):
    values = {"Số hiệu": number, "Họ và tên": name, "Giới tính": gender, "Cấp bậc": rank, "Xã": commune,
              "Chức vụ": position, "Ngày bắt đầu": start, "Ngày kết thúc": end, "Lý do kết thúc": reason, **extra}
    return [values.get(h, "") for h in HEADER]


def csv_bytes(rows, bom=False, delimiter=","):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def xlsx_bytes(rows):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for r in rows:
        workbook.active.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ImportTests(InEnglish, SmallProvinceTestCase):
    def run_import(self, content, filename="bo-tri.csv", dry_run=False, user=None):
        return postings_import(file=content, filename=filename, user=user or self.admin, dry_run=dry_run)

    def test_a_good_file_creates_officers_and_postings_with_history(self):
        content = csv_bytes([
            row("S-1", start="02/01/2019", end="30/06/2019", reason="Điều động"),
            row("S-1", commune="90002", start="01/07/2019"),
            row("S-2", name="Y Bình", commune="Xã Ia Tơi", position="Trưởng Công an xã"),
        ])
        result = self.run_import(content)
        self.assertEqual(result.errors, [])
        self.assertEqual((result.created_officers, result.created_postings), (2, 3))
        officer = Officer.objects.get(service_number="S-1")
        self.assertEqual(officer.postings.count(), 2)
        self.assertEqual(Posting.objects.get(officer__service_number="S-2").commune, self.commune_b1)
        record = Posting.history.filter(officer_id=officer.pk).first()
        self.assertEqual((record.history_user, record.history_change_reason), (self.admin, "bulk import"))
        self.assertEqual(Posting.history.filter(history_type="+").count(), 3)
        officer_record = officer.history.get()
        self.assertEqual((officer_record.history_type, officer_record.full_name, officer_record.sort_key),
                         ("+", "Nguyễn Văn An", officer.sort_key))
        self.assertLess(abs((officer_record.history_date - record.history_date).total_seconds()), 5)

    def test_a_file_mixing_good_and_bad_rows_writes_nothing_and_reports_every_bad_row(self):
        # OLD-1 left his 2018 post but belongs to a unit of the province: still in the administrator's area today.
        unit = Unit.objects.create(province=self.province, name="Phòng Tham mưu", kind=UnitKind.DEPARTMENT)
        make_posting(make_officer(service_number="OLD-1", name="Lê Văn Cũ", home_unit=unit), self.commune_b1,
                     D(2018, 1, 1), D(2018, 6, 30))
        make_posting(make_officer(), self.commune_a2, D(2019, 1, 1), position=Position.CHIEF)
        content = csv_bytes([
            row("S-1"),                                                     # 2 good
            row("S-2", start="31/02/2019"),                                 # 3 not a date
            row("S-3", commune="99999"),                                    # 4 unknown commune
            row("S-4", commune="90002", position="Trưởng"),                 # 5 second chief
            row("S-1", commune="90002", start="01/03/2019"),                # 6 overlaps row 2
            row("S-5", start="01/05/2019", end="01/04/2019"),               # 7 end before start
            row("OLD-1", name="Trần Khác"),                                 # 8 service number of someone else
            row("S-6", position="Bảo vệ", rank=""),                         # 9 bad position, missing rank
            row("S-7", name=""),                                            # 10 missing name
        ])
        result = self.run_import(content)
        self.assertEqual(Officer.objects.count(), 2)
        self.assertEqual(Posting.objects.count(), 2)
        self.assertEqual((result.created_officers, result.created_postings), (0, 0))
        found = {(e.row, e.column) for e in result.errors}
        self.assertEqual(found, {
            (3, "Ngày bắt đầu"), (4, "Xã"), (5, "Chức vụ"), (6, "Ngày bắt đầu"), (7, "Ngày kết thúc"),
            (8, "Họ và tên"), (9, "Chức vụ"), (9, "Cấp bậc"), (10, "Họ và tên"),
        })
        messages = {e.row: e.message for e in result.errors}
        self.assertIn("already has a chief", messages[5])
        self.assertIn("row 2", messages[6])
        self.assertIn("Lê Văn Cũ", messages[8])

    def test_an_overlap_with_a_recorded_posting_is_reported(self):
        officer = make_officer(service_number="OLD-2", name="Lê Văn Cũ")
        make_posting(officer, self.commune_b1, D(2018, 12, 1))
        result = self.run_import(csv_bytes([row("OLD-2", name="Lê Văn Cũ")]))
        self.assertEqual(len(result.errors), 1)
        # The message names the recorded posting it clashes with: position, commune and period.
        self.assertIn(f"Standing officer, {self.commune_b1.name}, 01/12/2018, still open", result.errors[0].message)

    def test_two_rows_naming_one_chief_period_name_the_first_chief_and_its_row(self):
        result = self.run_import(csv_bytes([
            row("S-1", position="Trưởng Công an xã", start="01/02/2019"),
            row("S-2", name="Y Bình", position="Trưởng Công an xã", start="01/03/2019"),
        ]))
        self.assertEqual([(e.row, e.message) for e in result.errors], [(3, (
            "This commune already has a chief in that period: Nguyễn Văn An, 01/02/2019, still open. (row 2)"))])

    def test_a_chief_written_by_someone_else_meanwhile_is_named_when_the_database_refuses(self):
        from personnel.importing import check

        real_check = check._check

        def check_then_someone_else_writes(*args):
            checked = real_check(*args)
            make_posting(make_officer("A Lăng"), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
            return checked

        with mock.patch.object(check, "_check", check_then_someone_else_writes):
            result = self.run_import(csv_bytes([row("S-1"), row("S-2", name="Y Bình", position="Trưởng Công an xã")]))
        self.assertEqual([(e.row, e.message) for e in result.errors], [
            (3, "This commune already has a chief in that period: A Lăng, 01/01/2019, still open.")])
        self.assertFalse(Officer.objects.filter(service_number__in=["S-1", "S-2"]).exists())

    def test_a_dry_run_counts_but_writes_nothing(self):
        result = self.run_import(csv_bytes([row("S-1"), row("S-2")]), dry_run=True)
        self.assertEqual((result.errors, result.created_officers, result.created_postings), ([], 2, 2))
        self.assertEqual(Officer.objects.count(), 0)

    def test_bom_nfd_and_semicolons_are_read_as_nfc(self):
        nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
        content = csv_bytes([row("S-9", name=nfd, commune=unicodedata.normalize("NFD", "Xã Đắk Pét"))], bom=True, delimiter=";")
        result = self.run_import(content)
        self.assertEqual(result.errors, [])
        officer = Officer.objects.get()
        self.assertEqual(officer.full_name, "Nguyễn Thị Ánh")
        self.assertTrue(unicodedata.is_normalized("NFC", officer.full_name))

    def test_an_xlsx_file_with_real_dates_and_numeric_codes_imports(self):
        import datetime

        r = row("S-1", commune=90001, start=datetime.datetime(2019, 1, 2))
        result = self.run_import(xlsx_bytes([r]), filename="bo-tri.xlsx")
        self.assertEqual(result.errors, [])
        self.assertEqual(Posting.objects.get().start_date, D(2019, 1, 2))

    def test_a_file_that_is_not_utf8_or_lacks_columns_is_refused_with_a_reason(self):
        result = self.run_import(b"S\xf4 hi\xea\xf1u\n")
        self.assertIn("UTF-8", result.errors[0].message)
        result = self.run_import(b"foo,bar\n1,2\n")
        self.assertEqual(result.errors[0].row, 1)
        self.assertIn("Họ và tên", result.errors[0].column)

    def test_an_editor_cannot_import_into_another_district(self):
        result = self.run_import(csv_bytes([row("S-1", commune="90003")]), user=self.editor)
        self.assertEqual(len(result.errors), 1)
        self.assertIn("outside the area", result.errors[0].message)

    def test_the_templates_have_the_columns_and_read_back_empty(self):
        self.assertTrue(template_csv().startswith("\ufeff".encode()))
        self.assertIn("Số hiệu".encode(), template_csv())
        sheet = load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
        self.assertEqual([c.value for c in sheet[1]], HEADER)
        result = self.run_import(template_xlsx(), filename="mau.xlsx", dry_run=True)
        self.assertIn("no rows", result.errors[0].message)

    def test_the_number_of_queries_does_not_grow_with_the_rows(self):
        # Both sizes fit one INSERT batch even under SQLite's 999-parameter limit; larger files add
        # one INSERT per batch of rows, never a query per row.
        Unit.objects.create(province=self.province, name="Công an huyện Thử", kind=UnitKind.DISTRICT_POLICE)

        def queries(n):
            rows = [row(f"N-{n}-{i}", name=f"Cán Bộ Số {i}", commune="90001", start="02/01/2019", end="31/01/2019",
                        **{"Đơn vị": "Công an huyện Thử"}) for i in range(n)]
            with CaptureQueriesContext(connection) as ctx:
                result = self.run_import(csv_bytes(rows))
            self.assertEqual(result.errors, [])
            return len(ctx.captured_queries)

        queries(3)  # warms the cached scope of the user
        self.assertEqual(queries(5), queries(50))


class ImportCommandTests(InEnglish, SmallProvinceTestCase):
    def write(self, content, name="bo-tri.csv"):
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / name
        path.write_bytes(content)
        return str(path)

    def test_the_command_imports_and_a_dry_run_writes_nothing(self):
        path = self.write(csv_bytes([row("S-1")]))
        out = io.StringIO()
        call_command("import_postings", path, "--dry-run", stdout=out)
        self.assertIn("would create 1 officer(s) and 1 posting(s)", out.getvalue())
        self.assertEqual(Posting.objects.count(), 0)
        call_command("import_postings", path, stdout=io.StringIO())
        self.assertEqual(Posting.objects.count(), 1)

    def test_the_command_fails_listing_every_error(self):
        path = self.write(csv_bytes([row("S-1", start="2019-01-02"), row("S-2", commune="123")]))
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "2 error(s)"):
            call_command("import_postings", path, stderr=err)
        self.assertIn("row 2, Ngày bắt đầu", err.getvalue())
        self.assertIn("row 3, Xã", err.getvalue())
