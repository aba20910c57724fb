"""Hostile input (hypothesis) against the pipeline's forms: never a server error, a message naming what is wrong,
nothing written."""

from __future__ import annotations

from hypothesis import given
from hypothesis.extra.django import TestCase as HypothesisTestCase

from pipeline.models import Candidate, Course, Enrolment
from tests.base import make_officer
from tests.lean import UnrecordedTemplates
from tests.pipeline.base import PipelineTestCase, candidate, enrol
from tests.prod.fuzz import REJECTED_TEXT, fuzz_settings, hostile_date, hostile_text

COURSE = {"name": "Lớp khóa III", "place": "Trung tâm", "start_date": "01/06/2019", "end_date": "30/06/2019"}


def written() -> tuple[int, int, int]:
    return Candidate.objects.count(), Course.objects.count(), Enrolment.objects.count()


class PipelineFormFuzzTests(UnrecordedTemplates, HypothesisTestCase, PipelineTestCase):
    def setup_example(self):
        # hypothesis gives each example a fresh transaction and a fresh client: log in again.
        super().setup_example()
        self.client.force_login(self.admin)

    def refused(self, url: str, data: dict) -> None:
        before = (written(), list(Candidate.objects.values_list("ready_on", "dropped_on", "drop_reason")))
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200, data)
        self.assertContains(response, "form-errors")
        self.assertEqual((written(), list(Candidate.objects.values_list("ready_on", "dropped_on", "drop_reason"))), before)

    @fuzz_settings
    @given(value=hostile_text(must_reject=True))
    def test_the_course_form_refuses_hostile_text(self, value):
        for field in ("name", "place"):
            self.refused("/pipeline/courses/add/", {**COURSE, "organiser": self.department.pk, field: value})

    @fuzz_settings
    @given(value=hostile_date())
    def test_the_forms_refuse_impossible_dates_or_survive_them(self, value):
        officer = make_officer("Nguyễn Văn Thử", home_unit=self.police_a)
        before = written()
        response = self.client.post("/pipeline/candidates/add/", {
            "officer": officer.pk, "selected_by": self.police_a.pk, "selected_on": value})
        self.assertLess(response.status_code, 500)
        if response.status_code == 200:
            self.assertContains(response, "form-errors")
            self.assertEqual(written(), before)

    def test_the_select_drop_and_result_forms_refuse_formulas_and_markup(self):
        self.client.force_login(self.admin)
        c = candidate("Trần Văn Kiểm", unit=self.police_a)
        enrolment = enrol(c, self.course)
        officer = make_officer("Lê Văn Mới", home_unit=self.police_a)
        for value in REJECTED_TEXT:
            with self.subTest(value=value[:20]):
                self.refused("/pipeline/candidates/add/", {"officer": officer.pk, "selected_by": self.police_a.pk,
                                                           "selected_on": "02/01/2019", "decision_number": value})
                self.refused(f"/pipeline/candidates/{c.pk}/drop/", {"dropped_on": "01/02/2019", "drop_reason": value})
                self.refused(f"/pipeline/candidates/{c.pk}/ready/", {"ready_on": "01/02/2019", "ready_note": value})
                self.refused(f"/pipeline/enrolments/{enrolment.pk}/result/", {"result": value, "result_on": "15/03/2019"})
