"""PreparedQuery: the dashboard's per-commune query compiled once, run with other values, and the same
rows as the ORM gives; a query whose values Django transforms is never swapped into."""

from __future__ import annotations

import datetime

from communes.models import Commune, PartyCell
from personnel.choices import PartyRoleKind, Position
from personnel.coverage import _AREA_ROWS, _BOOLEANS, _area_rows, area_staffing
from personnel.models import PartyRole
from personnel.prepared import PreparedQuery
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting

COLUMNS = ("pk", "district_id", "name_on", "kind_on", "officers_on", "bch_on", "btv_on", "chief_id", "chief_name", *_BOOLEANS)


def row(commune) -> tuple:
    return tuple(bool(getattr(commune, c)) if c in _BOOLEANS else getattr(commune, c) for c in COLUMNS)


class PreparedAreaRowsTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        chief = make_officer("Y Trưởng")
        make_posting(chief, cls.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        make_posting(make_officer("Y Một"), cls.commune_a1, D(2019, 2, 1), D(2019, 5, 31))
        make_posting(make_officer("Y Hai"), cls.commune_b1, D(2019, 3, 1))
        cell = PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(commune=cls.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY, officer=chief,
                                 start_date=D(2019, 2, 1))
        PartyRole.objects.create(commune=cls.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE, officer=chief,
                                 start_date=D(2019, 2, 1))

    def test_the_prepared_rows_are_the_orm_rows_for_every_day_district_and_plan(self):
        for day in (D(2018, 12, 31), D(2019, 2, 15), D(2019, 4, 23), D(2019, 7, 1)):
            for district in (None, self.district_a, self.district_b):
                for plan in (self.plan, None):
                    with self.subTest(day=day, district=district, plan=plan):
                        values = {"province_id": self.province.pk, "district_id": district.pk if district else None,
                                  "as_of": day, "plan_id": plan.pk if plan else None}
                        shape = (district is None, plan is None)
                        prepared = [row(c) for c in _AREA_ROWS.run(shape, **values)]
                        self.assertTrue(_AREA_ROWS.is_prepared(shape))
                        self.assertEqual(prepared, [row(c) for c in _area_rows(**values)])
                        self.assertTrue(prepared)

    def test_the_dashboard_area_reads_through_the_prepared_query(self):
        area = area_staffing(province=self.province, as_of=D(2019, 4, 23), plan=self.plan)
        self.assertTrue(_AREA_ROWS.is_prepared((True, False)))
        a1 = next(c for c in area.communes if c.pk == self.commune_a1.pk)
        self.assertEqual((a1.officers_on, a1.has_cell, a1.has_police_secretary, a1.bch_on, a1.chief_name),
                         (2, True, True, 1, "Y Trưởng"))
        self.assertIs(a1.in_plan, True)

    def test_a_value_the_orm_transforms_is_not_swapped_and_the_rows_stay_right(self):
        def next_day_communes(*, as_of):
            return Commune.objects.exclude(established_on=as_of + datetime.timedelta(days=1))

        query = PreparedQuery(Commune, next_day_communes, {"as_of": datetime.date})
        self.commune_a2.established_on = D(2019, 1, 2)
        self.commune_a2.save()
        rows = query.run(as_of=D(2019, 1, 1))
        self.assertFalse(query.is_prepared())
        self.assertNotIn(self.commune_a2, rows)
        self.assertIn(self.commune_a1, query.run(as_of=D(2019, 1, 1)))

    def test_a_value_of_another_type_goes_through_the_orm(self):
        query = PreparedQuery(Commune, lambda *, code: Commune.objects.filter(code=code), {"code": int})
        self.assertEqual(query.run(code=str(self.commune_b1.code)), [self.commune_b1])
        self.assertFalse(query.is_prepared())
