"""A candidate's stage on a day comes from the dated facts only (pipeline/stages.py): scenarios, and random
histories held equal to the rules in words, where events dated after the day never change the day."""

from __future__ import annotations

import datetime
import random

from personnel.choices import OfficerStatus
from personnel.models import Posting
from personnel.officer_history import Attribute, OfficerChange
from pipeline.choices import Result, Stage
from pipeline.models import Candidate, Course, Enrolment
from pipeline.stages import with_stage
from tests.base import D, make_posting
from tests.pipeline.base import PipelineTestCase, candidate, enrol


def stage_of(c: Candidate, day: datetime.date) -> str | None:
    return with_stage(Candidate.objects.filter(pk=c.pk), day).values_list("stage", flat=True).first()


class StageScenarioTests(PipelineTestCase):
    def test_a_candidate_goes_from_selected_to_training_to_waiting_to_posted(self):
        c = candidate("Nguyễn Văn Bình", unit=self.police_a)
        enrol(c, self.course, Result.PASSED, D(2019, 3, 15))
        make_posting(c.officer, self.commune_a1, D(2019, 5, 2))
        self.assertIsNone(stage_of(c, D(2018, 12, 9)))
        self.assertEqual(stage_of(c, D(2018, 12, 10)), Stage.SELECTED)
        self.assertEqual(stage_of(c, D(2019, 1, 7)), Stage.IN_TRAINING)
        self.assertEqual(stage_of(c, D(2019, 3, 14)), Stage.IN_TRAINING)
        self.assertEqual(stage_of(c, D(2019, 3, 15)), Stage.READY)
        self.assertEqual(stage_of(c, D(2019, 5, 1)), Stage.READY)
        self.assertEqual(stage_of(c, D(2019, 5, 2)), Stage.POSTED)

    def test_ready_since_is_the_first_of_the_course_passed_and_the_declared_day(self):
        c = candidate("Trần Thị Hoa", unit=self.police_a, ready_on=D(2019, 2, 1))
        enrol(c, self.course, Result.PASSED, D(2019, 3, 15))
        row = with_stage(Candidate.objects.filter(pk=c.pk), D(2019, 4, 23)).get()
        self.assertEqual((row.stage, row.ready_since, row.ready_course), (Stage.READY, D(2019, 2, 1), self.course.name))
        row = with_stage(Candidate.objects.filter(pk=c.pk), D(2019, 2, 10)).get()
        self.assertEqual((row.ready_since, row.ready_course), (D(2019, 2, 1), None))

    def test_failing_or_withdrawing_returns_a_candidate_to_selected(self):
        failed = candidate("A Kim", unit=self.police_b)
        enrol(failed, self.course, Result.FAILED, D(2019, 3, 15))
        gone = candidate("Y Hằng", unit=self.police_b)
        enrol(gone, self.course, Result.WITHDRAWN, D(2019, 2, 1))
        self.assertEqual(stage_of(failed, D(2019, 3, 16)), Stage.SELECTED)
        self.assertEqual(stage_of(gone, D(2019, 1, 31)), Stage.IN_TRAINING)
        self.assertEqual(stage_of(gone, D(2019, 2, 1)), Stage.SELECTED)

    def test_an_officer_who_leaves_the_force_drops_out_from_that_day(self):
        c = candidate("Lê Văn Tâm", unit=self.police_a)
        enrol(c, self.course, Result.PASSED, D(2019, 3, 15))
        OfficerChange.objects.create(officer=c.officer, attribute=Attribute.STATUS, status=OfficerStatus.SERVING)
        OfficerChange.objects.create(officer=c.officer, attribute=Attribute.STATUS, status=OfficerStatus.LEFT,
                                     effective_on=D(2019, 6, 1))
        self.assertEqual(stage_of(c, D(2019, 5, 31)), Stage.READY)
        self.assertEqual(stage_of(c, D(2019, 6, 1)), Stage.DROPPED)

    def test_dropping_out_counts_from_its_day_and_a_posting_ended_returns_to_waiting(self):
        c = candidate("Phạm Minh Đức", unit=self.police_a, ready_on=D(2019, 1, 2), dropped_on=D(2019, 9, 1))
        make_posting(c.officer, self.commune_a2, D(2019, 3, 1), D(2019, 4, 30))
        self.assertEqual(stage_of(c, D(2019, 4, 30)), Stage.POSTED)
        self.assertEqual(stage_of(c, D(2019, 5, 1)), Stage.READY)
        self.assertEqual(stage_of(c, D(2019, 9, 1)), Stage.DROPPED)


