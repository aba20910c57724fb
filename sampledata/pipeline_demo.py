"""The demo's pipeline of officers, written through pipeline.services (each step once: idempotent).

2019, Kon Tum: officers of the demo not yet posted on the review day (23/04/2019) who were posted later that
year or in 2020 are selected by their district's police in December 2018; a first course at the province's
training centre before the pilot (07/01–15/03/2019), a second one running on the review day. So on
23/04/2019 some are trained and waiting, some in training; they become "posted" on their own postings' days.

Today, Quảng Ngãi: the officers who arrived in the new communes in August–September 2025 were selected and
trained in July 2025; new officers (added through personnel.services, without postings, so no figure
changes) are selected in 2026: a course passed in October (trained and waiting today), one failed and
dropped out, a course running now. Nothing dated after today is written.
"""

from __future__ import annotations

import datetime

from django.db.models import Min

from communes.models import Province
from kontum_posts.lib.asof import today
from personnel import services as personnel_services
from personnel.choices import Gender, Rank, UnitKind
from personnel.coverage import held_on
from personnel.models import Officer, Posting, Unit
from pipeline import services
from pipeline.choices import Result
from pipeline.models import Candidate, Course

D = datetime.date
KON_TUM = 62
REVIEW_DAY = D(2019, 4, 23)
CENTRE_2019 = "Trung tâm Huấn luyện và Bồi dưỡng nghiệp vụ Công an tỉnh Kon Tum"
CENTRE_TODAY = "Trung tâm Huấn luyện và Bồi dưỡng nghiệp vụ Công an tỉnh Quảng Ngãi"
COURSES_2019 = (
    ("Lớp bồi dưỡng nghiệp vụ Công an xã khóa I/2019", D(2019, 1, 7), D(2019, 3, 15)),
    ("Lớp bồi dưỡng nghiệp vụ Công an xã khóa II/2019", D(2019, 4, 15), D(2019, 5, 31)),
)
COURSE_2025 = ("Lớp bồi dưỡng nghiệp vụ Công an xã sau sắp xếp 2025", D(2025, 7, 14), D(2025, 7, 30))
COURSES_2026 = (
    ("Lớp bồi dưỡng nghiệp vụ Công an xã khóa I/2026", D(2026, 9, 7), D(2026, 10, 30)),
    ("Lớp bồi dưỡng nghiệp vụ Công an xã khóa II/2026", D(2026, 11, 16), D(2027, 1, 29)),
)
# New officers selected in 2026 (no posting yet): name, gender, birth date, ethnicity.
NEWCOMERS_2026 = (
    ("Nguyễn Thị Ánh Tuyết", Gender.FEMALE, D(2001, 3, 14), "Kinh"),
    ("A Thắng", Gender.MALE, D(2000, 8, 2), "Xơ Đăng"),
    ("Y Hằng", Gender.FEMALE, D(2002, 1, 27), "Ba Na"),
    ("Trần Quốc Việt", Gender.MALE, D(1999, 11, 5), "Kinh"),
    ("Lê Hoàng Phúc", Gender.MALE, D(2001, 6, 19), "Kinh"),
    ("A Dũng", Gender.MALE, D(2000, 2, 9), "Giẻ Triêng"),
    ("Phạm Ngọc Diệp", Gender.FEMALE, D(2002, 9, 30), "Kinh"),
    ("Đinh Văn Khải", Gender.MALE, D(2001, 12, 12), "Hrê"),
    ("Y Nhung", Gender.FEMALE, D(2003, 4, 4), "Gia Rai"),
    ("Hồ Minh Trí", Gender.MALE, D(2000, 7, 21), "Kinh"),
)
CHANGE_REASON = "Dữ liệu mẫu: nguồn cán bộ Công an xã"


def pipeline_demo_ensure() -> str:
    """Write what is missing of the demo pipeline; a line saying what it holds."""
    kon_tum = Province.objects.filter(code=KON_TUM).order_by("established_on").first()
    if kon_tum is None:
        return "Pipeline demo: Kon Tum is not loaded; nothing written."
    organiser = Unit.objects.filter(province=kon_tum, kind=UnitKind.DEPARTMENT, short_name="PX01").first()
    if organiser is None:
        return "Pipeline demo: the pilot demo is not loaded; nothing written."
    if not Course.objects.filter(name=COURSES_2019[0][0]).exists():
        _pilot_2019(kon_tum, organiser)
    if not Course.objects.filter(name=COURSE_2025[0]).exists():
        _arrivals_2025(kon_tum, organiser)
    if not Course.objects.filter(name=COURSES_2026[0][0]).exists() and today() >= COURSES_2026[0][1]:
        _selection_2026(organiser)
    return f"Pipeline demo: {Candidate.objects.count()} candidates, {Course.objects.count()} training courses."


