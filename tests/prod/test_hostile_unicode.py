"""Finding 7 of issue 15: text that grows when folded, characters no XLSX can carry, and service numbers
that differ only in letter case or by an invisible character."""

from __future__ import annotations

import io
import sys
import unicodedata

from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import CommuneChange, District
from kontum_posts.lib.clean import clean_text
from kontum_posts.lib.export import neutralise, xlsx_bytes
from kontum_posts.lib.vntext import FOLD_GROWTH, fold, fold_length, person_sort_key, place_sort_key, sort_key_length
from personnel.choices import Gender, Rank, UnitKind
from personnel.importing import postings_import
from personnel.models import Officer, Unit
from personnel.rules import SERVICE_NUMBER_UNIQUE, service_number_key
from tests.base import InEnglish, SmallProvinceTestCase, make_officer
from tests.personnel.test_import import csv_bytes, row

HANGUL = "힣" * 100              # each syllable folds into three jamo: 300 characters
KANNADA = "ೋ" * 100              # U+0CCB: three characters under NFD, none of them a combining mark
NONCHARACTERS = ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"]
LOOK_ALIKES = ["ab-123", "AB\u200b-123", "\u200bAB-123\u200d", "ＡＢ－１２３", "AB\u00ad-123", "A\u2060B-123"]


class FoldBoundTests(SimpleTestCase):
    def test_no_character_folds_into_more_than_the_growth_the_columns_are_sized_by(self):
        longest = max(len(fold(chr(cp))) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
        self.assertEqual(longest, FOLD_GROWTH)

    def test_every_search_and_sort_column_holds_what_its_name_can_fold_into(self):
        for model, name, search in [(Officer, "full_name", "search_name"), (District, "name", "search_name")]:
            limit = model._meta.get_field(name).max_length
            self.assertGreaterEqual(model._meta.get_field(search).max_length, fold_length(limit))
            self.assertGreaterEqual(model._meta.get_field("sort_key").max_length, sort_key_length(limit))
        self.assertGreaterEqual(CommuneChange._meta.get_field("previous_sort_key").max_length, sort_key_length(100))
        for name in ["a" * 100, "a " * 49 + "a", "9" * 100, "ự" * 100, HANGUL, KANNADA]:
            self.assertLessEqual(len(person_sort_key(name)), sort_key_length(100))
            self.assertLessEqual(len(place_sort_key(name)), sort_key_length(100))
            self.assertLessEqual(len(fold(name)), fold_length(100))


class ExpandingNamesTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)

    def officer_data(self, **fields):
        return {"full_name": "Hồ Thị Lan", "service_number": "HX-001", "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
                "birth_date": "", "ethnicity": "", "party_member_since": "", "home_unit": self.unit.pk,
                "status": "serving", "change_reason": "", **fields}

    def test_a_long_name_in_an_expanding_script_is_saved_through_the_form_and_found(self):
        self.client.force_login(self.editor)
        for number, name in (("HX-001", HANGUL), ("HX-002", KANNADA)):
            response = self.client.post(reverse("manage:officer_add"), self.officer_data(full_name=name,
                                                                                       service_number=number))
            self.assertEqual(response.status_code, 302, response.content[:500])
            officer = Officer.objects.get(service_number=number)
            self.assertEqual(officer.search_name, fold(name))
            self.assertEqual(len(officer.search_name), 300)
            self.assertIn(officer, Officer.objects.search(name[:10]))

    def test_a_long_name_in_an_expanding_script_is_imported_as_previewed(self):
        content = csv_bytes([row("HX-9", name=HANGUL), row("HX-8", name=KANNADA, commune="90002")])
        preview = postings_import(file=content, filename="bo-tri.csv", user=self.admin, dry_run=True)
        self.assertEqual(preview.errors, [])
        result = postings_import(file=content, filename="bo-tri.csv", user=self.admin, dry_run=False)
        self.assertEqual(result.errors, [])
        self.assertEqual(Officer.objects.get(service_number="HX-9").search_name, fold(HANGUL))


