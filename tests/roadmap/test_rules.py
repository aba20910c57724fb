"""The roadmap's rules (roadmap/rules.py): asked by the services, refused in the rule's words, nothing written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communes.models import Commune, District
from personnel.models import Plan
from roadmap import services
from roadmap.models import Milestone
from tests.base import D, InEnglish, SmallProvinceTestCase

JANUARY_END = D(2019, 1, 31)


def add(plan, district=None, due=JANUARY_END, communes=1, officers=3, note=""):
    return services.milestone_add(plan=plan, district=district, due_on=due, communes_target=communes,
                                  officers_target=officers, note=note)


class MilestoneRuleTests(InEnglish, SmallProvinceTestCase):
    def refused(self, field: str, text: str, **kwargs) -> None:
        before = Milestone.objects.count()
        with self.assertRaises(ValidationError) as raised:
            add(self.plan, **kwargs)
        self.assertIn(text, " ".join(raised.exception.message_dict.get(field, [])))
        self.assertEqual(Milestone.objects.count(), before)

    def test_a_milestone_in_the_plans_time_and_area_is_written(self):
        milestone = add(self.plan, self.district_a, communes=2, officers=4)
        self.assertEqual((milestone.district, milestone.communes_target, milestone.officers_target), (self.district_a, 2, 4))

    def test_a_due_date_before_the_plan_was_issued_is_refused(self):
        self.refused("due_on", "before the plan was issued (12/10/2018)", due=D(2018, 10, 11))

    def test_the_communes_target_cannot_pass_the_communes_the_plan_lists_in_the_area(self):
        # District A: two communes of the plan; the province: three (the ward is not in the plan).
        self.refused("communes_target", "more than the 2 communes", district=self.district_a, communes=3)
        self.refused("communes_target", "more than the 3 communes", communes=4)
        self.assertEqual(add(self.plan, communes=3).communes_target, 3)

    def test_a_district_of_another_province_is_refused(self):
        other = District.objects.create(code=9301, name="Huyện Nơi Khác", province=self._other_province())
        self.refused("district", "is not a district of Tỉnh Thử Nghiệm", district=other)

    def test_a_plan_of_the_two_tier_units_takes_only_milestones_for_the_whole_province(self):
        ended = District.objects.create(code=9103, name="Huyện Đã Giải Thể", province=self.province,
                                        abolished_on=D(2025, 7, 1))
        Commune.objects.create(code=90005, name="Xã Mới", province=self.province, former_district=ended)
        later = Plan.objects.create(province=self.province, number="2/KH-TEST", title="Sau sắp xếp", issued_on=D(2025, 7, 15))
        later.communes.set(Commune.objects.filter(code=90005))
        with self.assertRaises(ValidationError) as raised:
            add(later, ended, due=D(2025, 9, 30))
        self.assertIn("since 01/07/2025 there are no districts", raised.exception.message_dict["district"][0])
        self.assertEqual(add(later, due=D(2025, 9, 30)).district, None)

    def test_one_area_has_one_milestone_a_day_but_the_province_and_a_district_may_share_a_day(self):
        add(self.plan)
        add(self.plan, self.district_a)
        add(self.plan, self.district_b)
        self.refused("due_on", "already has a milestone for Tỉnh Thử Nghiệm on 31/01/2019")
        self.refused("due_on", "already has a milestone for Huyện Đắk Glei Thử on 31/01/2019", district=self.district_a)

    def test_a_milestone_needs_a_target(self):
        self.refused("__all__", "Give a target", communes=0, officers=0)

    def test_the_database_refuses_what_a_form_forgot(self):
        Milestone.objects.create(plan=self.plan, due_on=D(2019, 1, 31), communes_target=1, officers_target=0)
        for fields in ({"communes_target": 1, "officers_target": 0},  # the province's, again on one day
                       {"communes_target": 0, "officers_target": 0, "due_on": D(2019, 2, 28)}):  # no target
            with self.subTest(fields=fields), self.assertRaises(IntegrityError), transaction.atomic():
                Milestone.objects.create(plan=self.plan, **{"due_on": D(2019, 1, 31), **fields})

    def test_a_correction_keeps_the_same_rules_and_changes_nothing_when_refused(self):
        first = add(self.plan, due=D(2019, 1, 31))
        add(self.plan, due=D(2019, 3, 31), communes=3)
        with self.assertRaises(ValidationError):
            services.milestone_correct(milestone=first, district=None, due_on=D(2019, 3, 31), communes_target=2,
                                       officers_target=3)
        first.refresh_from_db()
        self.assertEqual((first.due_on, first.communes_target), (D(2019, 1, 31), 1))
        corrected = services.milestone_correct(milestone=first, district=None, due_on=D(2019, 2, 28),
                                               communes_target=2, officers_target=3)
        self.assertEqual((corrected.due_on, corrected.communes_target), (D(2019, 2, 28), 2))
        self.assertEqual(corrected.history.count(), 2)

    def _other_province(self):
        from communes.models import Province

        return Province.objects.create(code=9003, name="Tỉnh Bên Cạnh")


class MilestoneWritesRaiseTheDataVersionTests(SmallProvinceTestCase):
    def test_every_write_raises_the_data_version_so_no_cached_dashboard_outlives_it(self):
        import datacache

        before = datacache.current_version()
        milestone = add(self.plan)
        self.assertGreater(datacache.current_version(), before)
        before = datacache.current_version()
        services.milestone_correct(milestone=milestone, district=None, due_on=D(2019, 2, 28), communes_target=2,
                                   officers_target=0)
        self.assertGreater(datacache.current_version(), before)
        before = datacache.current_version()
        services.milestone_delete(milestone=milestone)
        self.assertGreater(datacache.current_version(), before)
