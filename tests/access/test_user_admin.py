"""User administration in the app, never above the administrator's own scope (issue 15, finding 5)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from communes.models import District, Province
from personnel.access import scope_for
from personnel.choices import Role
from personnel.models import UserProfile
from tests import demo
from tests.base import InEnglish, SmallProvinceTestCase

User = get_user_model()
PASSWORD = "Mat-khau-rat-dai-2026"


class ProvinceAdministratorAccountsTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Khác")
        cls.other_district = District.objects.create(code=9201, name="Huyện Khác", province=cls.other_province)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def add(self, **data):
        data = {"username": "moi", "full_name": "Người Mới", "role": Role.EDITOR, "password1": PASSWORD,
                "password2": PASSWORD, **data}
        return self.client.post(reverse("manage:user_add"), data)

    def test_a_province_administrator_creates_an_editor_of_one_district_of_their_province(self):
        response = self.add(districts=[self.district_b.pk])
        self.assertRedirects(response, reverse("manage:users"))
        user = User.objects.get(username="moi")
        self.assertEqual((user.profile.role, user.profile.province, list(user.profile.districts.all())),
                         (Role.EDITOR, self.province, [self.district_b]))
        self.assertFalse(user.is_superuser or user.is_staff)
        self.assertTrue(self.client.login(username="moi", password=PASSWORD))

    def test_a_forged_province_is_ignored_so_no_national_account_can_be_made(self):
        self.add(role=Role.PROVINCE_ADMIN, province="")
        self.add(username="moi2", role=Role.PROVINCE_ADMIN, province=self.other_province.pk)
        for name in ("moi", "moi2"):
            profile = User.objects.get(username=name).profile
            self.assertEqual(profile.province, self.province)
            self.assertFalse(scope_for(profile.user).national)

    def test_a_district_of_another_province_is_refused(self):
        response = self.add(districts=[self.other_district.pk])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(User.objects.filter(username="moi").exists())

    def test_an_administrator_changes_role_and_districts_and_deactivates_an_account(self):
        url = reverse("manage:user_edit", args=[self.viewer.pk])
        response = self.client.post(url, {"username": "viewer", "role": Role.EDITOR, "districts": [self.district_a.pk]})
        self.assertRedirects(response, reverse("manage:users"))
        self.viewer.refresh_from_db()
        self.assertEqual(self.viewer.profile.role, Role.EDITOR)
        self.assertFalse(self.viewer.is_active)  # the box was left unticked
        self.assertFalse(self.client.login(username="viewer", password="pw-viewer-123"))

    def test_an_administrator_resets_a_password_under_the_validators(self):
        url = reverse("manage:user_password", args=[self.viewer.pk])
        weak = self.client.post(url, {"new_password1": "123", "new_password2": "123"})
        self.assertEqual(weak.status_code, 200)
        self.client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        self.assertTrue(self.client.login(username="viewer", password=PASSWORD))

    def test_an_administrator_cannot_change_their_own_scope_or_another_provinces_accounts(self):
        outsider = User.objects.create_user("ngoai", password="pw-ngoai-123")
        UserProfile.objects.create(user=outsider, role=Role.VIEWER, province=self.other_province)
        for target in (self.admin, outsider, self.national_admin):
            response = self.client.post(reverse("manage:user_edit", args=[target.pk]),
                                        {"username": target.username, "role": Role.PROVINCE_ADMIN, "is_active": "on"})
            self.assertEqual(response.status_code, 404, target.username)
        self.admin.profile.refresh_from_db()
        self.assertEqual(self.admin.profile.province, self.province)
        self.assertEqual(set(self.client.get(reverse("manage:users")).context["users"]),
                         {self.viewer, self.editor})

    def test_an_editor_manages_no_accounts(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.add().status_code, 403)


class NationalAdministratorAccountsTests(SmallProvinceTestCase):
    def test_a_national_administrator_creates_a_national_viewer_and_admins_of_any_province(self):
        self.client.force_login(self.national_admin)
        data = {"username": "tq", "role": Role.VIEWER, "province": "", "password1": PASSWORD, "password2": PASSWORD}
        self.assertEqual(self.client.post(reverse("manage:user_add"), data).status_code, 302)
        self.assertTrue(scope_for(User.objects.get(username="tq")).national)


class DemoAdministratorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_pilot()

    def test_the_demo_province_administrator_is_no_superuser_and_cannot_widen_his_scope(self):
        quantri = User.objects.get(username="quantri")
        self.assertFalse(quantri.is_superuser or quantri.is_staff)
        self.client.force_login(quantri)
        # The admin, where he once emptied his own province, is closed to him; his own account is not his.
        self.assertEqual(self.client.get(f"/admin/personnel/userprofile/{quantri.profile.pk}/change/").status_code, 302)
        self.assertEqual(self.client.get(reverse("manage:user_edit", args=[quantri.pk])).status_code, 404)
        self.assertEqual(self.client.get("/admin/personnel/officer/").status_code, 302)

    def test_the_demo_has_one_national_administrator(self):
        self.assertEqual(list(User.objects.filter(is_superuser=True).values_list("username", flat=True)),
                         ["quantri.toanquoc"])
        self.assertTrue(self.client.login(username="quantri.toanquoc", password="quantri-toanquoc-2019"))
        self.assertEqual(self.client.get("/admin/personnel/officer/").status_code, 200)
