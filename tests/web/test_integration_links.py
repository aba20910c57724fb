"""Buttons that join the branches: reports from the dashboard and district, edit actions for editors only."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from communes.models import Commune
from personnel.models import Officer
from tests import demo
from tests.base import InEnglish


class IntegrationLinkTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):

        demo.load_demo()
        users = get_user_model().objects
        cls.viewer, cls.editor, cls.admin = (users.get(username=u) for u in ("lanhdao", "bientap.dakglei", "quantri"))
        cls.commune = Commune.objects.filter(district__code=610, plans__isnull=False).first()
        cls.officer = Officer.objects.filter(postings__commune=cls.commune).first()

    def test_province_users_get_the_report_downloads_on_the_dashboard(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/", {"as_of": "2019-04-23"})
        self.assertContains(response, "/reports/pilot-review.pdf?as_of=2019-04-23")
        self.assertContains(response, "/reports/pilot-review.xlsx?as_of=2019-04-23")

    def test_a_district_limited_user_is_not_offered_the_province_report(self):
        self.client.force_login(self.editor)
        self.assertNotContains(self.client.get("/", {"as_of": "2019-04-23"}), "pilot-review.pdf")

    def test_the_district_page_offers_its_roster(self):
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get("/districts/610/", {"as_of": "2019-04-23"}),
                            "/reports/district-roster.pdf?district=610&amp;as_of=2019-04-23")

    def test_viewers_see_no_edit_buttons_or_data_entry_link(self):
        self.client.force_login(self.viewer)
        for url in ("/", f"/communes/{self.commune.code}/", f"/officers/{self.officer.pk}/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "/manage/")

    def test_editors_see_edit_buttons_on_pages_of_their_district(self):
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(f"/communes/{self.commune.code}/"), f"/manage/communes/{self.commune.code}/")
        self.assertContains(self.client.get(f"/officers/{self.officer.pk}/"), f"/manage/officers/{self.officer.pk}/")
        self.assertContains(self.client.get("/"), 'href="/manage/"')