def _first_postings(officers, after: datetime.date, before: datetime.date) -> list[Posting]:
    """Each officer's first posting, for those first posted in (after, before)."""
    firsts = (Posting.objects.filter(officer__in=officers).values("officer_id").annotate(first=Min("start_date"))
              .filter(first__gt=after, first__lt=before))
    wanted = {(row["officer_id"], row["first"]) for row in firsts}
    postings = Posting.objects.filter(officer_id__in=[o for o, _ in wanted]).select_related("officer", "commune__district")
    return sorted((p for p in postings if (p.officer_id, p.start_date) in wanted), key=lambda p: (p.start_date, p.pk))


def _pilot_2019(kon_tum: Province, organiser: Unit) -> None:
    posted = Posting.objects.filter(held_on(REVIEW_DAY)).values("officer_id")
    waiting = Officer.objects.filter(home_unit__province=kon_tum).exclude(pk__in=posted)
    later = _first_postings(waiting, REVIEW_DAY, D(2021, 1, 1))
    if not later:
        return
    first, second = (services.course_create(name=name, place=CENTRE_2019, start_date=start, end_date=end, organiser=organiser)
                     for name, start, end in COURSES_2019)
    district_police = {u.district_id: u for u in Unit.objects.filter(province=kon_tum, kind=UnitKind.DISTRICT_POLICE)}
    for i, posting in enumerate(later):
        district = posting.commune.district
        unit = district_police.get(district.pk if district else None, organiser)
        candidate = services.candidate_select(
            officer=posting.officer, selected_by=unit, on=D(2018, 12, 10), district=district if unit is organiser else None,
            decision_number=f"{41 + i}/QĐ-CAH", decision_date=D(2018, 12, 10))
        if i < len(later) * 2 // 3:  # the first course: all pass but every fifth
            enrolment = services.enrolment_add(course=first, candidate=candidate)
            failed = i % 5 == 4
            services.enrolment_result(enrolment=enrolment, result=Result.FAILED if failed else Result.PASSED, on=first.end_date)
            if not failed:
                continue
        # The second course (those who failed the first, and the rest), running on the review day; all pass.
        enrolment = services.enrolment_add(course=second, candidate=candidate)
        services.enrolment_result(enrolment=enrolment, result=Result.PASSED, on=second.end_date)


def _arrivals_2025(kon_tum: Province, organiser: Unit) -> None:
    officers = Officer.objects.filter(candidacies__isnull=True)
    arrivals = _first_postings(officers, D(2025, 7, 1), D(2026, 1, 1))
    if not arrivals:
        return
    name, start, end = COURSE_2025
    course = services.course_create(name=name, place=CENTRE_TODAY, start_date=start, end_date=end, organiser=organiser)
    for i, posting in enumerate(arrivals):
        candidate = services.candidate_select(officer=posting.officer, selected_by=organiser, on=D(2025, 7, 7),
                                              decision_number=f"{1203 + i}/QĐ-CAT", decision_date=D(2025, 7, 7))
        enrolment = services.enrolment_add(course=course, candidate=candidate)
        services.enrolment_result(enrolment=enrolment, result=Result.PASSED, on=course.end_date)


def _selection_2026(organiser: Unit) -> None:
    now = today()
    courses = [services.course_create(name=name, place=CENTRE_TODAY, start_date=start, end_date=end, organiser=organiser)
               for name, start, end in COURSES_2026 if start <= now]
    for i, (name, gender, born, ethnicity) in enumerate(NEWCOMERS_2026):
        number = f"926-{101 + i:03d}"
        officer = Officer.objects.filter(service_number=number).first() or personnel_services.officer_create(
            change_reason=CHANGE_REASON, full_name=name, gender=gender, birth_date=born, ethnicity=ethnicity,
            rank=Rank.SUB_LIEUTENANT, service_number=number, home_unit=organiser)
        selected_on = D(2026, 8, 17) if i < 6 else D(2026, 11, 2)
        if selected_on > now:
            continue
        candidate = services.candidate_select(officer=officer, selected_by=organiser, on=selected_on,
                                              decision_number=f"{2100 + i}/QĐ-CAT", decision_date=selected_on)
        course = courses[0] if i < 6 else (courses[1] if len(courses) > 1 and i < 9 else None)
        if course is None:
            continue  # the last one waits for the next course
        enrolment = services.enrolment_add(course=course, candidate=candidate)
        if course is courses[0] and course.end_date <= now:
            failed = i == 5
            services.enrolment_result(enrolment=enrolment, result=Result.FAILED if failed else Result.PASSED,
                                      on=course.end_date)
            if failed and D(2026, 11, 10) <= now:
                services.candidate_drop(candidate=candidate, on=D(2026, 11, 10), reason="Không đủ điều kiện sức khỏe")
