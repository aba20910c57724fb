"""What the lists' filters offer (personnel/web/filters.py): the ethnicities of the officers in scope, read for a
national user by a loose scan of their index, in the order and with the values DISTINCT gives."""

from __future__ import annotations

from personnel.access import scope_for
from personnel.choices import UnitKind
from personnel.models import Officer, Unit
from personnel.web.filters import ethnicity_choices
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting

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
