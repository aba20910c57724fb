"""The demo the browser tests read (the browser itself: tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(transactional_db):
    """The pilot carried on to today, with the demo accounts: what these pages show. Not the roadmap, pipeline,
    facilities and follow-up demos the command adds (each app's own tests load those): the command costs ~4 s
    more for each of these tests, whose live server flushes the database after each. Copied after the first
    (tests/demo.py) when the flushed database is as before."""
    from django.core.cache import caches

    from tests import demo as the_demo

    the_demo.load_pilot()
    # The flush took the data versions back: pages a test before this one cached under the same numbers are not this
    # test's (the live server's cache lives in this process).
    caches["default"].clear()
