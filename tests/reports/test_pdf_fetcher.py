"""WeasyPrint reads nothing but the app's static files."""

from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from reports.fetcher import StaticFilesFetcher
from reports.pdf import URLRefused, base_url, render_pdf
from tests.reports.helpers import recorded_fetches

STATIC = Path(settings.STATICFILES_DIRS[0]).resolve()


class StaticFilesFetcherTests(SimpleTestCase):
    def setUp(self):
        self.fetcher = StaticFilesFetcher()

    def test_it_serves_the_print_stylesheet_and_the_shipped_font(self):
        css = self.fetcher.fetch(base_url() + "css/print.css")
        self.assertIn(b"@font-face", css.read())
        self.assertEqual(css.content_type, "text/css")
        font = self.fetcher.fetch((STATIC / "fonts" / "Tinos-Regular.ttf").as_uri())
        self.assertEqual(font.read(4), b"\x00\x01\x00\x00")  # a TrueType font

    def test_it_refuses_http_and_https(self):
        for url in ("http://127.0.0.1:9/x", "https://example.com/font.ttf", "HTTP://127.0.0.1/"):
            with self.subTest(url=url), self.assertRaises(URLRefused):
                self.fetcher.fetch(url)

    def test_it_refuses_data_and_other_schemes(self):
        for url in ("data:text/css,body{}", "ftp://example.com/x", "javascript:alert(1)"):
            with self.subTest(url=url), self.assertRaises(URLRefused):
                self.fetcher.fetch(url)

    def test_it_refuses_files_outside_the_static_directories(self):
        outside = [
            "file:///etc/passwd",
            (Path(settings.BASE_DIR) / "manage.py").as_uri(),
            base_url() + "../manage.py",
            base_url() + "css/../../kontum_posts/settings.py",
            "file://otherhost" + (STATIC / "css" / "print.css").as_posix(),
        ]
        for url in outside:
            with self.subTest(url=url), self.assertRaises(URLRefused):
                self.fetcher.fetch(url)

    def test_a_missing_static_file_is_refused_too(self):
        with self.assertRaises(URLRefused):
            self.fetcher.fetch(base_url() + "css/missing.css")

    def test_a_document_that_asks_for_the_network_is_not_rendered(self):
        for html in ('<img src="http://127.0.0.1:9/x">', '<link rel="stylesheet" href="file:///etc/passwd">',
                     '<p style="background: url(https://example.com/a.png)">x</p>'):
            with self.subTest(html=html), recorded_fetches() as urls, self.assertRaises(URLRefused):
                render_pdf(f"<html><body>{html}</body></html>")
            self.assertEqual(len(urls), 1)


class StartUpTests(SimpleTestCase):
    def test_a_process_that_loads_every_view_does_not_import_weasyprint(self):
        """WeasyPrint's import is most of a process's start-up (Pango through cffi, its stylesheets): a manage.py
        command or a server worker that prints nothing must not pay it (reports.pdf imports it when it renders)."""
        import subprocess
        import sys

        code = ("import sys, django; django.setup(); from django.urls import get_resolver; "
                "get_resolver().url_patterns; print(sorted(m for m in sys.modules if m.startswith('weasyprint')))")
        result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
                                timeout=120, env={"DJANGO_SETTINGS_MODULE": "kontum_posts.settings",
                                                  "DATABASE_URL": "sqlite:///:memory:", "PATH": "/usr/bin:/bin"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "[]")
