"""Rules the data must keep, each written once with its one message; and the Party-cell rule.

A `Rule` says which stored rows clash with a row and how to name the clash in its message. Model
validation (clean), forms, services and the import all ask the rule; the database constraints that
restate it (Meta.constraints, PostgreSQL's exclusion constraints of personnel migration 0002) carry
its message, and a refusal by the database is explained by asking the rules again (`refusal_message`).
The posting and Party-role rules are in personnel/rules.py; the cell rule is here, where the cell's
own model can reach it (`communes` may not import `personnel`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communes.periods import CELL_LIFE, UNIT_LIFE, Period


@dataclass(frozen=True)
class Rule:
    """One rule: its message (placeholders filled from the clashing row), the constraints restating it."""

    code: str
    message: Promise
    constraints: tuple[str, ...]
    # The stored rows that clash with `obj`, or None when the rule does not apply to it.
    clashes: Callable[[Model], QuerySet | None] | None = None
    # For a rule about the row alone (its end after its start): whether `obj` breaks it; the row is its own clash.
    broken: Callable[[Model], bool] | None = None
    # The message's placeholders, from the clashing row.
    params: Callable[[Model], dict] = lambda clash: {}
    field: str | None = None

    def first_clash(self, obj: Model, ignoring: Iterable[int] = ()) -> Model | None:
        """The first row `obj` clashes with (itself for a rule about the row alone); `ignoring`: stored rows to leave out."""
        if self.broken is not None:
            return obj if self.broken(obj) else None
        rows = self.clashes(obj)
        return None if rows is None else rows.exclude(pk__in=list(ignoring)).first()

    def text(self, clash: Model) -> str:
        """The message, naming the clash (the clash may be an unsaved row, e.g. another line of an import)."""
        return str(self.message) % self.params(clash)

    def error(self, clash: Model) -> ValidationError:
        error = ValidationError(self.text(clash), code=self.code)
        return ValidationError({self.field: error}) if self.field else error

    def check(self, obj: Model) -> None:
        clash = self.first_clash(obj)
        if clash is not None:
            raise self.error(clash)


def check_all(obj: Model, rules: Iterable[Rule]) -> None:
    """Raise every broken rule's message at once, each beside its field (rules about the row alone come first)."""
    errors = {}
    for rule in rules:
        clash = rule.first_clash(obj)
        if clash is not None:
            errors.setdefault(rule.field or "__all__", []).append(ValidationError(rule.text(clash), code=rule.code))
            if rule.broken is not None:
                break  # an ill-formed period is not compared with others
    if errors:
        raise ValidationError(errors)


GENERIC_REFUSAL = _("The change breaks a rule the data must keep; nothing was saved.")


def refusal_message(obj: Model, rules: Iterable[Rule]) -> str:
    """Why the database refused to save `obj`: the first of its rules it breaks, asked again after the refusal.

    A refusal comes from a race (another administrator saved a clashing row a moment before) or from a
    constraint only the database holds; either way the rule that names the clash explains it.
    """
    return broken_rule_message(obj, rules) or str(GENERIC_REFUSAL)


def broken_rule_message(obj: Model, rules: Iterable[Rule]) -> str | None:
    """The message of the first rule `obj` breaks against the stored rows, or None."""
    for rule in rules:
        clash = rule.first_clash(obj)
        if clash is not None:
            return rule.text(clash)
    return None


def without_rule_constraints(constraints: list, rules: Iterable[Rule]) -> list:
    """A model's (class, constraints) pairs without those that restate a rule: for Model.get_constraints()."""
    names = {name for rule in rules for name in rule.constraints}
    return [(cls, [c for c in group if c.name not in names]) for cls, group in constraints]


def _cells_clashing(cell) -> QuerySet | None:
    if not cell.commune_id or not cell.established_on:
        return None
    return (
        type(cell)._default_manager.filter(commune_id=cell.commune_id)
        .filter(CELL_LIFE.overlapping(cell.established_on, cell.dissolved_on))
        .exclude(pk=cell.pk)
        .order_by("established_on")
    )


def ends_after_start(period: Period) -> Callable[[Model], bool]:
    """The row's own period is ill-formed: it ends before it starts (a life: on or before). Period.well_formed() in SQL."""

    def broken(obj: Model) -> bool:
        start, end = period.bounds(obj)
        return start is not None and end is not None and period.last_day(end) < start

    return broken


