"""Cached dashboards and filter choices (datacache): served from memory while nothing
changes, computed afresh after any write, whichever path wrote it.

TransactionTestCase: results are stored only outside transactions, so these tests commit for real,
as the app server does.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from communes.models import CommuneChange, PartyCell
from followup.models import LogEntry
from personnel.choices import PartyRoleKind, Role, UnitKind
from personnel.importing import COLUMNS, postings_import
from personnel.models import Officer, PartyRole, SupportAssignment, Unit, UserProfile
from personnel.services import posting_transfer
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import tile

DASHBOARD = "/?as_of=2019-04-23"


TRANSACTION_STATEMENTS = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def all_queries(client, url: str) -> tuple[int, str]:
    """The queries one request sends (the session's own included; not BEGIN, COMMIT or savepoints), and the page."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = [q for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(TRANSACTION_STATEMENTS)]
    return len(queries), response.content.decode()


class CachedPagesTests(TransactionTestCase):
    def setUp(self):
        datacache.caches[datacache.CACHE_ALIAS].clear()
        SmallProvinceTestCase.setUpTestData.__func__(self)  # the shared small province, committed
        self.officers = [make_officer(f"Y Thử {i}") for i in range(3)]
        for officer in self.officers:
            make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.client.force_login(self.viewer)

    def test_a_repeated_dashboard_is_served_from_the_cache_with_the_same_figures(self):
        cold, first = all_queries(self.client, DASHBOARD)
        warm, second = all_queries(self.client, DASHBOARD)
        self.assertEqual(tile(first, "tile-officers"), "3")
        for tile_id in ("tile-officers", "tile-coverage", "tile-cells", "tile-secretaries", "tile-bch", "tile-btv"):
            self.assertEqual(tile(second, tile_id), tile(first, tile_id))
        # session, user, profile, its provinces, data versions (the session is saved every few minutes only)
        self.assertLessEqual(warm, 6)
        self.assertLess(warm, cold)

    def test_a_write_through_the_orm_or_a_service_shows_on_the_next_request(self):
        self.assertEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-officers"), "3")
        make_posting(make_officer("Y Mới"), self.commune_a2, D(2019, 2, 1))
        self.assertEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-coverage"), "2/3")

        posting = self.officers[0].postings.get()
        posting_transfer(posting=posting, to_commune=self.commune_b1, on=D(2019, 3, 1), decision_number="9/QĐ",
                         decision_date=D(2019, 2, 25))
        self.assertEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-coverage"), "3/3")

    def test_a_bulk_import_shows_on_the_next_request(self):
        self.client.get(DASHBOARD)
        header = ",".join(c.header for c in COLUMNS)
        rows = [
            {"service_number": f"N{i:05d}", "full_name": f"Nguyễn Văn Nhập {i}", "gender": "Nam", "rank": "Trung úy",
             "commune": str(self.commune_b1.code), "position": "Công an viên thường trực", "start_date": "02/01/2019",
             "decision_number": f"{i}/QĐ", "decision_date": "28/12/2018"}
            for i in range(2)
        ]
        body = "\n".join([header] + [",".join(row.get(c.key, "") for c in COLUMNS) for row in rows]).encode()
        result = postings_import(file=body, filename="nhap.csv", user=None, dry_run=False)
        self.assertEqual(result.errors, [])
        self.assertEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-officers"), "5")

    def test_a_rolled_back_write_leaves_the_cached_page_valid(self):
        before = self.client.get(DASHBOARD).content.decode()
        version = datacache.current_version()
        with self.assertRaises(RuntimeError), transaction.atomic():
            make_posting(make_officer("Y Hủy"), self.commune_a2, D(2019, 2, 1))
            raise RuntimeError("cancelled")
        self.assertEqual(datacache.current_version(), version)
        self.assertEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-officers"), tile(before, "tile-officers"))

    def test_the_officer_list_runs_at_most_eight_queries_once_its_choices_are_cached(self):
        url = f"/officers/?district={self.district_a.code}"
        self.client.get(url)
        warm, page = all_queries(self.client, url)
        # session, user, profile, its provinces, data versions, the officers in post there, count, page
        self.assertLessEqual(warm, 8)
        self.assertIn("Y Thử 0", page)
        # A new commune name in the choices after a write: the cached choices went with the version.
        self.commune_a2.name = "Xã Mường Hoong Mới"
        self.commune_a2.fill_derived()
        self.commune_a2.save()
        self.assertIn("Xã Mường Hoong Mới", self.client.get(url).content.decode())


class VersionTests(TransactionTestCase):
    def setUp(self):
        SmallProvinceTestCase.setUpTestData.__func__(self)

    def assertRaisesVersion(self, write):
        before = datacache.current_version()
        write()
        self.assertGreater(datacache.current_version(), before)

    def test_every_kind_of_row_the_pages_read_raises_the_version_when_written(self):
        officer = make_officer("Y Phiên Bản")
        unit = Unit.objects.create(province=self.province, name="Công an huyện Thử", kind=UnitKind.DISTRICT_POLICE)
        writes = [
            lambda: make_posting(officer, self.commune_a1, D(2019, 1, 1)),
            lambda: Officer.objects.filter(pk=officer.pk).get().save(),
            lambda: PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1)),
            lambda: PartyRole.objects.create(commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                             officer=officer, start_date=D(2019, 2, 1)),
            lambda: CommuneChange.objects.create(commune=self.commune_a2, effective_on=D(2020, 1, 1),
                                                 previous_name="Xã Cũ", previous_kind=self.commune_a2.kind),
            lambda: self.plan.communes.add(self.ward_b2),
            lambda: self.plan.communes.remove(self.ward_b2),
            lambda: SupportAssignment.objects.create(unit=unit, commune=self.commune_a1, start_date=D(2019, 1, 1)),
            lambda: LogEntry.objects.create(commune=self.commune_a1, day=D(2019, 2, 1), kind="visit", visitor="A",
                                            unit=unit, findings="x"),
            lambda: self.district_b.save(),
            lambda: officer.postings.get().delete(),
        ]
        for write in writes:
            with self.subTest(write=write):
                self.assertRaisesVersion(write)

    def test_who_may_see_what_is_not_data_the_pages_cache(self):
        before = datacache.current_version()
        UserProfile.objects.filter(user=self.viewer).update(role=Role.EDITOR)
        self.viewer.profile.save()
        self.assertEqual(datacache.current_version(), before)

    def test_nothing_is_stored_inside_a_transaction(self):
        calls = []
        with transaction.atomic():
            for _ in range(2):
                datacache.cached("test:inside", lambda: calls.append(1) or len(calls))
        self.assertEqual(len(calls), 2)
        self.assertEqual(datacache.cached("test:outside", lambda: "computed"), "computed")
        self.assertEqual(datacache.cached("test:outside", lambda: "not called"), "computed")


