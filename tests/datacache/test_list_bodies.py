"""A list page's body is cached under its area's data versions (personnel/web/listing.py, issue 16): served
again without reading its rows, shown afresh after a write in the area, kept after a write elsewhere; each scope,
language and query string gets its own; the frame (the user, the CSRF token) is the request's own.

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.test import Client, TransactionTestCase
from django.test.utils import CaptureQueriesContext

import datacache
from communes.models import District
from personnel import services
from personnel.choices import Position
from personnel.web.filters import place_choices
from tests.base import D, make_officer, make_posting
from tests.datacache.test_datacache import all_queries
from tests.datacache.test_province_versions import TwoProvincesCommitted

OFFICERS = "/officers/?as_of=2019-04-23"
LISTS = ("/officers/", "/postings/", "/party-roles/", "/communes/")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_tokens(page: str) -> str:
    return TOKEN.sub("", page)


class ListBodyCacheTests(TwoProvincesCommitted, TransactionTestCase):
    def test_every_list_is_served_again_without_reading_its_rows(self):
        for path in LISTS:
            with self.subTest(path=path):
                url = f"{path}?as_of=2019-04-23"
                cold, first = all_queries(self.client_a, url)
                warm, again = all_queries(self.client_a, url)
                self.assertLess(warm, cold)
                self.assertEqual(without_tokens(again), without_tokens(first))

    def test_a_write_in_the_province_shows_at_once_and_one_elsewhere_leaves_it_cached(self):
        all_queries(self.client_a, OFFICERS)
        all_queries(self.client_b, OFFICERS)
        warm_b = all_queries(self.client_b, OFFICERS)[0]
        services.posting_start(officer=make_officer("Y Mới Đến", home_unit=self.unit_a), commune=self.commune_a1,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))

        page_a = all_queries(self.client_a, OFFICERS)[1]
        self.assertIn("Y Mới Đến", page_a)
        after_b, page_b = all_queries(self.client_b, OFFICERS)
        self.assertEqual(after_b, warm_b)  # province B's list: still cached
        self.assertNotIn("Y Mới Đến", page_b)
        self.assertIn("Y Hai", page_b)

    def test_a_posting_written_leaves_the_filters_places_cached_and_a_renamed_commune_shows_at_once(self):
        self.client_a.get(OFFICERS)  # the session's first request writes it
        datacache.caches[datacache.CACHE_ALIAS].clear()
        with CaptureQueriesContext(connection) as places:  # what the districts and communes offered cost
            place_choices(self.viewer, as_of=D(2019, 4, 23))
        self.assertGreater(len(places), 1)
        datacache.caches[datacache.CACHE_ALIAS].clear()
        cold = all_queries(self.client_a, OFFICERS)[0]

        services.posting_start(officer=make_officer("Y Mới Đến", home_unit=self.unit_a), commune=self.commune_a1,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        after, page = all_queries(self.client_a, OFFICERS)
        self.assertIn("Y Mới Đến", page)
        self.assertEqual(after, cold - (len(places) - 1))  # all but their one read of the version numbers

        self.commune_a2.name = "Xã Mường Hoong Mới"
        self.commune_a2.save()
        self.assertIn(">Xã Mường Hoong Mới</option>", self.client_a.get(OFFICERS).content.decode())

    def test_a_unit_renamed_in_one_province_shows_at_once_where_its_officers_are_posted_in_another(self):
        make_posting(make_officer("Y Đi Xa", home_unit=self.b["unit"]), self.commune_a1, D(2019, 2, 1))
        self.assertIn(self.b["unit"].name, self.client_a.get(OFFICERS).content.decode())  # province A's list, cached
        self.b["unit"].name = "Công an huyện Tên Mới"
        self.b["unit"].save()
        self.assertIn("Công an huyện Tên Mới", self.client_a.get(OFFICERS).content.decode())

    def test_the_filters_places_are_named_in_the_language_of_the_page(self):
        ended = District.objects.create(code=9109, name="Huyện Cũ Thử", province=self.province,
                                        abolished_on=D(2019, 1, 1))
        url = f"/officers/?as_of=2019-04-23&district={ended.code}"  # a former district's page links its lists so
        self.assertIn("Huyện Cũ Thử (đến 31/12/2018)", self.client_a.get(url).content.decode())
        english = Client()
        english.force_login(self.viewer)
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertIn("Huyện Cũ Thử (until 31/12/2018)", english.get(url).content.decode())

    def test_each_scope_query_and_language_has_its_own_body_and_the_frame_is_the_users(self):
        page_a = self.client_a.get(OFFICERS).content.decode()
        page_b = self.client_b.get(OFFICERS).content.decode()
        self.assertIn("Y Hai", page_b)
        self.assertNotIn("Y Hai", page_a)  # not province B's body, cached a moment ago under the same URL
        self.assertIn(self.viewer.username, page_a)
        self.assertIn(self.b["viewer"].username, page_b)

        filtered = self.client_b.get(OFFICERS + "&q=Kh%C3%B4ng+Ai").content.decode()
        self.assertNotIn("Y Hai", filtered)
        english = Client()
        english.force_login(self.b["viewer"])
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = english.get(OFFICERS).content.decode()
        self.assertIn("Officers", page)
        self.assertIn("Y Hai", page)

        # The frame is each response's own: Django masks the CSRF token afresh for every page it renders.
        tokens = [TOKEN.search(self.client_b.get(OFFICERS).content.decode()).group(1) for _ in range(2)]
        self.assertNotEqual(tokens[0], tokens[1])
