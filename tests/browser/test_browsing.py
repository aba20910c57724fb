"""In a real browser (Chromium via Playwright): log in, read the dashboard, change the date, drill
down district → commune → officer, filter and export a table, switch language."""

from __future__ import annotations

import csv
import io
import os

import pytest

from tests.conftest import SCREENSHOTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENS = SCREENSHOTS / "dash"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]






def _shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"browser-{name}.png"), full_page=True)


def _login(page, live_server, username="lanhdao", password="xem-kontum-2019"):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_selector("#tile-officers")


def test_dashboard_date_and_drill_down(live_server, browser, demo):
    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    _login(page, live_server)
    page.fill("#id_as_of", "2019-04-23")
    page.click("#as-of-form button[type=submit]")
    page.wait_for_url("**as_of=2019-04-23**")
    assert page.inner_text("#tile-officers .tile-value") == "349"
    assert page.inner_text("#tile-coverage .tile-value") == "86/86"
    assert page.inner_text("#tile-secretaries .tile-value") == "60/61"
    _shot(page, "dashboard")

    page.fill("#id_as_of", "2019-01-15")
    page.click("#as-of-form button[type=submit]")
    page.wait_for_url("**as_of=2019-01-15**")
    assert page.inner_text("#tile-officers .tile-value") != "349"
    assert page.inner_text("#tile-coverage .tile-value") != "86/86"

    # Drill down, keeping the date.
    page.click("#district-table tbody tr:first-child th a")
    page.wait_for_selector("#commune-table")
    assert "/districts/" in page.url and "as_of=2019-01-15" in page.url
    _shot(page, "district")
    page.click("#commune-table tbody tr:first-child td:first-child a")
    page.wait_for_selector("#staff-table, .empty")
    assert "/communes/" in page.url
    _shot(page, "commune")
    officer_link = page.locator("main a[href^='/officers/']").first
    name = officer_link.inner_text()
    officer_link.click()
    page.wait_for_selector("#posting-history")
    assert page.inner_text("h1") == name
    _shot(page, "officer")


def test_filter_export_and_language(live_server, browser, demo, tmp_path):
    context = browser.new_context(locale="vi-VN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, live_server)
    page.goto(live_server.url + "/officers/?as_of=2019-04-23")
    page.click("details.filters summary")
    page.select_option("#id_district", label="Huyện Đắk Glei")
    page.select_option("#id_in_post", "yes")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**district=610**")
    count = int(page.inner_text("h1 .count"))
    assert 0 < count < 349
    _shot(page, "officers-filtered")

    with page.expect_download() as download_info:
        page.click("a.button:has-text('CSV')")
    path = tmp_path / "officers.csv"
    download_info.value.save_as(path)
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows, notes = lines[:lines.index([])], dict(lines[lines.index([]) + 1:])  # the table, then what it is
    assert len(rows) == 1 + count
    assert notes["Tính đến ngày"] == "23/04/2019" and notes["Huyện"] == "Huyện Đắk Glei"
    assert all("Đắk Glei" in row[6] for row in rows[1:])

    with page.expect_download() as download_info:
        page.click("a.button:has-text('XLSX')")
    assert download_info.value.suggested_filename == "can-bo_huyen-dak-glei_2019-04-23.xlsx"

    assert page.get_attribute("html", "lang") == "vi"
    page.click(".lang button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "district=610" in page.url  # the switch comes back to the same filtered page
    page.click(".lang button[value=vi]")
    page.wait_for_selector("html[lang=vi]")
    context.close()
