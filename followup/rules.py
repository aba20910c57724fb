"""The follow-up log's rules, each with its one message (communes.rules.Rule): model validation, the forms
and the services ask them."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from communes.rules import Rule, after_today, describe_life, today_params


def _day(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else ""


ENTRY_NOT_IN_FUTURE = Rule(
    code="followup_entry_in_future",
    message=_("A visit or report is recorded once it has taken place: today (%(today)s) or earlier."),
    constraints=(), broken=after_today("day"), params=today_params, field="day",
)
DUE_NOT_BEFORE_ENTRY = Rule(
    code="followup_due_before_entry",
    message=_("The follow-up is due on or after the day of the visit or report (%(day)s)."),
    constraints=("followup_due_after_entry",),
    broken=lambda e: e.due_on is not None and e.day is not None and e.due_on < e.day,
    params=lambda e: {"day": _day(e.day)}, field="due_on",
)
DUE_NEEDS_ACTION = Rule(
    code="followup_due_without_action",
    message=_("Say what is to be done before giving by when or by whom."),
    constraints=(),
    broken=lambda e: not (e.action or "").strip() and (e.due_on is not None or bool((e.responsible or "").strip())),
    field="action",
)
ENTRY_WITHIN_COMMUNE_LIFE = Rule(
    code="followup_entry_outside_commune_life",
    message=_("%(commune)s existed %(life)s: a visit or report about it is dated within those days."),
    constraints=(),
    broken=lambda e: e.commune_id is not None and e.day is not None and not e.commune.exists_on(e.day),
    params=lambda e: {"commune": e.commune.name, "life": describe_life(e.commune)}, field="day",
)
ENTRY_RULES = (ENTRY_NOT_IN_FUTURE, DUE_NOT_BEFORE_ENTRY, DUE_NEEDS_ACTION, ENTRY_WITHIN_COMMUNE_LIFE)

# State changes: asked by the service (and the form) with the entry and its changes at hand.
STATE_NEEDS_FOLLOWUP = _("This entry asks for no follow-up: there is no state to change.")
STATE_BEFORE_ENTRY = _("A state changes on or after the day of the visit or report (%(day)s).")
STATE_IN_FUTURE = _("A state change is recorded once it has happened: today (%(today)s) or earlier.")
STATE_BEFORE_LAST = _("The follow-up has been “%(state)s” since %(day)s: a new state is dated on or after that day.")
STATE_UNCHANGED = _("The follow-up is already “%(state)s”.")
ENTRY_AFTER_STATE = _("The follow-up's state changed on %(day)s: the visit or report is dated on or before that day.")
