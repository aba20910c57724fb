"""The district roster: officers of each commune with position, rank and since when, in the user's scope."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from personnel.choices import Position, Rank
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.reports.helpers import (
    only_static,
    pdf_font_names,
    pdf_pages,
    recorded_fetches,
)

URL = reverse("reports:district_roster_pdf")
HOSTILE = '<img src="http://127.0.0.1:9/x">'


class DistrictRosterTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        chief = make_officer("Nguyễn Văn Trưởng", rank=Rank.CAPTAIN)
        make_posting(chief, cls.commune_a1, D(2018, 12, 24), position=Position.CHIEF)
        cls.hostile = make_officer(HOSTILE, rank=Rank.SUB_LIEUTENANT)
        make_posting(cls.hostile, cls.commune_a1, D(2019, 1, 21))
        gone = make_officer("Lê Văn Đã Chuyển")
        make_posting(gone, cls.commune_a1, D(2018, 12, 1), D(2019, 3, 1))
        make_posting(make_officer("Trần Thị Bê"), cls.commune_b1, D(2019, 2, 25))
        cls.stranger = get_user_model().objects.create_user("stranger", password="pw-stranger-1")

    def _get(self, user, **params):
        self.client.force_login(user)
        return self.client.get(URL, {"as_of": "2019-04-23", **params})

    def test_it_lists_each_commune_with_the_officers_in_post_that_day(self):
        response = self._get(self.editor, district=self.district_a.code)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join("\n".join(pdf_pages(response.content)).split())
        self.assertIn("CÔNG AN TỈNH THỬ NGHIỆM", text)
        self.assertIn("huyện Đắk Glei Thử", text)
        self.assertIn("Xã Đắk Pét", text)
        self.assertIn("Xã Mường Hoong", text)  # no officer: listed, and says so
        self.assertRegex(text, r"1 Nguyễn Văn Trưởng .*24/12/2018")
        self.assertIn("21/01/2019", text)
        self.assertNotIn("Lê Văn Đã Chuyển", text)  # left before the day
        self.assertNotIn("Trần Thị Bê", text)  # another district
        self.assertLessEqual(pdf_font_names(response.content), {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"})

    def test_a_name_written_as_html_is_printed_as_text_and_fetches_nothing(self):
        with recorded_fetches() as urls:
            response = self._get(self.editor, district=self.district_a.code)
        self.assertEqual(response.status_code, 200)
        # Table cells wrap the long name; compare without whitespace.
        printed = "".join("".join(pdf_pages(response.content)).split())
        self.assertIn("".join(HOSTILE.split()), printed)
        self.assertTrue(urls)
        self.assertTrue(only_static(urls), urls)
        self.assertFalse([u for u in urls if "127.0.0.1" in u or u.startswith("http")])

    def test_an_earlier_day_shows_who_was_there_then(self):
        response = self._get(self.viewer, district=self.district_a.code, as_of="2019-01-01")
        text = "".join("".join(pdf_pages(response.content)).split())
        self.assertIn("LêVănĐãChuyển", text)
        self.assertNotIn("127.0.0.1", text)

    def test_anonymous_users_are_sent_to_the_login_page(self):
        response = self.client.get(URL, {"district": self.district_a.code})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_a_user_without_a_profile_finds_no_district(self):
        self.assertEqual(self._get(self.stranger, district=self.district_a.code).status_code, 404)

    def test_a_district_editor_gets_404_for_another_district(self):
        self.assertEqual(self._get(self.editor, district=self.district_b.code).status_code, 404)

    def test_a_province_user_may_print_any_district_of_the_province(self):
        self.assertEqual(self._get(self.viewer, district=self.district_b.code).status_code, 200)

    def test_missing_or_bad_parameters_are_a_400_that_says_why(self):
        response = self._get(self.viewer)
        self.assertEqual(response.status_code, 400)
        self.assertIn("district=", response.content.decode())
        response = self._get(self.viewer, district="abc")
        self.assertEqual(response.status_code, 400)
        response = self._get(self.viewer, district=self.district_a.code, as_of="2019-13-01")
        self.assertEqual(response.status_code, 400)
        self.assertIn("YYYY-MM-DD", response.content.decode())

    def test_queries_stay_the_same_as_the_district_grows(self):
        self.client.force_login(self.viewer)
        params = {"as_of": "2019-04-23", "district": self.district_a.code}
        self.client.get(URL, params)  # the session is refreshed on the first request after logging in
        with self.assertNumQueries(ROSTER_QUERIES):
            self.client.get(URL, params)
        for i in range(8):
            make_posting(make_officer(f"Phạm Văn Số{i}"), [self.commune_a1, self.commune_a2][i % 2], D(2019, 1, 1 + i))
        with self.assertNumQueries(ROSTER_QUERIES):
            self.client.get(URL, params)


# session, user with profile, profile's areas; district; communes; postings (no session save: every few minutes)
ROSTER_QUERIES = 7  # the roster's reads, and the access log's line (its province, its insert)


class RosterOutsideThePlanTests(SmallProvinceTestCase):
    def test_a_ward_outside_the_plan_is_listed_only_when_someone_holds_a_post_there(self):
        self.client.force_login(self.viewer)
        params = {"as_of": "2019-04-23", "district": self.district_b.code}
        text = " ".join("\n".join(pdf_pages(self.client.get(URL, params).content)).split())
        self.assertIn("Xã Ia Tơi", text)  # in the plan, empty: a gap to see
        self.assertNotIn("Phường Thống Nhất", text)
        make_posting(make_officer("Đinh Văn Phường"), self.ward_b2, D(2019, 3, 1))
        text = " ".join("\n".join(pdf_pages(self.client.get(URL, params).content)).split())
        self.assertIn("Phường Thống Nhất", text)
        self.assertIn("Đinh Văn Phường", text)
