"""Every tile's number is the row count of the list it links to, in every scope; every page and export
names a commune as it was named on the page's day."""

from __future__ import annotations

import html as html_lib
import re

from django.contrib.auth import get_user_model
from django.test import RequestFactory, SimpleTestCase
from django.urls import reverse

from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange, District, PartyCell, Province
from kontum_posts.lib.asof import request_as_of
from personnel.choices import PartyRoleKind, Position, UnitKind
from personnel.models import PartyRole, Unit
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import count_queries
from tests.web.test_export import csv_rows

DAY = "2019-06-16"  # before Xã Đắk Long became Thị trấn Măng Đen (01/09/2019)
TILE = re.compile(r'<a class="tile"[^>]*href="([^"]+)"[^>]*>.*?<span class="tile-value">(.*?)</span>', re.S)


class TileFixture(SmallProvinceTestCase):
    """The small province, with an officer of it posted in another province, a commune abolished while a
    posting and a role there stay open, and a commune renamed after the day."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Bên Cạnh")
        other_district = District.objects.create(code=9201, name="Huyện Bên Cạnh", province=cls.other_province)
        cls.other_commune = Commune.objects.create(code=90201, name="Xã Bên Kia", district=other_district)
        home = Unit.objects.create(province=cls.province, name="Phòng Cảnh sát Thử", kind=UnitKind.DEPARTMENT)
        cls.away = make_officer("Vũ Văn Xa", home_unit=home)
        make_posting(cls.away, cls.other_commune, D(2019, 1, 1))
        PartyRole.objects.create(officer=cls.away, commune=cls.other_commune, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                 start_date=D(2019, 1, 1))

        cls.gone = Commune.objects.create(code=90009, name="Xã Đã Nhập", district=cls.district_a, abolished_on=D(2019, 3, 1))
        cls.left_open = make_officer("Đinh Văn Sót")
        make_posting(cls.left_open, cls.gone, D(2019, 1, 1))
        PartyRole.objects.create(officer=cls.left_open, commune=cls.gone, role=PartyRoleKind.STANDING_COMMITTEE,
                                 start_date=D(2019, 1, 1))

        cls.mang_den = Commune.objects.create(code=23473, name="Thị trấn Măng Đen", district=cls.district_a,
                                              kind=CommuneKind.TOWNSHIP)
        CommuneChange.objects.create(commune=cls.mang_den, effective_on=D(2019, 9, 1), previous_name="Xã Đắk Long",
                                     previous_kind=CommuneKind.COMMUNE)
        cls.plan.communes.add(cls.mang_den)
        cls.long = make_officer("Y Long")
        make_posting(cls.long, cls.mang_den, D(2019, 1, 1), position=Position.CHIEF)
        pet = make_officer("A Pét")
        make_posting(pet, cls.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        PartyRole.objects.create(officer=pet, commune=cls.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                 start_date=D(2019, 1, 1))
        make_posting(make_officer("Rơ Châm Tơi"), cls.commune_b1, D(2019, 1, 1))
        cell = PartyCell.objects.create(commune=cls.mang_den, established_on=D(2019, 2, 1))
        PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(officer=cls.long, commune=cls.mang_den, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
                                 start_date=D(2019, 2, 1))
        PartyRole.objects.create(officer=cls.long, commune=cls.mang_den, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                 start_date=D(2019, 2, 1))
        PartyRole.objects.create(holder_name="Y Hoa", commune=cls.commune_b1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                 start_date=D(2019, 2, 1))
        cls.national = get_user_model().objects.create_user("national", password="pw-national-1", is_superuser=True)


class TilesAndTheirListsTests(TileFixture):
    def tiles(self, url: str) -> list[tuple[str, str]]:
        page = self.client.get(url).content.decode()
        found = [(html_lib.unescape(href), value.strip()) for href, value in TILE.findall(page)]
        self.assertGreaterEqual(len(found), 6, url)
        return found

    def assert_each_tile_counts_its_list(self, url: str) -> dict[str, str]:
        shown = {}
        for href, value in self.tiles(url):
            with self.subTest(url=url, href=href):
                count = self.client.get(href).context["table"].paginator.count
                self.assertEqual(str(count), value.split("/")[0])  # "covered/in plan": the list is the covered
                shown[href.split("?")[0] + "?" + "&".join(sorted(href.split("?")[1].split("&")[1:]))] = value
        return shown

    def test_every_dashboard_tile_is_the_count_of_the_list_it_links_to_for_a_province_user(self):
        self.client.force_login(self.viewer)
        shown = self.assert_each_tile_counts_its_list(f"/?as_of={DAY}")
        self.assertEqual(shown["/officers/?in_post=yes"], "3")  # not the officer posted in the other province

    def test_every_dashboard_tile_is_the_count_of_the_list_it_links_to_for_a_district_editor(self):
        self.client.force_login(self.editor)
        shown = self.assert_each_tile_counts_its_list(f"/?as_of={DAY}")
        self.assertEqual(shown[f"/officers/?district={self.district_a.code}&in_post=yes"], "2")

    def test_every_dashboard_tile_is_the_count_of_the_list_it_links_to_for_a_national_user(self):
        self.client.force_login(self.national)
        shown = self.assert_each_tile_counts_its_list(f"/?as_of={DAY}&province={self.province.code}")
        self.assertEqual(shown[f"/officers/?in_post=yes&province={self.province.code}"], "3")
        self.assertEqual(shown[f"/party-roles/?holder=police&province={self.province.code}&role=bch&status=open"], "2")

    def test_every_district_page_tile_is_the_count_of_the_list_it_links_to(self):
        for user in (self.viewer, self.editor, self.national):
            self.client.force_login(user)
            self.assert_each_tile_counts_its_list(reverse("district_detail", args=[self.district_a.code]) + f"?as_of={DAY}")

    def test_every_linked_number_of_the_district_table_is_the_count_of_its_list(self):
        for user in (self.viewer, self.national):
            self.client.force_login(user)
            page = self.client.get(f"/?as_of={DAY}&province={self.province.code}").content.decode()
            table = re.search(r'id="district-table".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
            links = re.findall(r'<td class="num"><a href="([^"]+)">([^<]+)</a></td>', table)
            self.assertEqual(len(links), 2 * 5)
            for href, value in links:
                with self.subTest(user=user.username, href=href):
                    count = self.client.get(html_lib.unescape(href)).context["table"].paginator.count
                    self.assertEqual(str(count), value.split("/")[0])

    def test_an_officer_posted_in_another_province_is_listed_but_not_in_post_here(self):
        self.client.force_login(self.viewer)
        rows = {o.full_name: o for o in self.client.get("/officers/", {"as_of": DAY}).context["table"].data.data}
        self.assertFalse(rows["Vũ Văn Xa"].in_post)
        self.assertIsNone(rows["Vũ Văn Xa"].post_commune_name)  # the other province's posting is not theirs to see

    def test_the_district_page_lists_the_officers_its_tile_counts(self):
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("district_detail", args=[self.district_a.code]), {"as_of": DAY})
        self.assertEqual(len(response.context["staff"]), response.context["figures"].officers_in_post)


class NamesOnTheDayTests(TileFixture):
    def setUp(self):
        self.client.force_login(self.viewer)

    def test_lists_and_pages_name_a_commune_as_it_was_named_on_the_day(self):
        pages = [
            reverse("officer_list"), reverse("posting_list"), reverse("partyrole_list"), reverse("commune_list"),
            reverse("district_detail", args=[self.district_a.code]), reverse("officer_detail", args=[self.long.pk]),
        ]
        for url in pages:
            with self.subTest(url=url):
                before = self.client.get(url, {"as_of": DAY}).content.decode()
                self.assertIn("Xã Đắk Long", before)
                self.assertNotIn("Măng Đen", before)
                after = self.client.get(url, {"as_of": "2019-09-01"}).content.decode()
                self.assertIn("Thị trấn Măng Đen", after)
                self.assertNotIn("Đắk Long", after)

    def test_exports_name_a_commune_as_it_was_named_on_the_day(self):
        for name in ("officer_list", "posting_list", "partyrole_list", "commune_list"):
            with self.subTest(name=name):
                cells = {c for row in csv_rows(self.client.get(reverse(name), {"as_of": DAY, "export": "csv"})) for c in row}
                self.assertIn("Xã Đắk Long", cells)
                self.assertFalse(any("Măng Đen" in c for c in cells))

    def test_sorting_by_commune_sorts_by_the_name_on_the_day(self):
        lists = {
            "officer_list": ("post_commune_name", {"in_post": "yes"}),
            "posting_list": ("commune", {}),
            "partyrole_list": ("commune", {}),
            "commune_list": ("name_on", {}),
        }
        for name, (column, params) in lists.items():
            with self.subTest(name=name):
                before = self.commune_names(name, column, params, DAY, ("Xã Đắk Long", "Xã Đắk Pét"))
                self.assertEqual(before[0], "Xã Đắk Long")
                after = self.commune_names(name, column, params, "2019-09-01", ("Thị trấn Măng Đen", "Xã Đắk Pét"))
                self.assertEqual(after[0], "Xã Đắk Pét")

    def commune_names(self, name, column, params, day, wanted) -> list[str]:
        """The two communes' names as the list sorted by its commune column shows them, both present."""
        query = {"as_of": day, "sort": column, "district": self.district_a.code, **params}
        table = self.client.get(reverse(name), query).context["table"]
        names = [str(row.get_cell_value(column)) for row in table.paginated_rows]
        self.assertEqual(set(wanted), set(names) & set(wanted))
        return [n for n in names if n in wanted]

    def test_more_renamed_communes_do_not_add_queries(self):
        urls = [reverse(name) + f"?as_of={DAY}" for name in ("officer_list", "posting_list", "partyrole_list")]
        urls += [reverse("district_detail", args=[self.district_a.code]) + f"?as_of={DAY}",
                 reverse("posting_list") + f"?as_of={DAY}&export=csv&sort=commune"]
        before = [count_queries(self.client, url) for url in urls]
        for i in range(5):
            commune = Commune.objects.create(code=90100 + i, name=f"Phường Mới {i}", district=self.district_a,
                                             kind=CommuneKind.WARD)
            CommuneChange.objects.create(commune=commune, effective_on=D(2020, 1, 1), previous_name=f"Xã Cũ {i}",
                                         previous_kind=CommuneKind.COMMUNE)
            officer = make_officer(f"Lò Văn {i}")
            make_posting(officer, commune, D(2019, 1, 1))
            PartyRole.objects.create(officer=officer, commune=commune, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                     start_date=D(2019, 1, 1))
        self.assertEqual([count_queries(self.client, url) for url in urls], before)


