"""CSP and security headers on every kind of response, and templates the policy does not break."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from tests.base import SmallProvinceTestCase

ROOT = Path(settings.BASE_DIR)


def project_templates() -> list[Path]:
    """templates/ and every project app's templates/ (third-party packages are not ours to fix)."""
    dirs = [ROOT / "templates", *(p for p in ROOT.glob("*/templates") if ".venv" not in p.parts)]
    return sorted({t for d in dirs for t in d.rglob("*.html")})


class HeaderTests(SmallProvinceTestCase):
    def assert_hardened(self, response):
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        self.assertEqual(directives["default-src"], "'self'")
        self.assertEqual(directives["script-src"], "'self'")
        self.assertEqual(directives["style-src"], "'self'")
        self.assertEqual(directives["img-src"], "'self' data:")
        self.assertEqual(directives["frame-ancestors"], "'none'")
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_the_login_page_is_hardened(self):
        self.assert_hardened(self.client.get(reverse("login")))

    def test_a_signed_in_page_is_hardened(self):
        self.client.force_login(self.national_admin)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        self.assert_hardened(response)

    def test_a_not_found_page_is_hardened_and_uses_our_template(self):
        self.client.force_login(self.viewer)
        with self.settings(DEBUG=False):
            response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assert_hardened(response)
        self.assertTemplateUsed(response, "404.html")

    def test_a_forbidden_page_uses_our_template(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("manage:index"))
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "403.html")
        self.assert_hardened(response)

    def test_the_health_probe_is_hardened(self):
        self.assert_hardened(self.client.get(reverse("healthz")))

    def test_a_static_file_is_hardened(self):
        response = self.client.get("/static/css/app.css")
        self.assertEqual(response.status_code, 200)
        self.assert_hardened(response)


class TemplatePolicyTests(TestCase):
    """What the CSP would block must not be in our templates: the policy would break the page."""

    def test_our_templates_exist(self):
        names = {t.name for t in project_templates()}
        self.assertTrue({"base.html", "login.html", "500.html", "503.html"} <= names)

    def test_no_template_has_an_inline_script(self):
        for template in project_templates():
            text = template.read_text()
            for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
                with self.subTest(template=str(template.relative_to(ROOT)), tag=tag):
                    is_data = re.search(r'type=["\']application/(ld\+)?json["\']', tag, flags=re.I)
                    self.assertTrue("src=" in tag or is_data, f"inline <script> in {template}")

    def test_no_template_has_event_handler_attributes_or_javascript_urls(self):
        for template in project_templates():
            text = template.read_text()
            with self.subTest(template=str(template.relative_to(ROOT))):
                self.assertIsNone(re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I), "onclick= & co. are blocked")
                self.assertNotIn("javascript:", text.lower())

    def test_no_template_has_inline_styles(self):
        for template in project_templates():
            text = template.read_text()
            if "@page" in text:
                continue  # a PDF template (WeasyPrint) is never served to a browser
            with self.subTest(template=str(template.relative_to(ROOT))):
                self.assertIsNone(re.search(r"<style\b", text, flags=re.I), "<style> blocks are blocked; use app.css")
                self.assertIsNone(re.search(r"\sstyle\s*=", text, flags=re.I), "style= attributes are blocked")
