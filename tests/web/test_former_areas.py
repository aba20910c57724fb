"""A province or district that no longer exists on the day: its pages say so and link what it became, and
every tile still counts the list it links to (the lists take a former unit as its area on the day)."""

from __future__ import annotations

import html as html_lib

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from communes.models import Commune, Province
from personnel.choices import PartyRoleKind, Position, Role
from personnel.models import PartyRole, Plan, Posting, UserProfile
from tests import demo
from tests.base import D, InEnglish, make_officer, make_posting
from tests.web.test_tiles_and_lists import TILE

REFORM = D(2025, 7, 1)
LATER = D(2026, 1, 5)
TODAY = "2026-12-01"
KON_PLONG = 613


class FormerAreasTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[62], verbosity=0)
        demo.load_pilot()
        cls.national = get_user_model().objects.get(username="toanquoc")
        cls.quang_ngai = Province.objects.of_code(51, REFORM)
        cls.qn_viewer = get_user_model().objects.create_user("qn.viewer", password="pw-qn-viewer-123")
        UserProfile.objects.create(user=cls.qn_viewer, role=Role.VIEWER, province=cls.quang_ngai)
        # Besides the pilot's staff carried into the new units on 01/07/2025: two newcomers in a unit that
        # came from Kon Plông (one a committee member), one in a unit that came from old Quảng Ngãi.
        mang_den = Commune.objects.of_code(23473, REFORM)
        deputy = make_officer("A Phó Mới")
        make_posting(deputy, mang_den, LATER, position=Position.DEPUTY_CHIEF)
        make_posting(make_officer("Y Thường Trực"), mang_den, LATER)
        PartyRole.objects.create(officer=deputy, commune=mang_den, role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=LATER)
        coastal = (Commune.objects.existing_on(REFORM).filter(province=cls.quang_ngai, former_district__province__code=51)
                   .order_by("code").first())
        make_posting(make_officer("Nguyễn Văn Biển"), coastal, LATER)

    def in_post_today(self, **commune) -> int:
        communes = Commune.objects.existing_on(D(2026, 12, 1)).filter(**commune)
        return Posting.objects.open_on(D(2026, 12, 1)).filter(commune__in=communes).count()

    def tiles(self, url: str) -> dict[str, str]:
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200, url)
        found = {html_lib.unescape(href): value.strip() for href, value in TILE.findall(page.content.decode())}
        self.assertGreaterEqual(len(found), 6, url)
        for href, value in found.items():
            with self.subTest(url=url, href=href):
                self.assertEqual(str(self.client.get(href).context["table"].paginator.count), value.split("/")[0])
        return found

    def officers_tile(self, tiles: dict[str, str]) -> str:
        return next(value for href, value in tiles.items() if href.startswith("/officers/"))

    def test_every_tile_of_a_former_province_counts_its_list_today(self):
        for user in (self.national, self.qn_viewer):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                kon_tum = self.officers_tile(self.tiles(f"/?as_of={TODAY}&province=62"))
                self.assertEqual(kon_tum, str(self.in_post_today(former_district__province__code=62)))
                quang_ngai = self.officers_tile(self.tiles(f"/?as_of={TODAY}&province=51"))
                self.assertEqual(int(quang_ngai), int(kon_tum) + 1)  # and the one from old Quảng Ngãi

    def test_every_tile_of_a_former_district_counts_its_list_today(self):
        for user in (self.national, self.qn_viewer):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                shown = self.officers_tile(self.tiles(f"/districts/{KON_PLONG}/?as_of={TODAY}"))
                self.assertEqual(shown, str(self.in_post_today(former_district__code=KON_PLONG)))
                self.assertGreater(int(shown), 2)  # carried and new

    def test_a_former_district_is_offered_and_named_with_its_life(self):
        self.client.force_login(self.national)
        page = self.client.get("/officers/", {"as_of": TODAY, "district": KON_PLONG}).content.decode()
        self.assertIn("Huyện Kon Plông (until 30/06/2025)", page)
        self.assertIn("Tỉnh Kon Tum (until 30/06/2025)", page)  # the province it implies, offered as it was
        communes = self.client.get("/communes/", {"as_of": TODAY, "district": KON_PLONG})
        came_from_it = Commune.objects.existing_on(D(2026, 12, 1)).filter(former_district__code=KON_PLONG).count()
        self.assertEqual(communes.context["table"].paginator.count, came_from_it)
        self.assertGreater(came_from_it, 0)

    def test_a_former_districts_page_says_so_and_names_the_province_of_the_day(self):
        self.client.force_login(self.national)
        page = self.client.get(f"/districts/{KON_PLONG}/", {"as_of": TODAY})
        notice = page.content.decode().split('id="not-on-day"')[1].split("</p>")[0]
        self.assertIn("did not exist on 01/12/2026: it existed until 30/06/2025", notice)
        self.assertIn("Tỉnh Quảng Ngãi", notice)
        self.assertIn(f"/districts/{KON_PLONG}/?as_of=2025-06-30", notice)
        self.assertContains(page, 'province=51">Tỉnh Quảng Ngãi</a> ›')  # the breadcrumb: the province of the day
        self.assertNotContains(self.client.get(f"/districts/{KON_PLONG}/", {"as_of": "2019-04-23"}), 'id="not-on-day"')

    def test_a_former_provinces_dashboard_links_the_province_it_went_into(self):
        self.client.force_login(self.national)
        page = self.client.get("/", {"as_of": TODAY, "province": 62}).content.decode()
        notice = page.split('id="province-gone"')[1].split("</p>")[0]
        self.assertIn("It went into:", notice)
        self.assertIn(f"?as_of={TODAY}&amp;province=51\">Tỉnh Quảng Ngãi</a>", notice)
        self.assertIn("as_of=2025-06-30&amp;province=62", notice)
        self.assertNotIn('id="province-gone"', self.client.get("/", {"as_of": TODAY, "province": 51}).content.decode())

    def test_a_district_and_province_of_the_day_count_as_before(self):
        self.client.force_login(self.national)
        self.assertEqual(self.officers_tile(self.tiles("/?as_of=2019-04-23&province=62")), "349")
        self.tiles(f"/districts/{KON_PLONG}/?as_of=2019-04-23")

    def test_a_province_without_a_plan_costs_no_more_queries_than_one_with_a_plan(self):
        from personnel.plans import plan_for
        from tests.web.helpers import count_queries

        Plan.objects.filter(province=self.quang_ngai).delete()  # the demo's plan for the new units
        self.assertIsNone(plan_for(self.quang_ngai, D(2026, 12, 1)))  # the plan in force is read once, even when none
        self.client.force_login(self.national)
        with_plan = count_queries(self.client, "/?as_of=2019-04-23&province=62")
        # No more: without a plan there is no roadmap to read, nor plan communes whose facilities gaps to read.
        self.assertLessEqual(count_queries(self.client, f"/?as_of={TODAY}&province=51"), with_plan)
        self.assertLessEqual(with_plan, 14)  # with the gaps' ready officers, the roadmap, the facilities gaps

    def test_a_former_districts_roster_lists_its_former_area_in_the_name_of_the_province_of_the_day(self):
        from tests.reports.helpers import pdf_pages

        self.client.force_login(self.national)
        page = self.client.get(f"/districts/{KON_PLONG}/", {"as_of": TODAY})
        response = self.client.get("/reports/district-roster.pdf", {"district": KON_PLONG, "as_of": TODAY})
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join("\n".join(pdf_pages(response.content)).split())
        self.assertIn("CÔNG AN TỈNH QUẢNG NGÃI", text)
        self.assertIn("huyện Kon Plông (cũ)", text)
        self.assertIn(f"{page.context['figures'].officers_in_post} đồng chí", text)  # the page's own count
        for name in ("A Phó Mới", "Y Thường Trực"):
            self.assertIn(name, text)
        self.assertNotIn("Nguyễn Văn Biển", text)  # from old Quảng Ngãi
