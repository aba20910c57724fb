"""Writing checked rows: bulk inserts with their history rows, in one transaction."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

import datacache
from communes.models import Commune
from personnel.models import Officer, Posting, Unit


def _write(officers: list[Officer], postings: list[Posting], user, change_reason: str) -> None:
    # bulk_create sends no signals: the provinces of the communes posted to and of the new officers' units
    datacache.bump(_provinces(Commune, {p.commune_id for p in postings})
                   | _provinces(Unit, {o.home_unit_id for o in officers if o.home_unit_id}))
    for officer in officers:
        officer.fill_derived()
    reason = change_reason or _("bulk import")
    history_user = user if user is not None and user.is_authenticated else None
    if not connection.features.can_return_rows_from_bulk_insert:
        bulk_create_with_history(officers, Officer, batch_size=BATCH, default_user=history_user, default_change_reason=reason)
        for posting in postings:
            posting.officer_id = posting.officer_id or posting.officer.pk
        bulk_create_with_history(postings, Posting, batch_size=BATCH, default_user=history_user, default_change_reason=reason)
        return
    when = timezone.now()
    Officer.objects.bulk_create(officers, batch_size=BATCH)
    for posting in postings:
        posting.officer_id = posting.officer_id or posting.officer.pk
    Posting.objects.bulk_create(postings, batch_size=BATCH)
    for model, rows in ((Officer, officers), (Posting, postings)):
        _copy_into_history(model, [row.pk for row in rows], user=history_user, reason=reason, when=when)


BATCH = 1000


def _provinces(model, pks: set[int]) -> set[int]:
    pks, size, found = sorted(pks), chunk_size(), set()
    for start in range(0, len(pks), size):
        found |= set(model.objects.filter(pk__in=pks[start:start + size]).values_list("province_id", flat=True))
    return found


def chunk_size(reserved: int = 0) -> int:
    """How many values one statement binds: under SQLite's limit (999), else 10,000 (PostgreSQL allows 65,535)."""
    return min(connection.features.max_query_params or 10_000, 10_000) - reserved


def _copy_into_history(model, ids: list[int], *, user, reason: str, when) -> None:
    """One "created" history row per new row, copied by the database (INSERT … SELECT).

    django-simple-history's bulk_history_create builds a Python object per row and costs as
    much again as the import itself; copying the columns in SQL writes the same rows (same
    columns, user, reason, date, type "+") for a fraction of that.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    own = {f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.column in own)
    extra = ", ".join(quote(c) for c in ("history_date", "history_type", "history_user_id", "history_change_reason"))
    stamp = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        size = chunk_size(reserved=4)
        for start in range(0, len(ids), size):
            chunk = ids[start:start + size]
            # Only quoted table and column names are formatted in; the values are parameters.
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "  # noqa: S608
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, "+", user.pk if user else None, reason, *chunk],
            )
