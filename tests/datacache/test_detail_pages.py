"""A commune's page and an officer's page are rendered once for each kind of viewer and cached under the data
versions of their provinces (dashboards/views.py commune_detail, personnel/web/views.py officer_detail): served
again without reading their rows, kept through a write in another province, afresh after one in theirs, and one
page for each scope and role (an editor's has the edit buttons a viewer's has not).

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

from django.test import Client, TransactionTestCase

from personnel import services
from personnel.choices import Position
from tests.base import D, make_officer, make_posting
from tests.datacache.test_datacache import all_queries
from tests.datacache.test_province_versions import TwoProvincesCommitted


class DetailPagesTests(TwoProvincesCommitted, TransactionTestCase):
    def setUp(self):
        super().setUp()
        self.officer = make_officer("Y Sáu", home_unit=self.unit_a)
        make_posting(self.officer, self.commune_a1, D(2019, 1, 1))
        self.commune_url = f"/communes/{self.commune_a1.code}/?as_of=2019-04-23"
        self.officer_url = f"/officers/{self.officer.pk}/?as_of=2019-04-23"

    def warm(self, client, url: str) -> int:
        all_queries(client, url)
        return all_queries(client, url)[0]

    def test_served_again_kept_through_a_write_elsewhere_and_afresh_after_one_in_their_province(self):
        for url in (self.commune_url, self.officer_url):
            with self.subTest(url=url):
                cold = all_queries(self.client_a, url)[0]
                warm = self.warm(self.client_a, url)
                self.assertLess(warm, cold)
                make_posting(make_officer("Y Bảy", home_unit=self.b["unit"]), self.b["communes"][1], D(2019, 2, 1))
                self.assertEqual(all_queries(self.client_a, url)[0], warm)  # province B's write: still cached

        newcomer = make_officer("Y Tám Mới Đến", home_unit=self.unit_a)
        services.posting_start(officer=newcomer, commune=self.commune_a1, position=Position.STANDING_OFFICER,
                               on=D(2019, 3, 1))
        self.assertIn("Y Tám Mới Đến", all_queries(self.client_a, self.commune_url)[1])
        self.officer.full_name = "Y Sáu Đổi Tên"
        self.officer.save()
        self.assertIn("Y Sáu Đổi Tên", all_queries(self.client_a, self.officer_url)[1])
        self.assertIn("Y Sáu Đổi Tên", all_queries(self.client_a, self.commune_url)[1])

    def test_each_kind_of_viewer_gets_its_own_page(self):
        editor = Client()
        editor.force_login(self.editor)  # an editor of district A
        for url, button in ((self.commune_url, f"/manage/communes/{self.commune_a1.code}/"),
                            (self.officer_url, f"/manage/officers/{self.officer.pk}/")):
            with self.subTest(url=url):
                self.warm(self.client_a, url)
                self.assertNotIn(button, all_queries(self.client_a, url)[1])
                self.assertIn(button, all_queries(editor, url)[1])
                # Province B's viewer may not see province A's commune or officer, cached or not.
                self.assertEqual(self.client_b.get(url).status_code, 404)

    def test_an_officer_in_no_province_yet_has_a_page_that_follows_their_writes(self):
        loose = make_officer("Y Chưa Có Đơn Vị")
        national = Client()
        national.force_login(self.national_admin)
        url = f"/officers/{loose.pk}/"
        self.warm(national, url)
        loose.full_name = "Y Chưa Có Đơn Vị Đổi Tên"
        loose.save()
        self.assertIn("Y Chưa Có Đơn Vị Đổi Tên", all_queries(national, url)[1])
