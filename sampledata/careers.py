"""The demo officers' careers: promotions from 2018 to today, retirements and training dated on the day after
the posting that ended for them, and district police officers moved to the province's organisation department
when district police stopped (01/03/2025). Written once after the postings, in bulk with their history rows as
the pilot is (services.officer_change, one at a time, took 16 s for the 1,150 changes); the rules are kept by
construction and tests/sampledata/test_careers.py checks them."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

import datacache
from personnel.choices import EndReason, OfficerStatus, Rank, UnitKind
from personnel.models import DISTRICT_POLICE_END, Officer, OfficerChange, Posting, Unit
from personnel.officer_history import Attribute

CHANGE_REASON = "Dữ liệu mẫu: thăng cấp, đơn vị, trạng thái"
FIRST_PROMOTIONS = datetime.date(2018, 1, 1)
LADDER = [Rank.SUB_LIEUTENANT, Rank.LIEUTENANT, Rank.SENIOR_LIEUTENANT, Rank.CAPTAIN, Rank.MAJOR, Rank.LIEUTENANT_COLONEL]
YEARS_IN_RANK = {Rank.SUB_LIEUTENANT: 2, Rank.LIEUTENANT: 3, Rank.SENIOR_LIEUTENANT: 3, Rank.CAPTAIN: 4, Rank.MAJOR: 4}
LEFT_FOR = {EndReason.RETIRED: OfficerStatus.RETIRED, EndReason.TRAINING: OfficerStatus.TRAINING}


def careers_ensure(*, province_code: int, seed: int) -> None:
    """Once: when no officer of the demo has a dated change yet."""
    if OfficerChange.objects.filter(effective_on__isnull=False).exists():
        return
    rng = random.Random(seed + 1)  # its own stream: the pilot's draws stay as they were
    department = Unit.objects.filter(province__code=province_code, kind=UnitKind.DEPARTMENT, short_name="PX01").first()
    today = timezone.localdate()
    last_posting = {}
    first_start = {}
    for posting in Posting.objects.order_by("start_date", "pk"):
        first_start.setdefault(posting.officer_id, posting.start_date)
        last_posting[posting.officer_id] = posting
    officers = list(Officer.objects.filter(pk__in=list(last_posting)).select_related("home_unit").order_by("pk"))
    rows: list[OfficerChange] = []
    for officer in officers:
        last = last_posting[officer.pk]
        serving_until = today if last.end_date is None else min(last.end_date, today)
        rows += _leave(officer, last)
        rows += _promotions(officer, rng, first_posted=first_start[officer.pk], until=serving_until)
        unit = officer.home_unit
        if (department is not None and unit is not None and unit.kind == UnitKind.DISTRICT_POLICE
                and serving_until >= DISTRICT_POLICE_END):
            rows += [OfficerChange(officer=officer, attribute=Attribute.HOME_UNIT, home_unit=unit),
                     OfficerChange(officer=officer, attribute=Attribute.HOME_UNIT, effective_on=DISTRICT_POLICE_END,
                                   home_unit=department, decision_number="02/2025/NĐ-CP")]
            officer.home_unit = department
    datacache.bump()  # bulk writes send no signals
    bulk_create_with_history(rows, OfficerChange, batch_size=500, default_change_reason=CHANGE_REASON)
    bulk_update_with_history(officers, Officer, ["rank", "status", "home_unit"], batch_size=500,
                             default_change_reason=CHANGE_REASON)


def _leave(officer: Officer, last) -> list[OfficerChange]:
    """The pilot wrote a retirement or training on the officer row; it dates from the day after the posting."""
    status = LEFT_FOR.get(last.end_reason)
    if status is None or last.end_date is None:
        return []
    officer.status = status
    return [OfficerChange(officer=officer, attribute=Attribute.STATUS, status=OfficerStatus.SERVING),
            OfficerChange(officer=officer, attribute=Attribute.STATUS, status=status,
                          effective_on=last.end_date + datetime.timedelta(days=1))]


def _promotions(officer: Officer, rng: random.Random, *, first_posted: datetime.date,
                until: datetime.date) -> list[OfficerChange]:
    """The rank the pilot gave was reached some time before the first posting (recorded if since 2018); then one
    step up each time its years in rank have passed, a few months either way, while in service."""
    rank = Rank(officer.rank)
    years = YEARS_IN_RANK.get(rank)
    if years is None:
        return []
    reached = first_posted - datetime.timedelta(days=rng.randint(30, 365 * years - 30))
    first, steps = rank, []
    if reached >= FIRST_PROMOTIONS and LADDER.index(rank) > 0:
        first = LADDER[LADDER.index(rank) - 1]
        steps.append((reached, rank))
    day = reached
    while rank in YEARS_IN_RANK:
        day = day + datetime.timedelta(days=365 * YEARS_IN_RANK[rank] + rng.randint(-60, 120))
        if day > until:
            break
        rank = LADDER[LADDER.index(rank) + 1]
        steps.append((day, rank))
    if not steps:
        return []
    officer.rank = steps[-1][1]
    return [OfficerChange(officer=officer, attribute=Attribute.RANK, rank=first)] + [
        OfficerChange(officer=officer, attribute=Attribute.RANK, rank=new_rank, effective_on=on,
                      decision_number=f"{rng.randint(100, 2999)}/QĐ-CAT-PX01",
                      decision_date=on - datetime.timedelta(days=rng.randint(3, 20)))
        for on, new_rank in steps]
