import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from kontum_posts.lib.env import database_from_url, env_bool

ROOT = Path(__file__).resolve().parents[2]


class DatabaseUrlTests(SimpleTestCase):
    def test_postgres_urls_become_psycopg_settings(self):
        db = database_from_url("postgres://app:s%40cret@db.local:5433/posts", base_dir=ROOT)
        self.assertEqual(
            (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]),
            ("django.db.backends.postgresql", "posts", "app", "s@cret", "db.local", "5433"),
        )

    def test_sqlite_urls_may_be_relative_to_the_project(self):
        self.assertEqual(database_from_url("sqlite:///var/x.sqlite3", base_dir=ROOT)["NAME"], str(ROOT / "var/x.sqlite3"))
        self.assertEqual(database_from_url("sqlite:////tmp/x.sqlite3", base_dir=ROOT)["NAME"], "/tmp/x.sqlite3")

    def test_other_schemes_are_refused_clearly(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "not supported"):
            database_from_url("mysql://x/y", base_dir=ROOT)

    def test_booleans_are_strict(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "KP_TEST_BOOL must be a boolean"):
            import os
            os.environ["KP_TEST_BOOL"] = "maybe"
            try:
                env_bool("KP_TEST_BOOL", False)
            finally:
                del os.environ["KP_TEST_BOOL"]


class ProductionModeTests(SimpleTestCase):
    def run_settings(self, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            cwd=ROOT, capture_output=True, text=True,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "kontum_posts.settings", **env},
        )

    def test_production_without_a_secret_key_stops_with_a_clear_error(self):
        result = self.run_settings(DEBUG="0", ALLOWED_HOSTS="posts.example")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set when DEBUG is off", result.stderr)

    def test_production_without_allowed_hosts_stops_with_a_clear_error(self):
        result = self.run_settings(DEBUG="0", SECRET_KEY="x" * 50)
        self.assertIn("ALLOWED_HOSTS must be set when DEBUG is off", result.stderr)