def outside_unit_life(period: Period, unit: str = "commune") -> Callable[[Model], bool]:
    """The row (a posting, a role, a cell: its `period`) has a day on which its unit did not exist.

    An open row in a unit that has since ended ends with its unit (every count clips it to the unit's
    life, and carrying the staff into the successors ends it on the unit's last day); a row that gives
    an end names its days, and they must all be days of the unit."""

    def broken(obj: Model) -> bool:
        start, end = period.bounds(obj)
        if start is None or not getattr(obj, f"{unit}_id", None):
            return False
        place = getattr(obj, unit)
        first, last = UNIT_LIFE.first_day(place.established_on), UNIT_LIFE.last_day(place.abolished_on)
        return not first <= start <= last or (end is not None and period.last_day(end) > last)

    return broken


def after_today(field: str) -> Callable[[Model], bool]:
    """The row's date in `field` is in the future: after today (timezone.localdate(), Vietnam's day)."""

    def broken(obj: Model) -> bool:
        day = getattr(obj, field, None)
        return day is not None and day > timezone.localdate()

    return broken


def today_params(_obj=None) -> dict:
    return {"today": f"{timezone.localdate():%d/%m/%Y}"}


# Postings, Party roles and cells carry the decision (quyết định) that made them: it was signed by now.
DECISION_NOT_IN_FUTURE = Rule(
    code="decision_in_future",
    message=_("A decision is dated today (%(today)s) or earlier."),
    constraints=(),
    broken=after_today("decision_date"),
    params=today_params,
    field="decision_date",
)


def describe_life(unit) -> str:
    """A unit's life as a reader writes it: "until 31/08/2019", "from 01/07/2025", or both days."""
    return _life_in_words(unit.established_on, unit.abolished_on, get_language())


@functools.lru_cache(maxsize=256)
def _life_in_words(start, end, language) -> str:
    # By the days and the language: a list offers hundreds of units ended on the same day (30/06/2025).
    if start is None and end is None:
        return ""
    if start is None:
        return _("until %(last)s") % {"last": f"{UNIT_LIFE.last_day(end):%d/%m/%Y}"}
    if end is None:
        return _("from %(first)s") % {"first": f"{start:%d/%m/%Y}"}
    return f"{start:%d/%m/%Y}–{UNIT_LIFE.last_day(end):%d/%m/%Y}"


def unit_life_params(obj, unit: str = "commune") -> dict:
    place = getattr(obj, unit)
    return {"unit": place.name, "life": describe_life(place)}


def within_unit_life(*, code: str, message: Promise, period: Period, field: str) -> Rule:
    """The rule that a row (a posting, a role, a cell) lies within its commune's life, with its message."""
    return Rule(code=code, message=message, constraints=(), broken=outside_unit_life(period), params=unit_life_params,
                field=field)


CELL_WITHIN_UNIT_LIFE = within_unit_life(
    code="cell_outside_unit_life",
    message=_("A Party cell lies within its commune's life: %(unit)s existed %(life)s."),
    period=CELL_LIFE, field="established_on",
)

CELL_DISSOLVED_AFTER_ESTABLISHED = Rule(
    code="cell_dissolved_before_established",
    message=_("A Party cell is dissolved after the day it was established (%(date)s)."),
    constraints=("party_cell_dissolved_after_established",),
    broken=ends_after_start(CELL_LIFE),
    params=lambda cell: {"date": f"{cell.established_on:%d/%m/%Y}"},
    field="dissolved_on",
)

ONE_CELL_PER_COMMUNE = Rule(
    code="one_cell_per_commune",
    message=_("This commune already has a police Party cell: %(cell)s, %(period)s."),
    constraints=("party_cell_one_open_per_commune", "party_cell_one_per_commune_at_a_time"),
    clashes=_cells_clashing,
    params=lambda clash: {"cell": str(clash), "period": CELL_LIFE.describe_row(clash)},
    field="commune",
)

CELL_RULES = (CELL_DISSOLVED_AFTER_ESTABLISHED, CELL_WITHIN_UNIT_LIFE, ONE_CELL_PER_COMMUNE, DECISION_NOT_IN_FUTURE)
