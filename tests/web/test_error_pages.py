"""404 and 403 show the app's own pages, styled and translated, with DEBUG on as well as off."""

from __future__ import annotations

from django.test import override_settings

from tests.base import SmallProvinceTestCase


class ErrorPageTests(SmallProvinceTestCase):
    def _assert_app_page(self, response, status: int, heading: str):
        self.assertEqual(response.status_code, status)
        html = response.content.decode()
        self.assertIn('href="/static/css/app.css"', html)
        self.assertIn(f"<h1>{heading}</h1>", html)
        self.assertNotIn("technical", html.lower())
        self.assertNotIn("<style", html)  # the CSP would block it

    def test_an_out_of_scope_commune_shows_the_apps_404_with_debug_on_and_off(self):
        self.client.force_login(self.editor)  # limited to district A; commune B1 is out of scope
        for debug in (True, False):
            with self.subTest(debug=debug), override_settings(DEBUG=debug):
                response = self.client.get(f"/communes/{self.commune_b1.code}/")
                self._assert_app_page(response, 404, "Không tìm thấy trang")

    def test_an_address_that_matches_no_page_shows_the_apps_404_with_debug_on_and_off(self):
        self.client.force_login(self.viewer)
        for debug in (True, False):
            with self.subTest(debug=debug), override_settings(DEBUG=debug):
                self._assert_app_page(self.client.get("/no-such-page/"), 404, "Không tìm thấy trang")

    def test_a_refused_page_shows_the_apps_403_with_debug_on_and_off(self):
        self.client.force_login(self.viewer)  # a viewer may not open data entry
        for debug in (True, False):
            with self.subTest(debug=debug), override_settings(DEBUG=debug):
                self._assert_app_page(self.client.get("/manage/"), 403, "Không có quyền truy cập")
