"""Writes of the follow-up log, each in one transaction entered through datacache.writing() (the data
version first, then the entry's row, then its state changes)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from communes.rules import today_params
from datacache import writing
from followup.choices import FollowUpState
from followup.models import LogEntry, StateChange
from followup.rules import (
    ENTRY_AFTER_STATE,
    STATE_BEFORE_ENTRY,
    STATE_BEFORE_LAST,
    STATE_IN_FUTURE,
    STATE_NEEDS_FOLLOWUP,
    STATE_UNCHANGED,
)

ENTRY_FIELDS = ("commune", "day", "kind", "visitor", "unit", "findings", "requests", "action", "due_on", "responsible")


def entry_record(*, user=None, **fields) -> LogEntry:
    """Record a visit or report; with a follow-up, it is open from the entry's day."""
    with writing():
        entry = LogEntry(recorded_by=_user(user), **{name: fields.get(name, "") for name in ENTRY_FIELDS
                                                     if name in fields})
        entry.full_clean()
        entry.save()
        if entry.has_followup:
            StateChange.objects.create(entry=entry, state=FollowUpState.OPEN, on=entry.day, recorded_by=_user(user))
        return entry


def entry_correct(*, entry: LogEntry, user=None, **fields) -> LogEntry:
    """Correct an entry. Its first state ("open", written with it) moves with its day; the later ones stay,
    and the day may not pass them. A follow-up added gets its "open" state; one removed takes its states."""
    with writing():
        entry = LogEntry.objects.select_for_update().select_related("commune").get(pk=entry.pk)
        changes = list(StateChange.objects.select_for_update().filter(entry=entry).order_by("on", "pk"))
        for name, value in fields.items():
            if name in ENTRY_FIELDS:
                setattr(entry, name, value)
        entry.full_clean()
        later = changes[1:]
        if later and entry.has_followup and entry.day > later[0].on:
            raise ValidationError({"day": ENTRY_AFTER_STATE % {"day": f"{later[0].on:%d/%m/%Y}"}})
        entry.save()
        if not entry.has_followup:
            StateChange.objects.filter(entry=entry).delete()
        elif not changes:
            StateChange.objects.create(entry=entry, state=FollowUpState.OPEN, on=entry.day, recorded_by=_user(user))
        elif changes[0].on != entry.day:
            changes[0].on = entry.day
            changes[0].save(update_fields=["on"])
        return entry


def entry_change_state(*, entry: LogEntry, state: str, on: datetime.date, note: str = "", user=None) -> StateChange:
    """The follow-up is `state` from the day `on`: not before the entry, nor before its last change, nor in the future."""
    with writing():
        entry = LogEntry.objects.select_for_update().get(pk=entry.pk)
        check_state_change(entry, list(StateChange.objects.filter(entry=entry).order_by("on", "pk")), state=state, on=on)
        return StateChange.objects.create(entry=entry, state=state, on=on, note=note, recorded_by=_user(user))


def check_state_change(entry: LogEntry, changes: list[StateChange], *, state: str, on: datetime.date) -> None:
    """The state-change rules, each with its message (the form asks them too)."""
    if not entry.has_followup:
        raise ValidationError(STATE_NEEDS_FOLLOWUP, code="followup_none")
    if on < entry.day:
        raise ValidationError({"on": STATE_BEFORE_ENTRY % {"day": f"{entry.day:%d/%m/%Y}"}})
    if on > timezone.localdate():
        raise ValidationError({"on": STATE_IN_FUTURE % today_params()})
    if changes:
        last = max(changes, key=lambda c: (c.on, c.pk))
        if on < last.on:
            raise ValidationError({"on": STATE_BEFORE_LAST % {"state": last.get_state_display(), "day": f"{last.on:%d/%m/%Y}"}})
        if last.state == state:
            raise ValidationError({"state": STATE_UNCHANGED % {"state": last.get_state_display()}})


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None



