"""The list filters offer places from the user's scope, narrowed to what was chosen: a national user
picks a province before its districts, communes and units are offered (never the country's 10,000
communes in one list), and look-alike commune names say their district; the ethnicities of the officers in
scope, read for a national user by a loose scan of their index, in the order and with the values DISTINCT gives."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from communes.models import Commune, District, Province
from personnel.access import scope_for
from personnel.choices import UnitKind
from personnel.models import Officer, Unit
from personnel.web.filters import ethnicity_choices
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting


def offered(response, name: str) -> list[str]:
    """The labels a filter's select offers (without its empty choice)."""
    field = response.context["filter"].form.fields[name]
    return [str(label) for value, label in field.choices if value != ""]


class FilterChoicesTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = Province.objects.create(code=9002, name="Tỉnh Khác")
        cls.other_district = District.objects.create(code=9201, name="Huyện Khác", province=cls.other)
        cls.other_commune = Commune.objects.create(code=92001, name="Xã Đăk Pét", district=cls.other_district)
        Unit.objects.create(province=cls.other, name="Công an huyện Khác", kind=UnitKind.DISTRICT_POLICE)
        Unit.objects.create(province=cls.province, name="Công an huyện Thử", kind=UnitKind.DISTRICT_POLICE)
        cls.national = get_user_model().objects.create_superuser("national", password="pw-national-123")
        make_posting(make_officer("Y Ở Đây"), cls.commune_a1, D(2019, 1, 1))
        make_posting(make_officer("Y Ở Kia"), cls.other_commune, D(2019, 1, 1))

    def test_a_national_user_chooses_a_province_before_its_places_are_offered(self):
        self.client.force_login(self.national)
        response = self.client.get("/officers/")
        self.assertEqual(offered(response, "province"), ["Tỉnh Khác", "Tỉnh Thử Nghiệm"])
        self.assertEqual((offered(response, "district"), offered(response, "commune"), offered(response, "unit")), ([], [], []))
        self.assertContains(response, "choose a province first")

        response = self.client.get("/officers/", {"province": self.other.code})
        self.assertEqual(offered(response, "district"), ["Huyện Khác"])
        self.assertEqual(offered(response, "commune"), ["Xã Đăk Pét"])
        self.assertEqual(offered(response, "unit"), ["Công an huyện Khác"])
        self.assertEqual([o.full_name for o in response.context["table"].data], ["Y Ở Kia"])

    def test_a_district_in_the_address_implies_its_province(self):
        self.client.force_login(self.national)
        response = self.client.get("/officers/", {"district": self.district_a.code})
        self.assertEqual(offered(response, "district"), ["Huyện Đắk Glei Thử", "Huyện Ia H'Drai Thử"])
        self.assertEqual(offered(response, "commune"), ["Xã Đắk Pét", "Xã Mường Hoong"])
        self.assertEqual([o.full_name for o in response.context["table"].data], ["Y Ở Đây"])

    def test_a_province_user_sees_no_province_filter_and_only_their_places(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/postings/")
        self.assertNotIn("province", response.context["filter"].form.fields)
        self.assertEqual(offered(response, "district"), ["Huyện Đắk Glei Thử", "Huyện Ia H'Drai Thử"])
        self.assertNotIn("Xã Đăk Pét", offered(response, "commune"))
        response = self.client.get("/postings/", {"district": self.other_district.code})
        self.assertTrue(response.context["filter"].form.errors["district"])
        self.assertNotIn(self.other_commune, [p.commune for p in response.context["table"].data])

    def test_look_alike_commune_names_say_their_district(self):
        Commune.objects.create(code=90005, name="Xã Đăk Pét", district=self.district_b)
        self.client.force_login(self.viewer)
        communes = offered(self.client.get("/officers/"), "commune")
        self.assertIn("Xã Đắk Pét (Huyện Đắk Glei Thử)", communes)
        self.assertIn("Xã Đăk Pét (Huyện Ia H'Drai Thử)", communes)
        self.assertIn("Xã Mường Hoong", communes)

    def test_a_place_outside_the_choices_is_refused_with_a_message(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/officers/", {"commune": self.other_commune.code})
        self.assertTrue(response.context["filter"].form.errors["commune"])


ETHNICITIES = ["Xơ Đăng", "Kinh", "Ba Na", "", "Kinh", "Giẻ Triêng", "Ê Đê", "Brâu", "Gia Rai"]


class EthnicityChoicesTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        unit = Unit.objects.create(province=cls.province, name="Công an huyện Thử", kind=UnitKind.DISTRICT_POLICE)
        for i, ethnicity in enumerate(ETHNICITIES):
            make_posting(make_officer(f"Y Thử {i}", ethnicity=ethnicity, home_unit=unit), cls.commune_a1, D(2019, 1, 1))
        make_officer("Y Ngoài", ethnicity="Rơ Măm")  # no unit, no posting: no province's

    def test_a_national_user_is_offered_every_value_once_in_the_databases_order_in_one_query(self):
        expected = [e for e in Officer.objects.order_by("ethnicity").values_list("ethnicity", flat=True).distinct() if e]
        self.assertIn("Rơ Măm", expected)
        scope_for(self.national_admin)  # read once per request, before the filters
        with self.assertNumQueries(1):
            offered = ethnicity_choices(self.national_admin)
        self.assertEqual(offered, [(e, e) for e in expected])

    def test_a_province_user_is_offered_their_officers_values(self):
        offered = [value for value, _label in ethnicity_choices(self.viewer)]
        self.assertEqual(sorted(offered), sorted({e for e in ETHNICITIES if e}))
        self.assertNotIn("Rơ Măm", offered)