def _oracle(c: Candidate, enrolments: list[Enrolment], postings: list[Posting], day: datetime.date) -> str | None:
    """The stage in the words of pipeline/stages.py's docstring, on the rows in Python."""
    if c.selected_on > day:
        return None
    if any(p.start_date <= day and (p.end_date is None or p.end_date >= day) for p in postings):
        return Stage.POSTED
    if c.dropped_on is not None and c.dropped_on <= day:
        return Stage.DROPPED
    if (c.ready_on is not None and c.ready_on <= day) or any(
            e.result == Result.PASSED and e.result_on <= day for e in enrolments):
        return Stage.READY
    if any(e.course.start_date <= day <= e.course.end_date
           and not (e.result in (Result.FAILED, Result.WITHDRAWN) and e.result_on <= day) for e in enrolments):
        return Stage.IN_TRAINING
    return Stage.SELECTED


class RandomHistoryTests(PipelineTestCase):
    def _history(self, rng: random.Random, i: int) -> Candidate:
        start = D(2018, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        c = candidate(f"Cán Bộ Ngẫu Nhiên {i}", unit=rng.choice([self.police_a, self.police_b]), on=start)
        day = start
        for _k in range(rng.randrange(3)):
            day += datetime.timedelta(days=rng.randrange(1, 60))
            course = Course.objects.create(province=self.province, name=f"Lớp {i}-{_k}", place="P", start_date=day,
                                           end_date=day + datetime.timedelta(days=rng.randrange(0, 50)), organiser=self.department)
            result = rng.choice(["", Result.PASSED, Result.FAILED, Result.WITHDRAWN])
            on = None
            if result:
                earliest = course.end_date if result != Result.WITHDRAWN else max(start, course.start_date)
                on = earliest + datetime.timedelta(days=rng.randrange(0, 10))
            enrol(c, course, result, on)
            day = course.end_date
        if rng.random() < 0.3:
            c.ready_on = start + datetime.timedelta(days=rng.randrange(400))
        if rng.random() < 0.2:
            c.dropped_on = start + datetime.timedelta(days=rng.randrange(600))
        c.save()
        if rng.random() < 0.6:
            first = start + datetime.timedelta(days=rng.randrange(500))
            make_posting(c.officer, self.commune_b1, first, first + datetime.timedelta(days=rng.randrange(300))
                         if rng.random() < 0.5 else None)
        return c

    def test_the_stage_is_the_rules_in_words_on_random_histories_and_days(self):
        rng = random.Random(17)
        candidates = [self._history(rng, i) for i in range(40)]
        days = [D(2018, 1, 1) + datetime.timedelta(days=rng.randrange(1500)) for _ in range(12)]
        for day in days:
            got = dict(with_stage(Candidate.objects.all(), day).values_list("pk", "stage"))
            # The counts' lean variant (details=False) gives each candidate the same stage.
            self.assertEqual(dict(with_stage(Candidate.objects.all(), day, details=False).values_list("pk", "stage")),
                             got)
            for c in candidates:
                c.refresh_from_db()
                expected = _oracle(c, list(c.enrolments.select_related("course")), list(c.officer.postings.all()), day)
                with self.subTest(candidate=c.pk, day=day):
                    self.assertEqual(got.get(c.pk), expected)

    def test_events_dated_after_the_day_never_change_the_day(self):
        rng = random.Random(2019)
        candidates = [self._history(rng, i) for i in range(30)]
        days = [D(2018, 6, 1) + datetime.timedelta(days=rng.randrange(900)) for _ in range(6)]
        before = {day: list(with_stage(Candidate.objects.all(), day).values_list("pk", "stage", "ready_since"))
                  for day in days}
        later = D(2024, 1, 1)  # after every day looked at, every selection and every posting's start
        for c in candidates:  # every kind of fact, dated after every day looked at
            course = Course.objects.create(province=self.province, name=f"Lớp sau {c.pk}", place="P", start_date=later,
                                           end_date=later + datetime.timedelta(days=20), organiser=self.department)
            enrol(c, course, Result.PASSED, later + datetime.timedelta(days=20))
            if c.ready_on is None:
                c.ready_on = later
            if c.dropped_on is None:
                c.dropped_on = later + datetime.timedelta(days=30)
            c.save()
            if not c.officer.postings.filter(end_date__isnull=True).exists():
                make_posting(c.officer, self.commune_a1, later + datetime.timedelta(days=60))
            OfficerChange.objects.get_or_create(officer=c.officer, attribute=Attribute.STATUS, effective_on=None,
                                                defaults={"status": OfficerStatus.SERVING})
            OfficerChange.objects.create(officer=c.officer, attribute=Attribute.STATUS, status=OfficerStatus.RETIRED,
                                         effective_on=later + datetime.timedelta(days=90))
        for day in days:
            with self.subTest(day=day):
                self.assertEqual(list(with_stage(Candidate.objects.all(), day).values_list("pk", "stage", "ready_since")),
                                 before[day])
