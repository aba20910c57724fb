"""A candidate's stage on a day, the one definition: every page, count, export, the course page and the
dashboard's gaps read `with_stage()`.

From the dated facts only, so that nothing dated after the day changes what the day shows:

- not in the pipeline yet: selected after the day (such rows are left out);
- posted: the officer holds a posting on the day (personnel.coverage.held_on, what the figures count);
- dropped out: dropped on or before the day, or no longer serving then (retired, left, deceased:
  personnel.officer_history.attributes_on);
- trained and waiting (ready): a course passed (its result dated on or before the day) or declared ready
  on or before the day, and not posted;
- in training: in a course on the day (between its first and last day) not yet withdrawn from or failed;
- selected: none of these (also after failing or withdrawing from a course: they may enrol again).
"""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from personnel.coverage import held_on
from personnel.models import Posting
from personnel.officer_history import NOT_SERVING, attributes_on
from pipeline.choices import Result, Stage
from pipeline.models import Candidate, Enrolment


def _passed_by(day: datetime.date) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(candidate=OuterRef("pk"), result=Result.PASSED, result_on__lte=day).order_by(
        "result_on", "pk")


def with_stage(candidates: QuerySet[Candidate], day: datetime.date, *, details: bool = True) -> QuerySet[Candidate]:
    """The candidates selected on or before `day`, each with `stage`, `ready_since` (the first day ready, if ready
    by then), `ready_course` and `ready_course_id` (the first course passed by then, if any), `status_on` and
    `rank_on` (the officer's, that day). `details=False`: `stage`, `ready_since` and `status_on` only, for a count
    (the same stage; the other subqueries cost more Python to build than the count takes to run)."""
    on_day = attributes_on(day, "officer_id", only=("status_on", "rank_on") if details else ("status_on",))
    in_course = Enrolment.objects.filter(
        candidate=OuterRef("pk"), course__start_date__lte=day, course__end_date__gte=day,
    ).exclude(Q(result__in=(Result.FAILED, Result.WITHDRAWN)) & Q(result_on__lte=day))
    passed = _passed_by(day)
    shown = {"rank_on": on_day["rank_on"], "ready_course": Subquery(passed.values("course__name")[:1]),
             "ready_course_id": Subquery(passed.values("course_id")[:1])} if details else {}
    return (
        candidates.filter(selected_on__lte=day)
        .alias(
            _posted=Exists(Posting.objects.filter(held_on(day), officer=OuterRef("officer_id"))),
            _in_course=Exists(in_course),
            _passed_on=Subquery(passed.values("result_on")[:1], output_field=DateField()),
            _declared_on=Case(When(ready_on__lte=day, then=F("ready_on")), output_field=DateField()),
        )
        .annotate(
            status_on=on_day["status_on"],
            ready_since=Case(
                When(Q(_passed_on__isnull=False) & Q(_declared_on__isnull=False) & Q(_passed_on__lt=F("_declared_on")),
                     then=F("_passed_on")),
                When(_declared_on__isnull=False, then=F("_declared_on")),
                default=F("_passed_on"), output_field=DateField(),
            ),
            **shown,
        )
        .annotate(stage=Case(
            When(_posted=True, then=Value(Stage.POSTED)),
            When(status_on__in=NOT_SERVING, then=Value(Stage.DROPPED)),
            When(dropped_on__lte=day, then=Value(Stage.DROPPED)),
            When(ready_since__isnull=False, then=Value(Stage.READY)),
            When(_in_course=True, then=Value(Stage.IN_TRAINING)),
            default=Value(Stage.SELECTED), output_field=CharField(),
        ))
    )
