import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from vietnam_provinces import _ward_conversion_2025 as ward_conversion

from communes.models import Commune, CommuneChange, CommuneLineage, District, Province
from personnel.coverage import communes_of_kind_on

KON_TUM = 62
APRIL_2019 = datetime.date(2019, 4, 23)
REFORM = datetime.date(2025, 7, 1)
ONE_DAY = datetime.timedelta(days=1)


class ImportDivisionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[KON_TUM], stdout=StringIO())

    def test_it_loads_kon_tums_real_units(self):
        province = Province.objects.get(code=KON_TUM)
        self.assertEqual(province.name, "Tỉnh Kon Tum")
        self.assertEqual(District.objects.filter(province=province).count(), 10)
        self.assertEqual(Commune.objects.filter(province=province).count(), 102)

    def test_it_spells_names_as_the_official_list_does(self):
        self.assertTrue(District.objects.filter(name="Huyện Ia H'Drai").exists())
        self.assertTrue(District.objects.filter(name="Huyện Tu Mơ Rông").exists())
        self.assertEqual(District.objects.get(code=608).kind, "thanh_pho")

    def test_it_takes_the_kind_from_the_name(self):
        self.assertEqual(Commune.objects.of_code(23281, APRIL_2019).kind, "phuong")  # Phường Quang Trung
        self.assertEqual(Commune.objects.of_code(23473, APRIL_2019).kind, "thi_tran")  # Thị trấn Măng Đen (renamed 2019)
        self.assertEqual(Commune.objects.of_code(21548, REFORM).kind, "dac_khu")  # Đặc khu Lý Sơn

    def test_a_code_names_different_units_on_different_days(self):
        old, new = Commune.objects.of_code(23473, REFORM - ONE_DAY), Commune.objects.of_code(23473, REFORM)
        self.assertNotEqual(old.pk, new.pk)
        self.assertEqual((old.name, old.abolished_on, old.district.name), ("Thị trấn Măng Đen", REFORM, "Huyện Kon Plông"))
        self.assertEqual((new.name, new.established_on, new.district, new.former_district.name),
                         ("Xã Măng Đen", REFORM, None, "Huyện Kon Plông"))
        self.assertEqual(new.province.name, "Tỉnh Quảng Ngãi")
        self.assertEqual(sorted(new.predecessor_links.values_list("predecessor__code", flat=True)), [23461, 23470, 23473])
        self.assertTrue(all(new.predecessor_links.values_list("whole", flat=True)))
        self.assertIn("1677/NQ-UBTVQH15", new.predecessor_links.first().legal_basis)

    def test_kon_tums_102_units_lead_to_40_of_quang_ngais_96(self):
        kon_tum = Province.objects.get(code=KON_TUM)
        old = Commune.objects.filter(province=kon_tum)
        self.assertEqual(old.count(), 102)
        self.assertTrue(all(c.abolished_on == REFORM for c in old))
        successors = Commune.objects.filter(predecessor_links__predecessor__in=old).distinct()
        self.assertEqual(successors.count(), 40)
        self.assertEqual(communes_of_kind_on(province=successors.first().province, as_of=REFORM),
                         {"xa": 86, "phuong": 9, "thi_tran": 0, "dac_khu": 1})
        self.assertEqual(kon_tum.successor_links.get().successor.code, 51)
        self.assertEqual(Province.objects.existing_on(REFORM).get(code=51).predecessor_links.count(), 2)

    def test_kon_tum_had_86_xa_in_april_2019_and_85_after_dak_long_became_mang_den(self):
        province = Province.objects.get(code=KON_TUM)
        self.assertEqual(
            communes_of_kind_on(province=province, as_of=datetime.date(2019, 4, 23)),
            {"xa": 86, "phuong": 10, "thi_tran": 6, "dac_khu": 0},
        )
        self.assertEqual(
            communes_of_kind_on(province=province, as_of=datetime.date(2020, 1, 1)),
            {"xa": 85, "phuong": 10, "thi_tran": 7, "dac_khu": 0},
        )

    def test_the_commune_had_its_old_name_on_the_day_before_the_change(self):
        rows = Commune.objects.filter(code=23473, abolished_on=REFORM)
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
        # The package's counts, read back from the database, the day before and the day of the reform.
        self.assertEqual(Province.objects.existing_on(REFORM - ONE_DAY).count(), 63)
        self.assertEqual(District.objects.existing_on(REFORM - ONE_DAY).count(), 696)
        self.assertEqual(Commune.objects.existing_on(REFORM - ONE_DAY).count(), len(ward_conversion.OLD_TO_NEW))
        self.assertEqual(Province.objects.existing_on(REFORM).count(), 34)
        self.assertEqual(District.objects.existing_on(REFORM).count(), 0)
        self.assertEqual(Commune.objects.existing_on(REFORM).count(), 3321)
        self.assertEqual(Commune.objects.existing_on(REFORM).filter(has_police_post=True).count(), 3319)
        # Each old unit's successors as in the official table.
        links = set(CommuneLineage.objects.values_list("predecessor__code", "successor__code"))
        official = {(old, new.code) for old, entry in ward_conversion.OLD_TO_NEW.items() for new in entry.new_wards}
        self.assertEqual(links, official)
        self.assertEqual(CommuneLineage.objects.filter(whole=False).values("predecessor").distinct().count(), 441)
        # The national page of the day says so too: 34 provinces, 3,321 units (2,621 xã, 687 phường, 13 đặc khu),
        # 3,319 with commune police.
        from communes.counts import UnitCounts, units_of
        from personnel.coverage import national_figures

        rows = national_figures(as_of=REFORM)
        self.assertEqual(len(rows), 34)
        self.assertEqual(sum((units_of(r.province) for r in rows), UnitCounts()).astuple(), (3321, 2621, 687, 13, 3319))
        before = (Province.objects.count(), District.objects.count(), Commune.objects.count(), CommuneLineage.objects.count())
        call_command("import_divisions", stdout=StringIO())
        self.assertEqual(before, (Province.objects.count(), District.objects.count(), Commune.objects.count(),
                                  CommuneLineage.objects.count()))
