"""Every /manage/ view × anonymous / viewer / editor of another district / allowed."""

from django.urls import reverse

from communes.models import PartyCell
from personnel.choices import PartyRoleKind, Position
from personnel.models import PartyRole
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import with_version


class EditPermissionMatrixTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer_b = make_officer("Y Bình")
        cls.posting_b = make_posting(cls.officer_b, cls.commune_b1, D(2019, 1, 1), position=Position.CHIEF)
        cls.cell_b = PartyCell.objects.create(commune=cls.commune_b1, established_on=D(2019, 2, 1))
        cls.role_b = PartyRole.objects.create(officer=cls.officer_b, commune=cls.commune_b1, cell=cls.cell_b,
                                              role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        cls.officer_a = make_officer("A Lăng")
        cls.posting_a = make_posting(cls.officer_a, cls.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        cls.cell_a = PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))
        cls.role_a = PartyRole.objects.create(officer=cls.officer_a, commune=cls.commune_a1, cell=cls.cell_a,
                                              role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))

    def urls(self, side):
        """Each /manage/ URL, for records of district A ("a", the editor's) or B ("b", another district)."""
        officer, posting, cell, role, commune = (
            (self.officer_a, self.posting_a, self.cell_a, self.role_a, self.commune_a1) if side == "a"
            else (self.officer_b, self.posting_b, self.cell_b, self.role_b, self.commune_b1))
        return {
            "officer": reverse("manage:officer", args=[officer.pk]),
            "officer_edit": reverse("manage:officer_edit", args=[officer.pk]),
            "posting_transfer": reverse("manage:posting_transfer", args=[posting.pk]),
            "posting_end": reverse("manage:posting_end", args=[posting.pk]),
            "partyrole_end": reverse("manage:partyrole_end", args=[role.pk]),
            "partycell_dissolve": reverse("manage:partycell_dissolve", args=[cell.pk]),
            "commune": reverse("manage:commune", args=[commune.code]),
            "history_officer": reverse("manage:history", args=["officer", officer.pk]),
            "history_posting": reverse("manage:history", args=["posting", posting.pk]),
            "history_partyrole": reverse("manage:history", args=["partyrole", role.pk]),
            "history_partycell": reverse("manage:history", args=["partycell", cell.pk]),
        }

    GENERAL = [
        "manage:index", "manage:officer_add", "manage:posting_assign", "manage:partyrole_appoint",
        "manage:partycell_establish", "manage:recent_changes", "manage:import",
    ]

    def all_urls(self):
        general = [reverse(name) for name in self.GENERAL]
        general += [reverse("manage:import_template", args=["csv"]), reverse("manage:import_template", args=["xlsx"])]
        return general + list(self.urls("a").values()) + list(self.urls("b").values())

    def test_an_anonymous_visitor_is_sent_to_log_in_everywhere(self):
        for url in self.all_urls():
            for method in (self.client.get, self.client.post):
                with self.subTest(url=url, method=method.__name__):
                    response = method(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_a_viewer_is_refused_everywhere_even_when_posting(self):
        self.client.force_login(self.viewer)
        for url in self.all_urls():
            for method in (self.client.get, self.client.post):
                with self.subTest(url=url, method=method.__name__):
                    self.assertEqual(method(url).status_code, 403)

    def test_an_editor_cannot_open_or_change_another_districts_records(self):
        self.client.force_login(self.editor)
        for name, url in self.urls("b").items():
            for method in (self.client.get, self.client.post):
                with self.subTest(name=name, method=method.__name__):
                    self.assertIn(method(url, {"end_date": "01/01/2020", "dissolved_on": "01/01/2020"}).status_code, (403, 404))
        self.posting_b.refresh_from_db()
        self.cell_b.refresh_from_db()
        self.role_b.refresh_from_db()
        self.assertEqual((self.posting_b.end_date, self.cell_b.dissolved_on, self.role_b.end_date), (None, None, None))

    def test_an_editor_opens_every_page_of_their_own_district(self):
        self.client.force_login(self.editor)
        for url in [reverse(name) for name in self.GENERAL] + list(self.urls("a").values()):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_province_administrator_opens_every_page(self):
        self.client.force_login(self.admin)
        for url in self.all_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_editors_pick_lists_offer_only_their_communes_and_officers(self):
        self.client.force_login(self.editor)
        for name in ("manage:index", "manage:posting_assign", "manage:partyrole_appoint", "manage:partycell_establish"):
            with self.subTest(name=name):
                page = self.client.get(reverse(name)).content.decode()
                self.assertIn("Xã Đắk Pét", page)
                self.assertNotIn("Xã Ia Tơi", page)
                if name != "manage:partycell_establish":
                    self.assertIn("A Lăng", page)
                    self.assertNotIn("Y Bình", page)

    def test_an_editor_cannot_post_an_officer_to_another_district_by_forging_the_form(self):
        self.client.force_login(self.editor)
        response = self.client.post(reverse("manage:posting_assign"), {
            "officer": self.officer_a.pk, "commune": self.commune_b1.pk, "position": Position.DEPUTY_CHIEF,
            "start_date": "01/03/2019"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.officer_a.postings.filter(commune=self.commune_b1).exists())

    def test_the_history_of_another_district_is_not_in_the_editors_recent_changes(self):
        self.client.force_login(self.editor)
        page = self.client.get(reverse("manage:recent_changes")).content.decode()
        self.assertIn("A Lăng", page)
        self.assertNotIn("Y Bình", page)


class EditButtonsTests(SmallProvinceTestCase):
    def test_an_officer_who_moved_in_from_another_district_shows_no_edit_links_for_the_old_posting(self):
        officer = make_officer("Nguyễn Văn Chuyển")
        old = make_posting(officer, self.commune_b1, D(2018, 1, 1))
        old.end_date = D(2018, 12, 31)
        old.save()
        current = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.client.force_login(self.editor)
        page = self.client.get(reverse("manage:officer", args=[officer.pk])).content.decode()
        self.assertIn(reverse("manage:posting_transfer", args=[current.pk]), page)
        self.assertNotIn(reverse("manage:posting_transfer", args=[old.pk]), page)

    def test_an_editor_corrects_an_officer_from_a_provincial_department_without_changing_the_unit(self):
        from personnel.choices import UnitKind
        from personnel.models import Unit

        department = Unit.objects.create(province=self.province, name="Phòng Cảnh sát QLHC", kind=UnitKind.DEPARTMENT)
        officer = make_officer("Y Bình", home_unit=department)
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.client.force_login(self.editor)
        response = self.client.post(reverse("manage:officer_edit", args=[officer.pk]), with_version(officer, {
            "full_name": "Y Bình", "service_number": officer.service_number, "gender": "m", "rank": "24_dai_uy",
            "home_unit": department.pk, "status": "serving", "change_reason": "moved to the department"}))
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        officer.refresh_from_db()
        self.assertEqual((officer.rank, officer.home_unit), ("24_dai_uy", department))
