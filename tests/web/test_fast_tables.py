"""The tables' body rendered in one loop (kontum_posts/lib/fasttable.py) is the library's body, cell for cell:
every list, on the day and all time, sorted both ways, in Vietnamese and English, with and without rows."""

from __future__ import annotations

import re
from unittest import mock

from django.test import SimpleTestCase
from django.urls import reverse

from kontum_posts.lib.fasttable import FastBodyTable
from tests.web.test_browsing_views import BrowsingTestCase

LISTS = ("officer_list", "posting_list", "partyrole_list", "commune_list")


def body(html: str) -> str:
    match = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    assert match, "no table body"
    return re.sub(r">\s+<", "><", match.group(1)).strip()


def assert_fast_body_matches(testcase, url: str, query: dict) -> str:
    """The list at `url` renders the same body in one loop as through the library's template; its body."""
    fast = testcase.client.get(url, query)
    with mock.patch.object(FastBodyTable, "fast_body", False):
        library = testcase.client.get(url, query)
    testcase.assertEqual((fast.status_code, library.status_code), (200, 200))
    testcase.assertEqual(body(fast.content.decode()), body(library.content.decode()))
    testcase.assertNotRegex(body(fast.content.decode()), r">None<")
    return body(fast.content.decode())


class FastBodyTests(BrowsingTestCase):
    def pages(self, url: str, query: dict) -> tuple[str, str]:
        fast = self.client.get(url, query)
        with mock.patch.object(FastBodyTable, "fast_body", False):
            library = self.client.get(url, query)
        self.assertEqual((fast.status_code, library.status_code), (200, 200))
        return body(fast.content.decode()), body(library.content.decode())

    def test_every_list_renders_the_cells_the_library_renders(self):
        self.client.force_login(self.viewer)
        for name in LISTS:
            for language in ("vi", "en"):
                self.client.cookies["django_language"] = language
                for query in ({"as_of": "2019-04-23"}, {"as_of": "2019-04-23", "period": "all", "sort": "-start_date"},
                              {"sort": "-full_name"}, {"q": "không có ai tên này"}):
                    with self.subTest(list=name, language=language, query=query):
                        fast, library = self.pages(reverse(name), query)
                        self.assertEqual(fast, library)
                        if "q" not in query:
                            self.assertIn("<td", fast)  # rows, not the empty text

    def test_an_empty_date_shows_the_columns_default_as_the_librarys_date_template_did(self):
        from kontum_posts.lib.fasttable import DateColumn

        self.client.force_login(self.viewer)
        column = DateColumn(default="—")
        for name in LISTS:
            with self.subTest(list=name):
                fast = body(self.client.get(reverse(name), {"period": "all"}).content.decode())
                self.assertNotRegex(fast, r">None<")
        from personnel.web.tables import OfficerTable

        bound = OfficerTable([]).columns["party_member_since"]
        self.assertEqual(column.render(value=None, bound_column=bound), "—")

    def test_the_empty_list_says_so(self):
        self.client.force_login(self.viewer)
        fast, library = self.pages(reverse("officer_list"), {"q": "không có ai tên này"})
        self.assertEqual(fast, library)
        self.assertIn("colspan", fast)


class EscapedTests(SimpleTestCase):
    def test_it_writes_what_conditional_escape_writes(self):
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe
        from django.utils.translation import gettext_lazy

        from kontum_posts.lib.fasttable import escaped

        values = ("<script>alert('x')</script>", 'Y "Bơ" & A\'Lưu', "=SUM(A1)", 0, 12, None, 3.5, "",
                  mark_safe("<b>an toàn</b>"), gettext_lazy("no chief"), gettext_lazy("<Kon Tum> & 'Đắk'"))
        for value in values:
            with self.subTest(value=value):
                self.assertEqual(escaped(value), str(conditional_escape(value)))
