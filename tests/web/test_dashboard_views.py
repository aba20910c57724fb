"""The province dashboard: the review's figures on the demo data, the district table, dates, scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from communes.models import District, Province
from personnel.coverage import coverage_figures
from sampledata.pilot import KON_TUM
from tests import demo
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import count_queries, district_rows, tile, totals_row


class PilotDashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        cls.viewer = get_user_model().objects.get(username="lanhdao")
        cls.editor = get_user_model().objects.get(username="bientap.dakglei")

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_it_shows_the_six_figures_of_the_review_on_23_april_2019(self):
        html = self.client.get("/?as_of=2019-04-23").content.decode()
        self.assertEqual(tile(html, "tile-officers"), "349")
        self.assertEqual(tile(html, "tile-coverage"), "86/86")
        self.assertIn("100%", html)
        self.assertEqual(tile(html, "tile-cells"), "61")
        self.assertEqual(tile(html, "tile-secretaries"), "60/61")
        self.assertEqual(tile(html, "tile-bch"), "41")
        self.assertEqual(tile(html, "tile-btv"), "22")

    def test_the_district_rows_add_up_to_the_province(self):
        province = Province.objects.get(code=KON_TUM)
        self.assertEqual(coverage_figures(province=province, as_of=D(2019, 4, 23)).officers_in_post, 349)
        html = self.client.get("/?as_of=2019-04-23").content.decode()
        rows = district_rows(html)
        self.assertEqual(len(rows), 10)
        officers = sum(int(r[1]) for r in rows)
        covered = sum(int(r[2].split("/")[0]) for r in rows)
        in_plan = sum(int(r[2].split("/")[1]) for r in rows)
        cells = sum(int(r[3]) for r in rows)
        secretaries = sum(int(r[4].split("/")[0]) for r in rows)
        bch = sum(int(r[5]) for r in rows)
        btv = sum(int(r[6]) for r in rows)
        self.assertEqual((officers, covered, in_plan, cells, secretaries, bch, btv), (349, 86, 86, 61, 60, 41, 22))
        self.assertEqual(totals_row(html)[1:], ["349", "86/86", "61", "60/61", "41", "22"])

    def test_the_figures_change_with_the_date(self):
        html = self.client.get("/?as_of=2019-01-01").content.decode()
        self.assertNotEqual(tile(html, "tile-officers"), "349")
        self.assertNotEqual(tile(html, "tile-coverage"), "86/86")

    def test_each_figure_links_to_the_list_behind_it_and_the_list_shows_as_many_rows(self):
        links = {
            "officers": ("/officers/?as_of=2019-04-23&in_post=yes", 349),
            "communes": ("/communes/?as_of=2019-04-23&in_plan=yes&covered=yes", 86),
            "cells": ("/communes/?as_of=2019-04-23&has_cell=yes", 61),
            "secretaries": ("/communes/?as_of=2019-04-23&has_cell=yes&police_secretary=yes", 60),
            "bch": ("/party-roles/?as_of=2019-04-23&role=bch&holder=police&status=open", 41),
            "btv": ("/party-roles/?as_of=2019-04-23&role=btv&holder=police&status=open", 22),
        }
        html = self.client.get("/?as_of=2019-04-23").content.decode()
        for name, (url, expected) in links.items():
            with self.subTest(name):
                path = url.split("&")[0] if name != "communes" else "/communes/?as_of=2019-04-23&amp;in_plan=yes"
                self.assertIn(path.replace("&", "&amp;") if name != "communes" else path, html)
                response = self.client.get(url)
                self.assertEqual(response.context["table"].paginator.count, expected)

    def test_the_roll_out_chart_is_an_inline_svg_marked_at_the_as_of_date(self):
        html = self.client.get("/?as_of=2019-04-23").content.decode()
        self.assertIn("<svg", html)
        self.assertIn("23/04/2019", html)
        self.assertNotIn("<script", html)

    def test_the_gap_list_names_communes_without_a_chief(self):
        response = self.client.get("/?as_of=2019-04-23")
        gaps = [labels for _row, labels in response.context["gap_rows"]]
        self.assertTrue(any(labels for labels in gaps))
        self.assertContains(response, 'id="gaps"')

    def test_an_invalid_date_gives_a_clear_message_not_an_error(self):
        response = self.client.get("/?as_of=2019-02-30")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "2019-02-30")
        self.assertContains(response, 'role="alert"')

    def test_a_typed_day_month_year_date_is_understood(self):
        html = self.client.get("/?as_of=23/04/2019").content.decode()
        self.assertEqual(tile(html, "tile-officers"), "349")

    def test_a_district_editor_sees_only_their_district(self):
        self.client.force_login(self.editor)
        response = self.client.get("/?as_of=2019-04-23")
        rows = district_rows(response.content.decode())
        self.assertEqual([r[0] for r in rows], ["Huyện Đắk Glei"])
        self.assertEqual(tile(response.content.decode(), "tile-officers"), rows[0][1])
        self.assertTrue(all(r.commune.district.code == 610 for r, _labels in response.context["gap_rows"]))

    def test_a_district_editors_tiles_link_to_lists_of_the_same_size(self):
        import html as html_lib
        import re

        self.client.force_login(self.editor)
        page = self.client.get("/?as_of=2019-04-23").content.decode()
        for tile_id in ("tile-officers", "tile-cells", "tile-bch", "tile-btv"):
            with self.subTest(tile_id):
                href = html_lib.unescape(re.search(rf'id="{tile_id}" href="([^"]+)"', page).group(1))
                self.assertIn("district=610", href)
                count = self.client.get(href).context["table"].paginator.count
                self.assertEqual(str(count), tile(page, tile_id))

    def test_the_dashboard_runs_a_small_fixed_number_of_queries(self):
        # 9, the gaps' ready officers (one query of the pipeline), the roadmap's two (its milestones, and its due
        # dates' figures, one query for all of them) and the facilities gaps' three (headquarters, equipment counts,
        # norms: facilities.selectors).
        self.assertLessEqual(count_queries(self.client, "/?as_of=2019-04-23"), 15)


class DashboardScopeTests(SmallProvinceTestCase):
    def test_a_national_user_sees_kon_tum_or_the_first_province_and_may_pick_another(self):
        national = get_user_model().objects.create_superuser("national", password="pw-national-123")
        other = Province.objects.create(code=9002, name="Tỉnh Khác")
        District.objects.create(code=9201, name="Huyện Khác", province=other)
        self.client.force_login(national)
        response = self.client.get("/")
        self.assertEqual(response.context["province"], self.province)  # no Kon Tum here: the first by code
        response = self.client.get("/?province=9002")
        self.assertEqual(response.context["province"], other)
        self.assertEqual(self.client.get("/?province=12345").status_code, 404)

    def test_a_province_user_cannot_pick_another_province(self):
        other = Province.objects.create(code=9002, name="Tỉnh Khác")
        self.client.force_login(self.viewer)
        response = self.client.get(f"/?province={other.code}")
        self.assertEqual(response.context["province"], self.province)

    def test_a_user_without_a_profile_sees_no_figures(self):
        nobody = get_user_model().objects.create_user("nobody", password="pw-nobody-123")
        self.client.force_login(nobody)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "tile-officers", status_code=403)

    def test_the_query_count_does_not_grow_with_the_data(self):
        self.client.force_login(self.viewer)
        url = "/?as_of=2019-04-23"
        before = count_queries(self.client, url)
        for i in range(30):
            officer = make_officer(f"Nguyễn Văn Thêm {i}")
            make_posting(officer, [self.commune_a1, self.commune_a2, self.commune_b1][i % 3], D(2019, 1, 1 + i % 20))
        after = count_queries(self.client, url)
        self.assertEqual(before, after)
        self.assertLessEqual(after, 14)  # with the gaps' ready officers, the roadmap's milestones, the facilities gaps
        self.assertEqual(tile(self.client.get(url).content.decode(), "tile-officers"), "30")

    def test_kon_tum_is_the_default_for_a_national_user_when_loaded(self):
        kon_tum = Province.objects.create(code=KON_TUM, name="Tỉnh Kon Tum")
        national = get_user_model().objects.create_superuser("national", password="pw-national-123")
        self.client.force_login(national)
        self.assertEqual(self.client.get(reverse("dashboard")).context["province"], kon_tum)
