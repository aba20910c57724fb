"""Past one machine (issue 16): two gunicorn servers, a shared Redis cache and a PostgreSQL streaming replica,
all real, on loopback. A write through server A shows on server B at the writer's next request, even while the
replica lags; other readers read the replica; /healthz reports its lag; a replica that stops leaves the site
working on the primary.

The test starts its own primary and replica (tests/prod/pgcluster.py); it runs where PostgreSQL is the test
database (CI's PostgreSQL run), as the production setup it stands for.
"""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest
from django.db import connection
from django.test import TransactionTestCase

from load.pgcluster import bindir, primary_with_replica
from tests.conftest import WORKER_NUMBER
from tests.prod.processes import Browser, free_port, gunicorn, manage, production_env, static_root
from tests.prod.test_scale_out import log_in
from tests.web.helpers import tile

DATABASE = "kp_replica"
REDIS_DB = 8 + WORKER_NUMBER  # a Redis database of this test's own, emptied first
DASHBOARD = "/?as_of=2019-04-23"

# Run by manage.py shell in the test's own database: a small province, its plan, an administrator, one posting.
SETUP = """
import datetime
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from communes.models import Commune, District, Province
from personnel.choices import Gender, Position, Rank, Role
from personnel.choices import UnitKind
from personnel.models import Officer, Plan, Posting, Unit, UserProfile
D = datetime.date
province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
district = District.objects.create(code=9101, name="Huyện Thử", province=province)
communes = [Commune.objects.create(code=90001 + i, name=f"Xã Thử {i}", district=district) for i in range(3)]
plan = Plan.objects.create(province=province, number="1/KH-TEST", title="Kế hoạch thử", issued_on=D(2018, 10, 12))
plan.communes.set(communes)
unit = Unit.objects.create(province=province, name="Công an huyện Thử", kind=UnitKind.DISTRICT_POLICE)
for i in range(2):
    Officer.objects.create(full_name=f"Y Thử {i}", gender=Gender.MALE, rank=Rank.LIEUTENANT,
                           service_number=f"R{i:05d}", home_unit=unit)
Posting.objects.create(officer=Officer.objects.get(service_number="R00000"), commune=communes[0],
                       position=Position.STANDING_OFFICER, start_date=D(2019, 1, 1))
for name, role in (("quantri", Role.PROVINCE_ADMIN), ("xem", Role.VIEWER)):
    user = get_user_model().objects.create(username=name, password=make_password("mat-khau-" + name + "-2019"))
    UserProfile.objects.create(user=user, role=role, province=province)
print("IDS", communes[1].pk, Officer.objects.get(service_number="R00001").pk)
"""


def redis_client():
    import redis

    return redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_connect_timeout=1)


