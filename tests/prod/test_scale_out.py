"""Scale-out: two gunicorn processes share one PostgreSQL; a session made on one works on the other,
and a write shows on both servers' cached dashboards. And a gunicorn whose database is unreachable
still answers with clean pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase

from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.conftest import production_password
from tests.prod.processes import Browser, free_port, gunicorn, production_env, static_root
from tests.web.helpers import tile
from tests.web.test_two_factor import code_for


def log_in(browser: Browser, base: str, username: str, password: str, otp_code=None) -> int:
    """The password, then (production requires it of administrators) the one-time code from `otp_code()`."""
    status, _, page = browser.request(f"{base}/accounts/login/")
    assert status == 200, page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.request(
        f"{base}/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if status == 302 and "/accounts/two-factor/" in headers.get("Location", "") and otp_code is not None:
        step = f"{base}/accounts/two-factor/code/"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.request(step)[2]).group(1)
        status, headers, _ = browser.request(step, {"csrfmiddlewaretoken": token, "code": otp_code()},
                                             headers={"Referer": step})
    return status


@pytest.mark.slow
class TwoAppServersTests(TransactionTestCase):
    """TransactionTestCase: the user must be committed for the other processes to see it."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("needs PostgreSQL: two processes sharing one SQLite file is not the production setup")
        settings_dict = connection.settings_dict
        self.env = production_env(DATABASE_URL="postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            USER=settings_dict["USER"] or "postgres", HOST=settings_dict["HOST"] or "127.0.0.1",
            PORT=settings_dict["PORT"] or "5432", NAME=settings_dict["NAME"],
        ))
        self.env["STATIC_ROOT"] = static_root()
        lanhdao = get_user_model().objects.create_user("lanhdao", password="xem-kontum-2019", is_staff=True,
                                                       is_superuser=True)
        production_password(lanhdao, "xem-kontum-2019")
        from personnel import two_factor

        self.device = two_factor.enrolment_device(lanhdao)
        two_factor.confirm_enrolment(self.device, code_for(self.device))
        self.device.refresh_from_db()
        SmallProvinceTestCase.setUpTestData.__func__(self)  # a small province, committed
        make_posting(make_officer("Y Một"), self.commune_a1, D(2019, 1, 1))

    def test_sessions_and_cached_dashboards_hold_across_app_servers_and_logout_ends_the_session_on_both(self):
        port_a = free_port()
        port_b = free_port(exclude={port_a})
        with gunicorn(port_a, self.env) as server_a, gunicorn(port_b, self.env) as server_b:
            browser = Browser()
            # Before logging in, both send the visitor to log in.
            for base in (server_a, server_b):
                status, headers, _ = browser.request(f"{base}/admin/")
                self.assertEqual(status, 302)
            self.assertEqual(log_in(browser, server_a, "lanhdao", "xem-kontum-2019",
                                    otp_code=lambda: code_for(self.device, steps_ahead=1)), 302)
            self.assertTrue(browser.cookie("sessionid"))

            # The same cookie on the other process: signed in there too.
            status, headers, page = browser.request(f"{server_b}/admin/")
            self.assertEqual(status, 200, page[:300])
            self.assertIn("lanhdao", page)
            self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
            # The hashed stylesheet is served by WhiteNoise from the collected files.
            stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"',
                                   browser.request(f"{server_b}/accounts/login/")[2])
            self.assertIsNotNone(stylesheet)
            status, headers, _ = browser.request(server_b + stylesheet.group(1))
            self.assertEqual(status, 200)
            self.assertIn("immutable", headers["Cache-Control"])

            # Each process caches dashboards in its own memory; the data version in the database tells
            # every process that a write happened (datacache), here one made by a third.
            dashboard = f"/?province={self.province.code}&as_of=2019-04-23"
            for base in (server_a, server_b, server_a, server_b):  # computed, then served from each one's cache
                self.assertEqual(tile(browser.request(base + dashboard)[2], "tile-officers"), "1")
            make_posting(make_officer("Y Hai"), self.commune_a2, D(2019, 2, 1))  # this process, committed
            for base in (server_a, server_b):
                page = browser.request(base + dashboard)[2]
                self.assertEqual((tile(page, "tile-officers"), tile(page, "tile-coverage")), ("2", "2/3"))

            # Log out on B (POST, with the CSRF token of a B page): A no longer knows the session.
            _, _, page = browser.request(f"{server_b}/admin/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            status, _, _ = browser.request(f"{server_b}/accounts/logout/", {"csrfmiddlewaretoken": token},
                                           headers={"Referer": f"{server_b}/admin/"})
            self.assertEqual(status, 302)
            status, headers, _ = browser.request(f"{server_a}/admin/")
            self.assertEqual(status, 302)
            self.assertIn("login", headers["Location"])

            for base in (server_a, server_b):
                self.assertEqual(browser.request(f"{base}/healthz")[0], 200)


@pytest.mark.slow
class UnreachableDatabaseProcessTests(SimpleTestCase):
    """A real app server whose PostgreSQL does not answer (nothing listens on port 1)."""

    def test_pages_that_need_the_database_get_a_clean_503_and_the_probe_says_so(self):
        env = production_env(DATABASE_URL="postgres://postgres@127.0.0.1:1/kp_prod_nowhere")
        env["STATIC_ROOT"] = static_root()
        with gunicorn(free_port(), env) as base:
            browser = Browser()
            status, _, body = browser.request(f"{base}/healthz")
            self.assertEqual((status, body), (503, '{"database": "unavailable"}'))

            # The login page needs no database; logging in does.
            status, _, page = browser.request(f"{base}/accounts/login/")
            self.assertEqual(status, 200)
            self.assertEqual(log_in(browser, base, "lanhdao", "xem-kontum-2019"), 503)

            # A visitor with a session cookie: the session lookup fails, the page says so cleanly.
            browser.cookies.clear()
            status, headers, page = browser.request(f"{base}/admin/", headers={"Cookie": "sessionid=" + "a1b2c3d4" * 4})
            self.assertEqual(status, 503)
            self.assertEqual(headers["Retry-After"], "30")
            self.assertIn("<!DOCTYPE html>", page)
            self.assertIn('lang="vi"', page)
            self.assertIn("<h1>", page)
            self.assertNotIn("Traceback", page)
            self.assertNotIn("127.0.0.1:1", page)
