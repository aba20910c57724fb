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
from personnel.choices import EndReason
from personnel.models import Officer, Posting

# Constraint names (Meta.constraints and migration 0002) mapped to the rule each one keeps,
# so a refusal by the database reads like the form's own message.
CONSTRAINT_MESSAGES = {
    "posting_one_open_per_officer": lambda: _("This officer already holds an open commune police position."),
    "posting_officer_periods_never_overlap": lambda: _(
        "This officer already holds a commune police position in that period; postings of one officer never overlap."
    ),
    "posting_one_open_chief_per_commune": lambda: _("This commune already has a chief in that period."),
    "posting_one_chief_per_commune_at_a_time": lambda: _("This commune already has a chief in that period."),
    "posting_ends_on_or_after_start": lambda: _("A posting ends on or after the day it starts."),
    "party_role_one_open_secretary_per_cell": lambda: _("This Party cell already has a secretary in that period."),
    "party_role_one_secretary_per_cell_at_a_time": lambda: _("This Party cell already has a secretary in that period."),
    "party_cell_one_open_per_commune": lambda: _("This commune already has a police Party cell."),
    "party_cell_one_per_commune_at_a_time": lambda: _("This commune already has a police Party cell."),
    "personnel_officer_service_number_key": lambda: _("Another officer already has this service number."),
}


def integrity_message(error: IntegrityError) -> str:
    """The rule a database refusal stands for, in the user's language."""
    text = str(error)
    for name, message in CONSTRAINT_MESSAGES.items():
        if name in text:
            return message()
    if "service_number" in text:
        return CONSTRAINT_MESSAGES["personnel_officer_service_number_key"]()
    if "personnel_posting.officer_id" in text:
        return CONSTRAINT_MESSAGES["posting_one_open_per_officer"]()
    if "personnel_posting.commune_id" in text:
        return CONSTRAINT_MESSAGES["posting_one_open_chief_per_commune"]()
    if "personnel_partyrole.cell_id" in text:
        return CONSTRAINT_MESSAGES["party_role_one_open_secretary_per_cell"]()
    if "communes_partycell.commune_id" in text:
        return CONSTRAINT_MESSAGES["party_cell_one_open_per_commune"]()
    return _("The change breaks a rule the data must keep; nothing was saved.")


def _save(obj) -> None:
    """full_clean, then save; a database refusal becomes a ValidationError with the rule's message."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError(integrity_message(error)) from error


def posting_start(
    *,
    officer: Officer,
    commune: Commune,
    position: str,
    on: datetime.date,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> Posting:
    posting = Posting(
        officer=officer, commune=commune, position=position, start_date=on,
        decision_number=decision_number, decision_date=decision_date, note=note,
    )
    with transaction.atomic():
        # Lock the officer's row so two administrators posting the same officer queue here.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        _save(posting)
    return posting


def posting_end(*, posting: Posting, on: datetime.date, reason: str = EndReason.OTHER, note: str = "") -> Posting:
    """End a posting; `on` is the last day in post."""
    if posting.end_date is not None:
        raise ValidationError(_("This posting has already ended."))
    posting.end_date = on
    posting.end_reason = reason
    if note:
        posting.note = f"{posting.note}\n{note}".strip()
    with transaction.atomic():
        _save(posting)
    return posting


def posting_transfer(
    *,
    posting: Posting,
    to_commune: Commune,
    on: datetime.date,
    position: str | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Posting:
    """Move an officer: the current posting ends the day before `on`, the new one starts on `on`."""
    if on <= posting.start_date:
        raise ValidationError(_("A transfer takes effect after the current posting started."))
    with transaction.atomic():
        posting_end(posting=posting, on=on - datetime.timedelta(days=1), reason=EndReason.TRANSFERRED)
        return posting_start(
            officer=posting.officer, commune=to_commune, position=position or posting.position, on=on,
            decision_number=decision_number, decision_date=decision_date,
        )


def party_cell_establish(
    *, commune: Commune, on: datetime.date, name: str = "", decision_number: str = "", decision_date=None
) -> PartyCell:
    cell = PartyCell(
        commune=commune, established_on=on, name=name, decision_number=decision_number, decision_date=decision_date
    )
    if PartyCell.objects.filter(commune=commune, dissolved_on__isnull=True).exists():
        raise ValidationError(CONSTRAINT_MESSAGES["party_cell_one_open_per_commune"]())
    with transaction.atomic():
        _save(cell)
    return cell


