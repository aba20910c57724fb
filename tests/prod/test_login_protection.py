"""Login protection: axes on username + address with a cool-off, session expiry on inactivity,
password validators, logout by POST only."""

from __future__ import annotations

import datetime
from unittest import mock

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.base import SmallProvinceTestCase

OFFICE = "203.0.113.10"   # one office's NAT address
ELSEWHERE = "198.51.100.7"


class AxesLockoutTests(SmallProvinceTestCase):
    def attempt(self, username, password, address=OFFICE):
        return self.client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    def fail(self, times, username="viewer", address=OFFICE):
        for _ in range(times):
            response = self.attempt(username, "wrong-password", address)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'role="alert"')

    def test_the_settings_lock_on_username_and_address_together_with_a_cool_off(self):
        self.assertEqual(settings.AXES_LOCKOUT_PARAMETERS, [["username", "ip_address"]])
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 5)
        self.assertEqual(settings.AXES_COOLOFF_TIME, datetime.timedelta(minutes=15))

    def lock(self, username="viewer", address=OFFICE):
        self.fail(4, username, address)
        self.assertEqual(self.attempt(username, "wrong-password", address).status_code, 429)

    def test_five_failures_lock_that_user_from_that_address_even_with_the_right_password(self):
        self.fail(4)
        response = self.attempt("viewer", "wrong-password")
        self.assertEqual(response.status_code, 429)
        response = self.attempt("viewer", "pw-viewer-123")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "15", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_colleague_in_the_same_office_can_still_log_in(self):
        self.lock("viewer")
        response = self.attempt("editor", "pw-editor-123")
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)

    def test_the_same_user_from_another_address_can_still_log_in(self):
        self.lock("viewer")
        response = self.attempt("viewer", "pw-viewer-123", address=ELSEWHERE)
        self.assertEqual(response.status_code, 302)

    def test_the_lock_ends_after_the_cool_off(self):
        self.lock("viewer")
        self.assertEqual(self.attempt("viewer", "pw-viewer-123").status_code, 429)
        # Sixteen minutes pass: the recorded failures age beyond the 15-minute cool-off.
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
        response = self.attempt("viewer", "pw-viewer-123")
        self.assertEqual(response.status_code, 302)

    def test_a_successful_login_clears_earlier_failures(self):
        self.fail(4)
        self.assertEqual(self.attempt("viewer", "pw-viewer-123").status_code, 302)
        self.assertFalse(AccessAttempt.objects.filter(username="viewer").exists())

    def test_the_admin_login_is_protected_too(self):
        for _ in range(5):
            self.client.post(reverse("admin:login"), {"username": "admin", "password": "nope"}, REMOTE_ADDR=OFFICE)
        response = self.client.post(
            reverse("admin:login"), {"username": "admin", "password": "pw-admin-123"}, REMOTE_ADDR=OFFICE
        )
        self.assertEqual(response.status_code, 429)

    def test_the_test_clients_login_still_works_without_a_request(self):
        # Other tests rely on Client.login(); axes only guards logins that come with a request.
        self.assertTrue(self.client.login(username="viewer", password="pw-viewer-123"))


class SessionExpiryTests(SmallProvinceTestCase):
    def test_a_session_ends_after_the_inactivity_period_but_each_request_extends_it(self):
        age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        self.assertEqual(age, datetime.timedelta(hours=8))
        self.assertLessEqual(settings.SESSION_REFRESH_EVERY, 300)
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start):
            self.assertEqual(
                self.client.post(reverse("login"), {"username": "national.admin", "password": "pw-national-admin-123"})
                .status_code, 302
            )
        page = reverse("admin:index")
        # Active again 7 hours later: still signed in, and the session now runs 8 hours from then.
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(hours=7)):
            self.assertEqual(self.client.get(page).status_code, 200)
        expiry = Session.objects.get(session_key=self.client.session.session_key).expire_date
        self.assertGreaterEqual(expiry, start + datetime.timedelta(hours=15) - datetime.timedelta(seconds=1))
        # A request a minute later writes nothing: the end moves at most every SESSION_REFRESH_EVERY seconds.
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(hours=7, minutes=1)), \
                CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(page).status_code, 200)
        self.assertFalse([q for q in ctx.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]])
        # Still there 14 hours after logging in (7 after the last request)…
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(hours=14)):
            self.assertEqual(self.client.get(page).status_code, 200)
        # …but 8 hours and a minute of silence end it.
        silent = start + datetime.timedelta(hours=14) + age + datetime.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=silent):
            response = self.client.get(page)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])


class PasswordValidatorTests(SmallProvinceTestCase):
    def test_weak_passwords_are_refused_with_reasons(self):
        for weak in ["12345678", "password", "viewer2019", "abc"]:
            with self.subTest(password=weak), self.assertRaises(ValidationError):
                validate_password(weak, user=self.viewer)

    def test_a_long_passphrase_is_accepted(self):
        validate_password("đồi-thông-Măng-Đen-2019", user=self.viewer)

    def test_the_admin_refuses_to_set_a_weak_password(self):
        self.client.force_login(self.national_admin)
        url = reverse("admin:auth_user_password_change", args=[self.viewer.pk])
        response = self.client.post(url, {"password1": "12345678", "password2": "12345678"})
        self.assertEqual(response.status_code, 200)
        self.viewer.refresh_from_db()
        self.assertTrue(self.viewer.check_password("pw-viewer-123"))


class LogoutTests(SmallProvinceTestCase):
    def test_logging_out_by_get_is_refused(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("logout"))
        self.assertEqual(response.status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)

    def test_logging_out_by_post_ends_the_session(self):
        self.client.force_login(self.viewer)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logout_needs_the_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.viewer)
        self.assertEqual(client.post(reverse("logout")).status_code, 403)


class ClientAddressTests(SmallProvinceTestCase):
    def request(self, **meta):
        from django.test import RequestFactory

        return RequestFactory().post("/accounts/login/", **meta)

    def test_without_a_proxy_only_the_socket_address_counts(self):
        from kontum_posts.auth_backends import client_address

        request = self.request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.10")
        self.assertEqual(client_address(request), "198.51.100.7")

    def test_behind_one_proxy_the_address_it_forwarded_counts_and_a_forged_one_does_not(self):
        from kontum_posts.auth_backends import client_address

        with self.settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(
                client_address(self.request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")),
                "203.0.113.10",
            )
            forged = self.request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.10")
            self.assertEqual(client_address(forged), "203.0.113.10")
            self.assertEqual(client_address(self.request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")),
                             "127.0.0.1")

    def test_two_people_behind_the_proxy_are_counted_apart(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            for _ in range(5):
                self.client.post(reverse("login"), {"username": "viewer", "password": "bad"},
                                 REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
            locked = self.client.post(reverse("login"), {"username": "viewer", "password": "pw-viewer-123"},
                                      REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
            self.assertEqual(locked.status_code, 429)
            other = self.client.post(reverse("login"), {"username": "viewer", "password": "pw-viewer-123"},
                                     REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)
            self.assertEqual(other.status_code, 302)
