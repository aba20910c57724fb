"""The bench's Django: the PostgreSQL server (BENCH_PG), manage.py against one of its databases, and Django set up
in this process as in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server() -> str:
    return os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def manage(db: str, *args: str, debug: bool = True) -> str:
    env = {**os.environ, "DATABASE_URL": f"{server()}/{db}", "DEBUG": "1" if debug else "0",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnop"),
           "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def production_like_django(db: str) -> None:
    """Django set up as in production against `db`: DEBUG off (no query log in the timed runs;
    queries are counted in a separate run), the static manifest collected, plain HTTP for the test client."""
    manage(db, "collectstatic", "--noinput", "-v0", debug=False)  # DEBUG is off below: pages need the manifest
    os.environ["DATABASE_URL"] = f"{server()}/{db}"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-0123456789-abcdefghijklmnop")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["OTP_REQUIRED_FOR_EDITORS"] = "0"  # the bench times pages; its user's session comes from force_login
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
