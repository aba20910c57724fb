"""deploy/backup.sh and deploy/restore.sh on PostgreSQL: the test database, holding the whole demo (committed), is
backed up and restored into a scratch database; every table's rows come back."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import TransactionTestCase

from tests import demo
from tests.conftest import WORKER
from tests.prod.processes import ROOT, manage, production_env

TARGET = f"kp_prod_backup_dst{WORKER}"


def server_url(settings_dict, name: str) -> str:
    return "postgres://{user}@{host}:{port}/{name}".format(
        user=settings_dict["USER"] or "postgres", host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or "5432", name=name,
    )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.slow
class BackupRestoreTests(TransactionTestCase):
    """TransactionTestCase: pg_dump, another process, must see the demo's rows; the flush afterwards removes them."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("pg_dump/pg_restore back up PostgreSQL, the production database")
        self.admin_url = server_url(connection.settings_dict, "postgres")
        self.src = server_url(connection.settings_dict, connection.settings_dict["NAME"])
        self.dst = server_url(connection.settings_dict, TARGET)
        self.recreate(TARGET)
        self.addCleanup(self.drop, TARGET)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def recreate(self, name):
        self.drop(name)
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop(self, name):
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def script(self, name, *args, url):
        env = {**os.environ, "DATABASE_URL": url, "BACKUP_DIR": self.tmp.name}
        return subprocess.run(["bash", str(ROOT / "deploy" / name), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    def test_a_backup_restored_into_an_empty_database_has_the_same_rows_in_every_table(self):
        demo.load_demo()  # the load_pilot_demo command's rows (tests/demo.py), committed
        before = row_counts(self.src)
        self.assertGreater(before["personnel_posting"], 300)
        # Kon Tum's 102 communes, old Quảng Ngãi's and the new Quảng Ngãi's 96 its lineage reaches.
        self.assertEqual(before["communes_commune"], 102 + 170 + 96)
        for table in ("personnel_partyrole", "facilities_headquartersrecord", "pipeline_candidate", "followup_logentry"):
            self.assertGreater(before.get(table, 0), 0, table)

        backup = self.script("backup.sh", url=self.src)
        self.assertEqual(backup.returncode, 0, backup.stderr)
        dump = Path(backup.stdout.strip())
        self.assertEqual(dump.parent, Path(self.tmp.name))
        self.assertRegex(dump.name, r"^kontum_posts-\d{8}T\d{6}Z\.dump$")
        self.assertEqual(dump.read_bytes()[:5], b"PGDMP")  # pg_dump's custom format
        self.assertEqual(dump.stat().st_mode & 0o077, 0, "the dump must be readable by its owner only")

        restore = self.script("restore.sh", str(dump), "--yes", url=self.dst)
        self.assertEqual(restore.returncode, 0, restore.stderr)
        self.assertEqual(row_counts(self.dst), before)
        # The restored database is one the app can run on: nothing left to migrate.
        check = manage("migrate", "--check", env=production_env(DATABASE_URL=self.dst))
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_restore_asks_for_confirmation_and_backup_refuses_sqlite(self):
        restore = self.script("restore.sh", "/dev/null", url=self.dst)
        self.assertEqual(restore.returncode, 2)
        self.assertIn("--yes", restore.stderr)
        backup = self.script("backup.sh", url="sqlite:///var/db.sqlite3")
        self.assertEqual(backup.returncode, 2)
