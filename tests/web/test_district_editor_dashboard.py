"""A district-limited editor's dashboard is about their district: its title and its reports."""

from __future__ import annotations

from django.urls import reverse

from tests.base import SmallProvinceTestCase


class DistrictEditorDashboardTests(SmallProvinceTestCase):
    def test_a_district_limited_editor_sees_the_district_as_the_title(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("dashboard"), {"as_of": "2019-04-23"})
        html = response.content.decode()
        self.assertIn(f"<h1>{self.district_a.name}</h1>", html)
        self.assertIn(f"<title>Tổng quan · {self.district_a.name}", html)
        self.assertNotIn(f"<h1>{self.province.name}</h1>", html)

    def test_a_district_limited_editor_is_offered_the_district_roster_not_the_province_review(self):
        self.client.force_login(self.editor)
        html = self.client.get(reverse("dashboard"), {"as_of": "2019-04-23"}).content.decode()
        roster = f'{reverse("reports:district_roster_pdf")}?district={self.district_a.code}&amp;as_of=2019-04-23'
        self.assertIn(roster, html)
        self.assertNotIn(reverse("reports:pilot_review_pdf"), html)
        response = self.client.get(roster.replace("&amp;", "&"))
        self.assertEqual(response.status_code, 200)

    def test_a_province_user_still_sees_the_province_and_its_review(self):
        self.client.force_login(self.viewer)
        html = self.client.get(reverse("dashboard"), {"as_of": "2019-04-23"}).content.decode()
        self.assertIn(f"<h1>{self.province.name}</h1>", html)
        self.assertIn(reverse("reports:pilot_review_pdf"), html)
        self.assertNotIn(reverse("reports:district_roster_pdf"), html)
