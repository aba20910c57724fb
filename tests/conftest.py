import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Browser tests leave screenshots here (git-ignored) to be looked at; SCREENSHOT_DIR moves them.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parent.parent / "var" / "screenshots"))


# Each xdist worker gets its own scratch names (databases, ports); "" when the suite runs in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_NUMBER = int(WORKER.removeprefix("gw") or 0)


def pytest_configure(config):
    """Tests hash passwords with MD5: the production hasher (PBKDF2, ~1M rounds) costs ~0.3 s per user created or
    logged in, minutes across the suite. Processes the tests start (gunicorn, manage.py) keep the real hashers only:
    a user they log in is given a production hash (`production_password`)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    # The controller of an xdist run names the run, so that it can remove what its workers share (tests/demo.py).
    if not WORKER and getattr(config.option, "numprocesses", None) and config.option.testrunuid is None:
        import uuid

        config.option.testrunuid = uuid.uuid4().hex


def pytest_unconfigure(config):
    from tests.demo import shared_dir

    run = getattr(config.option, "testrunuid", None)
    if not WORKER and run and (directory := shared_dir(run)) is not None:
        shutil.rmtree(directory, ignore_errors=True)


# Set by .ci/run for its second pass (SQLite): the tests that cannot reach the database (below) ran in the first.
DATABASE_FREE_RAN = "KP_DATABASE_FREE_TESTS_RAN"
# pytest-django's fixtures that open the database to a test, directly or through the fixtures it uses (not
# django_db_blocker and django_db_setup: pytest-django's autouse fixtures bring them to every test; no fixture of
# this suite unblocks the database by itself).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_reset_sequences",
                               "django_db_serialized_rollback"})


def uses_no_database(item) -> bool:
    """A test that cannot reach the database of its run: a SimpleTestCase that names no database (Django refuses
    it any query), or a function that asks for none of pytest-django's database fixtures (pytest-django blocks it).
    Its result is the same on either database: the processes some of them start use none either (a server pointed
    at an unreachable one, a command on a scratch SQLite file, the import's memory bound)."""
    from django.test import SimpleTestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, SimpleTestCase):
        return not issubclass(cls, TransactionTestCase) and not cls.databases
    return item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(item.fixturenames)


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where Chromium is missing, unless REQUIRE_BROWSER=1 (make test, CI) says they must run.
    In CI's second pass, the tests that use no database are left out: they ran, the same, in the first."""
    if os.environ.get(DATABASE_FREE_RAN) == "1":
        ran = [item for item in items if uses_no_database(item)]
        if ran:
            config.hook.pytest_deselected(items=ran)
            items[:] = [item for item in items if not uses_no_database(item)]
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# ---- one Chromium per test process: Debian's, driven by Playwright, which never downloads its own -------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
# Playwright's sync API runs an event loop beside the tests; Django's ORM refuses to run where one is running.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def _chromium():
    """Launched once per test process (1-3 s of CPU each time on a slow machine); each test gets fresh contexts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser(_chromium):
    """The process's Chromium; the contexts and pages a test opened (cookies, storage) are closed after it."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()
    # The test body ran inside Playwright's greenlet, where Django keeps separate connections (asgiref locals follow
    # the context): close them here, or PostgreSQL refuses to drop the test database at the end of the run ("being
    # accessed by other users").
    from django.db import connections

    connections.close_all()


def production_password(user, password: str) -> None:
    """Set a password the production hasher wrote, for a user a gunicorn the test starts logs in."""
    from django.contrib.auth.hashers import make_password

    user.password = make_password(password, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
