"""X-Forwarded-For is believed only from a configured proxy; signed-in pages are never stored by a browser."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from kontum_posts.auth_backends import client_address
from tests.base import SmallProvinceTestCase

PROXY = "127.0.0.1"
OFFICE = "203.0.113.10"
ATTACKER = "198.51.100.66"


class TrustedProxyTests(SmallProvinceTestCase):
    def request(self, **meta):
        return RequestFactory().post("/accounts/login/", **meta)

    def test_the_default_proxy_list_is_the_loopback_nginx_proxies_from(self):
        self.assertEqual(settings.TRUSTED_PROXIES, ["127.0.0.1", "::1"])

    def test_a_peer_that_is_not_a_proxy_cannot_choose_its_address_with_the_header(self):
        with self.settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=[PROXY]):
            direct = self.request(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.1")
            self.assertEqual(client_address(direct), ATTACKER)
            via_proxy = self.request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
            self.assertEqual(client_address(via_proxy), OFFICE)

    def test_a_proxy_list_may_name_networks(self):
        with self.settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.0/24"]):
            self.assertEqual(client_address(self.request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=OFFICE)), OFFICE)
            self.assertEqual(client_address(self.request(REMOTE_ADDR="10.0.1.5", HTTP_X_FORWARDED_FOR=OFFICE)),
                             "10.0.1.5")

    def test_a_direct_peer_rotating_the_header_is_still_locked_out(self):
        with self.settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXIES=[PROXY]):
            for i in range(5):
                self.client.post(reverse("login"), {"username": "viewer", "password": "bad"},
                                 REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}")
            locked = self.client.post(reverse("login"), {"username": "viewer", "password": "pw-viewer-123"},
                                      REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
            self.assertEqual(locked.status_code, 429)


class NoStoreTests(SmallProvinceTestCase):
    def test_every_signed_in_page_and_export_says_no_store(self):
        self.client.force_login(self.admin)
        for url in [reverse("dashboard"), reverse("officer_list"), reverse("officer_list") + "?export=csv",
                    reverse("posting_list") + "?export=xlsx", reverse("manage:index"), reverse("search") + "?q=a",
                    "/no-such-page/"]:
            response = self.client.get(url)
            self.assertEqual(response.headers.get("Cache-Control"), "no-store, private", url)

    def test_static_files_keep_their_long_cache_for_a_signed_in_user(self):
        self.client.force_login(self.admin)
        response = self.client.get("/static/css/app.css")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("no-store", response.headers.get("Cache-Control", ""))

    def test_the_health_check_keeps_its_own_header(self):
        self.assertIn("no-cache", self.client.get("/healthz").headers.get("Cache-Control", ""))
