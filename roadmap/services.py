"""Writes of the roadmap: each in one transaction entered through datacache.writing(), so no cached
dashboard outlives them; every milestone is checked by its rules (roadmap/rules.py) before it is saved."""

from __future__ import annotations

import datetime

import datacache
from communes.models import District
from personnel.models import Plan
from roadmap.models import Milestone


def milestone_add(*, plan: Plan, district: District | None, due_on: datetime.date, communes_target: int,
                  officers_target: int, note: str = "") -> Milestone:
    with datacache.writing():
        milestone = Milestone(plan=plan, district=district, due_on=due_on, communes_target=communes_target,
                              officers_target=officers_target, note=note)
        milestone.full_clean()
        milestone.save()
        return milestone


def milestone_correct(*, milestone: Milestone, district: District | None, due_on: datetime.date,
                      communes_target: int, officers_target: int, note: str = "") -> Milestone:
    """Correct a milestone entered wrong: its area, day or targets (the history keeps what it was)."""
    with datacache.writing():
        locked = Milestone.objects.select_for_update().select_related("plan__province").get(pk=milestone.pk)
        locked.district, locked.due_on, locked.note = district, due_on, note
        locked.communes_target, locked.officers_target = communes_target, officers_target
        locked.full_clean()
        locked.save()
        return locked


def milestone_delete(*, milestone: Milestone) -> None:
    with datacache.writing():
        Milestone.objects.filter(pk=milestone.pk).delete()
