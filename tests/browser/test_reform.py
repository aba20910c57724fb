"""In Chromium: moving the as-of day across 01/07/2025 changes the province, the tiers and the names."""

from __future__ import annotations

import os

import pytest

from tests.conftest import SCREENSHOTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as_of(page, day: str) -> None:
    page.fill("#id_as_of", day)
    page.click("#as-of-form button[type=submit]")
    page.wait_for_url(f"**as_of={day}**")


def test_the_as_of_day_crosses_the_reorganisation(live_server, browser, demo):
    # The pilot carried on to today (the demo fixture): Kon Tum's units and their successors in Quảng Ngãi.
    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.fill("#id_username", "toanquoc")
    page.fill("#id_password", "xem-toanquoc-2019")
    page.click("button.primary")
    page.wait_for_selector("#tile-officers")

    _as_of(page, "2025-06-30")
    assert page.inner_text("h1") == "Tỉnh Kon Tum"
    assert page.inner_text("#district-table thead th:first-child") == "Huyện"
    assert page.locator("#district-table tbody tr").count() == 10

    _as_of(page, "2025-07-01")
    assert page.inner_text("h1") == "Tỉnh Quảng Ngãi"
    assert page.inner_text("#district-table thead th:first-child") == "Huyện cũ"  # no district tier: by former district
    assert "Huyện Kon Plông" in page.inner_text("#district-table tbody")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "browser-reform-dashboard.png"), full_page=True)

    page.goto(live_server.url + "/communes/23473/?as_of=2025-06-30")
    assert page.inner_text("h1") == "Thị trấn Măng Đen"
    assert "Huyện Kon Plông" in page.inner_text("nav.crumbs")
    _as_of(page, "2025-07-01")
    assert page.inner_text("h1") == "Xã Măng Đen"
    assert "Tỉnh Quảng Ngãi" in page.inner_text("nav.crumbs") and "Huyện" not in page.inner_text("nav.crumbs")
    assert "Xã Măng Cành" in page.inner_text("#came-from-table")
    page.click("#came-from-table a:has-text('Xã Măng Cành')")
    page.wait_for_url("**/communes/23470/**")
    assert page.inner_text("h1") == "Xã Măng Cành"
    _as_of(page, "2026-12-01")
    assert "không tồn tại vào ngày 01/12/2026" in page.inner_text("#not-on-day")
    page.click("#not-on-day a")
    page.wait_for_url("**/communes/23473/**")
    assert page.inner_text("h1") == "Xã Măng Đen"
