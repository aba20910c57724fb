"""The national dashboard page: national users only, one row per province, a constant number of queries."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import Province
from communes.services import divisions_import
from personnel.coverage import national_figures
from sampledata.synthetic import generate_national
from tests import demo
from tests.base import D

URL = reverse("national_dashboard")


BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", 'UPDATE "django_session"')


class NationalDashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        divisions_import(province_codes=[1, 2])
        demo.load_pilot()
        generate_national(seed=5, scale=0.04)
        User = get_user_model()
        cls.national = User.objects.get(username="toanquoc")  # the demo's national viewer
        cls.provincial = User.objects.get(username="lanhdao")

    def test_anonymous_users_are_sent_to_log_in(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_a_province_user_is_refused(self):
        self.client.force_login(self.provincial)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_a_national_user_sees_every_province_with_the_selector_figures(self):
        self.client.force_login(self.national)
        response = self.client.get(URL, {"as_of": "2019-04-23", "language": "en"})
        self.assertEqual(response.status_code, 200)
        rows = response.context["rows"]
        self.assertEqual([r.province.pk for r in rows], [r.province.pk for r in national_figures(as_of=D(2019, 4, 23))])
        self.assertEqual(len(rows), Province.objects.existing_on(D(2019, 4, 23)).count())
        kon_tum = next(r for r in rows if r.province.code == 62)
        self.assertContains(response, f'?province=62&amp;as_of=2019-04-23">{kon_tum.province.name}</a>', html=False)
        self.assertContains(response, f"<td class=\"num\">{kon_tum.figures.communes_covered} / {kon_tum.figures.communes_in_plan}</td>", html=True)
        self.assertEqual(response.context["totals"].officers_in_post, sum(r.figures.officers_in_post for r in rows))

    def test_a_bad_date_shows_today_and_says_so(self):
        self.client.force_login(self.national)
        response = self.client.get(URL, {"as_of": "31/02/2019"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["date_error"])
        # Typed the Vietnamese way, as on every other page: read, no error.
        response = self.client.get(URL, {"as_of": "23/04/2019"})
        self.assertEqual((response.context["as_of"], response.context["date_error"]), (datetime.date(2019, 4, 23), ""))

    def test_query_count_does_not_grow_with_provinces(self):
        self.client.force_login(self.national)
        self.client.get(URL)
        with CaptureQueriesContext(connection) as small:
            self.client.get(URL, {"as_of": "2021-01-01"})
        divisions_import(province_codes=[4, 6])
        generate_national(seed=6, scale=0.04)
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(URL, {"as_of": "2021-01-01"})
        self.assertEqual(len(response.context["rows"]), Province.objects.existing_on(D(2021, 1, 1)).count())
        # The session is written when the day shown changes (remembered) and every few minutes: not the page's.
        small, large = ([q for q in ctx.captured_queries if not q["sql"].startswith(BOOKKEEPING)] for ctx in (small, large))
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 12)
