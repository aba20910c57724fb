"""When a row is open on a day, and when two periods overlap: written once, for every kind of period.

Two conventions live in the data, and mixing them up is an off-by-one nobody sees:

- A *term* (postings, Party roles): `start_date` .. `end_date`, and `end_date` is the LAST day in post
  (inclusive); an open term has no end date.
- A *life* (Party cells: `established_on` .. `dissolved_on`; provinces, districts and communes:
  `established_on` .. `abolished_on`): the end is the FIRST day the thing no longer exists (exclusive).
  A unit may have no known start (it existed before the data begins).

Each kind is one `Period`; it gives Q expressions (prefix-aware, e.g. "cell__" to reach a role's cell)
and the same tests on a row in Python. PostgreSQL's exclusion constraints (personnel migration 0002)
restate them as daterange '[]' for terms and '[)' for lives. This module lives in `communes` so that
both apps can use it (`communes` may not import `personnel`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext as _

FAR = datetime.date.max
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The fields holding a period's start and end, and whether the end day is still inside it."""

    start: str
    end: str
    end_inclusive: bool
    start_optional: bool = False

    # --- SQL -------------------------------------------------------------------------------------

    def _started_by(self, day: datetime.date, prefix: str) -> Q:
        q = Q(**{f"{prefix}{self.start}__lte": day})
        return q | Q(**{f"{prefix}{self.start}__isnull": True}) if self.start_optional else q

    def _not_ended_before(self, day: datetime.date, prefix: str) -> Q:
        lookup = "gte" if self.end_inclusive else "gt"
        return Q(**{f"{prefix}{self.end}__isnull": True}) | Q(**{f"{prefix}{self.end}__{lookup}": day})

    def open_on(self, day: datetime.date, prefix: str = "") -> Q:
        """Rows (reached through `prefix`) whose period holds the day."""
        return self._started_by(day, prefix) & self._not_ended_before(day, prefix)

    def overlapping(self, start: datetime.date | None, end: datetime.date | None, prefix: str = "") -> Q:
        """Rows whose period shares at least one day with the period [start, end] written the same way."""
        first, last = self.first_day(start), self.last_day(end)
        q = self._not_ended_before(first, prefix) if first != datetime.date.min else Q()
        if last != FAR:
            q &= self._started_by(last, prefix)
        return q

    def ended_before(self, day: datetime.date, prefix: str = "") -> Q:
        """Rows whose period was over before the day (the day is not in it, nor any later one)."""
        lookup = "lt" if self.end_inclusive else "lte"
        return Q(**{f"{prefix}{self.end}__{lookup}": day})

    def well_formed(self) -> Q:
        """The row's own period is a period: it ends on or after (a life: after) the day it starts."""
        lookup = "gte" if self.end_inclusive else "gt"
        q = Q(**{f"{self.end}__isnull": True})
        if self.start_optional:
            q |= Q(**{f"{self.start}__isnull": True})
        return q | Q(**{f"{self.end}__{lookup}": F(self.start)})

    def still_open(self, prefix: str = "") -> Q:
        """Rows with no end: open now and in every day to come."""
        return Q(**{f"{prefix}{self.end}__isnull": True})

    # --- Python ----------------------------------------------------------------------------------

    def first_day(self, start: datetime.date | None) -> datetime.date:
        return datetime.date.min if start is None else start

    def last_day(self, end: datetime.date | None) -> datetime.date:
        """The last day inside the period; an open one reaches date.max."""
        if end is None:
            return FAR
        return end if self.end_inclusive else end - ONE_DAY

    def bounds(self, row) -> tuple[datetime.date | None, datetime.date | None]:
        return getattr(row, self.start), getattr(row, self.end)

    def holds(self, start: datetime.date | None, end: datetime.date | None, day: datetime.date) -> bool:
        return self.first_day(start) <= day <= self.last_day(end)

    def is_open_on(self, row, day: datetime.date) -> bool:
        """The row's period holds the day (the Python side of `open_on`)."""
        return self.holds(*self.bounds(row), day)

    def spans_overlap(self, a: tuple, b: tuple) -> bool:
        """Two (start, end) periods of this kind share at least one day (the Python side of `overlapping`)."""
        return self.first_day(a[0]) <= self.last_day(b[1]) and self.first_day(b[0]) <= self.last_day(a[1])

    def rows_overlap(self, row, other) -> bool:
        return self.spans_overlap(self.bounds(row), self.bounds(other))

    def describe(self, start: datetime.date | None, end: datetime.date | None) -> str:
        """The period as a reader writes it: its first and last day, dd/mm/yyyy."""
        if start is None:
            return ""
        first = f"{start:%d/%m/%Y}"
        if end is None:
            return _("%(start)s, still open") % {"start": first}
        return f"{first}–{self.last_day(end):%d/%m/%Y}"

    def describe_row(self, row) -> str:
        return self.describe(*self.bounds(row))

    def uncovered(self, start: datetime.date, end: datetime.date | None, periods) -> list[tuple]:
        """The days of the period (start, end) outside every one of `periods` ((start, end) pairs of this kind),
        as (first day, last day) runs in order; a run that never ends has None as its last day."""
        runs = []
        cursor, last = start, self.last_day(end)
        for other_start, other_end in sorted(periods, key=lambda p: self.first_day(p[0])):
            if cursor > last:
                break
            first = self.first_day(other_start)
            if first > cursor:
                runs.append((cursor, min(first - ONE_DAY, last)))
            reach = self.last_day(other_end)
            if reach == FAR:
                return runs
            cursor = max(cursor, reach + ONE_DAY)
        if cursor <= last:
            runs.append((cursor, None if last == FAR else last))
        return runs


TERM = Period("start_date", "end_date", end_inclusive=True)  # postings and Party roles
CELL_LIFE = Period("established_on", "dissolved_on", end_inclusive=False)  # Party cells
UNIT_LIFE = Period("established_on", "abolished_on", end_inclusive=False, start_optional=True)  # provinces, districts, communes
