"""The facilities import: all rows or none, every bad row listed, the user's area only, the preview and confirm."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facilities.importing import COLUMNS, facilities_import
from facilities.models import EquipmentCount, HeadquartersRecord
from tests.base import InEnglish
from tests.facilities.helpers import FacilitiesTestCase

HEADER = ",".join(c.header for c in COLUMNS)


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def row(commune="90001", day="01/03/2019", state="Mượn", start="", done="", actual="", area="", cost="", funding="",
        item="", quantity="", note="") -> str:
    return ",".join([commune, day, state, start, done, actual, area, cost, funding, item, quantity, note])


class ImportTests(InEnglish, FacilitiesTestCase):
    def run_import(self, content: bytes, *, user=None, dry_run=False):
        return facilities_import(file=content, filename="f.csv", user=user or self.admin, dry_run=dry_run)

    def test_an_import_raises_the_version_of_the_province_it_writes_in(self):
        """bulk_create sends no signals: without its own raise, cached dashboards kept the gaps from before it."""
        import datacache

        before = datacache.current_versions()
        result = self.run_import(csv_file(row()))
        self.assertFalse(result.errors)
        after = datacache.current_versions()
        self.assertGreater(after[self.province.pk], before.get(self.province.pk, 0))

    def test_good_rows_are_all_written(self):
        result = self.run_import(csv_file(
            row(), row(commune="90002", state="Đang xây dựng", start="01/02/2019", done="30/09/2019", area="220",
                       cost="3.000.000.000", funding="Trung ương"),
            row(commune="90003", state="", item="Xe mô tô", quantity="2"),
            row(commune="90001", day="01/04/2019", state="Riêng", item="máy vi tính", quantity="1")))
        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.headquarters, result.counts), (3, 2))
        self.assertEqual(HeadquartersRecord.objects.count(), 3)
        built = HeadquartersRecord.objects.get(commune=self.commune_a2)
        self.assertEqual((built.cost, float(built.floor_area), built.funding), (3_000_000_000, 220.0, "central"))
        self.assertEqual(EquipmentCount.objects.count(), 2)

    def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(self):
        result = self.run_import(csv_file(
            row(),
            row(commune="90002", state="Đang xây dựng", start="01/05/2019", done="01/04/2019"),
            row(commune="90003", state="", item="Xe mô tô", quantity="-1"),
            row(commune="99999"),
            row(commune="90004", day="31/02/2019"),
            row(commune="90001", state="Lâu đài"),
            row(commune="90003", state="", item="Tàu ngầm", quantity="1"),
            row(commune="90001", note="=HYPERLINK(\"x\")")))
        self.assertFalse(result.ok)
        self.assertEqual(sorted({e.row for e in result.errors}), [3, 4, 5, 6, 7, 8, 9])
        self.assertEqual(HeadquartersRecord.objects.count() + EquipmentCount.objects.count(), 0)
        messages = " ".join(e.message for e in result.errors)
        self.assertIn("completed on or after the day its works started", messages)
        self.assertIn("A count of equipment is 0 or more", messages)
        self.assertIn("No commune with code 99999", messages)

    def test_numbers_too_large_for_their_columns_are_refused_with_a_message_not_a_server_error(self):
        result = self.run_import(csv_file(
            row(commune="90002", state="Đang xây dựng", start="01/02/2019", area="123456789", cost="9" * 25),
            row(commune="90003", state="", item="Xe mô tô", quantity="9" * 25)))
        self.assertFalse(result.ok)
        self.assertEqual(sorted({e.row for e in result.errors}), [2, 3])
        self.assertEqual(HeadquartersRecord.objects.count() + EquipmentCount.objects.count(), 0)

    def test_a_row_lists_each_of_its_problems(self):
        result = self.run_import(csv_file(row(day="31/02/2019", state="Tạm", item="Xe mô tô", quantity="-1")))
        self.assertEqual({e.column for e in result.errors}, {"Từ ngày", "Số lượng"})

    def test_the_same_day_twice_in_the_file_or_against_the_stored_rows_is_refused(self):
        self.assertTrue(self.run_import(csv_file(row())).ok)
        result = self.run_import(csv_file(row(day="02/03/2019"), row(day="02/03/2019", state="Tạm"), row()))
        self.assertEqual(sorted(e.row for e in result.errors), [3, 4])
        self.assertEqual(HeadquartersRecord.objects.count(), 1)

    def test_a_district_editor_imports_only_into_their_districts(self):
        result = self.run_import(csv_file(row(commune="90001"), row(commune="90003")), user=self.editor)
        self.assertEqual([e.row for e in result.errors], [3])
        self.assertEqual(HeadquartersRecord.objects.count(), 0)
        result = self.run_import(csv_file(row()), user=self.viewer)
        self.assertFalse(result.ok)

    def test_missing_columns_and_empty_files_are_said_so(self):
        self.assertIn("Required columns", self.run_import(b"Foo,Bar\n1,2\n").errors[0].message)
        self.assertIn("no rows", self.run_import(csv_file()).errors[0].message)

    def test_the_screen_previews_then_imports_on_confirm(self):
        self.client.force_login(self.admin)
        url = reverse("facilities:import")
        upload = SimpleUploadedFile("f.csv", csv_file(row()), content_type="text/csv")
        response = self.client.post(url, {"file": upload, "action": "preview"})
        self.assertContains(response, "every row is correct")
        self.assertEqual(HeadquartersRecord.objects.count(), 0)
        token = response.context["token"]
        response = self.client.post(url, {"token": token, "action": "import", "change_reason": "nhập thử"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(HeadquartersRecord.objects.count(), 1)

    def test_the_screen_lists_every_bad_row(self):
        self.client.force_login(self.admin)
        upload = SimpleUploadedFile("f.csv", csv_file(row(commune="1"), row(commune="2")), content_type="text/csv")
        response = self.client.post(reverse("facilities:import"), {"file": upload, "action": "preview"})
        self.assertContains(response, "2 problems found; nothing was written.")

    def test_the_templates_download(self):
        self.client.force_login(self.editor)
        csv = self.client.get(reverse("facilities:import_template", args=["csv"]))
        self.assertEqual(csv.status_code, 200)
        self.assertIn("Mã xã", b"".join(csv.streaming_content).decode("utf-8-sig"))
        xlsx = self.client.get(reverse("facilities:import_template", args=["xlsx"]))
        self.assertTrue(xlsx.content.startswith(b"PK"))
        # Uploaded back as downloaded, the template imports nothing: the examples are on the guide sheet only.
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
        self.assertEqual([c.value for c in next(sheet.iter_rows(max_row=1))][:2], [COLUMNS[0].header, COLUMNS[1].header])
        filled = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == COLUMNS[0].example]
        self.assertEqual(filled, [])
        self.assertEqual(self.client.get(reverse("facilities:import_template", args=["pdf"])).status_code, 404)
