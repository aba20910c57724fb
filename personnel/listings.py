"""Annotated querysets behind the browsing tables (officers, postings, Party roles).

Every value a row shows comes from a join or a correlated subquery on the one query, so a page
of any length costs the same number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from communes.models import commune_state_on
from personnel.coverage import held_on
from personnel.models import Officer, PartyRole, Posting, Unit
from personnel.officer_history import attributes_on


def postings_held(*, user, as_of: datetime.date) -> QuerySet[Posting]:
    """The postings the user may see held on `as_of`: the rows the "officers in post" figure counts in
    the user's area, and what the officer list's post columns, "in post" and place filters read (so an
    officer posted in another province that day is not in post here)."""
    return Posting.objects.for_user(user).filter(held_on(as_of))


def officer_rows(*, user, as_of: datetime.date) -> QuerySet[Officer]:
    """The officers the user may see, in their area on `as_of` or today, with the posting each held on `as_of` in the user's area (if any),
    its commune named as it was that day."""
    current = (
        postings_held(user=user, as_of=as_of).filter(officer=OuterRef("pk"))
        .annotate(**commune_state_on(as_of, "commune__", fields=("name", "sort_key"))).order_by("-start_date")
    )
    # In the user's area on the day (its list), or today (the "all time" list reaches later recruits).
    officers = Officer.objects.for_user(user, on=as_of) | Officer.objects.for_user(user)
    on_day = attributes_on(as_of)
    return (
        officers
        .annotate(
            **on_day,
            home_unit_on_short=Coalesce(Subquery(Unit.objects.filter(pk=OuterRef("home_unit_on_id")).values("short_name")[:1]),
                                        Value("")),
            party_member_since_on=Case(When(party_member_since__lte=as_of, then=F("party_member_since"))),
        )
        .annotate(
            post_position=Subquery(current.values("position")[:1]),
            post_since=Subquery(current.values("start_date")[:1]),
            post_commune_code=Subquery(current.values("commune__code")[:1]),
            post_commune_name=Subquery(current.values("name_on")[:1]),
            post_commune_sort=Subquery(current.values("sort_key_on")[:1]),
            post_district_code=Subquery(current.values("commune__district__code")[:1]),
            post_district_name=Subquery(current.values("commune__district__name")[:1]),
            in_post=Exists(current),
        )
        .order_by("sort_key", "pk")
    )


def posting_rows(*, user, as_of: datetime.date) -> QuerySet[Posting]:
    """The postings the user may see, each commune named (`commune_name_on`) and sorted
    (`commune_sort_key_on`) as it was on `as_of`."""
    return (
        Posting.objects.for_user(user)
        .select_related("officer", "commune", "commune__district")
        .annotate(**commune_named_on(as_of), rank_on=attributes_on(as_of, "officer_id")["rank_on"])
        .order_by("-start_date", "officer__sort_key", "pk")
    )


def partyrole_rows(*, user, as_of: datetime.date, joined: bool = False) -> QuerySet[PartyRole]:
    """The Party roles the user may see, by place, each commune named and sorted as on `as_of`.

    A page fetches the officers and cells of its own rows (two small queries): joined, they made
    PostgreSQL hash the country's 60,000 officers before sorting (national list, page 1: 176 -> 66 ms).
    `joined`: for an export, which reads every row at once."""
    rows = PartyRole.objects.for_user(user).select_related("commune", "commune__district").annotate(**commune_named_on(as_of))
    rows = rows.select_related("officer", "cell") if joined else rows.prefetch_related("officer", "cell")
    return rows.order_by("commune__district__sort_key", "commune_sort_key_on", "role", "-start_date", "pk")


def commune_named_on(as_of: datetime.date) -> dict:
    """Annotations `commune_name_on` and `commune_sort_key_on` for rows that point at a commune."""
    state = commune_state_on(as_of, "commune__", fields=("name", "sort_key"))
    return {f"commune_{name}": expression for name, expression in state.items()}

