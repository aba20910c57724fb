"""Reads of the follow-up log: the rows every list, page and export shows, as of a day."""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from communes.models import Commune
from followup.choices import FollowUpState
from followup.models import LogEntry, state_on
from personnel.access import scope_for
from personnel.listings import commune_named_on

# The follow-ups still to be acted on (the list's "pending" choice).
PENDING = (FollowUpState.OPEN, FollowUpState.IN_PROGRESS)


def entry_rows(*, user, as_of: datetime.date, later_too: bool = False):
    """The entries the user may see, as they stood on the day: dated on or before it (a later visit is not
    there yet), each with the follow-up's state on the day (`state_on`), its commune named as then and its
    district (since 01/07/2025: the district its commune came from), and `overdue_on` (pending past its date).
    `later_too`: entries dated after the day as well (an entry's own page, read on an earlier day)."""
    scope = scope_for(user)
    rows = LogEntry.objects.filter(scope.commune_q("commune__"))
    return (
        (rows if later_too else rows.filter(day__lte=as_of))
        .select_related("unit", "commune", "commune__district", "commune__former_district")
        .annotate(state_on=state_on(as_of), **commune_named_on(as_of),
                  district_name=Coalesce(F("commune__district__name"), F("commune__former_district__name")),
                  district_sort=Coalesce(F("commune__district__sort_key"), F("commune__former_district__sort_key")))
        .annotate(overdue_on=_overdue(as_of))
        .order_by("-day", "-pk")
    )


def _overdue(as_of: datetime.date):
    from django.db.models import BooleanField, Case, Value, When

    return Case(When(Q(state_on__in=PENDING, due_on__lt=as_of), then=Value(True)), default=Value(False),
                output_field=BooleanField())


def commune_entries(commune: Commune, *, user, as_of: datetime.date) -> list[LogEntry]:
    """A commune's entries on the day, newest first (one query)."""
    return list(entry_rows(user=user, as_of=as_of).filter(commune=commune))