@pytest.mark.slow
class ReplicaAndSharedCacheTests(TransactionTestCase):
    """A TransactionTestCase for its test database, migrated and empty: its schema is copied into the primary
    (copy_schema). It writes nothing there."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("the production setup: PostgreSQL (CI runs it in the PostgreSQL pass)")
        if bindir() is None:
            self.fail("PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are needed for the replica test")
        try:
            redis_client().flushdb()
        except Exception as error:  # noqa: BLE001 — said in the failure
            self.fail(f"Redis on 127.0.0.1:6379 is needed for the shared cache test: {error}")

    def test_two_servers_a_shared_cache_and_a_replica(self):
        with primary_with_replica() as cluster:
            cluster.sql(cluster.primary_port, f"CREATE DATABASE {DATABASE}")
            env = production_env(
                DATABASE_URL=cluster.url(cluster.primary_port, DATABASE),
                DATABASE_REPLICA_URL=cluster.url(cluster.replica_port, DATABASE),
                CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
                OTP_REQUIRED_FOR_EDITORS="0",  # the second factor has tests of its own (test_scale_out)
            )
            self.copy_schema(cluster.url(cluster.primary_port, DATABASE))
            result = manage("shell", "-c", SETUP, env=env, timeout=300)
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            commune_pk, officer_pk = re.search(r"IDS (\d+) (\d+)", result.stdout).groups()
            env["STATIC_ROOT"] = static_root()
            cluster.wait_for_replay()

            port_a = free_port()
            port_b = free_port(exclude={port_a})
            with gunicorn(port_a, env) as server_a, gunicorn(port_b, env) as server_b:
                self.check_shared_cache(server_a, server_b)
                self.check_read_your_writes(cluster, server_a, server_b, commune_pk, officer_pk)
                self.check_replica_stopping(cluster, server_a, server_b)

    def copy_schema(self, url: str) -> None:
        """The migrated schema of this worker's test database (no rows but the migrations' own), restored into the
        new primary: what `migrate` writes (the test database was made by it), in 2 s instead of 10-25."""
        settings_dict = connection.settings_dict
        source = "postgres://{user}@{host}:{port}/{name}".format(
            user=settings_dict["USER"] or "postgres", host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or "5432", name=settings_dict["NAME"])
        dump = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--dbname={source}"],
                              capture_output=True, timeout=120, check=True).stdout
        restore = subprocess.run(["pg_restore", "--no-owner", "--no-acl", f"--dbname={url}"], input=dump,
                                 capture_output=True, timeout=120)
        self.assertEqual(restore.returncode, 0, restore.stderr.decode()[-3000:])

    def check_shared_cache(self, server_a, server_b):
        reader = Browser()
        self.assertEqual(log_in(reader, server_a, "xem", "mat-khau-xem-2019"), 302)
        self.assertEqual(tile(reader.request(server_a + DASHBOARD)[2], "tile-officers"), "1")
        keys = len(redis_client().keys("*"))
        self.assertGreater(keys, 0)  # server A computed the dashboard and filed it in Redis
        self.assertEqual(tile(reader.request(server_b + DASHBOARD)[2], "tile-officers"), "1")
        self.assertEqual(len(redis_client().keys("*")), keys)  # server B found it there: nothing computed twice

    def check_read_your_writes(self, cluster, server_a, server_b, commune_pk, officer_pk):
        # The replica stops replaying: whatever is written now is on the primary only.
        cluster.sql(cluster.replica_port, "SELECT pg_wal_replay_pause()")
        writer = Browser()
        self.assertEqual(log_in(writer, server_a, "quantri", "mat-khau-quantri-2019"), 302)
        form = f"{server_a}/manage/postings/add/"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', writer.request(form)[2]).group(1)
        status, _headers, page = writer.request(form, {
            "csrfmiddlewaretoken": token, "officer": officer_pk, "commune": commune_pk, "position": "standing",
            "start_date": "01/02/2019", "decision_number": "7/QĐ-CAT", "decision_date": "25/01/2019",
        }, headers={"Referer": form})
        self.assertEqual(status, 302, re.findall(r'<div class="form-errors".*?</div>', page, re.S))
        self.assertTrue(writer.cookie("kp_wal"))

        # The writer's next request, on the other server: the replica lacks the write, so it is read from the primary.
        page = writer.request(server_b + DASHBOARD)[2]
        self.assertEqual((tile(page, "tile-officers"), tile(page, "tile-coverage")), ("2", "2/3"))
        # Someone else, who wrote nothing, reads the replica: not yet there (and no stale result is cached for later).
        other = Browser()
        self.assertEqual(log_in(other, server_b, "xem", "mat-khau-xem-2019"), 302)
        for cookie in [c for c in other.cookies if c.name == "kp_wal"]:  # its login wrote; forget that
            other.cookies.clear(cookie.domain, cookie.path, cookie.name)
        self.assertEqual(tile(other.request(server_b + DASHBOARD)[2], "tile-officers"), "1")
        health = json.loads(writer.request(f"{server_a}/healthz")[2])
        self.assertEqual(health["replica"]["state"], "ok")
        self.assertGreater(health["replica"]["lag_bytes"], 0)

        cluster.sql(cluster.replica_port, "SELECT pg_wal_replay_resume()")
        cluster.wait_for_replay()
        for base in (server_a, server_b):
            self.assertEqual(tile(other.request(base + DASHBOARD)[2], "tile-officers"), "2")
        # Caught up, /healthz says so: polled, because the requests above write (sessions, the access log) and the
        # primary writes WAL of its own (autovacuum), each a few hundred bytes the replica replays a moment later.
        cluster.wait_for_replay()
        deadline = time.monotonic() + 10
        while (health := json.loads(writer.request(f"{server_b}/healthz")[2])["replica"]).get("lag_bytes") != 0 and \
                time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual((health["state"], health["lag_bytes"]), ("ok", 0))

    def check_replica_stopping(self, cluster, server_a, server_b):
        reader = Browser()
        self.assertEqual(log_in(reader, server_a, "xem", "mat-khau-xem-2019"), 302)
        cluster.stop_replica()
        for base in (server_a, server_b, server_a, server_b):
            status, _headers, page = reader.request(base + "/officers/")
            self.assertEqual(status, 200, page[:2000])
            self.assertIn("Y Thử 1", page)
            self.assertEqual(tile(reader.request(base + DASHBOARD)[2], "tile-officers"), "2")
        status, _headers, body = reader.request(f"{server_b}/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"database": "ok", "replica": {"state": "unavailable"}})
