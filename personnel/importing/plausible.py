"""The plausibility rules for an import's rows: a date of birth, a Party admission and a decision date that can
be, and no one posted before their 18th birthday. The rules are those of clean() (personnel/rules.py), asked of
the row's officer (new: built from its first row; recorded: the record) and of the row's posting, in memory.
The role rule (ROLE_HELD_WHILE_POSTED) needs no check here: an import only adds postings, so it never leaves a
Party role without one."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from communes.rules import DECISION_NOT_IN_FUTURE
from personnel.rules import BIRTH_DATE_IN_PAST, PARTY_ADMISSION_AS_ADULT, PARTY_ADMISSION_NOT_IN_FUTURE, POSTED_AS_ADULT

# The officer's own rules, each beside the column it is about.
OFFICER_CHECKS = ((BIRTH_DATE_IN_PAST, "birth_date"), (PARTY_ADMISSION_AS_ADULT, "party_member_since"),
                  (PARTY_ADMISSION_NOT_IN_FUTURE, "party_member_since"))


def check_plausible(rows, *, new_officers: dict, recorded: dict, first_row: dict,
                    error: Callable[[object, str, str], None]) -> None:
    """Report, through `error(row, column key, message)`, every row that breaks a plausibility rule."""
    for number, officer in new_officers.items():
        for rule, key in OFFICER_CHECKS:
            if rule.broken(officer):
                error(first_row[number], key, rule.text(officer))
    for row in rows:
        p = row.parsed
        officer = new_officers.get(p["service_number"]) or recorded.get(p["service_number"])
        if officer is not None and p.get("start_date") and not p.get("outside"):
            posting = SimpleNamespace(officer=officer, start_date=p["start_date"])
            if POSTED_AS_ADULT.broken(posting):
                error(row, "start_date", POSTED_AS_ADULT.text(posting))
        decision = SimpleNamespace(decision_date=p.get("decision_date"))
        if DECISION_NOT_IN_FUTURE.broken(decision):
            error(row, "decision_date", DECISION_NOT_IN_FUTURE.text(decision))
