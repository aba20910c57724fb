"""The pilot review's figures as a workbook, with formula-looking text kept as text."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from communes.models import PartyCell
from personnel.choices import Position
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting

URL = reverse("reports:pilot_review_xlsx")


class PilotReviewWorkbookTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        chief = make_officer('=HYPERLINK("http://127.0.0.1:9/","x")')
        make_posting(chief, cls.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        make_posting(make_officer("@SUM(1+1)"), cls.commune_a1, D(2019, 1, 1))
        make_posting(make_officer("Trần Văn Ba"), cls.commune_b1, D(2019, 2, 1))
        PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))

    def _workbook(self, user=None, **params):
        self.client.force_login(user or self.viewer)
        response = self.client.get(URL, {"as_of": "2019-04-23", **params})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return load_workbook(io.BytesIO(response.content))

    def test_it_has_the_figures_the_districts_and_the_communes(self):
        book = self._workbook()
        figures, districts, communes = book.worksheets
        values = {row[0]: row[1:] for row in figures.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(list(values.values())[3], (3, None))  # officers in post
        self.assertEqual(list(values.values())[4], (2, 3))  # communes covered / in the plan
        self.assertEqual(list(values.values())[5], (1, None))  # Party cells
        self.assertEqual([r[1] for r in districts.iter_rows(min_row=2, values_only=True)],
                         ["Huyện Đắk Glei Thử", "Huyện Ia H'Drai Thử"])
        rows = list(communes.iter_rows(min_row=2, values_only=True))
        self.assertEqual([r[2] for r in rows], ["Xã Đắk Pét", "Xã Mường Hoong", "Xã Ia Tơi"])
        self.assertEqual([r[4] for r in rows], [2, 0, 1])

    def test_text_that_looks_like_a_formula_stays_text(self):
        communes = self._workbook().worksheets[2]
        chief = communes.cell(row=2, column=4)
        self.assertEqual(chief.value, '\'=HYPERLINK("http://127.0.0.1:9/","x")')
        self.assertEqual(chief.data_type, "s")
        for row in communes.iter_rows(values_only=True):
            for value in row:
                self.assertFalse(isinstance(value, str) and value[:1] in "=+-@", value)

    def test_a_district_editor_may_not_download_the_province_figures(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_anonymous_users_are_sent_to_the_login_page(self):
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_an_invalid_date_is_a_400(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(URL, {"as_of": "tomorrow"}).status_code, 400)

    def test_queries_stay_the_same_as_the_data_grows(self):
        self.client.force_login(self.viewer)
        self.client.get(URL, {"as_of": "2019-04-23"})  # the session is refreshed on the first request after logging in
        with self.assertNumQueries(12):  # as the PDF (test_pilot_review_pdf.QUERIES)
            self.client.get(URL, {"as_of": "2019-04-23"})
        for i in range(5):
            make_posting(make_officer(f"Võ Văn Số{i}"), self.commune_a2, D(2019, 1, 1 + i))
        with self.assertNumQueries(12):  # as the PDF (test_pilot_review_pdf.QUERIES)
            self.client.get(URL, {"as_of": "2019-04-23"})
