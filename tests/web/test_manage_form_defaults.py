"""The posting forms preselect nothing that matters, and the officer pick list tells namesakes apart."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from personnel.models import Posting, Unit
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting


def selected_values(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


class ManageFormDefaultsTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        unit = Unit.objects.create(province=cls.province, name="Công an huyện Đắk Glei Thử", district=cls.district_a)
        cls.kim1 = make_officer("A Kim", service_number="410001", home_unit=unit)
        cls.kim2 = make_officer("A Kim", service_number="410002", home_unit=unit)
        cls.posting = make_posting(cls.kim1, cls.commune_a1, D(2019, 1, 21))

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_the_assign_form_preselects_no_position(self):
        html = self.client.get(reverse("manage:posting_assign")).content.decode()
        self.assertEqual(selected_values(html, "position"), [""])

    def test_saving_without_choosing_a_position_records_nothing_and_asks_for_it(self):
        before = Posting.objects.count()
        response = self.client.post(reverse("manage:posting_assign"), {
            "officer": self.kim2.pk, "commune": self.commune_a2.pk, "start_date": "01/02/2019"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Posting.objects.count(), before)
        self.assertIn("position", response.context["form"].errors)

    def test_the_end_form_preselects_no_reason_and_requires_one(self):
        url = reverse("manage:posting_end", args=[self.posting.pk])
        html = self.client.get(url).content.decode()
        self.assertEqual(selected_values(html, "end_reason"), [""])
        response = self.client.post(url, {"end_date": "01/03/2019"})
        self.assertIn("end_reason", response.context["form"].errors)
        self.posting.refresh_from_db()
        self.assertIsNone(self.posting.end_date)

    def test_officer_options_name_the_service_number_and_unit(self):
        for url in (reverse("manage:posting_assign"), reverse("manage:index")):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn("A Kim — 410001 · Công an huyện Đắk Glei Thử", html)
                self.assertIn("A Kim — 410002 · Công an huyện Đắk Glei Thử", html)

    def test_the_officer_select_is_enhanced_by_a_local_script_and_no_inline_code(self):
        html = self.client.get(reverse("manage:posting_assign")).content.decode()
        self.assertRegex(html, r'<select name="officer"[^>]*data-picker="officer"')
        self.assertIn('<script src="/static/js/officer-picker.js" defer></script>', html)
        self.assertNotRegex(html, r"<script(?![^>]*\bsrc=)")  # no inline script (CSP: script-src 'self')
        self.assertNotIn(" style=", html)
        self.assertTrue(finders.find("js/officer-picker.js"))


class PrefilledFormsTests(InEnglish, SmallProvinceTestCase):
    """A link that opens a form with `?commune=<code>` chooses that commune on every form that has one."""

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_the_commune_of_the_link_is_chosen_on_the_assign_appoint_and_cell_forms(self):
        for name in ("manage:posting_assign", "manage:partyrole_appoint", "manage:partycell_establish"):
            with self.subTest(form=name):
                html = self.client.get(reverse(name), {"commune": self.commune_a1.code}).content.decode()
                self.assertEqual(selected_values(html, "commune"), [str(self.commune_a1.pk)])

    def test_a_commune_outside_the_users_area_is_not_chosen(self):
        html = self.client.get(reverse("manage:partycell_establish"), {"commune": "999999"}).content.decode()
        self.assertEqual([value for value in selected_values(html, "commune") if value], [])  # the blank choice only
