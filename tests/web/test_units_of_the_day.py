"""Pages in the units of their day: a code that two units bore, a unit of the new tier with no district."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from communes.models import Commune, Province
from tests import demo
from tests.base import D, InEnglish

REFORM = D(2025, 7, 1)


class UnitsOfTheDayPagesTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[62], verbosity=0)
        demo.load_pilot()
        cls.national = get_user_model().objects.get(username="toanquoc")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.national)

    def get(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_one_code_opens_the_unit_that_bore_it_on_the_day(self):
        self.assertContains(self.get("/communes/23473/", as_of="2019-04-23"), "Xã Đắk Long")
        self.assertContains(self.get("/communes/23473/", as_of="2025-06-30"), "Thị trấn Măng Đen")
        today = self.get("/communes/23473/", as_of="2026-12-01")
        self.assertContains(today, "Xã Măng Đen")
        self.assertContains(today, "Tỉnh Quảng Ngãi (Huyện Kon Plông)")  # no district: the province, and where it came from
        self.assertEqual(today.context["commune"], Commune.objects.of_code(23473, REFORM))

    def test_the_province_code_both_quang_ngais_bore_lists_the_units_of_the_day(self):
        before = self.get("/communes/", province="51", as_of="2025-06-30")
        after = self.get("/communes/", province="51", as_of="2026-12-01")
        self.assertEqual(after.context["table"].paginator.count, 96)
        self.assertEqual(before.context["table"].paginator.count,
                         Commune.objects.filter(province__code=51, abolished_on=REFORM).count())
        self.assertContains(self.get("/", province="51", as_of="2026-12-01"), "Tỉnh Quảng Ngãi")

    def test_the_national_page_lists_the_provinces_of_the_day(self):
        before = self.get("/national/", as_of="2025-06-30").context["rows"]
        after = self.get("/national/", as_of="2026-12-01").context["rows"]
        self.assertEqual({r.province.code for r in before}, {51, 62})
        self.assertEqual([r.province.pk for r in after], [Province.objects.of_code(51, REFORM).pk])
        kon_tum = next(r for r in self.get("/national/", as_of="2019-04-23").context["rows"] if r.province.code == 62)
        self.assertEqual((kon_tum.figures.officers_in_post, kon_tum.figures.communes_covered), (349, 86))

    def test_a_national_users_first_dashboard_is_kon_tum_then_the_province_it_went_into(self):
        self.assertEqual(self.get("/", as_of="2019-04-23").context["province"].code, 62)
        today = self.get("/", as_of="2026-12-01").context["province"]
        self.assertEqual(today, Province.objects.of_code(51, REFORM))

    def test_a_plan_belongs_to_the_units_of_its_time(self):
        from personnel.coverage import area_staffing, plan_norm
        from personnel.models import Plan
        from personnel.plans import plan_for
        from tests.web.helpers import tile

        quang_ngai = Province.objects.of_code(51, REFORM)
        demo_plan = plan_for(quang_ngai, D(2026, 12, 1))  # the demo's, for the units the pilot was carried into
        plan = Plan.objects.create(province=quang_ngai, number="12/KH-CAT", title="Kế hoạch 2026",
                                   issued_on=D(2026, 1, 15), min_officers=6)
        plan.communes.set(Commune.objects.filter(province=quang_ngai).exclude(has_police_post=False))
        self.assertEqual(plan_for(quang_ngai, D(2026, 12, 1)), plan)
        self.assertEqual(plan_for(quang_ngai, D(2025, 12, 31)), demo_plan)
        self.assertEqual(plan_for(quang_ngai, D(2025, 7, 1)), demo_plan)  # before a province's first plan: that plan
        today = self.get("/", province="51", as_of="2026-12-01").content.decode()
        self.assertIn("12/KH-CAT", today)
        self.assertIn(plan_norm(plan), today)  # its own norm, as data
        covered = area_staffing(province=quang_ngai, as_of=D(2026, 12, 1), plan=plan).figures.communes_covered
        self.assertEqual(tile(today, "tile-coverage"), f"{covered}/{plan.communes.count()}")
        self.assertGreater(covered, 0)  # the pilot's staff, carried into the new units, cover some of them
        kon_tum = Province.objects.of_code(62, D(2019, 4, 23))
        self.assertEqual(plan_for(kon_tum, D(2019, 4, 23)).communes.count(), 86)  # the pilot's keeps its 86 xã
        self.assertEqual(tile(self.get("/", as_of="2019-04-23").content.decode(), "tile-coverage"), "86/86")

    def test_search_finds_a_unit_by_any_name_it_has_had(self):
        page = self.get("/search/", q="Đắk Long", as_of="2026-12-01")
        found = {c.pk: c.formerly for c in page.context["communes"]}
        self.assertEqual(found[Commune.objects.of_code(23473, REFORM).pk], "Xã Đắk Long")  # formed from it
        self.assertEqual(found[Commune.objects.of_code(23473, D(2025, 6, 30)).pk], "Xã Đắk Long")  # renamed from it
        self.assertContains(page, "formerly Xã Đắk Long")

    def test_a_commune_on_a_day_outside_its_life_says_so_and_offers_what_it_became(self):
        gone = self.get("/communes/23470/", as_of="2026-12-01")
        self.assertContains(gone, "did not exist on 01/12/2026: it existed until 30/06/2025")
        self.assertContains(gone, 'href="/communes/23473/?as_of=2025-07-01">Xã Măng Đen</a>')
        self.assertNotContains(gone, 'id="staff-table"')  # no one was in post in a commune that did not exist
        mang_den = self.get("/communes/23473/", as_of="2026-12-01")
        rows = mang_den.context["came_from_staff"]
        self.assertEqual([unit.code for unit, _day, _n in rows][-1], 23473)
        self.assertEqual({unit.code for unit, _day, _n in rows}, {23461, 23470, 23473})
        before = {unit.code: n for unit, day, n in rows if day == D(2025, 6, 30)}
        from personnel.models import Posting
        self.assertEqual(before[23470], Posting.objects.filter(commune__code=23470).open_on(D(2025, 6, 30)).count())
        self.assertGreater(before[23470], 0)

    def test_the_new_tier_groups_communes_under_their_former_district(self):
        from personnel.models import Posting
        from tests.base import make_officer, make_posting
        from tests.web.helpers import district_rows, tile, totals_row

        mang_den = Commune.objects.of_code(23473, REFORM)
        make_posting(make_officer("Y Nhận Mới"), mang_den, REFORM)
        page = self.get("/", province="51", as_of="2026-12-01")
        html = page.content.decode()
        self.assertContains(page, "By former district")
        rows = {cells[0]: cells for cells in district_rows(html)}
        today = D(2026, 12, 1)
        from_kon_plong = Posting.objects.open_on(today).filter(commune__former_district__code=613,
                                                                commune__in=Commune.objects.existing_on(today)).count()
        self.assertEqual(rows["Huyện Kon Plông"][1], str(from_kon_plong))
        in_post = Posting.objects.open_on(today).filter(commune__province__code=51,
                                                         commune__in=Commune.objects.existing_on(today)).count()
        self.assertEqual(tile(html, "tile-officers"), str(in_post))
        self.assertEqual(totals_row(html)[1], str(in_post))
        # The district page of a district that no longer exists shows the communes that came from it.
        district = self.get("/districts/613/", as_of="2026-12-01")
        self.assertContains(district, "Y Nhận Mới")
        self.assertIn(mang_den, district.context["communes"])
        # Before the reform the table is by district, as it always was.
        before = self.get("/", as_of="2019-04-23")
        self.assertContains(before, "By district")
        self.assertEqual(before.content.decode().count('<option value="51"'), 1)  # the province picker: the units of the day


class ScopesThroughTheLineageTests(InEnglish, TestCase):
    """A province's users see the history of the provinces it was merged from; a district's users, after
    01/07/2025, the communes that came from their district."""

    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth import get_user_model

        from communes.models import District
        from personnel.choices import Role
        from personnel.models import UserProfile
        from tests.base import make_officer, make_posting

        call_command("import_divisions", province=[62], verbosity=0)
        demo.load_pilot()
        cls.quang_ngai = Province.objects.of_code(51, REFORM)
        users = get_user_model().objects
        cls.qn_viewer = users.create_user("qn.viewer", password="pw-qn-viewer-123")
        UserProfile.objects.create(user=cls.qn_viewer, role=Role.VIEWER, province=cls.quang_ngai)
        cls.kon_plong_editor = users.create_user("kp.editor", password="pw-kp-editor-123")
        profile = UserProfile.objects.create(user=cls.kon_plong_editor, role=Role.EDITOR,
                                             province=Province.objects.of_code(62, D(2019, 4, 23)))
        profile.districts.set([District.objects.get(code=613)])
        cls.mang_den = Commune.objects.of_code(23473, REFORM)
        make_posting(make_officer("Y Nhận Mới"), cls.mang_den, REFORM)

    def test_a_merged_provinces_user_sees_the_2019_review_of_kon_tum(self):
        from personnel.access import scope_for
        from tests.web.helpers import tile

        self.client.force_login(self.qn_viewer)
        old = self.client.get("/", {"as_of": "2019-04-23"})
        self.assertEqual(old.context["province"].code, 62)
        self.assertEqual(tile(old.content.decode(), "tile-officers"), "349")
        self.assertContains(self.client.get("/communes/23473/", {"as_of": "2019-04-23"}), "Xã Đắk Long")
        today = self.client.get("/", {"as_of": "2026-12-01"})
        self.assertEqual(today.context["province"], self.quang_ngai)
        self.assertEqual(tile(today.content.decode(), "tile-officers"), str(self.in_post_today(province__code=51)))
        self.assertEqual(len(scope_for(self.qn_viewer).provinces), 3)  # new Quảng Ngãi, old Quảng Ngãi, Kon Tum

    def test_a_district_editor_keeps_the_communes_that_came_from_the_district(self):
        from personnel.access import scope_for, scoped

        scope = scope_for(self.kon_plong_editor)
        self.assertTrue(scope.allows_commune(self.mang_den))  # former district: Kon Plông
        elsewhere = Commune.objects.filter(province=self.mang_den.province).exclude(former_district__code=613).first()
        self.assertFalse(scope.allows_commune(elsewhere))
        visible = set(scoped(Commune.objects.filter(established_on=REFORM), self.kon_plong_editor))
        self.assertIn(self.mang_den, visible)
        self.assertEqual({c.former_district.code for c in visible}, {613})
        self.client.force_login(self.kon_plong_editor)
        self.assertContains(self.client.get("/districts/613/", {"as_of": "2026-12-01"}), "Y Nhận Mới")
        self.assertEqual(self.client.get(f"/communes/{elsewhere.code}/", {"as_of": "2026-12-01"}).status_code, 404)

    def test_kon_tums_area_today_is_the_forty_units_it_became(self):
        from personnel.coverage import area_staffing
        from tests.web.helpers import tile

        kon_tum = Province.objects.of_code(62, D(2019, 4, 23))
        area = area_staffing(province=kon_tum, as_of=D(2026, 12, 1))
        self.assertEqual(len(area.communes), 40)
        carried = self.in_post_today(former_district__province__code=62)  # the pilot's staff, and the newcomer
        self.assertEqual(area.figures.officers_in_post, carried)
        self.client.force_login(get_user_model().objects.get(username="lanhdao"))  # a Kon Tum viewer
        page = self.client.get("/", {"as_of": "2026-12-01"})
        self.assertEqual(tile(page.content.decode(), "tile-officers"), str(carried))
        self.assertContains(self.client.get("/communes/23473/", {"as_of": "2026-12-01"}), "Xã Măng Đen")

    def test_district_police_end_and_departments_go_on_under_the_merged_province(self):
        from personnel import importing
        from personnel.choices import UnitKind
        from personnel.models import DISTRICT_POLICE_END, Officer, Unit

        self.assertEqual(set(Unit.objects.filter(kind=UnitKind.DISTRICT_POLICE).values_list("abolished_on", flat=True)),
                         {DISTRICT_POLICE_END})
        department = Unit.objects.filter(kind=UnitKind.DEPARTMENT, province__code=62).first()
        content = ("Số hiệu,Họ và tên,Giới tính,Cấp bậc,Đơn vị,Xã,Chức vụ,Ngày bắt đầu\n"
                   f"QN-1,Nguyễn Văn Mới,Nam,Trung úy,{department.name},23473,Công an viên thường trực,01/08/2025\n").encode()
        result = importing.postings_import(file=content, filename="qn.csv", user=self.qn_viewer_editor(), dry_run=False)
        self.assertEqual(result.errors, [])
        self.assertEqual(Officer.objects.get(service_number="QN-1").home_unit, department)

    def in_post_today(self, **commune) -> int:
        from personnel.models import Posting

        today = D(2026, 12, 1)
        communes = Commune.objects.existing_on(today).filter(**commune)
        return Posting.objects.open_on(today).filter(commune__in=communes).count()

    def qn_viewer_editor(self):
        from personnel.choices import Role

        self.qn_viewer.profile.role = Role.EDITOR
        self.qn_viewer.profile.save()
        return type(self.qn_viewer).objects.get(pk=self.qn_viewer.pk)
