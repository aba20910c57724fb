"""The pipeline's services: each rule refuses with its message and writes nothing; writes raise the data version."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from datacache import current_version, writing
from personnel.choices import OfficerStatus
from personnel.officer_history import Attribute, OfficerChange
from pipeline import services
from pipeline.choices import Result
from pipeline.models import Candidate, Enrolment
from tests.base import D, InEnglish, make_officer
from tests.pipeline.base import PipelineTestCase, candidate, enrol


class CandidateSelectTests(InEnglish, PipelineTestCase):
    def test_a_district_police_selects_for_its_district_in_the_province_of_the_day(self):
        officer = make_officer("Nguyễn Văn Hùng", home_unit=self.police_a)
        version = current_version()
        c = services.candidate_select(officer=officer, selected_by=self.police_a, on=D(2019, 1, 2), decision_number="12/QĐ")
        self.assertEqual((c.district, c.province), (self.district_a, self.province))
        self.assertGreater(current_version(), version)

    def test_an_officer_who_has_left_the_force_cannot_be_selected(self):
        officer = make_officer("Trần Văn Lộc", home_unit=self.police_a)
        OfficerChange.objects.create(officer=officer, attribute=Attribute.STATUS, status=OfficerStatus.SERVING)
        OfficerChange.objects.create(officer=officer, attribute=Attribute.STATUS, status=OfficerStatus.RETIRED,
                                     effective_on=D(2019, 1, 1))
        with self.assertRaisesMessage(ValidationError, "no longer serves in the force on 02/01/2019"):
            services.candidate_select(officer=officer, selected_by=self.police_a, on=D(2019, 1, 2))
        self.assertFalse(Candidate.objects.exists())
        # Before retiring they could have been.
        services.candidate_select(officer=officer, selected_by=self.police_a, on=D(2018, 12, 31))

    def test_an_officer_is_selected_once(self):
        c = candidate("Lê Thị Mai", unit=self.police_a)
        with self.assertRaisesMessage(ValidationError, "Lê Thị Mai was already selected on 10/12/2018"):
            services.candidate_select(officer=c.officer, selected_by=self.police_b, on=D(2019, 2, 1))
        self.assertEqual(Candidate.objects.count(), 1)

    def test_a_selection_in_the_future_or_by_a_unit_gone_is_refused(self):
        officer = make_officer("Hồ Văn Nam")
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with self.assertRaisesMessage(ValidationError, "A selection is dated today"):
            services.candidate_select(officer=officer, selected_by=self.department, on=tomorrow)
        with self.assertRaisesMessage(ValidationError, "Công an huyện A no longer exists on 01/03/2025"):
            services.candidate_select(officer=officer, selected_by=self.police_a, on=D(2025, 3, 1))
        with self.assertRaisesMessage(ValidationError, "Công an huyện A selects for its own district"):
            services.candidate_select(officer=officer, selected_by=self.police_a, on=D(2019, 3, 1), district=self.district_b)
        self.assertFalse(Candidate.objects.exists())

    def test_ready_and_dropping_out_are_dated_after_the_selection(self):
        c = candidate("Vũ Văn Quang", unit=self.police_a)
        with self.assertRaisesMessage(ValidationError, "Ready for posting is dated on or after the selection (10/12/2018)"):
            services.candidate_mark_ready(candidate=c, on=D(2018, 12, 1))
        with self.assertRaisesMessage(ValidationError, "Dropping out is dated on or after the selection"):
            services.candidate_drop(candidate=c, on=D(2018, 11, 1), reason="x")
        c.refresh_from_db()
        self.assertEqual((c.ready_on, c.dropped_on), (None, None))
        services.candidate_mark_ready(candidate=c, on=D(2019, 1, 5), note="Đã qua đào tạo")
        services.candidate_drop(candidate=c, on=D(2019, 6, 1), reason="Chuyển công tác")
        c.refresh_from_db()
        self.assertEqual((c.ready_on, c.dropped_on), (D(2019, 1, 5), D(2019, 6, 1)))
        with self.assertRaisesMessage(ValidationError, "has already dropped out"):
            services.candidate_drop(candidate=c, on=D(2019, 7, 1), reason="x")


class CourseAndResultTests(InEnglish, PipelineTestCase):
    def test_a_course_ends_on_or_after_its_first_day(self):
        with self.assertRaisesMessage(ValidationError, "A course ends on or after the day it starts"):
            services.course_create(name="Lớp", place="P", start_date=D(2019, 5, 2), end_date=D(2019, 5, 1),
                                   organiser=self.department)

    def test_a_result_before_the_course_ends_is_refused_and_a_withdrawal_is_not(self):
        c = candidate("Đặng Văn Sơn", unit=self.police_a)
        enrolment = services.enrolment_add(course=self.course, candidate=c)
        with self.assertRaisesMessage(ValidationError, "on or after the course's last day (15/03/2019)"):
            services.enrolment_result(enrolment=enrolment, result=Result.PASSED, on=D(2019, 3, 14))
        enrolment.refresh_from_db()
        self.assertEqual((enrolment.result, enrolment.result_on), ("", None))
        services.enrolment_result(enrolment=enrolment, result=Result.WITHDRAWN, on=D(2019, 2, 1))
        with self.assertRaisesMessage(ValidationError, "A result is already recorded"):
            services.enrolment_result(enrolment=enrolment, result=Result.PASSED, on=D(2019, 3, 15))

    def test_an_enrolment_is_refused_once_enrolled_after_the_course_or_after_dropping_out(self):
        c = candidate("Bùi Văn Tài", unit=self.police_a)
        enrol(c, self.course)
        with self.assertRaisesMessage(ValidationError, "already enrolled in this course"):
            services.enrolment_add(course=self.course, candidate=c)
        late = candidate("Mai Văn Út", unit=self.police_a, on=D(2019, 4, 1))
        with self.assertRaisesMessage(ValidationError, "selected on 01/04/2019, after the course ended (15/03/2019)"):
            services.enrolment_add(course=self.course, candidate=late)
        gone = candidate("Cao Văn Vĩnh", unit=self.police_a, dropped_on=D(2019, 1, 1))
        with self.assertRaisesMessage(ValidationError, "dropped out on 01/01/2019"):
            services.enrolment_add(course=self.course, candidate=gone)
        self.assertEqual(Enrolment.objects.count(), 1)


class RaceTests(InEnglish, PipelineTestCase):
    def test_a_candidacy_saved_a_moment_before_is_refused_in_the_rules_words(self):
        first = candidate("Ngô Văn Nhanh", unit=self.police_a)
        late = Candidate(officer=first.officer, selected_by=self.police_b, selected_on=D(2019, 2, 1),
                         province=self.province, district=self.district_b)
        # As if the check had passed before the other writer committed: the database refuses, the rule explains.
        with mock.patch.object(Candidate, "full_clean"), \
                self.assertRaisesMessage(ValidationError, "Ngô Văn Nhanh was already selected on 10/12/2018"):
            with writing():
                services._save(late, services.CANDIDATE_RULES)
        self.assertEqual(Candidate.objects.count(), 1)
