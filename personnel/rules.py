"""The rules postings, Party roles and officers must keep, each written once with its one message.

Posting.clean(), PartyRole.clean(), the forms, the services and the import ask these rules; the
constraints restating them carry their message (`violation_error_message`), and a refusal by the
database is explained by asking them again (`refusal_message`). How a Rule works: communes/rules.py.
Rules look rows up through the model of the row they check, so models.py can import this module.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from communes.periods import CELL_LIFE, TERM
from communes.rules import CELL_RULES, Rule, broken_rule_message, ends_after_start, within_unit_life
from communes.rules import refusal_message as _refusal_message
from personnel.choices import PartyRoleKind, Position


def _same_model(obj) -> QuerySet:
    return type(obj)._default_manager.exclude(pk=obj.pk) if obj.pk else type(obj)._default_manager.all()


def _overlapping(obj, **where) -> QuerySet:
    return (
        _same_model(obj).filter(**where).filter(TERM.overlapping(obj.start_date, obj.end_date))
        .select_related(*[name for name in ("officer", "commune") if hasattr(obj, f"{name}_id")])
        .order_by("start_date", "pk")
    )


def _posting_params(clash) -> dict:
    return {
        "officer": clash.officer.full_name,
        "position": clash.get_position_display(),
        "commune": clash.commune.name,
        "period": TERM.describe_row(clash),
    }


def _officer_postings(posting) -> QuerySet | None:
    if not posting.officer_id or not posting.start_date:
        return None
    return _overlapping(posting, officer_id=posting.officer_id)


def _commune_chiefs(posting) -> QuerySet | None:
    if posting.position != Position.CHIEF or not posting.commune_id or not posting.start_date:
        return None
    return _overlapping(posting, commune_id=posting.commune_id, position=Position.CHIEF)


def _cell_secretaries(role) -> QuerySet | None:
    if role.role != PartyRoleKind.CELL_SECRETARY or not role.cell_id or not role.start_date:
        return None
    return _overlapping(role, cell_id=role.cell_id, role=PartyRoleKind.CELL_SECRETARY)


# Invisible characters that are not of category Cf (format) but show nothing either: the combining grapheme
# joiner, Hangul fillers, Mongolian and other variation selectors.
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")


def service_number_key(value: str) -> str:
    """A service number as it is stored, compared and kept unique: NFKC (full-width and other look-alike
    forms become plain), without invisible characters (zero-width space, soft hyphen, …), single spaces,
    upper case. Two numbers are the same number when their keys are equal; the unique index on the
    stored key then refuses exactly what this rule refuses."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = " ".join(_INVISIBLE.sub("", text).split())
    return unicodedata.normalize("NFKC", text.upper())


def same_service_numbers(queryset, numbers) -> QuerySet:
    """The rows of `queryset` whose service number is one of `numbers` as SERVICE_NUMBER_UNIQUE compares
    them (numbers are stored as their key, so an exact match on the keys)."""
    keys = {service_number_key(n) for n in numbers} - {""}
    return queryset.filter(service_number__in=keys)


def _same_service_number(officer) -> QuerySet | None:
    number = service_number_key(officer.service_number)
    if not number:
        return None
    return same_service_numbers(_same_model(officer), [number])


def _outside_cell_life(role) -> bool:
    """A cell role starts before its cell was established or is still held (or ends) once the cell is gone."""
    if not role.cell_id or role.start_date is None:
        return False
    cell = role.cell
    return role.start_date < cell.established_on or TERM.last_day(role.end_date) > CELL_LIFE.last_day(cell.dissolved_on)


def _start_date(row) -> dict:
    return {"date": f"{row.start_date:%d/%m/%Y}"}


POSTING_ENDS_AFTER_START = Rule(
    code="posting_ends_before_start",
    message=_("A posting ends on or after the day it starts (%(date)s)."),
    constraints=("posting_ends_on_or_after_start",),
    broken=ends_after_start(TERM),
    params=_start_date,
    field="end_date",
)

