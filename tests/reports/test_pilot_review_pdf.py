"""The pilot review report as a PDF: the 2019 review's figures, the official form, the shipped font."""

import io
import re

from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse

from communes.models import Province
from tests import demo
from tests.base import SmallProvinceTestCase
from tests.reports.helpers import (
    only_static,
    pdf_font_names,
    pdf_pages,
    recorded_fetches,
)

URL = reverse("reports:pilot_review_pdf")
TINOS = {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"}


class PilotReviewOnTheDemoDataTests(TestCase):
    """Kon Tum on 23/04/2019, the day of the review conference."""

    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        client = Client()
        client.force_login(get_user_model().objects.get(username="lanhdao"))
        with recorded_fetches() as urls:
            response = client.get(URL, {"as_of": "2019-04-23"})
        cls.status, cls.content_type = response.status_code, response["Content-Type"]
        cls.disposition = response["Content-Disposition"]
        cls.pdf = response.content
        cls.fetched = urls
        cls.pages = pdf_pages(cls.pdf)
        cls.text = "\n".join(cls.pages)

    def test_it_is_a_pdf_download(self):
        self.assertEqual(self.status, 200)
        self.assertEqual(self.content_type, "application/pdf")
        self.assertIn('filename="bao-cao-so-ket_kon-tum_2019-04-23.pdf"', self.disposition)
        self.assertTrue(self.pdf.startswith(b"%PDF-"))

    def test_it_carries_the_official_header(self):
        first = self.pages[0]
        for line in ("BỘ CÔNG AN", "CÔNG AN TỈNH KON TUM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "/BC-CAT", "Kon Tum, ngày 23 tháng 4 năm 2019", "BÁO CÁO"):
            self.assertIn(line, first)

    def test_it_gives_the_six_figures_of_the_review(self):
        # The province's total row: officers, communes covered/in the plan, cells, police secretaries, BCH, BTV.
        self.assertRegex(self.pages[0], r"\b349 86/86 61 60 41 22\b")
        for figure in ("349", "86/86", "60/61"):
            self.assertRegex(self.text, rf"(?<![\d/]){re.escape(figure)}(?![\d/])")
        self.assertRegex(self.text, r"\b61\b.*\b60/61\b")
        self.assertRegex(self.text, r"\b41\b.*\b22\b")

    def test_names_keep_their_vietnamese_spelling(self):
        for name in ("Đắk Glei", "Tu Mơ Rông", "Ia H'Drai", "Kon Rẫy", "Ngọc Hồi", "Xã Đắk Nhoong"):
            self.assertIn(name, self.text)

    def test_the_appendix_lists_every_commune_of_the_plan(self):
        numbered = re.findall(r"^(\d+) Xã ", self.text, flags=re.M)
        self.assertIn("86", numbered)

    def test_pages_are_numbered_from_the_second(self):
        self.assertGreaterEqual(len(self.pages), 3)
        self.assertNotEqual(self.pages[0].strip().splitlines()[-1], "1")
        for number, page in enumerate(self.pages[1:], start=2):
            self.assertEqual(page.strip().splitlines()[-1], str(number))

    def test_table_headers_repeat_on_every_page_a_table_runs_onto(self):
        # The appendix runs over several pages; each continuation page opens with the same header row.
        header = self.pages[-1].splitlines()[0]
        self.assertGreaterEqual(sum(page.splitlines()[0] == header for page in self.pages), 2)
        self.assertGreaterEqual(sum(header in page.splitlines() for page in self.pages), 3)

    def test_pages_are_a4_with_the_decrees_margins(self):
        from pypdf import PdfReader

        mm = 72 / 25.4
        pages = PdfReader(io.BytesIO(self.pdf)).pages
        for page in pages:
            self.assertAlmostEqual(float(page.mediabox.width), 210 * mm, delta=1)
            self.assertAlmostEqual(float(page.mediabox.height), 297 * mm, delta=1)
        # Text positions on the first and last pages (the chart's SVG has transforms of its own).
        for page in (pages[0], pages[-1]):
            xs = []

            def visit(text, cm, tm, font_dict, font_size, xs=xs):
                if text.strip():
                    xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

            page.extract_text(visitor_text=visit)
            self.assertGreaterEqual(min(xs), 30 * mm - 1)  # left margin 30-35 mm
            self.assertLessEqual(min(xs), 35 * mm + 8)  # text starts near it (table borders + padding)

    def test_only_the_shipped_tinos_is_embedded(self):
        names = pdf_font_names(self.pdf)
        self.assertTrue(names)
        self.assertLessEqual(names, TINOS)
        self.assertIn("Tinos", names)

    def test_weasyprint_fetched_only_static_files(self):
        self.assertTrue(self.fetched)  # the stylesheet and the fonts
        self.assertTrue(only_static(self.fetched), self.fetched)


class PilotReviewAccessTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.stranger = get_user_model().objects.create_user("stranger", password="pw-stranger-1")
        cls.root = get_user_model().objects.create_superuser("root", password="pw-root-123")
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Khác")

    def test_anonymous_users_are_sent_to_the_login_page(self):
        response = self.client.get(URL, {"as_of": "2019-04-23"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_a_user_without_a_profile_is_refused(self):
        self.client.force_login(self.stranger)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_a_district_limited_editor_may_not_print_the_province_review(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(URL, {"as_of": "2019-04-23"}).status_code, 403)

    def test_a_province_user_prints_their_province_only(self):
        self.client.force_login(self.viewer)
        response = self.client.get(URL, {"as_of": "2019-04-23"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("CÔNG AN TỈNH THỬ NGHIỆM", " ".join(pdf_pages(response.content)[0].split()))
        self.assertEqual(self.client.get(URL, {"province": self.other_province.code}).status_code, 404)

    def test_a_national_user_names_the_province(self):
        self.client.force_login(self.root)
        response = self.client.get(URL, {"as_of": "2019-04-23"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("province=", response.content.decode())
        response = self.client.get(URL, {"as_of": "2019-04-23", "province": self.other_province.code})
        self.assertEqual(response.status_code, 200)
        self.assertIn("CÔNG AN TỈNH KHÁC", " ".join(pdf_pages(response.content)[0].split()))

    def test_an_invalid_date_is_a_400_that_says_why(self):
        self.client.force_login(self.viewer)
        for value in ("2019-02-30", "31/02/2019", "20190423", "2019-W17-2", "1900-01-01", "x" * 200):
            with self.subTest(value=value):
                response = self.client.get(URL, {"as_of": value})
                self.assertEqual(response.status_code, 400)
                self.assertTemplateUsed(response, "reports/bad_request.html")  # a page, in the app's frame
                self.assertIn("dd/mm/yyyy", response.content.decode())
        # Typed the Vietnamese way, as every page accepts it.
        self.assertEqual(self.client.get(URL, {"as_of": "23/04/2019"}).status_code, 200)
        self.assertEqual(self.client.get(URL, {"province": "62abc"}).status_code, 400)
        self.assertEqual(self.client.get(URL, {"province": "６２"}).status_code, 400)

    def test_a_day_in_the_future_is_a_400_not_a_long_render(self):
        self.client.force_login(self.viewer)
        response = self.client.get(URL, {"as_of": "2099-12-31"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("31/12/2099", response.content.decode())
        self.assertEqual(self.client.get(URL, {"as_of": "9999-12-31"}).status_code, 400)

    def test_a_day_before_the_plan_prints_with_a_one_point_chart(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(URL, {"as_of": "1950-01-01"}).status_code, 200)

    def test_it_is_not_cached(self):
        self.client.force_login(self.viewer)
        self.assertIn("no-store", self.client.get(URL, {"as_of": "2019-04-23"})["Cache-Control"])

    def test_a_province_without_a_plan_still_prints(self):
        self.client.force_login(self.root)
        response = self.client.get(URL, {"province": self.other_province.code, "as_of": "2019-04-23"})
        self.assertEqual(response.status_code, 200)


class PilotReviewQueryCountTests(SmallProvinceTestCase):
    """The number of queries does not grow with the communes, officers or months."""

    def test_queries_stay_the_same_as_the_data_grows(self):
        from tests.base import D, make_officer, make_posting

        self.client.force_login(self.viewer)
        self.client.get(URL, {"as_of": "2019-04-23"})  # the session is refreshed on the first request after logging in
        with self.assertNumQueries(QUERIES):
            self.client.get(URL, {"as_of": "2019-04-23"})
        for i in range(6):
            make_posting(make_officer(f"Nguyễn Văn Số{i}"), [self.commune_a1, self.commune_a2, self.commune_b1][i % 3],
                         D(2018, 11 + i % 2, 1 + i))
        with self.assertNumQueries(QUERIES):
            self.client.get(URL, {"as_of": "2019-04-23"})


# session, user with profile, profile's areas; province, plan, the area (communes with their districts, their postings,
# cells and roles), the rollout's postings, the roadmap's milestones (none here), the facilities section's three
# (the session is saved every few minutes, not on every request).
QUERIES = 13  # the figures' reads, and the access log's line (its province, its insert)
