"""The plan in force on a day: one definition, read by the coverage selectors and the pages."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from communes.models import Province
from personnel.models import Plan


class InForce:
    """A `plan` argument's default: the plan in force on the day. (None is a plan argument too: no plan.)"""

    def __repr__(self) -> str:
        return "IN_FORCE"


IN_FORCE = InForce()


def plan_given(plan, province: Province, as_of: datetime.date) -> Plan | None:
    """`plan` as given, or the province's plan in force on the day for IN_FORCE (one query)."""
    return plan_for(province, as_of) if plan is IN_FORCE else plan


def plan_for(province: Province, as_of: datetime.date) -> Plan | None:
    """The province's plan in force on the day: the latest issued by then (before its first plan, the first).
    A plan belongs to the units of its time: the pilot's keeps its 86 xã, a later plan lists its own."""
    plans = list(Plan.objects.filter(province=province).order_by("issued_on", "pk"))
    return next((plan for plan in reversed(plans) if plan.issued_on <= as_of), plans[0] if plans else None)


def plan_in_force_sql(as_of: datetime.date, province_ref: str = "pk"):
    """plan_for() as a subquery on a province (OuterRef(province_ref))."""
    plans = Plan.objects.filter(province=OuterRef(province_ref))
    latest = plans.filter(issued_on__lte=as_of).order_by("-issued_on", "-pk").values("pk")[:1]
    first = plans.order_by("issued_on", "pk").values("pk")[:1]
    return Coalesce(Subquery(latest), Subquery(first))


def in_plan(plan: Plan | None, commune_key: str = "pk"):
    """The commune (OuterRef(commune_key)) is one the plan lists: an annotation."""
    if plan is None:
        return Value(False)
    return Exists(Plan.communes.through.objects.filter(plan_id=plan.pk, commune_id=OuterRef(commune_key)))
