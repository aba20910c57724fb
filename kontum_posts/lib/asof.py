"""The as-of day every page is read on: `?as_of=YYYY-MM-DD`, default today in Viet Nam."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

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
