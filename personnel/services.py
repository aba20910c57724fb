"""Writes that touch more than one row: start, transfer and end postings; Party roles and cells.

Each runs in one transaction and calls full_clean() before save(), so the rules are checked
with a clear message first; the database constraints refuse whatever slips past (two
administrators at the same moment, a bulk load).

Administrators at the same moment (issue 15). Every service enters through `datacache.writing()`,
whose first statement raises the data version and so locks its row: writers of these apps queue
there and can never wait for each other in a cycle. A service that reads a row and then writes on
what it read locks that row (select_for_update) and reads it again under the lock, in this order:

    the data version, then officers, then postings, then Party cells, then Party roles
    (several rows of one kind: by primary key)

and checks again what it read: an ended posting or role, a dissolved cell, is refused with its
message, and so is an edit form read at an older version of the record (`version`, see
personnel/versions.py), with who changed what since.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from communes.models import Commune, PartyCell
from communes.periods import TERM
from communes.rules import CELL_DISSOLVED_AFTER_ESTABLISHED
from datacache import writing
from datacache.topics import STAFFING
from personnel import versions
from personnel.choices import CELL_ROLES, EndReason
from personnel.models import Officer, PartyRole, Posting
from personnel.officer_history import ATTRIBUTE_FIELDS, NOT_SERVING, Attribute, OfficerChange, not_serving_from
from personnel.rules import POSTED_AS_ADULT, ROLE_HELD_WHILE_POSTED, refusal_message, role_uncovered_days


def _lock(model, pk) -> None:
    model._default_manager.select_for_update().filter(pk=pk).first()


def _lock_and_reload(obj) -> None:
    """Lock the row and read it again: what another administrator committed meanwhile is what we see."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())


def _save(obj, change_reason: str = "", tolerate: tuple = ()) -> None:
    """full_clean, then save; a database refusal becomes a ValidationError with the rule's message.

    `change_reason` goes into the history row django-simple-history writes on save; the user
    comes from HistoryRequestMiddleware (or `obj._history_user`, set by callers outside a request).
    `tolerate`: rules the stored row already broke and the change cannot make worse (an end removes days,
    never adds any): a record kept before a rule can still be ended when it is the only one broken.
    """
    # The rules' own messages come from clean() (personnel/rules.py); the constraints restating a
    # rule are left to it, and the database still refuses whatever slips through.
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as refusal:
        codes = {e.code for errors in refusal.error_dict.values() for e in errors} if hasattr(
            refusal, "error_dict") else {e.code for e in refusal.error_list}
        if not tolerate or not codes <= {rule.code for rule in tolerate}:
            raise
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
    with writing(commune, topics=(STAFFING,)):
        # Lock the officer's row so two administrators posting the same officer queue here.
        _lock(Officer, officer.pk)
        refuse_if_not_serving(officer, on)
        _save(posting, change_reason)
    return posting


def posting_end(
    *, posting: Posting, on: datetime.date, reason: str = EndReason.OTHER, note: str = "", change_reason: str = "",
    version: int | None = None,
) -> Posting:
    """End a posting; `on` is the last day in post, `reason` the EndReason, `change_reason` free text for the history.

    The officer's Party roles in the commune that the end leaves without a posting end on the same day
    (`posting.ended_roles`); one it cannot end so (it starts later) refuses the end (ROLE_HELD_WHILE_POSTED).
    `version`: the posting's version the edit form was read at (None when no form is involved).
    """
    with writing(posting, topics=(STAFFING,)):
        _lock(Officer, posting.officer_id)
        _lock_and_reload(posting)
        versions.check(posting, version)
        before_note = posting.note
        _end(posting, on, reason, note, change_reason)
        try:
            posting.ended_roles = _roles_after_leaving(posting, change_reason)
        except ValidationError:
            posting.end_date, posting.end_reason, posting.note = None, "", before_note
            raise
    return posting


def _end(posting: Posting, on: datetime.date, reason: str, note: str, change_reason: str) -> None:
    """End a locked, reloaded posting (its roles are the caller's: _roles_after_leaving)."""
    if posting.end_date is not None:
        raise ValidationError(_("This posting has already ended."))
    before_note = posting.note
    # A posting recorded before the age rule can still end (its first day does not change).
    already = tuple(rule for rule in (POSTED_AS_ADULT,) if rule.broken(posting))
    posting.end_date = on
    posting.end_reason = reason
    if note:
        posting.note = f"{posting.note}\n{note}".strip()
    try:
        _save(posting, change_reason, tolerate=already)
    except ValidationError:
        # Leave the caller's object as it was, so a refused end does not look ended.
        posting.end_date, posting.end_reason, posting.note = None, "", before_note
        raise


