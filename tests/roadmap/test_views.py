"""The roadmap's screens: who sees and changes what, the forms' refusals, escaping, exports, query counts."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from communes.models import Commune, District, Province
from personnel.choices import Role
from personnel.models import Plan, UserProfile
from roadmap.models import Milestone
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.roadmap.test_rules import add
from tests.web.helpers import count_queries


class RoadmapAccessTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other = Province.objects.create(code=9002, name="Tỉnh Khác")
        district = District.objects.create(code=9201, name="Huyện Khác", province=other)
        Commune.objects.create(code=90101, name="Xã Khác", district=district)
        cls.other_plan = Plan.objects.create(province=other, number="9/KH-KHAC", title="Khác", issued_on=D(2018, 10, 1))
        cls.other_milestone = add(cls.other_plan, communes=0, officers=1)
        cls.province_milestone = add(cls.plan)
        cls.a_milestone = add(cls.plan, cls.district_a)
        cls.b_milestone = add(cls.plan, cls.district_b)

    def get(self, user, name, *args):
        self.client.logout()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out forgets the cookies
        if user is not None:
            self.client.force_login(user)
        return self.client.get(reverse(f"roadmap:{name}", args=args))

    def test_anonymous_users_are_sent_to_the_login_page(self):
        for name, args in (("plans", ()), ("plan", (self.plan.pk,)), ("export", (self.plan.pk, "csv")),
                           ("milestone_add", (self.plan.pk,)), ("milestone_edit", (self.a_milestone.pk,)),
                           ("milestone_delete", (self.a_milestone.pk,))):
            with self.subTest(name=name):
                response = self.get(None, name, *args)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])

    def test_a_viewer_reads_the_roadmap_but_changes_nothing(self):
        self.assertEqual(self.get(self.viewer, "plan", self.plan.pk).status_code, 200)
        self.assertEqual(self.get(self.viewer, "export", self.plan.pk, "xlsx").status_code, 200)
        for name, pk in (("milestone_add", self.plan.pk), ("milestone_edit", self.a_milestone.pk),
                         ("milestone_delete", self.a_milestone.pk)):
            with self.subTest(name=name):
                self.assertEqual(self.get(self.viewer, name, pk).status_code, 403)
        self.assertEqual(self.client.post(reverse("roadmap:milestone_delete", args=[self.a_milestone.pk])).status_code, 403)
        self.assertTrue(Milestone.objects.filter(pk=self.a_milestone.pk).exists())

    def test_another_provinces_plan_and_milestones_do_not_exist_for_a_province_user(self):
        for user in (self.viewer, self.editor, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, "plan", self.other_plan.pk).status_code, 404)
                self.assertEqual(self.get(user, "milestone_edit", self.other_milestone.pk).status_code, 404)
        self.assertEqual(self.get(self.national_admin, "plan", self.other_plan.pk).status_code, 200)

    def test_a_district_editor_changes_their_districts_milestones_only(self):
        self.assertEqual(self.get(self.editor, "milestone_edit", self.a_milestone.pk).status_code, 200)
        self.assertEqual(self.get(self.editor, "milestone_edit", self.b_milestone.pk).status_code, 403)
        self.assertEqual(self.get(self.editor, "milestone_edit", self.province_milestone.pk).status_code, 403)
        page = self.get(self.editor, "plan", self.plan.pk).content.decode()
        self.assertNotIn(reverse("roadmap:milestone_edit", args=[self.province_milestone.pk]), page)
        self.assertNotIn(self.district_b.name, page)  # a district outside their scope is not shown
        # Their form offers their district only, and no "whole province".
        form = self.get(self.editor, "milestone_add", self.plan.pk).content.decode()
        self.assertIn(self.district_a.name, form)
        self.assertNotIn(self.district_b.name, form)
        self.assertNotIn("— the whole province —", form)
        response = self.client.post(reverse("roadmap:milestone_add", args=[self.plan.pk]), {
            "district": self.district_b.pk, "due_on": "28/02/2019", "communes_target": "1", "officers_target": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Milestone.objects.filter(due_on=D(2019, 2, 28)).exists())

    def test_a_province_administrator_adds_corrects_and_deletes(self):
        self.client.force_login(self.admin)
        response = self.client.post(reverse("roadmap:milestone_add", args=[self.plan.pk]), {
            "district": "", "due_on": "28/02/2019", "communes_target": "2", "officers_target": "6", "note": "Đợt 2"})
        self.assertRedirects(response, reverse("roadmap:plan", args=[self.plan.pk]))
        milestone = Milestone.objects.get(plan=self.plan, district=None, due_on=D(2019, 2, 28))
        response = self.client.post(reverse("roadmap:milestone_edit", args=[milestone.pk]), {
            "district": "", "due_on": "28/02/2019", "communes_target": "3", "officers_target": "6", "note": ""})
        self.assertEqual(response.status_code, 302)
        milestone.refresh_from_db()
        self.assertEqual(milestone.communes_target, 3)
        self.assertEqual(self.client.post(reverse("roadmap:milestone_delete", args=[milestone.pk])).status_code, 302)
        self.assertFalse(Milestone.objects.filter(pk=milestone.pk).exists())

    def test_bad_input_is_refused_with_a_message_and_nothing_is_written(self):
        self.client.force_login(self.admin)
        before = Milestone.objects.count()
        for data, message in (
            ({"due_on": "31/02/2019", "communes_target": "1", "officers_target": "1"}, "is not a day of the calendar"),
            ({"due_on": "01/10/2018", "communes_target": "1", "officers_target": "1"}, "before the plan was issued"),
            ({"due_on": "28/02/2019", "communes_target": "9", "officers_target": "1"}, "more than the 3 communes"),
            ({"due_on": "31/01/2019", "communes_target": "1", "officers_target": "1"}, "already has a milestone"),
            ({"due_on": "28/02/2019", "communes_target": "-1", "officers_target": "1"}, "greater than or equal to 0"),
            ({"due_on": "28/02/2019", "communes_target": "1", "officers_target": "1", "note": "=HYPERLINK(1)"}, "formula"),
        ):
            with self.subTest(data=data):
                response = self.client.post(reverse("roadmap:milestone_add", args=[self.plan.pk]), {"district": "", **data})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Nothing was saved")
                self.assertContains(response, message)
        self.assertEqual(Milestone.objects.count(), before)

    def test_names_and_notes_are_escaped_on_the_page_and_neutralised_in_the_exports(self):
        add(self.plan, self.district_a, due=D(2019, 2, 28), note='<script>alert("x")</script>')
        add(self.plan, self.district_a, due=D(2019, 3, 31), note="=1+1")
        self.client.force_login(self.admin)
        page = self.client.get(reverse("roadmap:plan", args=[self.plan.pk]), {"as_of": "2019-04-23"}).content.decode()
        self.assertNotIn("<script>alert", page)
        self.assertIn("&lt;script&gt;", page)
        csv = b"".join(self.client.get(reverse("roadmap:export", args=[self.plan.pk, "csv"]),
                                       {"as_of": "2019-04-23"}).streaming_content).decode("utf-8-sig")
        self.assertIn("'=1+1", csv)
        self.assertIn(self.district_a.name, csv)
        from openpyxl import load_workbook

        response = self.client.get(reverse("roadmap:export", args=[self.plan.pk, "xlsx"]), {"as_of": "2019-04-23"})
        self.assertIn("lo-trinh_1-kh-test_thu-nghiem_2019-04-23.xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertIn("'=1+1", [cell.value for row in sheet.iter_rows() for cell in row])
        self.assertEqual(self.get(self.admin, "export", self.plan.pk, "pdf").status_code, 404)
        from personnel.models import AccessEvent

        self.assertEqual(AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT, user=self.admin).count(), 2)

    def test_the_plans_page_lists_the_users_plans_only(self):
        page = self.get(self.viewer, "plans").content.decode()
        self.assertIn(self.plan.number, page)
        self.assertNotIn(self.other_plan.number, page)


class RoadmapPageQueryTests(SmallProvinceTestCase):
    def test_the_plan_page_dashboard_and_export_take_as_many_queries_with_one_milestone_as_with_many_days_and_districts(self):
        make_posting(make_officer("Nguyễn Văn Một"), self.commune_a1, D(2019, 1, 1))
        add(self.plan, due=D(2019, 1, 31))
        self.client.force_login(self.admin)
        urls = [reverse("roadmap:plan", args=[self.plan.pk]) + "?as_of=2019-04-23",
                reverse("roadmap:export", args=[self.plan.pk, "xlsx"]) + "?as_of=2019-04-23",
                reverse("dashboard") + "?as_of=2019-04-23"]
        few = [count_queries(self.client, url) for url in urls]
        for due in (D(2019, 1, 31), D(2019, 2, 28), D(2019, 3, 31), D(2019, 9, 30)):
            for district in (self.district_a, self.district_b):
                add(self.plan, district, due=due)
        User = get_user_model()
        for i in range(3):  # more users and officers change nothing either
            UserProfile.objects.create(user=User.objects.create_user(f"xem{i}"), role=Role.VIEWER, province=self.province)
            make_posting(make_officer(f"Lê Văn Số{i}"), self.commune_b1, D(2019, 1, 2 + i))
        self.assertEqual([count_queries(self.client, url) for url in urls], few)


class RoadmapEmptyStateTests(InEnglish, SmallProvinceTestCase):
    def test_a_plan_without_milestones_says_so_on_its_page_and_on_the_dashboard(self):
        self.client.force_login(self.admin)
        page = self.client.get(reverse("roadmap:plan", args=[self.plan.pk]))
        self.assertContains(page, 'id="no-roadmap"')
        self.assertContains(page, "The plan has no roadmap yet")
        self.assertContains(page, reverse("roadmap:milestone_add", args=[self.plan.pk]))
        dashboard = self.client.get(reverse("dashboard"), {"as_of": "2019-04-23"})
        self.assertContains(dashboard, "has no roadmap yet")
        self.client.force_login(self.viewer)
        self.assertNotContains(self.client.get(reverse("roadmap:plan", args=[self.plan.pk])),
                               reverse("roadmap:milestone_add", args=[self.plan.pk]))


class RoadmapOfTheTwoTierUnitsTests(SmallProvinceTestCase):
    def test_an_editor_cannot_add_to_a_plan_without_districts_and_is_not_offered_to(self):
        District.objects.filter(province=self.province).update(abolished_on=D(2025, 7, 1))  # no districts since then
        Commune.objects.create(code=90005, name="Xã Mới", province=self.province, former_district=self.district_a)
        later = Plan.objects.create(province=self.province, number="2/KH-TEST", title="Sau sắp xếp", issued_on=D(2025, 7, 15))
        User = get_user_model()
        editor = User.objects.create_user("bientap.tinh", password="pw-bientap-123")
        UserProfile.objects.create(user=editor, role=Role.EDITOR, province=self.province)
        self.client.force_login(editor)
        self.assertEqual(self.client.get(reverse("roadmap:milestone_add", args=[later.pk])).status_code, 403)
        self.assertNotContains(self.client.get(reverse("roadmap:plan", args=[later.pk])), 'id="add-milestone"')
        self.assertEqual(self.client.get(reverse("roadmap:milestone_add", args=[self.plan.pk])).status_code, 200)
        self.client.force_login(self.admin)
        page = self.client.get(reverse("roadmap:milestone_add", args=[later.pk])).content.decode()
        self.assertNotIn('name="district"', page)  # since 01/07/2025: the whole province only
