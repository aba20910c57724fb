"""/healthz for the load balancer, and what happens when the database goes away mid-request."""

from __future__ import annotations

import datetime
import json
from unittest import mock

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import TransactionTestCase
from django.urls import reverse

from personnel.models import Posting
from personnel.services import posting_transfer
from tests.base import SmallProvinceTestCase, make_officer, make_posting

D = datetime.date


def database_gone():
    """Every query fails the way psycopg fails when the server has gone away."""
    error = OperationalError("server closed the connection unexpectedly")
    return mock.patch.multiple(
        CursorWrapper, execute=mock.Mock(side_effect=error), executemany=mock.Mock(side_effect=error)
    )


class HealthzTests(SmallProvinceTestCase):
    def test_it_says_ok_when_the_database_answers_without_logging_in(self):
        response = self.client.get(reverse("healthz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.content), {"database": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_says_503_when_the_database_does_not_answer_and_gives_no_detail(self):
        with database_gone():
            response = self.client.get(reverse("healthz"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content), {"database": "unavailable"})
        self.assertNotIn(b"server closed", response.content)

    def test_it_is_not_redirected_to_https_so_a_plain_http_probe_works(self):
        with self.settings(SECURE_SSL_REDIRECT=True):
            self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
            self.assertEqual(self.client.get(reverse("login")).status_code, 301)

    def test_it_answers_get_only(self):
        self.assertEqual(self.client.post(reverse("healthz")).status_code, 405)


class DatabaseAwayPageTests(SmallProvinceTestCase):
    def test_a_page_requested_while_the_database_is_unreachable_gets_a_clean_503(self):
        self.client.force_login(self.admin)
        self.client.raise_request_exception = False
        with database_gone():
            response = self.client.get(reverse("admin:personnel_officer_changelist"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        body = response.content.decode()
        self.assertIn("<!DOCTYPE html>", body)
        self.assertNotIn("Traceback", body)
        self.assertNotIn("server closed", body)  # no internals
        self.assertIn('lang="vi"', body)
        self.assertIn("Content-Security-Policy", response.headers)

    def test_an_anonymous_request_while_the_database_is_unreachable_gets_the_503_too(self):
        self.client.raise_request_exception = False
        with database_gone():
            response = self.client.post(reverse("login"), {"username": "viewer", "password": "x"})
        self.assertEqual(response.status_code, 503)

    def test_any_other_server_error_gets_the_plain_500_page(self):
        self.client.force_login(self.national_admin)  # the Django admin is national administrators' only
        self.client.raise_request_exception = False
        with mock.patch("django.contrib.admin.sites.AdminSite.get_app_list", side_effect=RuntimeError("bug")):
            response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 500)
        self.assertNotIn(b"bug", response.content)
        self.assertIn(b"<!DOCTYPE html>", response.content)

    def test_the_error_pages_render_without_the_database_or_a_user(self):
        from kontum_posts.health import _render_plain

        with database_gone(), self.assertNumQueries(0):
            for name, status in (("500.html", 500), ("503.html", 503)):
                response = _render_plain(name, status)
                self.assertEqual(response.status_code, status)
                self.assertIn(b"app.css", response.content)


class HalfWrittenPostingTests(TransactionTestCase):
    """Real commits (TransactionTestCase): the first write of a transfer must not survive the second failing."""

    def setUp(self):
        from communes.models import Commune, District, Province

        province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        district = District.objects.create(code=9101, name="Huyện Thử", province=province)
        self.from_commune = Commune.objects.create(code=90001, name="Xã Một", district=district)
        self.to_commune = Commune.objects.create(code=90002, name="Xã Hai", district=district)
        self.posting = make_posting(make_officer(), self.from_commune, D(2019, 1, 1))

    def test_a_transfer_whose_second_write_hits_a_dead_connection_leaves_nothing_behind(self):
        real_save = Posting.save
        calls = []

        def save_then_die(posting, *args, **kwargs):
            calls.append(posting.pk)
            if len(calls) == 2:  # the first save ended the old posting; the connection dies before the new one
                raise OperationalError("server closed the connection unexpectedly")
            return real_save(posting, *args, **kwargs)

        with mock.patch.object(Posting, "save", save_then_die), self.assertRaises(OperationalError):
            posting_transfer(posting=self.posting, to_commune=self.to_commune, on=D(2019, 6, 1))

        self.assertEqual(len(calls), 2)
        self.assertEqual(Posting.objects.count(), 1)
        stored = Posting.objects.get()
        self.assertIsNone(stored.end_date, "the old posting was ended although the new one was never written")
        self.assertEqual(stored.end_reason, "")
        self.assertEqual(Posting.history.filter(id=stored.pk).count(), 1, "a history row survived the rollback")
