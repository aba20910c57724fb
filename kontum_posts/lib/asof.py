"""The as-of day every page is read on: `?as_of=YYYY-MM-DD`, default today in Viet Nam.

`request_as_of(request)` is the one way a view, filter, report, template or middleware learns the
request's day and whether it was valid; `parse_as_of` is the parsing behind it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY = datetime.date(1945, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def today() -> datetime.date:
    # Today where the data lives, not on the server's clock (a UTC server is 7 hours behind).
    return datetime.datetime.now(VIETNAM).date()


def parse_as_of(value: str | None) -> tuple[datetime.date, bool]:
    """The day named by `value` and whether it was valid; empty or invalid values give today.

    Accepts ISO (what <input type=date> sends) and dd/mm/yyyy (what a person types).
    """
    value = (value or "").strip()
    if not value:
        return today(), True
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if FIRST_DAY <= day <= LAST_DAY:
            return day, True
    return today(), False


@dataclass(frozen=True)
class AsOf:
    """The day a request is read on, and what the user typed for it."""

    day: datetime.date
    raw: str  # "" when no day was given
    valid: bool

    @property
    def given(self) -> bool:
        """A valid day was named (rather than today by default)."""
        return bool(self.raw) and self.valid

    @property
    def error(self) -> str:
        """The message a page shows for an invalid day ("" when valid), in the request's language."""
        if self.valid:
            return ""
        return gettext("“%(value)s” is not a date. Use the date picker or dd/mm/yyyy; showing today instead.") % {
            "value": self.raw[:40]
        }


def request_as_of(request) -> AsOf:
    """The request's `?as_of=` day (AsOfMiddleware has already put back a remembered one), read once."""
    cached = getattr(request, "_kp_as_of", None)
    if cached is None:
        raw = (request.GET.get("as_of") or "").strip()
        day, valid = parse_as_of(raw)
        cached = request._kp_as_of = AsOf(day=day, raw=raw, valid=valid)
    return cached
