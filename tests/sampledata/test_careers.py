"""The demo's careers: promotions from 2018 to today, retirements dated, written through the services."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from personnel.choices import OfficerStatus
from personnel.models import Officer, OfficerChange, Posting
from personnel.officer_history import Attribute, attributes_on
from sampledata import careers
from sampledata.pilot import REVIEW_DAY
from tests import demo


class DemoCareersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_pilot()

    def test_promotions_run_from_2018_to_today_and_none_later(self):
        dated = OfficerChange.objects.filter(attribute=Attribute.RANK, effective_on__isnull=False)
        years = set(dated.values_list("effective_on__year", flat=True))
        self.assertLessEqual(set(range(2018, timezone.localdate().year)), years)
        self.assertFalse(dated.filter(effective_on__gt=timezone.localdate()).exists())
        self.assertFalse(dated.filter(decision_date__gt=timezone.localdate()).exists())

    def test_each_promotion_is_one_step_up_from_the_rank_before(self):
        for officer in Officer.objects.filter(changes__attribute=Attribute.RANK).distinct()[:80]:
            ranks = [c.rank for c in officer.changes.filter(attribute=Attribute.RANK).order_by("effective_on")]
            ranks = sorted(ranks, key=lambda r: r)  # values sort in rank order
            with self.subTest(officer=officer.full_name):
                self.assertEqual(len(set(ranks)), len(ranks))
                self.assertEqual(careers.LADDER[careers.LADDER.index(ranks[0]):][:len(ranks)], ranks)

    def test_a_retired_officer_was_serving_while_posted_and_retired_from_the_day_after(self):
        retired = Officer.objects.filter(status=OfficerStatus.RETIRED)
        self.assertGreater(retired.count(), 0)
        for officer in retired:
            last = Posting.objects.filter(officer=officer).order_by("-start_date").first()
            with self.subTest(officer=officer.full_name):
                on_day = Officer.objects.annotate(**attributes_on(last.end_date)).get(pk=officer.pk)
                after = Officer.objects.annotate(**attributes_on(last.end_date + datetime.timedelta(days=1))).get(pk=officer.pk)
                self.assertEqual((on_day.status_on, after.status_on), (OfficerStatus.SERVING, OfficerStatus.RETIRED))

    def test_the_changes_have_history_rows_with_the_demo_reason(self):
        change = OfficerChange.objects.filter(effective_on__isnull=False).first()
        self.assertEqual(change.history.first().history_change_reason, careers.CHANGE_REASON)

    def test_officers_in_post_on_the_review_day_are_all_serving_then(self):
        held = Posting.objects.open_on(REVIEW_DAY).values("officer_id")
        statuses = set(Officer.objects.filter(pk__in=held).annotate(**attributes_on(REVIEW_DAY)).values_list("status_on", flat=True))
        self.assertEqual(statuses, {OfficerStatus.SERVING})

    def test_no_one_holds_a_posting_or_role_after_leaving_the_force(self):
        from communes.periods import TERM
        from personnel.models import PartyRole
        from personnel.officer_history import NOT_SERVING

        for change in OfficerChange.objects.filter(attribute=Attribute.STATUS, status__in=NOT_SERVING, effective_on__isnull=False):
            with self.subTest(officer=change.officer.full_name):
                after = TERM.overlapping(change.effective_on, None)
                self.assertFalse(Posting.objects.filter(after, officer=change.officer_id).exists())
                self.assertFalse(PartyRole.objects.filter(after, officer=change.officer_id).exists())
