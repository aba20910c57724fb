"""The state on a day is the row in force on it, in the units of that day; the gap rule; flat query counts."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import Commune, CommuneLineage
from facilities import services
from facilities.choices import HeadquartersState as S
from facilities.gaps import FacilityGap, facility_gaps
from facilities.selectors import NOT_RECORDED, area_facilities, facilities_on, state_counts
from personnel.coverage import area_staffing
from tests.base import D
from tests.facilities.helpers import FacilitiesTestCase


class StateThroughTimeTests(FacilitiesTestCase):
    def test_the_state_on_a_day_is_the_latest_row_on_or_before_it(self):
        a1 = self.commune_a1
        services.headquarters_record(commune=a1, on=D(2019, 1, 10), state=S.BORROWED)
        services.headquarters_record(commune=a1, on=D(2020, 3, 1), state=S.UNDER_CONSTRUCTION,
                                     construction_start=D(2020, 3, 1), completion_date=D(2021, 1, 1))
        services.headquarters_record(commune=a1, on=D(2021, 2, 1), state=S.OWN)
        expected = [(D(2019, 1, 9), NOT_RECORDED), (D(2019, 1, 10), S.BORROWED), (D(2020, 2, 29), S.BORROWED),
                    (D(2020, 3, 1), S.UNDER_CONSTRUCTION), (D(2021, 1, 31), S.UNDER_CONSTRUCTION), (D(2021, 2, 1), S.OWN)]
        for day, state in expected:
            with self.subTest(day=day):
                self.assertEqual(facilities_on([a1], day)[a1.pk].state, state)

    def test_random_histories_agree_with_reading_the_rows_one_by_one(self):
        rng = random.Random(17)
        communes = [self.commune_a1, self.commune_a2, self.commune_b1]
        written = {c.pk: [] for c in communes}
        for commune in communes:
            for day in sorted(rng.sample(range(0, 2000), 4)):
                on = D(2018, 1, 1) + datetime.timedelta(days=day)
                state = rng.choice([S.NONE, S.BORROWED, S.TEMPORARY, S.OWN])
                services.headquarters_record(commune=commune, on=on, state=state)
                written[commune.pk].append((on, state))
        for _ in range(40):
            day = D(2018, 1, 1) + datetime.timedelta(days=rng.randint(-10, 2100))
            found = facilities_on(communes, day)
            for commune in communes:
                before = [state for on, state in written[commune.pk] if on <= day]
                self.assertEqual(found[commune.pk].state, before[-1] if before else NOT_RECORDED, (commune, day))

    def test_an_item_counts_from_its_day_against_the_norm_in_force(self):
        a1 = self.commune_a1
        services.equipment_count_record(commune=a1, item=self.motorbike, on=D(2019, 2, 1), quantity=1)
        services.equipment_count_record(commune=a1, item=self.motorbike, on=D(2019, 6, 1), quantity=2)
        services.equipment_norm_set(province=self.province, item=self.motorbike, on=D(2020, 1, 1), quantity=3)
        lines = {d: {line.item.name: (line.have, line.norm) for line in facilities_on([a1], d)[a1.pk].equipment}
                 for d in (D(2019, 3, 1), D(2019, 6, 1), D(2020, 1, 1))}
        self.assertEqual(lines[D(2019, 3, 1)], {"Xe mô tô": (1, 2), "Máy vi tính": (0, 1)})
        self.assertEqual(lines[D(2019, 6, 1)]["Xe mô tô"], (2, 2))
        self.assertEqual(lines[D(2020, 1, 1)]["Xe mô tô"], (2, 3))

    def test_queries_stay_flat_whatever_the_number_of_communes_and_rows(self):
        def queries(communes):
            with CaptureQueriesContext(connection) as ctx:
                facilities_on(communes, D(2024, 1, 1))
            return len(ctx.captured_queries)

        one = queries([self.commune_a1])
        for commune in (self.commune_a1, self.commune_a2, self.commune_b1, self.ward_b2):
            for year in (2019, 2020, 2021):
                services.headquarters_record(commune=commune, on=D(year, 1, 5), state=S.TEMPORARY)
                services.equipment_count_record(commune=commune, item=self.computer, on=D(year, 1, 5), quantity=1)
        self.assertEqual(queries([self.commune_a1, self.commune_a2, self.commune_b1, self.ward_b2]), one)
        self.assertEqual(one, 3)


class GapRuleTests(FacilitiesTestCase):
    def test_a_commune_without_anything_recorded_has_no_facilities_gap(self):
        self.assertEqual(facilities_on([self.commune_a1], D(2020, 1, 1))[self.commune_a1.pk].gaps, [])

    def test_no_own_headquarters_and_below_the_norm_are_the_two_gaps(self):
        a1 = self.commune_a1
        services.headquarters_record(commune=a1, on=D(2019, 1, 10), state=S.TEMPORARY)
        services.equipment_count_record(commune=a1, item=self.motorbike, on=D(2019, 1, 10), quantity=2)
        row = facilities_on([a1], D(2019, 2, 1))[a1.pk]
        self.assertEqual(facility_gaps(row), [FacilityGap.NO_OWN_HEADQUARTERS, FacilityGap.BELOW_EQUIPMENT_NORM])
        services.headquarters_record(commune=a1, on=D(2019, 3, 1), state=S.OWN)
        services.equipment_count_record(commune=a1, item=self.computer, on=D(2019, 3, 1), quantity=1)
        self.assertEqual(facilities_on([a1], D(2019, 3, 1))[a1.pk].gaps, [])

    def test_facilities_leave_the_coverage_figures_unchanged(self):
        before = area_staffing(province=self.province, as_of=D(2019, 5, 1)).figures
        services.headquarters_record(commune=self.commune_a1, on=D(2019, 1, 10), state=S.NONE)
        services.equipment_count_record(commune=self.commune_a2, item=self.motorbike, on=D(2019, 1, 10), quantity=0)
        self.assertEqual(area_staffing(province=self.province, as_of=D(2019, 5, 1)).figures, before)


class NewUnitsTests(FacilitiesTestCase):
    """On 01/07/2025 two old communes merge: their rows stay theirs; the new unit starts with its own."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.new = Commune.objects.create(code=90001 + 900, name="Xã Đắk Pét Mới", province=cls.province,
                                         former_district=cls.district_a, established_on=D(2025, 7, 1))
        for old in (cls.commune_a1, cls.commune_a2):
            old.abolished_on = D(2025, 7, 1)
            old.save()
            CommuneLineage.objects.create(predecessor=old, successor=cls.new, effective_on=D(2025, 7, 1))
        services.headquarters_record(commune=cls.commune_a1, on=D(2019, 1, 10), state=S.OWN)
        services.headquarters_record(commune=cls.new, on=D(2025, 7, 1), state=S.TEMPORARY)

    def test_each_day_lists_the_units_of_that_day_with_their_own_rows(self):
        on_eve = {r.commune.pk: r.state for r in area_facilities(province=self.province, as_of=D(2025, 6, 30))}
        on_day = {r.commune.pk: r.state for r in area_facilities(province=self.province, as_of=D(2025, 7, 1))}
        self.assertEqual(on_eve[self.commune_a1.pk], S.OWN)
        self.assertNotIn(self.new.pk, on_eve)
        self.assertEqual(on_day[self.new.pk], S.TEMPORARY)
        self.assertNotIn(self.commune_a1.pk, on_day)

    def test_a_row_outside_its_communes_life_is_refused(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.headquarters_record(commune=self.commune_a2, on=D(2025, 7, 1), state=S.OWN)
        with self.assertRaises(ValidationError):
            services.headquarters_record(commune=self.new, on=D(2025, 6, 30), state=S.OWN)

    def test_state_counts_cover_every_commune_of_the_day(self):
        rows = area_facilities(province=self.province, as_of=D(2025, 7, 1))
        self.assertEqual(sum(n for _state, n in state_counts(rows)), len(rows))