class NoncharacterTests(InEnglish, SmallProvinceTestCase):
    def test_the_shared_hygiene_refuses_noncharacters_and_what_xml_cannot_carry(self):
        from django.core.exceptions import ValidationError

        for bad in NONCHARACTERS + ["\ud800"]:
            with self.subTest(char=f"U+{ord(bad):04X}"), self.assertRaises(ValidationError):
                clean_text(f"Nguyễn{bad} An")
        self.assertEqual(clean_text("Nguyễn Văn An"), "Nguyễn Văn An")

    def test_the_officer_form_refuses_them_with_a_message(self):
        unit = Unit.objects.create(province=self.province, district=self.district_a, name="CA A",
                                   kind=UnitKind.DISTRICT_POLICE)
        self.client.force_login(self.editor)
        for bad in NONCHARACTERS:
            with self.subTest(char=f"U+{ord(bad):04X}"):
                response = self.client.post(reverse("manage:officer_add"), {
                    "full_name": f"Hồ Thị{bad} Lan", "service_number": "NC-1", "gender": Gender.FEMALE,
                    "rank": Rank.CAPTAIN, "home_unit": unit.pk, "status": "serving"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "not text")
        self.assertFalse(Officer.objects.filter(service_number="NC-1").exists())

    def test_the_import_refuses_them_cell_by_cell(self):
        # A CSV: openpyxl would write these characters into an XLSX that nothing can read back (the finding).
        result = postings_import(file=csv_bytes([row("NC-2", name="Y\uffffBình"), row("NC-3", name="Y\ufffe")]),
                                 filename="bo-tri.csv", user=self.admin, dry_run=False)
        self.assertEqual({error.row for error in result.errors}, {2, 3})
        self.assertFalse(Officer.objects.filter(service_number__in=["NC-2", "NC-3"]).exists())

    def test_exports_drop_any_already_stored_and_stay_readable(self):
        unit = Unit.objects.create(province=self.province, district=self.district_a, name="CA A",
                                   kind=UnitKind.DISTRICT_POLICE)
        officer = make_officer("Y An", home_unit=unit)
        Officer.objects.filter(pk=officer.pk).update(full_name="Y\uffff An\ufffe", ethnicity="Ba\x0bna")
        self.assertEqual(neutralise("Y\uffff An\ufffe\U0001ffff"), "Y An")
        workbook = load_workbook(io.BytesIO(xlsx_bytes([["name"], ["Y\uffff An"], ["\x01=1+1"]])))
        self.assertEqual([c.value for c in workbook.active["A"]], ["name", "Y An", "'=1+1"])
        self.client.force_login(self.admin)
        response = self.client.get(reverse("officer_list"), {"export": "xlsx", "period": "all"})
        self.assertEqual(response.status_code, 200)
        values = [c.value for r in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in r]
        self.assertIn("Y An", values)


class ServiceNumberKeyTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)
        cls.first = make_officer("Lê Văn Bình", service_number="AB-123", home_unit=cls.unit)

    def test_look_alikes_have_one_key(self):
        for value in LOOK_ALIKES:
            with self.subTest(value=value):
                self.assertEqual(service_number_key(value), "AB-123")
        self.assertEqual(service_number_key("  12 \u00a0 345 "), "12 345")
        self.assertEqual(service_number_key("\ufeffab-123"), "AB-123")
        self.assertEqual(service_number_key(service_number_key("ǅß-1")), service_number_key("ǅß-1"))

    def test_the_form_refuses_a_look_alike_of_a_recorded_number(self):
        self.client.force_login(self.editor)
        for value in LOOK_ALIKES:
            with self.subTest(value=value):
                response = self.client.post(reverse("manage:officer_add"), {
                    "full_name": "Hồ Thị Lan", "service_number": value, "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
                    "home_unit": self.unit.pk, "status": "serving"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, str(SERVICE_NUMBER_UNIQUE.message))
        self.assertEqual(Officer.objects.count(), 1)

    def test_the_form_stores_the_key_and_the_officer_stays_editable(self):
        self.client.force_login(self.editor)
        response = self.client.post(reverse("manage:officer_add"), {
            "full_name": "Hồ Thị Lan", "service_number": "cd\u200b-9", "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
            "home_unit": self.unit.pk, "status": "serving"})
        self.assertEqual(response.status_code, 302)
        officer = Officer.objects.get(full_name="Hồ Thị Lan")
        self.assertEqual(officer.service_number, "CD-9")
        officer.full_clean()  # its own number is not "another officer's"
        self.assertIn(officer, Officer.objects.search("cd-9"))

    def test_a_key_that_no_longer_fits_the_column_is_refused_not_a_server_error(self):
        self.client.force_login(self.editor)
        response = self.client.post(reverse("manage:officer_add"), {
            "full_name": "Hồ Thị Lan", "service_number": "㍱" * 10, "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
            "home_unit": self.unit.pk, "status": "serving"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Officer.objects.count(), 1)

    def test_the_database_refuses_a_look_alike_too(self):
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Officer.objects.create(full_name="Y Hai", service_number="ab\u200b-123", gender=Gender.MALE,
                                   rank=Rank.LIEUTENANT)

    def test_the_import_takes_a_look_alike_for_the_recorded_officer(self):
        # Matched by its key: the row names the recorded officer's number, so another name is refused.
        result = postings_import(file=csv_bytes([row("ab\u200b-123", name="Y Khác")]), filename="bo-tri.csv",
                                 user=self.admin, dry_run=True)
        self.assertIn("Service number AB-123 belongs to Lê Văn Bình.", [error.message for error in result.errors])
        self.assertEqual(Officer.objects.count(), 1)

    def test_the_import_refuses_two_rows_that_give_look_alikes_to_two_names(self):
        result = postings_import(file=csv_bytes([row("xy-1", name="Y Một"), row("XY\u200b-1", name="Y Hai",
                                                                                 commune="90002")]),
                                 filename="bo-tri.csv", user=self.admin, dry_run=False)
        self.assertTrue(result.errors)
        self.assertFalse(Officer.objects.filter(full_name__in=["Y Một", "Y Hai"]).exists())

    def test_the_migration_stores_keys_and_marks_look_alikes_recorded_before(self):
        import importlib

        migration = importlib.import_module("personnel.migrations.0008_service_numbers_stored_as_keys")
        second = make_officer("Y Hai", service_number="T-LOOK")
        third = make_officer("Y Ba", service_number="T-OTHER")
        Officer.objects.filter(pk=second.pk).update(service_number="ab\u200b-123")  # as rows were before the rule
        Officer.objects.filter(pk=third.pk).update(service_number="t-other ")
        migration.store_keys(apps, None)
        numbers = dict(Officer.objects.values_list("pk", "service_number"))
        self.assertEqual(numbers[self.first.pk], "AB-123")
        self.assertEqual(numbers[second.pk], f"AB-123~{second.pk}")
        self.assertEqual(numbers[third.pk], "T-OTHER")
        self.assertEqual(migration.key("ＡＢ－１２３"), service_number_key("ＡＢ－１２３"))  # the copy agrees with the rule
        self.assertTrue(all(unicodedata.is_normalized("NFKC", n) for n in numbers.values()))