class OneComputesTests(TransactionTestCase):
    """A missing result asked for by several requests at once is computed by one; the others wait for it."""

    def test_requests_asking_at_once_for_a_missing_result_compute_it_once(self):
        import threading
        import time

        from django.db import connections

        datacache.caches[datacache.CACHE_ALIAS].clear()
        computed, results = [], []

        def slow():
            computed.append(1)
            time.sleep(0.4)
            return "the figures"

        def ask():
            try:
                results.append(datacache.cached("one-computes", slow))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=ask) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        self.assertEqual(results, ["the figures"] * 3)
        self.assertEqual(len(computed), 1)

    def test_a_request_waits_no_longer_than_its_limit_for_another(self):
        datacache.caches[datacache.CACHE_ALIAS].clear()
        versions = datacache.topic_versions()
        key = f"kp:{datacache._tag(versions, None, None, 'default', datacache.topics_.ALL)}:stuck"
        datacache.caches[datacache.CACHE_ALIAS].add(f"{key}:computing", 1, 30)  # a computer that never finishes
        original = datacache.WAIT_FOR_OTHER
        datacache.WAIT_FOR_OTHER = 0.2
        try:
            self.assertEqual(datacache.cached("stuck", lambda: "computed here"), "computed here")
        finally:
            datacache.WAIT_FOR_OTHER = original

    def test_a_computation_that_fails_leaves_nobody_waiting(self):
        """A 404 raised while computing (a bad code in the query string) must not leave its mark: the next request
        for the same result would wait for a result that is not coming."""
        from django.http import Http404

        datacache.caches[datacache.CACHE_ALIAS].clear()

        def fails():
            raise Http404

        with self.assertRaises(Http404):
            datacache.cached("fails", fails)
        versions = datacache.topic_versions()
        key = f"kp:{datacache._tag(versions, None, None, 'default', datacache.topics_.ALL)}:fails"
        self.assertIsNone(datacache.caches[datacache.CACHE_ALIAS].get(f"{key}:computing"))
        self.assertEqual(datacache.cached("fails", lambda: "computed"), "computed")
