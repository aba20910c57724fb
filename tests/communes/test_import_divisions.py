import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from communes.models import Commune, CommuneChange, District, Province
from personnel.coverage import communes_of_kind_on

KON_TUM = 62


class ImportDivisionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[KON_TUM], stdout=StringIO())

    def test_it_loads_kon_tums_real_units(self):
        province = Province.objects.get(code=KON_TUM)
        self.assertEqual(province.name, "Tỉnh Kon Tum")
        self.assertEqual(District.objects.filter(province=province).count(), 10)
        self.assertEqual(Commune.objects.filter(district__province=province).count(), 102)

    def test_it_spells_names_as_the_official_list_does(self):
        self.assertTrue(District.objects.filter(name="Huyện Ia H'Drai").exists())
        self.assertTrue(District.objects.filter(name="Huyện Tu Mơ Rông").exists())
        self.assertEqual(District.objects.get(code=608).kind, "thanh_pho")

    def test_it_takes_the_kind_from_the_name(self):
        self.assertEqual(Commune.objects.get(code=23281).kind, "phuong")  # Phường Quang Trung
        self.assertEqual(Commune.objects.get(code=23473).kind, "thi_tran")  # Thị trấn Măng Đen

    def test_kon_tum_had_86_xa_in_april_2019_and_85_after_dak_long_became_mang_den(self):
        province = Province.objects.get(code=KON_TUM)
        self.assertEqual(
            communes_of_kind_on(province=province, as_of=datetime.date(2019, 4, 23)),
            {"xa": 86, "phuong": 10, "thi_tran": 6},
        )
        self.assertEqual(
            communes_of_kind_on(province=province, as_of=datetime.date(2020, 1, 1)),
            {"xa": 85, "phuong": 10, "thi_tran": 7},
        )

    def test_the_commune_had_its_old_name_on_the_day_before_the_change(self):
        rows = Commune.objects.filter(code=23473)
        self.assertEqual(rows.with_state_on(datetime.date(2019, 8, 31)).get().name_on, "Xã Đắk Long")
        self.assertEqual(rows.with_state_on(datetime.date(2019, 9, 1)).get().name_on, "Thị trấn Măng Đen")

    def test_running_it_again_changes_nothing(self):
        before = (Province.objects.count(), District.objects.count(), Commune.objects.count(), CommuneChange.objects.count())
        call_command("import_divisions", province=[KON_TUM], stdout=StringIO())
        after = (Province.objects.count(), District.objects.count(), Commune.objects.count(), CommuneChange.objects.count())
        self.assertEqual(before, after)

    def test_an_unknown_province_code_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "unknown province code(s): 999"):
            call_command("import_divisions", province=[999], stdout=StringIO())


class ImportAllDivisionsTests(TestCase):
    def test_it_loads_the_whole_country_by_default(self):
        out = StringIO()
        call_command("import_divisions", stdout=out)
        self.assertEqual(Province.objects.count(), 63)
        self.assertEqual(District.objects.count(), 696)
        self.assertEqual(Commune.objects.count(), 10051)
        self.assertIn("10051 communes", out.getvalue())
