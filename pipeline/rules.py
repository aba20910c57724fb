"""The pipeline's rules, each written once with its one message (the communes.rules.Rule shape).

Model validation (clean), the forms and the services ask them; the database's constraints restate the
ones about a row alone and the one candidacy per officer.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from communes.rules import DECISION_NOT_IN_FUTURE, Rule, after_today, today_params
from personnel.officer_history import NOT_SERVING, attributes_on


def _day(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else "—"


def _before(later: str, earlier: str, through: str = ""):
    """The row's `later` date is before its `earlier` one (reached through `through`, a related row)."""

    def broken(obj: Model) -> bool:
        first = getattr(getattr(obj, through) if through else obj, earlier, None)
        second = getattr(obj, later, None)
        return first is not None and second is not None and second < first

    return broken


def _status_on_selection(candidate) -> str | None:
    from personnel.models import Officer

    if candidate.officer_id is None or candidate.selected_on is None:
        return None
    return (Officer.objects.filter(pk=candidate.officer_id).annotate(**attributes_on(candidate.selected_on))
            .values_list("status_on", flat=True).first())


# ---- candidates -------------------------------------------------------------------------------

SELECTED_NOT_IN_FUTURE = Rule(
    code="selected_in_future", message=_("A selection is dated today (%(today)s) or earlier."),
    constraints=(), broken=after_today("selected_on"), params=today_params, field="selected_on",
)
SELECTED_WHILE_SERVING = Rule(
    code="selected_not_serving",
    message=_("%(officer)s no longer serves in the force on %(day)s (retired, left or deceased) and cannot be selected."),
    constraints=(), broken=lambda c: _status_on_selection(c) in NOT_SERVING,
    params=lambda c: {"officer": c.officer.full_name, "day": _day(c.selected_on)}, field="officer",
)
SELECTING_UNIT_EXISTS = Rule(
    code="selecting_unit_gone", message=_("%(unit)s no longer exists on %(day)s."),
    constraints=(),
    broken=lambda c: c.selected_by_id is not None and c.selected_on is not None
    and c.selected_by.abolished_on is not None and c.selected_by.abolished_on <= c.selected_on,
    params=lambda c: {"unit": c.selected_by.name, "day": _day(c.selected_on)}, field="selected_by",
)
DISTRICT_OF_THE_UNIT = Rule(
    code="district_not_the_units",
    message=_("%(unit)s selects for its own district, %(district)s."),
    constraints=(),
    broken=lambda c: c.selected_by_id is not None and c.selected_by.district_id is not None
    and c.district_id != c.selected_by.district_id,
    params=lambda c: {"unit": c.selected_by.name, "district": c.selected_by.district.name}, field="district",
)
DISTRICT_EXISTS = Rule(
    code="district_gone",
    message=_("%(district)s does not exist on %(day)s: since 01/07/2025 candidates are selected for the province."),
    constraints=(),
    broken=lambda c: c.district_id is not None and c.selected_on is not None and not c.district.exists_on(c.selected_on),
    params=lambda c: {"district": c.district.name, "day": _day(c.selected_on)}, field="district",
)
ONE_CANDIDACY_PER_OFFICER = Rule(
    code="one_candidacy_per_officer", message=_("%(officer)s was already selected on %(day)s."),
    constraints=("one_candidacy_per_officer",),
    clashes=lambda c: type(c).objects.filter(officer_id=c.officer_id).exclude(pk=c.pk) if c.officer_id else None,
    params=lambda clash: {"officer": clash.officer.full_name, "day": _day(clash.selected_on)}, field="officer",
)
READY_AFTER_SELECTION = Rule(
    code="ready_before_selection", message=_("Ready for posting is dated on or after the selection (%(day)s)."),
    constraints=("candidate_ready_after_selection",), broken=_before("ready_on", "selected_on"),
    params=lambda c: {"day": _day(c.selected_on)}, field="ready_on",
)
READY_NOT_IN_FUTURE = Rule(
    code="ready_in_future", message=_("Ready for posting is dated today (%(today)s) or earlier."),
    constraints=(), broken=after_today("ready_on"), params=today_params, field="ready_on",
)
DROPPED_AFTER_SELECTION = Rule(
    code="dropped_before_selection", message=_("Dropping out is dated on or after the selection (%(day)s)."),
    constraints=("candidate_dropped_after_selection",), broken=_before("dropped_on", "selected_on"),
    params=lambda c: {"day": _day(c.selected_on)}, field="dropped_on",
)
DROPPED_NOT_IN_FUTURE = Rule(
    code="dropped_in_future", message=_("Dropping out is dated today (%(today)s) or earlier."),
    constraints=(), broken=after_today("dropped_on"), params=today_params, field="dropped_on",
)
CANDIDATE_RULES = (
    SELECTED_NOT_IN_FUTURE, DECISION_NOT_IN_FUTURE, READY_AFTER_SELECTION, READY_NOT_IN_FUTURE,
    DROPPED_AFTER_SELECTION, DROPPED_NOT_IN_FUTURE, SELECTING_UNIT_EXISTS, DISTRICT_OF_THE_UNIT, DISTRICT_EXISTS,
    SELECTED_WHILE_SERVING, ONE_CANDIDACY_PER_OFFICER,
)

