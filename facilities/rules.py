"""The rules a facilities record keeps, each written once with its one message (communes.rules.Rule).

Model validation, the forms, the services and the import all ask these; the constraints that restate
one carry its name, so the database refuses what a form forgot.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from communes.periods import UNIT_LIFE
from communes.rules import Rule, after_today, describe_life, today_params
from facilities.choices import HeadquartersState


def _outside_commune_life(field: str):
    def broken(obj: Model) -> bool:
        day = getattr(obj, field, None)
        if day is None or not getattr(obj, "commune_id", None):
            return False
        return not UNIT_LIFE.is_open_on(obj.commune, day)

    return broken


def _commune_life(obj) -> dict:
    return {"unit": obj.commune.name, "life": describe_life(obj.commune) or "—"}


def _same_day(*keys: str):
    def clashes(obj: Model) -> QuerySet | None:
        values = {key: getattr(obj, key) for key in keys}
        if any(v is None for v in values.values()):
            return None
        return type(obj)._default_manager.filter(**values).exclude(pk=obj.pk)

    return clashes


def _day(obj, field="effective_on") -> dict:
    return {"date": f"{getattr(obj, field):%d/%m/%Y}"}


# ---- the headquarters ------------------------------------------------------------------------------

HQ_NOT_IN_FUTURE = Rule(
    code="headquarters_in_future", message=_("A headquarters state is recorded from today (%(today)s) or an earlier day."),
    constraints=(), broken=after_today("effective_on"), params=today_params, field="effective_on",
)
HQ_WITHIN_COMMUNE_LIFE = Rule(
    code="headquarters_outside_commune_life",
    message=_("A headquarters state is recorded on a day of its commune: %(unit)s existed %(life)s."),
    constraints=(), broken=_outside_commune_life("effective_on"), params=_commune_life, field="effective_on",
)
HQ_CONSTRUCTION_HAS_START = Rule(
    code="construction_without_start", message=_("A headquarters under construction needs the day works started."),
    constraints=("headquarters_construction_has_start",),
    broken=lambda hq: hq.state == HeadquartersState.UNDER_CONSTRUCTION and hq.construction_start is None,
    field="construction_start",
)
HQ_START_NOT_IN_FUTURE = Rule(
    code="construction_start_in_future",
    message=_("Works under way started today (%(today)s) or earlier."),
    constraints=(), params=today_params, field="construction_start",
    broken=lambda hq: hq.state == HeadquartersState.UNDER_CONSTRUCTION and after_today("construction_start")(hq),
)
HQ_COMPLETION_AFTER_START = Rule(
    code="completion_before_start",
    message=_("A construction is completed on or after the day its works started (%(date)s)."),
    constraints=("headquarters_completion_after_start",),
    broken=lambda hq: None not in (hq.construction_start, hq.completion_date) and hq.completion_date < hq.construction_start,
    params=lambda hq: _day(hq, "construction_start"), field="completion_date",
)
HQ_ACTUAL_COMPLETION_NOT_IN_FUTURE = Rule(
    code="completion_in_future",
    message=_("An actual completion is dated today (%(today)s) or earlier; a later day is a planned completion."),
    constraints=(), params=today_params, field="completion_date",
    broken=lambda hq: hq.completion_actual and after_today("completion_date")(hq),
)
HQ_AREA_POSITIVE = Rule(
    code="floor_area_not_positive", message=_("A floor area is more than 0 m²."),
    constraints=("headquarters_floor_area_positive",),
    broken=lambda hq: hq.floor_area is not None and hq.floor_area <= 0, field="floor_area",
)
HQ_COST_NOT_NEGATIVE = Rule(
    code="cost_negative", message=_("A cost is 0 VND or more."), constraints=("headquarters_cost_not_negative",),
    broken=lambda hq: hq.cost is not None and hq.cost < 0, field="cost",
)
HQ_ONE_A_DAY = Rule(
    code="headquarters_twice_a_day",
    message=_("This commune already has a headquarters state recorded from %(date)s; correct that one."),
    constraints=("headquarters_one_record_a_day",), clashes=_same_day("commune_id", "effective_on"), params=_day,
    field="effective_on",
)
HEADQUARTERS_RULES = (
    HQ_NOT_IN_FUTURE, HQ_WITHIN_COMMUNE_LIFE, HQ_CONSTRUCTION_HAS_START, HQ_START_NOT_IN_FUTURE,
    HQ_COMPLETION_AFTER_START, HQ_ACTUAL_COMPLETION_NOT_IN_FUTURE, HQ_AREA_POSITIVE, HQ_COST_NOT_NEGATIVE, HQ_ONE_A_DAY,
)

# ---- equipment -------------------------------------------------------------------------------------

COUNT_NOT_NEGATIVE = Rule(
    code="equipment_count_negative", message=_("A count of equipment is 0 or more."),
    constraints=("equipment_count_not_negative",), broken=lambda row: row.quantity is not None and row.quantity < 0,
    field="quantity",
)
COUNT_NOT_IN_FUTURE = Rule(
    code="equipment_count_in_future", message=_("A count of equipment is recorded from today (%(today)s) or an earlier day."),
    constraints=(), broken=after_today("effective_on"), params=today_params, field="effective_on",
)
COUNT_WITHIN_COMMUNE_LIFE = Rule(
    code="equipment_outside_commune_life",
    message=_("A count of equipment is recorded on a day of its commune: %(unit)s existed %(life)s."),
    constraints=(), broken=_outside_commune_life("effective_on"), params=_commune_life, field="effective_on",
)
COUNT_ONE_A_DAY = Rule(
    code="equipment_count_twice_a_day",
    message=_("This commune already has a count of this item from %(date)s; correct that one."),
    constraints=("equipment_count_one_a_day",), clashes=_same_day("commune_id", "item_id", "effective_on"),
    params=_day, field="effective_on",
)
COUNT_RULES = (COUNT_NOT_NEGATIVE, COUNT_NOT_IN_FUTURE, COUNT_WITHIN_COMMUNE_LIFE, COUNT_ONE_A_DAY)

NORM_NOT_NEGATIVE = Rule(
    code="norm_negative", message=_("A norm is 0 or more of the item."), constraints=("equipment_norm_not_negative",),
    broken=lambda row: row.quantity is not None and row.quantity < 0, field="quantity",
)
NORM_NOT_IN_FUTURE = Rule(
    code="norm_in_future", message=_("A norm is set from today (%(today)s) or an earlier day."),
    constraints=(), broken=after_today("effective_on"), params=today_params, field="effective_on",
)
NORM_ONE_A_DAY = Rule(
    code="norm_twice_a_day", message=_("This item already has a norm from %(date)s in this province."),
    constraints=("equipment_norm_one_a_day",), clashes=_same_day("province_id", "item_id", "effective_on"),
    params=_day, field="effective_on",
)
NORM_RULES = (NORM_NOT_NEGATIVE, NORM_NOT_IN_FUTURE, NORM_ONE_A_DAY)

