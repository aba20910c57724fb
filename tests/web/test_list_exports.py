"""Every list's export is named in Vietnamese with the place and the day, its sheet in the user's language,
with a frozen header, columns wide enough for dates, and the day, the place, the rows and the filters written
in the file; the pilot review's workbook is written by the same code."""

from __future__ import annotations

import datetime
import io
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kontum_posts.lib.export import export_filename
from kontum_posts.lib.vntext import fold
from personnel.choices import PartyRoleKind
from personnel.models import PartyRole
from personnel.web.filters import OfficerFilterSet
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import count_queries
from tests.web.test_export import csv_lines, csv_table

DAY = D(2019, 4, 23)
LISTS = {  # url name: the file's first word (Vietnamese, folded)
    "officer_list": "can-bo",
    "posting_list": "bo-tri",
    "partyrole_list": "chuc-vu-dang",
    "commune_list": "xa-phuong-thi-tran",
}
TITLES = {"officer_list": "Officers", "posting_list": "Postings", "partyrole_list": "Party roles", "commune_list": "Communes"}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


def in_language(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


class ListExportTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i, commune in enumerate((cls.commune_a1, cls.commune_a2, cls.commune_b1)):
            officer = make_officer(f"Nguyễn Văn Số {i}")
            make_posting(officer, commune, D(2019, 1, 10 + i))
            PartyRole.objects.create(officer=officer, commune=commune, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                     start_date=D(2019, 2, 1))
        cls.national = get_user_model().objects.create_user("national", password="pw-national-1", is_superuser=True)

    def export(self, name: str, fmt: str, **params):
        response = self.client.get(reverse(name), {"as_of": DAY.isoformat(), "export": fmt, **params})
        self.assertEqual(response.status_code, 200)
        return response

    def test_every_list_export_is_named_with_what_it_lists_the_place_and_the_day(self):
        for user, place in ((self.viewer, self.province.name), (self.editor, self.district_a.name),
                            (self.national, "Toàn quốc")):
            self.client.force_login(user)
            for name, what in LISTS.items():
                for fmt in ("csv", "xlsx"):
                    with self.subTest(user=user.username, list=name, fmt=fmt):
                        got = filename(self.export(name, fmt))
                        self.assertEqual(got, f"{what}_{slug(place)}_{DAY.isoformat()}.{fmt}")
                        self.assertTrue(got.isascii())

    def test_a_chosen_district_or_commune_names_the_file(self):
        self.client.force_login(self.viewer)
        got = filename(self.export("officer_list", "xlsx", district=self.district_b.code))
        self.assertEqual(got, f"can-bo_{slug(self.district_b.name)}_{DAY.isoformat()}.xlsx")
        got = filename(self.export("posting_list", "csv", commune=self.commune_a2.code))
        self.assertEqual(got, f"bo-tri_{slug(self.commune_a2.name)}_{DAY.isoformat()}.csv")

    def test_the_sheet_is_named_in_the_users_language(self):
        self.client.force_login(self.viewer)
        for language in ("vi", "en"):
            self.client.cookies["django_language"] = language
            for name, title in TITLES.items():
                with self.subTest(language=language, list=name):
                    book = load_workbook(io.BytesIO(self.export(name, "xlsx").content))
                    self.assertEqual(book.worksheets[0].title, in_language(title, language))
                    self.assertEqual(book.worksheets[1].title, in_language("About this file", language))

    def test_every_sheet_has_a_frozen_header_and_date_columns_wide_enough_to_show_dates(self):
        self.client.force_login(self.viewer)
        for name in LISTS:
            with self.subTest(list=name):
                sheet = load_workbook(io.BytesIO(self.export(name, "xlsx", period="all").content)).worksheets[0]
                self.assertEqual(sheet.freeze_panes, "A2")
                self.assertTrue(all(cell.font.bold for cell in sheet[1]))
                for column in sheet.iter_cols(min_row=2):
                    letter = column[0].column_letter
                    width = sheet.column_dimensions[letter].width
                    longest = max((len(f"{c.value:%d/%m/%Y}") if isinstance(c.value, datetime.datetime)
                                   else len(str(c.value or "")) for c in column), default=0)
                    self.assertGreater(width, min(longest, 58), f"column {letter} of {name}")
                    for cell in column:
                        if isinstance(cell.value, datetime.datetime):
                            self.assertEqual(cell.number_format, "DD/MM/YYYY")

    def test_the_xlsx_says_the_day_the_place_the_rows_and_the_filters_in_words(self):
        self.client.force_login(self.viewer)
        response = self.export("officer_list", "xlsx", district=self.district_a.code, in_post="yes")
        notes = dict(load_workbook(io.BytesIO(response.content)).worksheets[1].iter_rows(min_row=2, values_only=True))
        vi = lambda text: in_language(text, "vi")  # noqa: E731
        self.assertEqual(notes[vi("As of")].date(), DAY)
        self.assertEqual(notes[vi("Place")], self.district_a.name)
        self.assertEqual(notes[vi("List")], vi("Officers"))
        with translation.override("vi"):
            self.assertEqual(notes[vi("Rows")], str(OfficerFilterSet.NOTES["day"]) % {"day": "23/04/2019"})
        self.assertEqual(notes[vi("District")], self.district_a.name)
        self.assertEqual(notes[vi("In post")], vi("yes"))

    def test_the_csv_says_them_after_its_table(self):
        self.client.force_login(self.viewer)
        table, notes = csv_table(csv_lines(self.export("posting_list", "csv", period="all")))
        self.assertEqual(len(table) - 1, 3)  # the three postings, then the notes
        notes = dict(notes)
        self.assertEqual(notes[in_language("As of", "vi")], "23/04/2019")
        self.assertEqual(notes[in_language("Filters", "vi")], in_language("none", "vi"))
        self.assertEqual(notes[in_language("Rows", "vi")][:10], in_language("All time: every posting, including "
                                                                           "those started after %(day)s.", "vi")[:10])

    def test_no_cell_of_an_export_carries_the_pages_markup(self):
        from personnel.choices import UnitKind
        from personnel.models import Unit

        unit = Unit.objects.create(province=self.province, name="Công an huyện <Thử> & Co", kind=UnitKind.DISTRICT_POLICE)
        make_posting(make_officer("Y Đơn Vị", home_unit=unit), self.commune_a1, D(2019, 1, 20))
        self.client.force_login(self.viewer)
        page = self.client.get(reverse("officer_list"), {"as_of": DAY.isoformat()}).content.decode()
        self.assertIn("<abbr title=\"Công an huyện &lt;Thử&gt; &amp; Co\">CA huyện &lt;Thử&gt; &amp; Co</abbr>", page)
        table, _notes = csv_table(csv_lines(self.export("officer_list", "csv")))
        column = table[0].index(in_language("Home unit", "vi"))
        self.assertIn("Công an huyện <Thử> & Co", [row[column] for row in table[1:]])  # the unit's name, in full
        for name in LISTS:
            with self.subTest(name=name):
                table, _notes = csv_table(csv_lines(self.export(name, "csv", period="all")))
                self.assertFalse([cell for row in table for cell in row if re.search(r"</?(a|abbr|span)\b", cell)])
                workbook = load_workbook(io.BytesIO(self.export(name, "xlsx", period="all").content))
                cells = [str(c.value) for row in workbook.active.iter_rows() for c in row if c.value is not None]
                self.assertFalse([cell for cell in cells if re.search(r"</?(a|abbr|span)\b", cell)])

    def test_the_pilot_review_workbook_is_written_the_same_way(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("reports:pilot_review_xlsx"), {"as_of": DAY.isoformat()})
        self.assertEqual(filename(response), export_filename("so-lieu-so-ket", self.province.short_name, day=DAY, ext="xlsx"))
        book = load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            with self.subTest(sheet=sheet.title):
                self.assertEqual(sheet.freeze_panes, "A2")
                self.assertTrue(all(cell.font.bold for cell in sheet[1]))
        self.assertEqual(book.worksheets[0]["B3"].number_format, "DD/MM/YYYY")

    def test_an_export_costs_the_same_queries_however_many_rows_it_has(self):
        self.client.force_login(self.viewer)
        for name in LISTS:
            for fmt in ("csv", "xlsx"):
                url = f"{reverse(name)}?as_of={DAY.isoformat()}&export={fmt}&district={self.district_a.code}"
                count_queries(self.client, url)  # warm the cached filter choices
                with self.subTest(list=name, fmt=fmt):
                    few = count_queries(self.client, url)
                    officer = make_officer("Trần Văn Thêm")
                    make_posting(officer, self.commune_a2, D(2019, 3, 1))
                    PartyRole.objects.create(officer=officer, commune=self.commune_a2,
                                             role=PartyRoleKind.STANDING_COMMITTEE, start_date=D(2019, 3, 1))
                    count_queries(self.client, url)  # the write made the cached choices stale
                    self.assertEqual(count_queries(self.client, url), few)
