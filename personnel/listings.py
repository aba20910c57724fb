"""Annotated querysets behind the browsing tables (officers, postings, Party roles).

Every value a row shows comes from a join or a correlated subquery on the one query, so a page
of any length costs the same number of queries.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from personnel.models import Officer, PartyRole, Posting


def officer_rows(*, user, as_of: datetime.date) -> QuerySet[Officer]:
    """The officers the user may see, with the posting each held on `as_of` (if any)."""
    current = Posting.objects.open_on(as_of).filter(officer=OuterRef("pk")).order_by("-start_date")
    return (
        Officer.objects.for_user(user)
        .select_related("home_unit")
        .annotate(
            post_position=Subquery(current.values("position")[:1]),
            post_since=Subquery(current.values("start_date")[:1]),
            post_commune_code=Subquery(current.values("commune__code")[:1]),
            post_commune_name=Subquery(current.values("commune__name")[:1]),
            post_commune_sort=Subquery(current.values("commune__sort_key")[:1]),
            post_district_code=Subquery(current.values("commune__district__code")[:1]),
            post_district_name=Subquery(current.values("commune__district__name")[:1]),
            in_post=Exists(current),
        )
        .order_by("sort_key", "pk")
    )


def posting_rows(*, user) -> QuerySet[Posting]:
    return (
        Posting.objects.for_user(user)
        .select_related("officer", "commune", "commune__district")
        .order_by("-start_date", "officer__sort_key", "pk")
    )


def partyrole_rows(*, user, joined: bool = False) -> QuerySet[PartyRole]:
    """The Party roles the user may see, by place. A page fetches the officers and cells of its own rows
    (two small queries): joined, they made PostgreSQL hash the country's 60,000 officers before sorting
    (national list, page 1: 176 -> 66 ms). `joined`: for an export, which reads every row at once."""
    rows = PartyRole.objects.for_user(user).select_related("commune", "commune__district")
    rows = rows.select_related("officer", "cell") if joined else rows.prefetch_related("officer", "cell")
    return rows.order_by("commune__district__sort_key", "commune__sort_key", "role", "-start_date", "pk")

