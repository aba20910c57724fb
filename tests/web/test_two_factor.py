"""Two-factor sign-in: enrolment on first login, the code after the password, recovery codes used once,
wrong codes counted by the login lockout, and editors held back from the data entry until they give a code."""

from __future__ import annotations

import time
from unittest import mock

from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personnel import two_factor
from tests.base import InEnglish, SmallProvinceTestCase

OFFICE = "203.0.113.10"


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show, from the device's key (a later time step when asked)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.enrolment_device(user)
    codes = two_factor.confirm_enrolment(device, code_for(device))
    device.refresh_from_db()
    return device, codes


@override_settings(OTP_REQUIRED_FOR_EDITORS=True)
class TwoFactorFlowTests(InEnglish, SmallProvinceTestCase):
    def password(self, username, password, **extra):
        return self.client.post(reverse("login"), {"username": username, "password": password, **extra},
                                REMOTE_ADDR=OFFICE)

    def code(self, code):
        return self.client.post(reverse("two_factor"), {"code": code}, REMOTE_ADDR=OFFICE)

    def test_an_editor_enrols_on_first_login_then_gives_a_code_at_every_login(self):
        response = self.password("editor", "pw-editor-123", next="/manage/")
        self.assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)  # the password alone opens nothing
        page = self.client.get(reverse("two_factor"))
        self.assertContains(page, "otpauth://totp/")
        self.assertContains(page, 'src="data:image/svg+xml;base64,')
        device = TOTPDevice.objects.get(user=self.editor, confirmed=False)
        self.assertContains(page, two_factor.secret_for_display(device))

        response = self.code(code_for(device))
        self.assertRedirects(response, reverse("two_factor_account"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.editor.pk)
        codes_page = self.client.get(reverse("two_factor_account"))
        codes = codes_page.context["new_codes"]
        self.assertEqual(len(codes), 10)
        for code in codes:
            self.assertContains(codes_page, code)
        self.assertNotContains(self.client.get(reverse("two_factor_account")), codes[0])  # shown once
        self.assertEqual(self.client.get("/manage/").status_code, 200)

        self.client.post(reverse("logout"))
        response = self.password("editor", "pw-editor-123", next="/manage/")
        self.assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)
        page = self.client.get(reverse("two_factor"))
        self.assertNotContains(page, "otpauth://")  # enrolled: the key is never shown again
        device.refresh_from_db()
        response = self.code(code_for(device, steps_ahead=1))  # the enrolment's code is not good twice
        self.assertRedirects(response, "/manage/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/manage/").status_code, 200)

    def test_a_wrong_code_is_refused_and_counted_by_the_login_lockout(self):
        device, _codes = enrol(self.editor)
        self.password("editor", "pw-editor-123")
        response = self.code("000000" if code_for(device) != "000000" else "111111")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "That code is not right")
        self.assertNotIn("_auth_user_id", self.client.session)
        attempt = AccessAttempt.objects.get(username="editor", ip_address=OFFICE)
        self.assertEqual(attempt.failures_since_start, 1)

    def test_wrong_codes_lock_the_user_out_and_a_new_password_login_does_not_reset_the_count(self):
        enrol(self.editor)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.password("editor", "pw-editor-123")  # a right password again does not clear the failures
            self.assertEqual(self.code("abcdefgh").status_code, 200)
        self.password("editor", "pw-editor-123")
        self.assertEqual(self.code("abcdefgh").status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.password("editor", "pw-editor-123").status_code, 429)

    def test_a_locked_out_user_cannot_give_even_the_right_code(self):
        device, _codes = enrol(self.editor)
        self.password("editor", "pw-editor-123")
        for _ in range(settings.AXES_FAILURE_LIMIT):  # wrong passwords, say from another tab
            self.client.post(reverse("login"), {"username": "editor", "password": "nope"}, REMOTE_ADDR=OFFICE)
        self.password("editor", "pw-editor-123")
        response = self.client.post(reverse("two_factor"), {"code": code_for(device, steps_ahead=1)},
                                    REMOTE_ADDR=OFFICE)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_recovery_code_works_once_only(self):
        _device, codes = enrol(self.editor)
        self.password("editor", "pw-editor-123")
        response = self.code(codes[0].upper()[:5] + "-" + codes[0][5:])  # typed as printed, case and dash aside
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.client.get(reverse("two_factor_account")).context["verified"])
        self.assertEqual(two_factor.recovery_codes_left(self.editor), 9)
        self.client.post(reverse("logout"))

        self.password("editor", "pw-editor-123")
        response = self.code(codes[0])
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_recovery_codes_can_be_replaced_and_the_old_ones_stop_working(self):
        _device, old = enrol(self.editor)
        self.password("editor", "pw-editor-123")
        self.code(old[0])
        response = self.client.post(reverse("two_factor_account"))
        new = response.context["new_codes"]
        self.assertEqual(len(new), 10)
        self.assertFalse(set(new) & set(old))
        self.assertFalse(StaticToken.objects.filter(token__in=old).exists())

    def test_an_editor_without_a_device_cannot_reach_the_data_entry(self):
        self.client.force_login(self.editor)  # a session made without the code step
        for path in ("/manage/", "/", reverse("admin:index")):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith(reverse("two_factor")), response["Location"])
        self.assertContains(self.client.get(reverse("two_factor")), "otpauth://totp/")

    def test_the_admin_login_asks_for_the_code_too(self):
        enrol(self.admin)
        response = self.client.post(reverse("admin:login"), {"username": "admin", "password": "pw-admin-123"},
                                    REMOTE_ADDR=OFFICE)
        self.assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_viewer_logs_in_with_the_password_alone_and_may_enrol(self):
        response = self.password("viewer", "pw-viewer-123")
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)
        page = self.client.get(reverse("two_factor"))
        device = TOTPDevice.objects.get(user=self.viewer, confirmed=False)
        self.assertContains(page, "otpauth://totp/")
        self.code(code_for(device))
        self.assertTrue(two_factor.is_enrolled(self.viewer))
        self.client.post(reverse("logout"))
        response = self.password("viewer", "pw-viewer-123")
        self.assertRedirects(response, reverse("two_factor"), fetch_redirect_response=False)

    def test_a_pending_login_expires(self):
        enrol(self.editor)
        self.password("editor", "pw-editor-123")
        with mock.patch("personnel.web.two_factor_views.time.time", return_value=time.time() + 301):
            response = self.client.get(reverse("two_factor"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_the_login_page_does_not_say_it_is_off(self):
        self.assertNotContains(self.client.get(reverse("login")), "off in this demo")


class DemoSettingsTests(InEnglish, SmallProvinceTestCase):
    def test_the_demo_leaves_it_off_and_the_login_page_says_so(self):
        self.assertFalse(settings.OTP_REQUIRED_FOR_EDITORS)  # DEBUG on when the settings were read: the demo
        self.assertContains(self.client.get(reverse("login")), "Two-factor sign-in is off in this demo")
        response = self.client.post(reverse("login"), {"username": "editor", "password": "pw-editor-123"})
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)
        self.assertEqual(self.client.get("/manage/").status_code, 200)

    def test_the_setting_defaults_to_on_without_debug(self):
        import subprocess
        import sys

        from tests.prod.processes import ROOT, production_env

        code = "import django; django.setup(); from django.conf import settings as s; print(s.OTP_REQUIRED_FOR_EDITORS)"
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True,
                                text=True)
        self.assertEqual(result.stdout.strip(), "True", result.stderr)
