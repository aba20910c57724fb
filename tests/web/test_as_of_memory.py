"""The chosen day follows the user from page to page."""

from tests.base import D, SmallProvinceTestCase, make_officer, make_posting


class AsOfMemoryTests(SmallProvinceTestCase):
    def setUp(self):
        self.client.force_login(self.viewer)

    def test_a_page_opened_without_a_date_keeps_the_day_chosen_before(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.client.get("/", {"as_of": "2019-04-23"})
        response = self.client.get(f"/officers/{officer.pk}/")
        self.assertEqual(response.context["as_of"], D(2019, 4, 23))
        self.assertContains(response, "23/04/2019")

    def test_an_explicit_date_replaces_the_remembered_one_and_an_invalid_one_does_not(self):
        self.client.get("/", {"as_of": "2019-04-23"})
        self.client.get("/", {"as_of": "2020-01-01"})
        self.client.get("/", {"as_of": "not-a-date"})
        self.assertEqual(self.client.get("/communes/").context["as_of"], D(2020, 1, 1))

    def test_without_a_chosen_day_pages_show_today(self):
        from kontum_posts.lib.asof import today

        self.assertEqual(self.client.get("/communes/").context["as_of"], today())
