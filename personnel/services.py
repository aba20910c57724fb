"""Writes that touch more than one row: start, transfer and end postings; Party roles and cells.

Each runs in one transaction and calls full_clean() before save(), so the rules are checked
with a clear message first; the database constraints refuse whatever slips past (two
administrators at the same moment, a bulk load).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communes.models import Commune, PartyCell
from communes.periods import TERM
from communes.rules import CELL_DISSOLVED_AFTER_ESTABLISHED
from personnel.choices import CELL_ROLES, EndReason
from personnel.models import Officer, PartyRole, Posting
from personnel.rules import refusal_message


def _save(obj, change_reason: str = "") -> None:
    """full_clean, then save; a database refusal becomes a ValidationError with the rule's message.

    `change_reason` goes into the history row django-simple-history writes on save; the user
    comes from HistoryRequestMiddleware (or `obj._history_user`, set by callers outside a request).
    """
    # The rules' own messages come from clean() (personnel/rules.py); the constraints restating a
    # rule are left to it, and the database still refuses whatever slips through.
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj._change_reason = change_reason.strip() or None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        # A race, or a constraint only the database holds: ask the rules again which one it broke.
        raise ValidationError(refusal_message(obj)) from error


def posting_start(
    *,
    officer: Officer,
    commune: Commune,
    position: str,
    on: datetime.date,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
    change_reason: str = "",
) -> Posting:
    posting = Posting(
        officer=officer, commune=commune, position=position, start_date=on,
        decision_number=decision_number, decision_date=decision_date, note=note,
    )
    with transaction.atomic():
        # Lock the officer's row so two administrators posting the same officer queue here.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        _save(posting, change_reason)
    return posting


def posting_end(
    *, posting: Posting, on: datetime.date, reason: str = EndReason.OTHER, note: str = "", change_reason: str = ""
) -> Posting:
    """End a posting; `on` is the last day in post, `reason` the EndReason, `change_reason` free text for the history."""
    if posting.end_date is not None:
        raise ValidationError(_("This posting has already ended."))
    posting.end_date = on
    posting.end_reason = reason
    if note:
        posting.note = f"{posting.note}\n{note}".strip()
    try:
        with transaction.atomic():
            _save(posting, change_reason)
    except ValidationError:
        # Leave the caller's object as it was, so a refused end does not look ended.
        posting.end_date, posting.end_reason = None, ""
        raise
    return posting


def posting_transfer(
    *,
    posting: Posting,
    to_commune: Commune,
    on: datetime.date,
    position: str | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    change_reason: str = "",
) -> Posting:
    """Move an officer: the current posting ends the day before `on`, the new one starts on `on`."""
    if on <= posting.start_date:
        raise ValidationError(_("A transfer takes effect after the current posting started."))
    with transaction.atomic():
        posting_end(
            posting=posting, on=on - datetime.timedelta(days=1), reason=EndReason.TRANSFERRED, change_reason=change_reason
        )
        try:
            return posting_start(
                officer=posting.officer, commune=to_commune, position=position or posting.position, on=on,
                decision_number=decision_number, decision_date=decision_date, change_reason=change_reason,
            )
        except ValidationError:
            posting.end_date, posting.end_reason = None, ""
            raise


def party_cell_establish(
    *,
    commune: Commune,
    on: datetime.date,
    name: str = "",
    decision_number: str = "",
    decision_date=None,
    change_reason: str = "",
) -> PartyCell:
    cell = PartyCell(
        commune=commune, established_on=on, name=name, decision_number=decision_number, decision_date=decision_date
    )
    # A new cell may follow a dissolved one, never overlap it: PartyCell.clean() asks the cell rule.
    with transaction.atomic():
        _save(cell, change_reason)
    return cell


def party_cell_dissolve(*, cell: PartyCell, on: datetime.date, change_reason: str = "") -> PartyCell:
    """Dissolve a cell; `on` is the first day it no longer exists. Its open roles end the day before."""
    if cell.dissolved_on is not None:
        raise ValidationError(_("This Party cell has already been dissolved."))
    # Checked before the open roles end the day before, which would otherwise be the first to complain.
    CELL_DISSOLVED_AFTER_ESTABLISHED.check(PartyCell(established_on=cell.established_on, dissolved_on=on))
    with transaction.atomic():
        for role in PartyRole.objects.select_for_update().filter(TERM.still_open(), cell=cell):
            party_role_end(party_role=role, on=on - datetime.timedelta(days=1), change_reason=change_reason)
        cell.dissolved_on = on
        try:
            _save(cell, change_reason)
        except ValidationError:
            cell.dissolved_on = None
            raise
    return cell


def officer_create(*, change_reason: str = "", **fields) -> Officer:
    """Add an officer; `fields` are Officer fields (full_name, gender, rank, service_number, …)."""
    officer = Officer(**fields)
    officer.fill_derived()
    with transaction.atomic():
        _save(officer, change_reason)
    return officer


def officer_update(*, officer: Officer, change_reason: str = "", **fields) -> Officer:
    """Correct an officer's details; only the fields given change."""
    for name, value in fields.items():
        setattr(officer, name, value)
    officer.fill_derived()
    with transaction.atomic():
        _save(officer, change_reason)
    return officer


def party_role_appoint(
    *,
    commune: Commune,
    role: str,
    on: datetime.date,
    officer: Officer | None = None,
    holder_name: str = "",
    cell: PartyCell | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    change_reason: str = "",
) -> PartyRole:
    """Appoint a holder to a Party role; a cell role goes to the commune's active cell unless one is given."""
    if role in CELL_ROLES and cell is None:
        cell = PartyCell.objects.active_on(on).filter(commune=commune).first()
        if cell is None:
            raise ValidationError({"role": _("This commune has no police Party cell on that day; set one up first.")})
    party_role = PartyRole(
        commune=commune, role=role, start_date=on, officer=officer, holder_name=holder_name.strip(),
        cell=cell if role in CELL_ROLES else None, decision_number=decision_number, decision_date=decision_date,
    )
    with transaction.atomic():
        if cell is not None:
            # Two appointments to the same cell queue here, so the second sees the first.
            PartyCell.objects.select_for_update().filter(pk=cell.pk).first()
        _save(party_role, change_reason)
    return party_role


def party_role_end(*, party_role: PartyRole, on: datetime.date, change_reason: str = "") -> PartyRole:
    """End a Party role; `on` is the last day in the role."""
    if party_role.end_date is not None:
        raise ValidationError(_("This role has already ended."))
    party_role.end_date = on
    try:
        with transaction.atomic():
            _save(party_role, change_reason)
    except ValidationError:
        party_role.end_date = None
        raise
    return party_role