def _roles_after_leaving(posting: Posting, change_reason: str) -> list[PartyRole]:
    """After `posting` ended: the officer's open Party roles in its commune that now lack a posting there end on
    its last day (cell dissolutions end roles the same way); a role still reaching past that day without a
    posting there is refused in the rule's words. Returns the roles ended."""
    last = posting.end_date
    roles = list(PartyRole.objects.select_for_update(of=("self",)).select_related("officer", "commune", "cell").filter(
        officer_id=posting.officer_id, commune_id=posting.commune_id).order_by("pk"))
    ended = []
    for role in roles:
        if TERM.last_day(role.end_date) <= last:
            continue
        # The open posting covered every later day: the end took away only the days after `last` (a day
        # without a posting before it, in a role recorded before the rule, is not this end's doing).
        if not any(run_end is None or run_end > last for _first, run_end in role_uncovered_days(role)):
            continue
        if role.end_date is None and role.start_date <= last:
            party_role_end(party_role=role, on=last, change_reason=change_reason)
            ended.append(role)
        else:
            raise ROLE_HELD_WHILE_POSTED.error(role)
    return ended


def posting_transfer(
    *,
    posting: Posting,
    to_commune: Commune,
    on: datetime.date,
    position: str | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    change_reason: str = "",
    version: int | None = None,
) -> Posting:
    """Move an officer: the current posting ends the day before `on`, the new one starts on `on`."""
    with writing(posting, to_commune, topics=(STAFFING,)):
        _lock(Officer, posting.officer_id)
        _lock_and_reload(posting)
        versions.check(posting, version)
        if posting.end_date is not None:
            raise ValidationError(_("This posting has already ended."))
        if on <= posting.start_date:
            raise ValidationError(_("A transfer takes effect after the current posting started."))
        _end(posting, on - datetime.timedelta(days=1), EndReason.TRANSFERRED, "", change_reason)
        try:
            new = posting_start(
                officer=posting.officer, commune=to_commune, position=position or posting.position, on=on,
                decision_number=decision_number, decision_date=decision_date, change_reason=change_reason,
            )
            # After the new posting: a move to another position in the same commune keeps the roles there.
            new.ended_roles = _roles_after_leaving(posting, change_reason)
        except ValidationError:
            posting.end_date, posting.end_reason = None, ""
            raise
        return new


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
    with writing(commune, topics=(STAFFING,)):
        _save(cell, change_reason)
    return cell


def party_cell_dissolve(
    *, cell: PartyCell, on: datetime.date, change_reason: str = "", version: int | None = None
) -> PartyCell:
    """Dissolve a cell; `on` is the first day it no longer exists. Its open roles end the day before."""
    with writing(cell, topics=(STAFFING,)):
        # The cell first, then its roles: an appointment to it (which locks the cell too) either
        # committed before, and its role is ended here, or waits and then finds the cell dissolved.
        _lock_and_reload(cell)
        versions.check(cell, version)
        if cell.dissolved_on is not None:
            raise ValidationError(_("This Party cell has already been dissolved."))
        # Checked before the open roles end the day before, which would otherwise be the first to complain.
        CELL_DISSOLVED_AFTER_ESTABLISHED.check(PartyCell(established_on=cell.established_on, dissolved_on=on))
        for role in PartyRole.objects.select_for_update().filter(TERM.still_open(), cell=cell).order_by("pk"):
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
    with writing(officer, topics=(STAFFING,)):
        _save(officer, change_reason)
    return officer


def officer_update(*, officer: Officer, change_reason: str = "", version: int | None = None, **fields) -> Officer:
    """Correct an officer's details; only the fields given change. `version`: as for posting_end.

    A rank, home unit or status given here corrects the value in force now (its latest change, or the value
    recorded all along): a promotion or a move from a day on is officer_change()."""
    for name, value in fields.items():
        setattr(officer, name, value)
    officer.fill_derived()
    with writing(officer, topics=(STAFFING,)):
        # Locked, not reloaded: the object carries the correction (an edit form has set every field).
        _lock(Officer, officer.pk)
        versions.check(officer, version)
        _save(officer, change_reason)
        for attribute, field in ATTRIBUTE_FIELDS.items():
            latest = officer.changes.filter(attribute=attribute).order_by(F("effective_on").desc(nulls_last=True)).first()
            if field in fields and latest is not None and latest.value != getattr(officer, field):
                setattr(latest, field, getattr(officer, field))
                _save(latest, change_reason)
    return officer


