"""Every URL pattern, whoever added it: anonymous visitors are sent to log in, nobody gets a 500.

The walk is generic (tests/prod/urlwalk.py): a view added later is covered without being named.
Only the few pages below are public, on purpose.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.base import SmallProvinceTestCase
from tests.lean import UnrecordedTemplates
from tests.prod.urlwalk import all_urls, is_non_html, resolved_name

# Public on purpose: logging in, switching language before logging in, the load balancer's probe,
# and the admin's own login page. Static files are served by WhiteNoise before any URL pattern.
PUBLIC_VIEWS = {"login", "set_language", "healthz", "admin:login"}
SECURITY_HEADERS = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                    "Permissions-Policy"]


class UrlWalkTests(UnrecordedTemplates, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.urls, cls.unfilled = all_urls()
        cls.nobody = get_user_model().objects.create_user("nobody", password="pw-nobody-123")

    def login_paths(self):
        return {reverse("login"), reverse("admin:login")}

    def test_every_url_pattern_could_be_turned_into_a_path(self):
        self.assertEqual(self.unfilled, [], "teach tests/prod/urlwalk.py to fill these patterns")
        self.assertGreater(len(self.urls), 20)

    def test_anonymous_visitors_are_sent_to_log_in_from_every_page_but_the_public_ones(self):
        checked = 0
        for url in self.urls:
            name = resolved_name(url.path)
            if name in PUBLIC_VIEWS:
                continue
            for method in ("get", "post"):
                with self.subTest(path=url.path, method=method, pattern=url.route):
                    response = getattr(self.client, method)(url.path)
                    if is_non_html(url.path) and response.status_code in (401, 403):
                        continue
                    self.assertEqual(response.status_code, 302, f"{url.path} is open to anonymous {method.upper()}")
                    location = urlsplit(response["Location"])
                    self.assertIn(location.path, self.login_paths())
                    self.assertIn("next=", location.query)
                    checked += 1
        self.assertGreater(checked, 40)

    def test_the_public_pages_are_exactly_the_allow_list(self):
        public = set()
        for url in self.urls:
            response = self.client.get(url.path)
            if response.status_code != 302:
                public.add(resolved_name(url.path))
        self.assertLessEqual(public, PUBLIC_VIEWS | {"set_language"})
        self.assertIn("login", public)
        self.assertIn("healthz", public)

    def test_every_response_carries_the_security_headers(self):
        for url in self.urls:
            with self.subTest(path=url.path):
                response = self.client.get(url.path)
                for header in SECURITY_HEADERS:
                    self.assertIn(header, response.headers, f"{header} missing on {url.path}")
                self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_a_signed_in_user_without_rights_never_gets_a_server_error(self):
        self.walk_as(self.nobody, methods=("get", "post"))

    def test_a_viewer_never_gets_a_server_error(self):
        self.walk_as(self.viewer, methods=("get", "post"))

    def test_a_superuser_never_gets_a_server_error_opening_any_page(self):
        self.walk_as(self.national_admin, methods=("get",))

    def test_a_province_administrator_never_gets_a_server_error_opening_any_page(self):
        self.walk_as(self.admin, methods=("get",))

    def walk_as(self, user, *, methods):
        for url in self.urls:
            for method in methods:
                self.client.force_login(user)  # a POST to logout ends the session; start each afresh
                with self.subTest(path=url.path, method=method, user=user.username):
                    response = getattr(self.client, method)(url.path)
                    self.assertLess(response.status_code, 500, f"{method.upper()} {url.path}")
