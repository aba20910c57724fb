from django.test import TestCase
from django.urls import reverse

from tests.base import SmallProvinceTestCase


class AnonymousTests(TestCase):
    def test_the_home_page_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get("/")
        self.assertRedirects(response, "/accounts/login/?next=/", fetch_redirect_response=False)

    def test_the_admin_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get("/admin/personnel/officer/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_the_login_page_is_in_vietnamese_by_default(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, 'lang="vi"')

    def test_the_language_can_be_switched_before_logging_in(self):
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(reverse("login")), 'lang="en"')


class AdminPagesTests(SmallProvinceTestCase):
    def test_every_model_has_a_working_admin_list_and_add_page(self):
        from django.contrib import admin

        self.client.force_login(self.national_admin)
        for model in admin.site._registry:
            if model._meta.app_label not in ("communes", "personnel"):
                continue
            info = model._meta.app_label, model._meta.model_name
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "đắk"}).status_code, 200)
                self.assertEqual(self.client.get(reverse("admin:{}_{}_add".format(*info))).status_code, 200)

    def test_a_viewer_cannot_open_the_admin(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)


class DefaultLanguageTests(TestCase):
    def test_vietnamese_is_the_default_even_for_an_english_browser(self):
        response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, 'lang="vi"')

    def test_a_chosen_language_sticks(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertContains(self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi"), 'lang="en"')


class AdminSearchTests(SmallProvinceTestCase):
    def test_admin_search_is_accent_insensitive_both_ways(self):
        from tests.base import make_officer

        make_officer("Nguyễn Văn Đức")
        self.client.force_login(self.national_admin)
        for query in ("nguyen duc", "Nguyễn Đức", "NGUYEN"):
            with self.subTest(query=query):
                self.assertContains(self.client.get("/admin/personnel/officer/", {"q": query}), "Nguyễn Văn Đức")
