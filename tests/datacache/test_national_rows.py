"""The national dashboard's rows are cached province by province (dashboards/national.py national_rows,
datacache.cached_each): a write in one province computes that province's row again and serves every other row as
cached, and the page always shows what national_figures() computes from the data at that moment.

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from personnel.coverage import national_figures
from tests.base import D, make_officer, make_posting
from tests.datacache.test_province_versions import TwoProvincesCommitted, national_client

URL = "/national/?as_of=2019-04-23"


def row_of(page: str, province) -> str:
    """The national table's row of a province, as the page has it."""
    found = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(province.name)}</a>.*?</tr>", page, re.S)
    assert found, province.name
    return found.group(0)


def figure_queries(client) -> tuple[list[str], str]:
    """The statements of one request that read the figures (they group postings, plan communes, cells or roles by
    province), and the page."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    grouped = [q["sql"] for q in ctx.captured_queries
               if 'AS "province"' in q["sql"] and "GROUP BY" in q["sql"]]
    return grouped, response.content.decode()


class NationalRowsTests(TwoProvincesCommitted, TransactionTestCase):
    def setUp(self):
        super().setUp()
        self.national = national_client()

    def test_a_write_in_one_province_computes_its_row_alone_and_leaves_the_others_as_cached(self):
        cold, page = figure_queries(self.national)
        self.assertEqual(len(cold), 4)  # postings, plan communes, cells, committee roles: every province at once
        warm, again = figure_queries(self.national)
        self.assertEqual(warm, [])  # every row served as cached
        row_a = row_of(page, self.province)
        self.assertEqual(row_of(again, self.province), row_a)

        make_posting(make_officer("Y Bốn", home_unit=self.b["unit"]), self.b["communes"][1], D(2019, 2, 1))
        after, page = figure_queries(self.national)
        self.assertEqual(len(after), 4)
        for sql in after:  # province B's figures only
            self.assertRegex(sql, rf"IN \({self.b['province'].pk}\)")
        self.assertEqual(row_of(page, self.province), row_a)  # served as cached, and still true
        self.assertIn("<td class=\"num\">2 / 2</td>", row_of(page, self.b["province"]))

    def test_the_page_shows_national_figures_after_writes_in_either_province(self):
        self.national.get(URL)
        make_posting(make_officer("Y Năm"), self.commune_a1, D(2019, 3, 1))
        make_posting(make_officer("Y Sáu"), self.b["communes"][1], D(2019, 3, 1))
        response = self.national.get(URL)
        shown = {row.province.pk: row.figures for row in response.context["rows"]}
        self.assertEqual(shown, {row.province.pk: row.figures for row in national_figures(as_of=D(2019, 4, 23))})
        self.assertEqual(response.context["totals"].officers_in_post, sum(f.officers_in_post for f in shown.values()))

    def test_inside_a_transaction_every_part_is_computed_and_nothing_is_stored(self):
        asked = []

        def compute(pks):
            asked.append(list(pks))
            return {pk: pk * 10 for pk in pks}

        pks = [self.province.pk, self.b["province"].pk]
        with transaction.atomic():
            self.assertEqual(datacache.cached_each("test-parts", pks, compute), {pk: pk * 10 for pk in pks})
        self.assertEqual(datacache.cached_each("test-parts", pks, compute), {pk: pk * 10 for pk in pks})
        self.assertEqual(datacache.cached_each("test-parts", pks, compute), {pk: pk * 10 for pk in pks})
        self.assertEqual(asked, [pks, pks])  # in the transaction, then once outside it; the third from the cache
