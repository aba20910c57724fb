"""Place names are shown as the official list writes them; a Party cell's name does not repeat itself."""

from __future__ import annotations

from django.urls import reverse
from vietnam_provinces.legacy import Ward

from communes.models import Commune, PartyCell
from communes.services import divisions_import
from kontum_posts.lib.vntext import cell_default_name
from tests.base import D, SmallProvinceTestCase


class OfficialSpellingTests(SmallProvinceTestCase):
    def test_names_that_look_like_casing_slips_are_the_official_spelling_and_kept(self):
        divisions_import(province_codes=[62])
        # "Xã Ya ly" and "Xã Đắk KRoong" are written so in the official list (vietnam-provinces, GSO codes).
        for code, name in ((23554, "Xã Ya ly"), (23371, "Xã Đắk KRoong")):
            with self.subTest(code=code):
                self.assertEqual(Ward.from_code(code).name, name)
                self.assertEqual(Commune.objects.of_code(code, D(2019, 4, 23)).name, name)


class PartyCellNameTests(SmallProvinceTestCase):
    def test_a_cells_usual_name_writes_the_communes_kind_in_lower_case(self):
        self.assertEqual(cell_default_name("Xã Đắk Choong"), "Chi bộ Công an xã Đắk Choong")
        self.assertEqual(str(PartyCell(commune=self.commune_a1, name="", established_on=D(2019, 1, 1))),
                         "Chi bộ Công an xã Đắk Pét")

    def test_the_dissolve_page_names_the_cell_without_repeating_its_commune(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, name=cell_default_name(self.commune_a1.name),
                                        established_on=D(2019, 1, 1))
        self.client.force_login(self.admin)
        html = self.client.get(reverse("manage:partycell_dissolve", args=[cell.pk])).content.decode()
        self.assertIn("<strong>Chi bộ Công an xã Đắk Pét</strong>, thành lập ngày 01/01/2019.", html)
        self.assertNotIn("(Xã Đắk Pét)", html)

    def test_a_cell_named_otherwise_still_says_which_commune(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, name="Chi bộ Công an", established_on=D(2019, 1, 1))
        self.client.force_login(self.admin)
        html = self.client.get(reverse("manage:partycell_dissolve", args=[cell.pk])).content.decode()
        self.assertIn("<strong>Chi bộ Công an</strong> (Xã Đắk Pét)", html)

    def test_the_demo_names_its_cells_the_usual_way(self):
        from sampledata.pilot import load_pilot_demo

        load_pilot_demo()
        names = list(PartyCell.objects.filter(commune__province__code=62).values_list("name", flat=True))
        self.assertEqual(len(names), 61)
        self.assertFalse([n for n in names if "Công an Xã" in n])
        self.assertTrue(all(n.startswith("Chi bộ Công an xã ") for n in names))
