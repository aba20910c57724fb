"""Each facilities rule refuses with its message and writes nothing (services, and the database's constraints)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from facilities import rules, services
from facilities.choices import HeadquartersState as S
from facilities.models import EquipmentCount, EquipmentNorm, HeadquartersRecord
from tests.base import D, InEnglish
from tests.facilities.helpers import FacilitiesTestCase


class RuleTests(InEnglish, FacilitiesTestCase):
    def refused(self, rule, write) -> None:
        before = (HeadquartersRecord.objects.count(), EquipmentCount.objects.count(), EquipmentNorm.objects.count())
        with self.assertRaises(ValidationError) as caught:
            write()
        self.assertIn(rule.code, [e.code for errors in caught.exception.error_dict.values() for e in errors])
        after = (HeadquartersRecord.objects.count(), EquipmentCount.objects.count(), EquipmentNorm.objects.count())
        self.assertEqual(after, before)

    def test_completion_before_the_start_is_refused(self):
        self.refused(rules.HQ_COMPLETION_AFTER_START, lambda: services.headquarters_record(
            commune=self.commune_a1, on=D(2020, 1, 1), state=S.UNDER_CONSTRUCTION,
            construction_start=D(2020, 1, 1), completion_date=D(2019, 12, 31)))

    def test_construction_needs_its_start(self):
        self.refused(rules.HQ_CONSTRUCTION_HAS_START, lambda: services.headquarters_record(
            commune=self.commune_a1, on=D(2020, 1, 1), state=S.UNDER_CONSTRUCTION))

    def test_future_days_are_refused(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.refused(rules.HQ_NOT_IN_FUTURE, lambda: services.headquarters_record(
            commune=self.commune_a1, on=tomorrow, state=S.OWN))
        self.refused(rules.COUNT_NOT_IN_FUTURE, lambda: services.equipment_count_record(
            commune=self.commune_a1, item=self.motorbike, on=tomorrow, quantity=1))
        self.refused(rules.NORM_NOT_IN_FUTURE, lambda: services.equipment_norm_set(
            province=self.province, item=self.motorbike, on=tomorrow, quantity=1))
        self.refused(rules.HQ_ACTUAL_COMPLETION_NOT_IN_FUTURE, lambda: services.headquarters_record(
            commune=self.commune_a1, on=D(2020, 1, 1), state=S.OWN, construction_start=D(2019, 1, 1),
            completion_date=tomorrow, completion_actual=True))

    def test_a_planned_completion_may_lie_ahead(self):
        ahead = timezone.localdate() + datetime.timedelta(days=200)
        record = services.headquarters_record(commune=self.commune_a1, on=D(2020, 1, 1), state=S.UNDER_CONSTRUCTION,
                                              construction_start=D(2020, 1, 1), completion_date=ahead)
        self.assertFalse(record.completion_actual)

    def test_negative_counts_norms_areas_and_costs_are_refused(self):
        self.refused(rules.COUNT_NOT_NEGATIVE, lambda: services.equipment_count_record(
            commune=self.commune_a1, item=self.motorbike, on=D(2020, 1, 1), quantity=-1))
        self.refused(rules.NORM_NOT_NEGATIVE, lambda: services.equipment_norm_set(
            province=self.province, item=self.motorbike, on=D(2020, 1, 1), quantity=-2))
        self.refused(rules.HQ_AREA_POSITIVE, lambda: services.headquarters_record(
            commune=self.commune_a1, on=D(2020, 1, 1), state=S.OWN, floor_area=0))
        self.refused(rules.HQ_COST_NOT_NEGATIVE, lambda: services.headquarters_record(
            commune=self.commune_a1, on=D(2020, 1, 1), state=S.OWN, cost=-5))

    def test_two_rows_on_one_day_are_refused_with_the_days_message(self):
        services.headquarters_record(commune=self.commune_a1, on=D(2020, 1, 1), state=S.BORROWED)
        with self.assertRaisesMessage(ValidationError, "already has a headquarters state recorded from 01/01/2020"):
            services.headquarters_record(commune=self.commune_a1, on=D(2020, 1, 1), state=S.OWN)

    def test_the_database_refuses_what_slips_past_the_forms(self):
        for row in (EquipmentCount(commune=self.commune_a1, item=self.motorbike, effective_on=D(2020, 1, 1), quantity=-1),
                    HeadquartersRecord(commune=self.commune_a1, effective_on=D(2020, 1, 1), state=S.UNDER_CONSTRUCTION),
                    HeadquartersRecord(commune=self.commune_a1, effective_on=D(2020, 1, 2), state=S.OWN,
                                       construction_start=D(2020, 1, 1), completion_date=D(2019, 1, 1))):
            with self.subTest(row=row), self.assertRaises(IntegrityError), transaction.atomic():
                row.save()
