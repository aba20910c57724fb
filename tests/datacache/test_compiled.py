"""datacache.compiled_rows(): a values_list() query's SQL compiled once per key, its rows read afresh each time.

TransactionTestCase: results (here, the compiled SQL) are stored only outside transactions, so these tests commit.
"""

from __future__ import annotations

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from communes.models import Commune
from datacache import topics
from datacache.compiled import compiled_rows
from personnel import services
from personnel.choices import Position
from personnel.models import Posting
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting


class CompiledRowsTests(TransactionTestCase):
    def setUp(self):
        datacache.caches[datacache.CACHE_ALIAS].clear()
        SmallProvinceTestCase.setUpTestData.__func__(self)  # committed
        make_posting(make_officer("Y Một"), self.commune_a1, D(2019, 1, 1))
        self.built = 0

    def postings(self):
        self.built += 1
        return (Posting.objects.filter(commune__province=self.province)
                .values_list("officer__full_name", "start_date", "end_date", "commune__established_on")
                .order_by("officer__full_name"))

    def rows(self):
        return compiled_rows(f"test-postings:{self.province.pk}", self.postings, model=Posting,
                             provinces=[self.province.pk], topics=(topics.UNITS,))

    def test_the_rows_are_the_orms_and_a_write_shows_at_once_without_compiling_again(self):
        self.assertEqual(self.rows(), list(self.postings()))
        services.posting_start(officer=make_officer("Y Hai"), commune=self.commune_a2,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        built = self.built
        rows = self.rows()
        self.assertEqual([name for name, *_rest in rows], ["Y Hai", "Y Một"])  # the database's rows, the new one too
        self.assertEqual(rows, list(self.postings()))
        # Dates come back as dates from PostgreSQL's cursor: the SQL is reused. SQLite's need the ORM's converters.
        self.assertEqual(self.built - built, 2 if connection.vendor == "sqlite" else 1)

    def test_a_unit_written_compiles_it_again(self):
        self.rows()
        built = self.built
        Commune.objects.filter(pk=self.commune_a1.pk).update(name="Xã Khác")  # no signal: the number raised by hand
        datacache.bump([self.province.pk], topics=(topics.UNITS,))
        self.rows()
        self.assertEqual(self.built - built, 2 if connection.vendor == "sqlite" else 1)

    def test_a_query_of_no_row_sends_nothing(self):
        def none_asked():
            return Posting.objects.filter(pk__in=[]).values_list("pk")
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(compiled_rows("test-empty", none_asked, model=Posting, topics=(topics.UNITS,)), [])
        self.assertFalse([q for q in ctx.captured_queries if "personnel_posting" in q["sql"]])

    def test_the_pipelines_ready_count_follows_a_posting_at_once(self):
        from personnel.choices import UnitKind
        from personnel.models import Unit
        from pipeline.choices import Result
        from pipeline.models import Course
        from pipeline.selectors import ready_waiting_counts
        from tests.pipeline.base import candidate, enrol

        unit = Unit.objects.create(province=self.province, district=self.district_a, name="Công an huyện A",
                                   kind=UnitKind.DISTRICT_POLICE)
        course = Course.objects.create(province=self.province, name="Lớp I", place="Trung tâm", organiser=unit,
                                       start_date=D(2019, 1, 7), end_date=D(2019, 3, 15))
        ready = candidate("Y Sẵn Sàng", unit=unit)
        enrol(ready, course, Result.PASSED, D(2019, 3, 15))
        day = D(2019, 4, 23)
        self.assertEqual(ready_waiting_counts(province=self.province, day=day), {None: 1, self.district_a.pk: 1})
        services.posting_start(officer=ready.officer, commune=self.commune_a2, position=Position.STANDING_OFFICER,
                               on=D(2019, 4, 1))  # posted: no longer waiting, on the next read
        self.assertEqual(ready_waiting_counts(province=self.province, day=day), {None: 0})
