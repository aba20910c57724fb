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


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where Chromium is missing, unless REQUIRE_BROWSER=1 (make test, CI) says they must run."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def production_password(user, password: str) -> None:
    """Set a password the production hasher wrote, for a user a gunicorn the test starts logs in."""
    from django.contrib.auth.hashers import make_password

    user.password = make_password(password, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