# ---- courses and enrolments -------------------------------------------------------------------

COURSE_ENDS_AFTER_START = Rule(
    code="course_ends_before_start", message=_("A course ends on or after the day it starts."),
    constraints=("course_ends_after_start",), broken=_before("end_date", "start_date"), field="end_date",
)
COURSE_RULES = (COURSE_ENDS_AFTER_START,)

RESULT_AFTER_COURSE_ENDS = Rule(
    code="result_before_course_end",
    message=_("A pass or a fail is recorded on or after the course's last day (%(day)s)."),
    constraints=(),
    broken=lambda e: e.result in ("passed", "failed") and e.result_on is not None
    and e.result_on < e.course.end_date,
    params=lambda e: {"day": _day(e.course.end_date)}, field="result_on",
)
RESULT_NOT_IN_FUTURE = Rule(
    code="result_in_future", message=_("A result is dated today (%(today)s) or earlier."),
    constraints=(), broken=after_today("result_on"), params=today_params, field="result_on",
)
RESULT_DATED = Rule(
    code="result_undated", message=_("A result has its date, and a date its result."),
    constraints=("enrolment_result_dated",), broken=lambda e: bool(e.result) != (e.result_on is not None),
    field="result_on",
)
WITHDRAWN_AFTER_SELECTION = Rule(
    code="withdrawn_before_selection", message=_("A withdrawal is dated on or after the selection (%(day)s)."),
    constraints=(), broken=_before("result_on", "selected_on", through="candidate"),
    params=lambda e: {"day": _day(e.candidate.selected_on)}, field="result_on",
)
ENROLLED_BEFORE_COURSE_ENDS = Rule(
    code="selected_after_course",
    message=_("%(officer)s was selected on %(day)s, after the course ended (%(end)s)."),
    constraints=(),
    broken=lambda e: e.candidate.selected_on > e.course.end_date,
    params=lambda e: {"officer": e.candidate.officer.full_name, "day": _day(e.candidate.selected_on),
                      "end": _day(e.course.end_date)}, field="candidate",
)
ENROLLED_WHILE_IN_PIPELINE = Rule(
    code="enrolled_after_dropping",
    message=_("%(officer)s dropped out on %(day)s, before the course started."),
    constraints=(),
    broken=lambda e: e.candidate.dropped_on is not None and e.candidate.dropped_on <= e.course.start_date,
    params=lambda e: {"officer": e.candidate.officer.full_name, "day": _day(e.candidate.dropped_on)}, field="candidate",
)
ONE_ENROLMENT_PER_COURSE = Rule(
    code="one_enrolment_per_course", message=_("%(officer)s is already enrolled in this course."),
    constraints=("one_enrolment_per_course",),
    clashes=lambda e: type(e).objects.filter(candidate_id=e.candidate_id, course_id=e.course_id).exclude(pk=e.pk)
    if e.candidate_id and e.course_id else None,
    params=lambda clash: {"officer": clash.candidate.officer.full_name}, field="candidate",
)
ENROLMENT_RULES = (
    RESULT_DATED, RESULT_NOT_IN_FUTURE, RESULT_AFTER_COURSE_ENDS, WITHDRAWN_AFTER_SELECTION,
    ENROLLED_BEFORE_COURSE_ENDS, ENROLLED_WHILE_IN_PIPELINE, ONE_ENROLMENT_PER_COURSE,
)
