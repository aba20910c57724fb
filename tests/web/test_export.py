"""CSV and XLSX export: exactly the filtered rows, every page of them, with formulas neutralised."""

from __future__ import annotations

import csv
import io

from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl import load_workbook

from kontum_posts.lib.export import neutralise, xlsx_bytes
from tests.base import D, make_officer, make_posting
from tests.web.test_browsing_views import BrowsingTestCase


def csv_rows(response) -> list[list[str]]:
    """The table of a CSV export: its rows up to the empty line before the notes (the day, place, filters)."""
    return csv_table(csv_lines(response))[0]


def csv_lines(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def csv_table(lines: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """(table, notes) of a CSV export."""
    end = lines.index([]) if [] in lines else len(lines)
    return lines[:end], lines[end + 1:]


class NeutraliseTests(SimpleTestCase):
    def test_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(self):
        for text in ("=1+2", "+1", "-2", "@SUM(A1)", "\t=1+2", "\r@x", " =1+2", "- một"):
            with self.subTest(text=repr(text)):
                self.assertEqual(neutralise(text), "'" + text)

    def test_other_values_pass_unchanged(self):
        self.assertEqual(neutralise("Nguyễn Văn An"), "Nguyễn Văn An")
        self.assertEqual(neutralise(-5), -5)
        self.assertEqual(neutralise(D(2019, 4, 23)), D(2019, 4, 23))
        self.assertIsNone(neutralise(None))  # an empty cell
        self.assertEqual(neutralise("\tx"), "\tx")  # a tab before plain text is no formula

    def test_an_xlsx_cell_never_holds_a_formula(self):
        workbook = load_workbook(io.BytesIO(xlsx_bytes([["name"], ["=HYPERLINK(\"http://x\")"]])))
        cell = workbook.active["A2"]
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, "'=HYPERLINK(\"http://x\")")


class ExportTests(BrowsingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.evil = make_officer("=cmd|' /C calc'!A0")
        make_posting(cls.evil, cls.commune_a2, D(2019, 1, 5))

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_the_csv_holds_exactly_the_filtered_rows_of_every_page(self):
        response = self.client.get(reverse("officer_list"), {"district": self.district_a.code, "export": "csv",
                                                             "as_of": "2019-04-23", "page": 2})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        rows = csv_rows(response)
        names = sorted(row[0] for row in rows[1:])
        self.assertEqual(names, sorted(["Lê Văn Anh", "Trần Văn Ân", "Phạm Minh Đức", "'=cmd|' /C calc'!A0"]))

    def test_the_csv_keeps_the_tables_order_and_dates_as_day_month_year(self):
        rows = csv_rows(self.client.get(reverse("posting_list"), {"export": "csv", "sort": "start_date"}))
        header, first = rows[0], rows[1]
        start = header.index(str(header[5]))
        self.assertEqual(first[start], "01/01/2019")

    def test_formulas_are_neutralised_in_the_csv(self):
        rows = csv_rows(self.client.get(reverse("posting_list"), {"export": "csv", "q": "cmd"}))
        self.assertEqual(len(rows), 2)
        self.assertTrue(rows[1][0].startswith("'="))

    def test_the_xlsx_holds_the_filtered_rows_as_text_not_formulas(self):
        response = self.client.get(reverse("officer_list"), {"export": "xlsx", "district": self.district_a.code,
                                                             "as_of": "2019-04-23"})
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [row for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(len(values), 1 + 4)
        names = {row[0] for row in values[1:]}
        self.assertIn("Trần Văn Ân", names)
        self.assertIn("'=cmd|' /C calc'!A0", names)
        self.assertTrue(all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row))

    def test_party_role_and_commune_exports_open(self):
        for name in ("partyrole_list", "commune_list"):
            for fmt in ("csv", "xlsx"):
                with self.subTest(name=name, fmt=fmt):
                    response = self.client.get(reverse(name), {"export": fmt})
                    self.assertEqual(response.status_code, 200)
        rows = csv_rows(self.client.get(reverse("partyrole_list"), {"export": "csv"}))
        self.assertEqual(len(rows), 3)
        self.assertIn("Y Hoa", [row[0] for row in rows])


    def test_the_party_role_page_and_export_run_as_many_queries_for_more_roles(self):
        from communes.models import PartyCell
        from personnel.choices import PartyRoleKind
        from personnel.models import PartyRole
        from tests.web.helpers import count_queries

        def counts():
            return (count_queries(self.client, reverse("partyrole_list")),
                    count_queries(self.client, reverse("partyrole_list") + "?export=csv"))

        before = counts()
        for i, commune in enumerate((self.commune_a2, self.commune_b1)):
            cell = PartyCell.objects.create(commune=commune, established_on=D(2019, 2, 1))
            PartyRole.objects.create(commune=commune, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
                                     officer=make_officer(f"Y Mới {i}"), start_date=D(2019, 2, 1))
        self.assertEqual(counts(), before)


class BooleanCellTests(SimpleTestCase):
    def test_yes_no_cells_are_words_not_python_booleans(self):
        from django.utils import translation

        from kontum_posts.lib.export import neutralise

        with translation.override("vi"):
            self.assertEqual((neutralise(True), neutralise(False)), ("có", "không"))