def officer_change(
    *, officer: Officer, on: datetime.date, rank: str = "", home_unit=None, status: str = "",
    decision_number: str = "", decision_date: datetime.date | None = None, change_reason: str = "",
) -> list[OfficerChange]:
    """Record a promotion, a move to another home unit or a change of status from the day `on`; what was in
    force before keeps its days (the first change of an attribute records its first value, the officer's)."""
    asked = {Attribute.RANK: rank, Attribute.HOME_UNIT: home_unit, Attribute.STATUS: status}
    asked = {attribute: value for attribute, value in asked.items() if value}
    if not asked:
        raise ValidationError(_("Give a new rank, home unit or status."))
    written = []
    with writing(officer, home_unit, topics=(STAFFING,)):
        _lock_and_reload(officer)
        for attribute, value in asked.items():
            field = ATTRIBUTE_FIELDS[attribute]
            rows = officer.changes.filter(attribute=attribute)
            if not rows.exists():
                _save(OfficerChange(officer=officer, attribute=attribute, **{field: getattr(officer, field)}), change_reason)
            before = rows.in_force_on(on).first()
            if before.value == value:
                raise ValidationError({field: _("%(officer)s already has this %(what)s on %(day)s.") % {
                    "officer": officer.full_name, "what": Attribute(attribute).label.lower(),
                    "day": formats.date_format(on, "SHORT_DATE_FORMAT")}})
            if rows.filter(effective_on=on).exists():
                raise ValidationError({"on": _("%(officer)s already has a change of %(what)s on %(day)s; correct it "
                                               "instead.") % {"officer": officer.full_name,
                                                              "what": Attribute(attribute).label.lower(),
                                                              "day": formats.date_format(on, "SHORT_DATE_FORMAT")}})
            change = OfficerChange(officer=officer, attribute=attribute, effective_on=on, decision_number=decision_number,
                                   decision_date=decision_date, **{field: value})
            _save(change, change_reason)
            written.append(change)
            latest = rows.order_by(F("effective_on").desc(nulls_last=True), "-pk").first()
            setattr(officer, field, latest.home_unit if attribute == Attribute.HOME_UNIT else latest.value)
        if status in NOT_SERVING:
            _refuse_terms_after_leaving(officer, on)
        _save(officer, change_reason)
    return written


def _refuse_terms_after_leaving(officer: Officer, on: datetime.date) -> None:
    """An officer who leaves the force on `on` holds no posting or Party role from that day: end them first."""
    held = [*Posting.objects.filter(TERM.overlapping(on, None), officer=officer).select_related("commune"),
            *PartyRole.objects.filter(TERM.overlapping(on, None), officer=officer).select_related("commune")]
    if held:
        raise ValidationError({"status": _("%(officer)s still holds from %(day)s: %(held)s. End these first, on the "
                                           "day before at the latest.") % {
            "officer": officer.full_name, "day": formats.date_format(on, "SHORT_DATE_FORMAT"),
            "held": "; ".join(f"{row.get_position_display() if isinstance(row, Posting) else row.get_role_display()}"
                              f", {row.commune.name} ({TERM.describe_row(row)})" for row in held)}})


def refuse_if_not_serving(officer: Officer, start: datetime.date) -> None:
    """A posting or Party role from `start` on (with no end) for an officer who is no longer serving then."""
    leaving = not_serving_from(officer, start)
    if leaving is not None:
        day = formats.date_format(leaving.effective_on, "SHORT_DATE_FORMAT") if leaving.effective_on else ""
        raise ValidationError({"officer": _("%(officer)s is %(status)s from %(day)s: no posting or role after "
                                            "that.") % {"officer": officer.full_name,
                                                        "status": leaving.get_status_display().lower(), "day": day}
                               if day else _("%(officer)s is %(status)s: no posting or role.") % {
                                   "officer": officer.full_name, "status": leaving.get_status_display().lower()}})


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
    with writing(commune, topics=(STAFFING,)):
        if role in CELL_ROLES:
            # The cell locked and read again: two appointments to it queue, so the second sees the first,
            # and one that waited for a dissolution finds the cell dissolved (ROLE_WITHIN_CELL_LIFE).
            cells = PartyCell.objects.select_for_update()
            cell = cells.filter(pk=cell.pk).first() if cell is not None else (
                cells.active_on(on).filter(commune=commune).first())
            if cell is None:
                raise ValidationError({"role": _("This commune has no police Party cell on that day; set one up first.")})
        if officer is not None:
            refuse_if_not_serving(officer, on)
        party_role = PartyRole(
            commune=commune, role=role, start_date=on, officer=officer, holder_name=holder_name.strip(),
            cell=cell if role in CELL_ROLES else None, decision_number=decision_number, decision_date=decision_date,
        )
        _save(party_role, change_reason)
    return party_role


def party_role_end(
    *, party_role: PartyRole, on: datetime.date, change_reason: str = "", version: int | None = None
) -> PartyRole:
    """End a Party role; `on` is the last day in the role. `version`: as for posting_end."""
    with writing(party_role, topics=(STAFFING,)):
        _lock_and_reload(party_role)
        versions.check(party_role, version)
        if party_role.end_date is not None:
            raise ValidationError(_("This role has already ended."))
        # A role recorded before its holder's postings were asked for can still end (it loses days, gains none).
        already = tuple(rule for rule in (ROLE_HELD_WHILE_POSTED,) if rule.broken(party_role))
        party_role.end_date = on
        try:
            _save(party_role, change_reason, tolerate=already)
        except ValidationError:
            party_role.end_date = None
            raise
    return party_role
