"""The Django admin says Kontum Posts, in Vietnamese, with the app's buttons."""

from __future__ import annotations

from django.test import TestCase

from tests import demo


class AdminBrandingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_pilot()

    def setUp(self):
        # The Django admin is the national administrator's (the province's `quantri` has none).
        self.client.login(username="quantri.toanquoc", password="quantri-toanquoc-2019")

    def test_the_admin_is_titled_kontum_posts_not_django(self):
        html = self.client.get("/admin/").content.decode()
        self.assertIn('<a href="/admin/">Kontum Posts</a>', html)
        self.assertIn("<title>Quản trị hệ thống | Quản trị Kontum Posts</title>", html)
        self.assertNotIn("Django", html.split("<body")[1].split("</header>")[0])

    def test_the_axes_section_and_its_models_are_in_vietnamese(self):
        html = self.client.get("/admin/").content.decode()
        self.assertIn("Đăng nhập và khóa tài khoản", html)
        self.assertIn("Lượt đăng nhập sai", html)
        self.assertNotIn(">Axes<", html)
        page = self.client.get("/admin/axes/accessattempt/").content.decode()
        self.assertIn("Thời điểm đăng nhập", page)
        self.assertIn("Hiện số lượng", page)  # a newer admin string Django's vi catalogue lacks

    def test_the_admin_loads_the_apps_button_style(self):
        html = self.client.get("/admin/").content.decode()
        self.assertIn('href="/static/css/admin.css"', html)
