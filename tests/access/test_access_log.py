"""The access log: logins and failures, exports and report downloads with their filters; each
province's administrators read their province's; old entries are purged."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from communes.models import Province
from personnel.models import AccessEvent
from tests.base import SmallProvinceTestCase


class AccessLogTests(SmallProvinceTestCase):
    def test_a_login_and_a_failed_login_are_logged_with_the_address(self):
        self.client.post(reverse("login"), {"username": "viewer", "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
        self.client.post(reverse("login"), {"username": "viewer", "password": "pw-viewer-123"}, REMOTE_ADDR="203.0.113.5")
        events = list(AccessEvent.objects.order_by("pk").values_list("kind", "username", "province", "address"))
        self.assertEqual(events, [
            ("login_failed", "viewer", self.province.pk, "203.0.113.5"),
            ("login", "viewer", self.province.pk, "203.0.113.5"),
        ])

    def test_an_export_and_a_report_download_are_logged_with_their_filters(self):
        self.client.force_login(self.viewer)
        AccessEvent.objects.all().delete()
        response = self.client.get(reverse("officer_list"), {"q": "T0001", "export": "csv"})
        b"".join(response.streaming_content)
        self.client.get(reverse("reports:pilot_review_xlsx"), {"as_of": "2019-04-23"})
        self.client.get(reverse("officer_list"))  # a page, not an export: not logged
        rows = list(AccessEvent.objects.order_by("pk").values_list("kind", "user", "path", "query"))
        self.assertEqual(rows, [
            ("export", self.viewer.pk, "/officers/", "q=T0001&export=csv"),
            ("report", self.viewer.pk, "/reports/pilot-review.xlsx", "as_of=2019-04-23"),
        ])

    def test_a_province_administrator_reads_only_their_provinces_log(self):
        other = Province.objects.create(code=9002, name="Tỉnh Khác")
        AccessEvent.objects.create(kind="export", username="ours", province=self.province, path="/officers/")
        AccessEvent.objects.create(kind="export", username="theirs", province=other, path="/officers/")
        self.client.force_login(self.admin)
        page = self.client.get(reverse("manage:access_log"))
        self.assertContains(page, "ours")
        self.assertNotContains(page, "theirs")
        self.client.force_login(self.national_admin)
        self.assertContains(self.client.get(reverse("manage:access_log")), "theirs")
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(reverse("manage:access_log")).status_code, 403)

    @override_settings(ACCESS_LOG_KEEP_DAYS=30)
    def test_entries_older_than_the_setting_are_purged(self):
        old = AccessEvent.objects.create(kind="login", username="cu")
        AccessEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
        recent = AccessEvent.objects.create(kind="login", username="moi")
        call_command("purge_access_log", stdout=io.StringIO())
        self.assertEqual(list(AccessEvent.objects.values_list("pk", flat=True)), [recent.pk])