ROLE_ENDS_AFTER_START = Rule(
    code="role_ends_before_start",
    message=_("A role ends on or after the day it starts (%(date)s)."),
    constraints=("party_role_ends_on_or_after_start",),
    broken=ends_after_start(TERM),
    params=_start_date,
    field="end_date",
)

# Not a constraint (it spans two tables): a unit's life changes only by import_divisions or a recorded change.
POSTING_WITHIN_UNIT_LIFE = within_unit_life(
    code="posting_outside_unit_life",
    message=_("A posting lies within its commune's life: %(unit)s existed %(life)s."),
    period=TERM, field="start_date",
)

ROLE_WITHIN_UNIT_LIFE = within_unit_life(
    code="role_outside_unit_life",
    message=_("A Party role lies within its commune's life: %(unit)s existed %(life)s."),
    period=TERM, field="start_date",
)

OFFICER_POSTINGS_NEVER_OVERLAP = Rule(
    code="officer_postings_overlap",
    message=_("This officer already holds a commune police position in that period (%(position)s, %(commune)s, %(period)s); postings of one officer never overlap."),
    constraints=("posting_one_open_per_officer", "posting_officer_periods_never_overlap"),
    clashes=_officer_postings,
    params=_posting_params,
)

ONE_CHIEF_PER_COMMUNE = Rule(
    code="one_chief_per_commune",
    message=_("This commune already has a chief in that period: %(officer)s, %(period)s."),
    constraints=("posting_one_open_chief_per_commune", "posting_one_chief_per_commune_at_a_time"),
    clashes=_commune_chiefs,
    params=_posting_params,
    field="position",
)

# Not a constraint (it spans two tables): party_role_appoint and party_cell_dissolve lock the cell
# first, so an appointment and a dissolution of one cell take turns and the second sees the first.
ROLE_WITHIN_CELL_LIFE = Rule(
    code="role_outside_cell_life",
    message=_("A role in a Party cell lies within the cell's life: %(cell)s, %(period)s."),
    constraints=(),
    broken=_outside_cell_life,
    params=lambda role: {"cell": str(role.cell), "period": CELL_LIFE.describe_row(role.cell)},
)

ONE_SECRETARY_PER_CELL = Rule(
    code="one_secretary_per_cell",
    message=_("This Party cell already has a secretary in that period: %(holder)s, %(period)s."),
    constraints=("party_role_one_open_secretary_per_cell", "party_role_one_secretary_per_cell_at_a_time"),
    clashes=_cell_secretaries,
    params=lambda clash: {"holder": clash.holder, "period": TERM.describe_row(clash)},
)

SERVICE_NUMBER_UNIQUE = Rule(
    code="duplicate",
    message=_("Another officer already has this service number."),
    constraints=("personnel_officer_service_number_key",),
    clashes=_same_service_number,
    field="service_number",
)

# A row's own rule first: an ill-formed period is not worth comparing with others.
POSTING_RULES = (POSTING_ENDS_AFTER_START, POSTING_WITHIN_UNIT_LIFE, OFFICER_POSTINGS_NEVER_OVERLAP, ONE_CHIEF_PER_COMMUNE)
PARTY_ROLE_RULES = (ROLE_ENDS_AFTER_START, ROLE_WITHIN_UNIT_LIFE, ROLE_WITHIN_CELL_LIFE, ONE_SECRETARY_PER_CELL)
OFFICER_RULES = (SERVICE_NUMBER_UNIQUE,)


def rules_for(obj) -> tuple[Rule, ...]:
    from communes.models import PartyCell
    from personnel.models import Officer, PartyRole, Posting

    return {Posting: POSTING_RULES, PartyRole: PARTY_ROLE_RULES, Officer: OFFICER_RULES, PartyCell: CELL_RULES}.get(
        type(obj), ()
    )


def refusal_message(obj) -> str:
    """Why the database refused to save `obj`, in the words of the rule it breaks (a generic message if none)."""
    return _refusal_message(obj, rules_for(obj))


def broken_rule(obj) -> str | None:
    """The message of the first rule `obj` breaks against the stored rows, or None."""
    return broken_rule_message(obj, rules_for(obj))
