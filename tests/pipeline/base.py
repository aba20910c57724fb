"""Shared data of the pipeline's tests: the small province of tests/base.py with its police units and a course."""

from __future__ import annotations

from personnel.choices import UnitKind
from personnel.models import Unit
from pipeline.models import Candidate, Course, Enrolment
from tests.base import D, SmallProvinceTestCase, make_officer


class PipelineTestCase(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(province=cls.province, name="Phòng Tổ chức cán bộ", short_name="PX01",
                                              kind=UnitKind.DEPARTMENT)
        cls.police_a = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                           kind=UnitKind.DISTRICT_POLICE)
        cls.police_b = Unit.objects.create(province=cls.province, district=cls.district_b, name="Công an huyện B",
                                           kind=UnitKind.DISTRICT_POLICE)
        cls.course = Course.objects.create(province=cls.province, name="Lớp bồi dưỡng khóa I", place="Trung tâm huấn luyện",
                                           start_date=D(2019, 1, 7), end_date=D(2019, 3, 15), organiser=cls.department)


SELECTED_ON = D(2018, 12, 10)


def candidate(name: str, *, unit: Unit, on=SELECTED_ON, district=None, **fields) -> Candidate:
    officer = make_officer(name, home_unit=unit)
    return Candidate.objects.create(officer=officer, selected_by=unit, selected_on=on, province=unit.province,
                                    district=district if district is not None else unit.district, **fields)


def enrol(candidate_: Candidate, course: Course, result: str = "", on=None) -> Enrolment:
    return Enrolment.objects.create(candidate=candidate_, course=course, result=result, result_on=on)
