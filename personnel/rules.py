"""The rules postings, Party roles and officers must keep, each written once with its one message.

Posting.clean(), PartyRole.clean(), the forms, the services and the import ask these rules; the
constraints restating them carry their message (`violation_error_message`), and a refusal by the
database is explained by asking them again (`refusal_message`). How a Rule works: communes/rules.py.
Rules look rows up through the model of the row they check, so models.py can import this module.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.periods import CELL_LIFE, TERM
from communes.rules import (
    CELL_RULES,
    DECISION_NOT_IN_FUTURE,
    Rule,
    after_today,
    broken_rule_message,
    ends_after_start,
    today_params,
    within_unit_life,
)
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

# ---- plausibility: dates a person and a decision can have ---------------------------------------------

ADULT_AGE = 18


def adult_from(birth: datetime.date) -> datetime.date:
    """The 18th birthday; someone born on 29 February turns 18 on 1 March of a common year."""
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        return datetime.date(birth.year + ADULT_AGE, 3, 1)


def _first_posted_too_young(obj) -> tuple[datetime.date, datetime.date] | None:
    """(date of birth, first day in post) when someone is posted before turning 18, else None.

    A posting (or an import row: anything with .officer and .start_date) is checked on its own first day;
    an officer, on the first day of the earliest posting recorded for them."""
    if hasattr(obj, "start_date"):
        # An unsaved posting may have no officer yet (RelatedObjectDoesNotExist is an AttributeError).
        birth, start = getattr(getattr(obj, "officer", None), "birth_date", None), obj.start_date
    else:
        birth, start = obj.birth_date, None
        if birth is not None and obj.pk:
            from personnel.models import Posting

            start = Posting.objects.filter(officer_id=obj.pk).order_by("start_date").values_list("start_date", flat=True).first()
    if birth is None or start is None or start >= adult_from(birth):
        return None
    return birth, start


def _too_young_params(obj) -> dict:
    birth, start = _first_posted_too_young(obj)
    return {"birth": f"{birth:%d/%m/%Y}", "adult": f"{adult_from(birth):%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"}


_POSTED_AS_ADULT = _("An officer is posted from their 18th birthday on: born %(birth)s, 18 on %(adult)s, "
                     "posted from %(start)s.")

# Asked of a posting (its first day, beside it) and of an officer (the earliest posting, beside the date of birth):
# one rule, one message, two fields.
POSTED_AS_ADULT = Rule(
    code="posted_before_18",
    message=_POSTED_AS_ADULT,
    constraints=(),
    broken=lambda obj: _first_posted_too_young(obj) is not None,
    params=_too_young_params,
    field="start_date",
)
POSTED_AS_ADULT_BIRTH = Rule(
    code=POSTED_AS_ADULT.code, message=_POSTED_AS_ADULT, constraints=(), broken=POSTED_AS_ADULT.broken,
    params=_too_young_params, field="birth_date",
)

BIRTH_DATE_IN_PAST = Rule(
    code="birth_date_not_in_past",
    message=_("A date of birth is before today (%(today)s)."),
    constraints=(),
    broken=lambda officer: officer.birth_date is not None and officer.birth_date >= timezone.localdate(),
    params=today_params,
    field="birth_date",
)


def _admitted_before_18(officer) -> bool:
    since, birth = officer.party_member_since, officer.birth_date
    return since is not None and birth is not None and since < adult_from(birth)


PARTY_ADMISSION_AS_ADULT = Rule(
    code="party_admission_before_18",
    message=_("Party admission is on or after the 18th birthday (%(adult)s)."),
    constraints=(),
    broken=_admitted_before_18,
    params=lambda officer: {"adult": f"{adult_from(officer.birth_date):%d/%m/%Y}"},
    field="party_member_since",
)

PARTY_ADMISSION_NOT_IN_FUTURE = Rule(
    code="party_admission_in_future",
    message=_("Party admission is dated today (%(today)s) or earlier."),
    constraints=(),
    broken=after_today("party_member_since"),
    params=today_params,
    field="party_member_since",
)


# ---- a police officer's Party role in a commune needs a posting there ------------------------------------

def role_uncovered_days(role) -> list[tuple]:
    """The days of a police officer's Party role on which they hold no posting in the role's commune (runs of
    days, Period.uncovered); none for a holder from outside the police."""
    if not role.officer_id or not role.commune_id or role.start_date is None:
        return []
    if role.end_date is not None and role.end_date < role.start_date:
        return []  # an ill-formed period: its own rule speaks
    from personnel.models import Posting

    postings = Posting.objects.filter(officer_id=role.officer_id, commune_id=role.commune_id)
    return TERM.uncovered(role.start_date, role.end_date, postings.values_list("start_date", "end_date"))


def describe_days(runs: list[tuple]) -> str:
    """Runs of days as a reader writes them: "05/03/2019", "01/05/2019–30/06/2019", "from 01/08/2020"."""
    words = []
    for first, last in runs:
        if last is None:
            words.append(gettext("from %(first)s") % {"first": f"{first:%d/%m/%Y}"})
        elif last == first:
            words.append(f"{first:%d/%m/%Y}")
        else:
            words.append(f"{first:%d/%m/%Y}–{last:%d/%m/%Y}")
    return ", ".join(words)


def _role_posting_params(role) -> dict:
    return {"officer": role.officer.full_name, "role": role.get_role_display(), "commune": role.commune.name,
            "days": describe_days(role_uncovered_days(role))}


# Not a constraint (it spans two tables). A posting that ends ends the officer's roles its end leaves uncovered
# (services.posting_end, posting_transfer) or is refused in this rule's words; the reorganisation carries a cell
# role only with its holder's posting.
ROLE_HELD_WHILE_POSTED = Rule(
    code="role_without_posting",
    message=_("A police officer holds a Party role in a commune only while posted there: %(officer)s (%(role)s) "
              "holds no posting in %(commune)s on these days: %(days)s."),
    constraints=(),
    broken=lambda role: bool(role_uncovered_days(role)),
    params=_role_posting_params,
)

# A row's own rule first: an ill-formed period is not worth comparing with others.
POSTING_RULES = (POSTING_ENDS_AFTER_START, POSTING_WITHIN_UNIT_LIFE, OFFICER_POSTINGS_NEVER_OVERLAP, ONE_CHIEF_PER_COMMUNE,
                 POSTED_AS_ADULT, DECISION_NOT_IN_FUTURE)
PARTY_ROLE_RULES = (ROLE_ENDS_AFTER_START, ROLE_WITHIN_UNIT_LIFE, ROLE_WITHIN_CELL_LIFE, ONE_SECRETARY_PER_CELL,
                    DECISION_NOT_IN_FUTURE, ROLE_HELD_WHILE_POSTED)
OFFICER_RULES = (SERVICE_NUMBER_UNIQUE, BIRTH_DATE_IN_PAST, POSTED_AS_ADULT_BIRTH, PARTY_ADMISSION_AS_ADULT,
                 PARTY_ADMISSION_NOT_IN_FUTURE)


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
