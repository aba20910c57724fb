"""One Chromium for the browser tests: Debian's, driven by Playwright, which never downloads its own."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        # Django's connections opened in Playwright's greenlet: close them, or PostgreSQL refuses to
        # drop the test database at the end of the run ("being accessed by other users").
        from django.db import connections

        connections.close_all()
        b.close()


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