class YesNoExportTests(TileFixture):
    def test_no_export_writes_true_or_false(self):
        self.client.force_login(self.viewer)
        for name in ("officer_list", "posting_list", "partyrole_list", "commune_list"):
            for fmt in ("csv", "xlsx"):
                with self.subTest(name=name, fmt=fmt):
                    response = self.client.get(reverse(name), {"as_of": DAY, "export": fmt})
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    if fmt == "xlsx":
                        import io

                        from openpyxl import load_workbook

                        cells = {c for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for c in row}
                    else:
                        cells = {c for row in csv_rows(self.client.get(reverse(name), {"as_of": DAY, "export": fmt}))
                                 for c in row}
                    self.assertFalse({c for c in cells if isinstance(c, bool) or c in ("True", "False")})
        communes = csv_rows(self.client.get(reverse("commune_list"), {"as_of": DAY, "export": "csv"}))
        self.assertIn("có", {c for row in communes for c in row})


class RequestDayTests(SimpleTestCase):
    def test_the_requests_day_is_read_once_with_its_error(self):
        request = RequestFactory().get("/", {"as_of": "16/06/2019"})
        self.assertEqual(request_as_of(request).day, D(2019, 6, 16))
        self.assertIs(request_as_of(request), request_as_of(request))
        self.assertTrue(request_as_of(request).given)
        self.assertEqual(request_as_of(request).error, "")

    def test_an_invalid_day_is_today_with_a_message_naming_what_was_typed(self):
        from kontum_posts.lib.asof import today

        bad = request_as_of(RequestFactory().get("/", {"as_of": "2019-02-30"}))
        self.assertEqual((bad.day, bad.valid, bad.given), (today(), False, False))
        self.assertIn("2019-02-30", bad.error)
        self.assertFalse(request_as_of(RequestFactory().get("/")).given)

    def test_no_module_parses_the_as_of_parameter_but_the_one_function(self):
        import pathlib
        import subprocess

        root = pathlib.Path(__file__).resolve().parents[2]
        found = subprocess.run(
            ["grep", "-rln", "--include=*.py", r"parse_as_of\|GET.get(\"as_of\"", "communes", "personnel", "dashboards",
             "reports", "kontum_posts"], cwd=root, capture_output=True, text=True, check=False).stdout.split()
        self.assertEqual(sorted(found), ["kontum_posts/lib/asof.py"])
