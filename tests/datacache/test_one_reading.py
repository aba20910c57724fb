"""A request reads the data version numbers once (datacache.one_reading_per_request, DataVersionsMiddleware), however
many cached parts its page has, and reads them again after a write of its own.

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from datacache.topics import STAFFING
from tests.datacache.test_province_versions import TwoProvincesCommitted, national_client


def version_reads(queries) -> int:
    return sum(1 for q in queries if "datacache_areaversion" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT"))


class OneReadingTests(TwoProvincesCommitted, TransactionTestCase):
    def test_a_page_of_several_cached_parts_reads_the_numbers_once(self):
        national = national_client()
        for client, url in ((self.client_a, "/?as_of=2019-04-23"), (national, "/national/?as_of=2019-04-23"),
                            (national, f"/officers/?as_of=2019-04-23&district={self.district_a.code}"),
                            (self.client_a, "/communes/?as_of=2019-04-23")):
            with self.subTest(url=url):
                client.get(url)
                with CaptureQueriesContext(connection) as served:
                    self.assertEqual(client.get(url).status_code, 200)
                self.assertEqual(version_reads(served.captured_queries), 1)

    def test_a_write_within_the_reading_makes_the_next_cached_read_read_them_again(self):
        computed = []

        def compute():
            computed.append(1)
            return len(computed)

        with datacache.one_reading_per_request():
            self.assertEqual(datacache.cached("one-reading", compute, provinces=[self.province.pk]), 1)
            self.assertEqual(datacache.cached("one-reading", compute, provinces=[self.province.pk]), 1)
            with datacache.writing(self.province, topics=(STAFFING,)):
                pass
            with CaptureQueriesContext(connection) as after:
                self.assertEqual(datacache.cached("one-reading", compute, provinces=[self.province.pk]), 2)
            self.assertEqual(version_reads(after.captured_queries), 1)
        self.assertEqual(datacache.cached("one-reading", compute, provinces=[self.province.pk]), 2)
