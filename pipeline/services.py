"""Writes of the pipeline, each in one transaction entered through datacache.writing() (the data version's
row locked first, so cached dashboards never show a stale count), full_clean() before save().

Lock order after the data version: the officer, then the candidate, then the enrolment (the order of
docs/development.md, these rows coming after the personnel app's)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communes.lookup import province_of_the_day
from communes.rules import refusal_message
from datacache import writing
from personnel.models import Officer, Unit
from pipeline.choices import Result
from pipeline.models import Candidate, Course, Enrolment
from pipeline.rules import CANDIDATE_RULES, ENROLMENT_RULES


def _save(obj, rules=()) -> None:
    obj.full_clean()
    try:
        with transaction.atomic():  # a savepoint: after a refusal the transaction can still ask the rules why
            obj.save()
    except IntegrityError:
        # Another writer saved a clashing row a moment before: the rule that names it explains the refusal.
        raise ValidationError(refusal_message(obj, rules)) from None


def candidate_select(
    *, officer: Officer, selected_by: Unit, on: datetime.date, district=None, decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Candidate:
    """Select an officer for commune police work. A district police unit selects for its district; the
    candidate belongs to the province of the day holding the unit's (Quảng Ngãi since 01/07/2025)."""
    with writing():
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        if selected_by.district_id is not None and district is None:
            district = selected_by.district
        candidate = Candidate(
            officer=officer, selected_by=selected_by, selected_on=on, district=district,
            province=province_of_the_day(selected_by.province, on),
            decision_number=decision_number, decision_date=decision_date,
        )
        _save(candidate, CANDIDATE_RULES)
    return candidate


def _locked(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update(of=("self",)).select_related("officer", "selected_by", "district").get(pk=candidate.pk)


def candidate_mark_ready(*, candidate: Candidate, on: datetime.date, note: str = "") -> Candidate:
    """Declare a candidate ready for posting from a day (without, or besides, a course passed)."""
    with writing():
        candidate = _locked(candidate)
        candidate.ready_on, candidate.ready_note = on, note
        _save(candidate, CANDIDATE_RULES)
    return candidate


def candidate_drop(*, candidate: Candidate, on: datetime.date, reason: str = "") -> Candidate:
    """The candidate leaves the pipeline from a day (withdrawn, found unfit, moved elsewhere)."""
    with writing():
        candidate = _locked(candidate)
        if candidate.dropped_on is not None:
            raise ValidationError({"dropped_on": ValidationError(
                _("%(officer)s has already dropped out.") % {"officer": candidate.officer.full_name})})
        candidate.dropped_on, candidate.drop_reason = on, reason
        _save(candidate, CANDIDATE_RULES)
    return candidate


def course_create(*, name: str, place: str, start_date: datetime.date, end_date: datetime.date, organiser: Unit) -> Course:
    with writing():
        course = Course(name=name, place=place, start_date=start_date, end_date=end_date, organiser=organiser,
                        province=province_of_the_day(organiser.province, start_date))
        _save(course)
    return course


def enrolment_add(*, course: Course, candidate: Candidate) -> Enrolment:
    with writing():
        candidate = _locked(candidate)
        enrolment = Enrolment(course=course, candidate=candidate)
        _save(enrolment, ENROLMENT_RULES)
    return enrolment


def enrolment_result(*, enrolment: Enrolment, result: str, on: datetime.date) -> Enrolment:
    """Record how the enrolment ended: a pass or fail on or after the course's last day, a withdrawal any day
    from the selection on. A result already recorded is not replaced."""
    if result not in Result.values:
        raise ValidationError({"result": ValidationError(_("Choose a result."))})
    with writing():
        _locked(enrolment.candidate)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("course", "candidate__officer").get(pk=enrolment.pk)
        if enrolment.result:
            raise ValidationError(_already(enrolment))
        enrolment.result, enrolment.result_on = result, on
        _save(enrolment, ENROLMENT_RULES)
    return enrolment


def _already(enrolment: Enrolment) -> str:
    return _("A result is already recorded for %(officer)s in this course: %(result)s on %(day)s.") % {
        "officer": enrolment.candidate.officer.full_name, "result": enrolment.get_result_display(),
        "day": f"{enrolment.result_on:%d/%m/%Y}"}
