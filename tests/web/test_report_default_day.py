"""A report asked for without a day is about today, the same day for every report."""

from __future__ import annotations

import datetime
from unittest import mock

from django.urls import reverse

from tests.base import SmallProvinceTestCase


class ReportDefaultDayTests(SmallProvinceTestCase):
    def test_the_district_roster_without_a_date_is_as_of_today_like_the_review(self):
        # Just after midnight in Viet Nam, still yesterday in UTC: "today" is Viet Nam's, for both reports.
        day = datetime.date(2026, 12, 2)
        with mock.patch("kontum_posts.lib.asof.today", return_value=day), \
                mock.patch("reports.views.today", return_value=day):
            self.client.force_login(self.admin)
            roster = self.client.get(reverse("reports:district_roster_pdf"), {"district": self.district_a.code})
            review = self.client.get(reverse("reports:pilot_review_pdf"))
        self.assertEqual(roster.status_code, 200)
        self.assertIn("2026-12-02", roster["Content-Disposition"])
        self.assertIn("2026-12-02", review["Content-Disposition"])

    def test_the_roster_link_of_the_district_page_carries_the_pages_day(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("district_detail", args=[self.district_a.code]), {"as_of": "2019-04-23"})
        self.assertContains(response, f"?district={self.district_a.code}&amp;as_of=2019-04-23")
