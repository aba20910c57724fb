"""A national user's list narrowed to a place (?district=, ?province=, ?commune=) is cached under that place's
provinces (personnel/web/filters.py narrowed_to, personnel/web/listing.py, issue 16): a write in another province
keeps it, a write in the place shows at once, the choices it offers of the whole country stay current, and a place
the form does not accept (whose rows are the country's) stays filed under the national numbers.

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from personnel import services
from personnel.choices import Position
from tests.base import D, make_officer
from tests.datacache.test_datacache import all_queries
from tests.datacache.test_list_bodies import without_tokens
from tests.datacache.test_province_versions import TwoProvincesCommitted, national_client

DAY = "as_of=2019-04-23"
PLACE_LISTS = ("/officers/", "/postings/", "/party-roles/")


class NationalListOfAPlaceTests(TwoProvincesCommitted, TransactionTestCase):
    def setUp(self):
        super().setUp()
        self.national = national_client()

    def post_in_b(self, name: str, **fields):
        services.posting_start(officer=make_officer(name, home_unit=self.b["unit"], **fields),
                               commune=self.b["communes"][1], position=Position.STANDING_OFFICER, on=D(2019, 3, 1))

    def fresh(self, url: str) -> str:
        datacache.caches[datacache.CACHE_ALIAS].clear()
        return without_tokens(self.national.get(url).content.decode())

    def test_a_write_in_another_province_keeps_it_and_a_write_in_the_place_shows_at_once(self):
        places = (f"district={self.district_a.code}", f"province={self.province.code}",
                  f"province={self.province.code}&commune={self.commune_a1.code}")
        for n, (place, path) in enumerate((place, path) for place in places for path in PLACE_LISTS):
            with self.subTest(path=path, place=place):
                url = f"{path}?{DAY}&{place}"
                all_queries(self.national, url)
                warm = all_queries(self.national, url)[0]
                self.post_in_b(f"Y Nơi Khác {n}")
                with CaptureQueriesContext(connection) as ctx:
                    page = self.national.get(url).content.decode()
                read = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
                # Served as cached: no row read; the officer list's filter offers the country's ethnicities, which an
                # officer written anywhere makes it read again (one index probe per value, filters.ethnicity_choices).
                ethnicities = [sql for sql in read if sql.startswith("WITH RECURSIVE e(v)")]
                self.assertEqual((len(read) - len(ethnicities), len(ethnicities)),
                                 (warm, 1 if path == "/officers/" else 0))
                self.assertNotIn("Y Nơi Khác", page)

                services.posting_start(officer=make_officer(f"Y Mới Đến {n}", home_unit=self.unit_a),
                                       commune=self.commune_a1, position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
                page = all_queries(self.national, url)[1]
                if path != "/party-roles/":
                    self.assertIn(f"Y Mới Đến {n}<", page)
                self.assertEqual(without_tokens(page), self.fresh(url))

    def test_the_commune_list_of_a_place_too_and_after_a_posting_it_reads_its_rows_not_its_places(self):
        for n, place in enumerate((f"district={self.district_a.code}", f"province={self.province.code}")):
            with self.subTest(place=place):
                url = f"/communes/?{DAY}&{place}"
                all_queries(self.national, url)
                warm, page = all_queries(self.national, url)
                self.post_in_b(f"Y Nơi Khác {n}")
                after, again = all_queries(self.national, url)
                self.assertEqual((after, without_tokens(again)), (warm, without_tokens(page)))  # served as cached

                services.posting_start(officer=make_officer(f"Y Mới Đến {n}", home_unit=self.unit_a),
                                       commune=self.commune_a1, position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
                with CaptureQueriesContext(connection) as ctx:
                    page = self.national.get(url).content.decode()
                self.assertEqual(without_tokens(page), self.fresh(url))
                # The districts and provinces offered and the place's communes are units: still cached.
                read = [q["sql"] for q in ctx.captured_queries if 'FROM "communes_' in q["sql"].split(" WHERE ")[0]]
                self.assertEqual([sql for sql in read if sql.lstrip().startswith(
                    ('SELECT "communes_district"', 'SELECT "communes_province"', 'SELECT "communes_commune"."id" AS'))], [])

    def test_a_district_chosen_alone_shows_its_province_chosen(self):
        services.posting_start(officer=make_officer("Y Trong Huyện", home_unit=self.unit_a), commune=self.commune_a1,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        for path in (*PLACE_LISTS, "/communes/"):
            with self.subTest(path=path):
                page = self.national.get(f"{path}?{DAY}&district={self.district_a.code}").content.decode()
                self.assertIn(f'<option value="{self.province.code}" selected>', page)
                self.assertIn(f'<option value="{self.district_a.code}" selected>', page)
                # Shown, not applied: the district's filter alone keeps the rows (the province's would add its area).
                alone = f"{path}?{DAY}&district={self.district_a.code}"
                rows_sql = []
                for url in (alone, f"{alone}&province={self.province.code}"):
                    datacache.caches[datacache.CACHE_ALIAS].clear()
                    rows_sql.append(str(self.national.get(url).context["table"].data.data.query))
                self.assertLess(len(rows_sql[0]), len(rows_sql[1]))

    def test_an_ethnicity_first_written_in_another_province_is_offered_at_once(self):
        url = f"/officers/?{DAY}&district={self.district_a.code}"
        self.assertNotIn(">Ê Đê Xa</option>", self.national.get(url).content.decode())
        self.post_in_b("Y Dân Tộc", ethnicity="Ê Đê Xa")
        page = self.national.get(url).content.decode()
        self.assertIn(">Ê Đê Xa</option>", page)  # the country's ethnicities: the filter offers every officer's
        self.assertNotIn("Y Dân Tộc", page)  # not a row of the district
        self.assertEqual(without_tokens(page), self.fresh(url))

    def test_a_place_the_form_refuses_lists_the_country_and_follows_every_province(self):
        refused = ("district=0" + str(self.district_a.code), "district=99999", f"commune={self.commune_a1.code}")
        for n, (place, path) in enumerate((place, path) for place in refused for path in PLACE_LISTS[:2]):
            with self.subTest(path=path, place=place):
                url = f"{path}?{DAY}&{place}"
                self.assertIn("Y Hai", self.national.get(url).content.decode())  # province B's: the country's rows
                self.post_in_b(f"Y Khắp Nơi {n}")
                self.assertIn(f"Y Khắp Nơi {n}<", self.national.get(url).content.decode())
