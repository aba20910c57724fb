"""In Chromium, at 1366 px and on a 390 px phone: what a walk through the pages found out of place stays fixed
(issue 18): the gap table's point on screen, figures in line, nothing spilling out of its card, app-styled
buttons, readable chart labels, and the officer picker on /manage/."""

from __future__ import annotations

import os

import pytest

from sampledata.pilot import DEMO_USERS
from tests.conftest import SCREENSHOTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENS = SCREENSHOTS / "layout"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORDS = {username: password for username, password, _role, _area in DEMO_USERS}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]






def _page(browser, live_server, viewport, username="lanhdao", lang="vi"):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("button.primary")
    page.wait_for_load_state()
    return page


def _shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page):
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"the page is {width} px wide in a {client} px window"


def test_on_a_phone_the_gap_table_shows_the_gaps_and_commune_names_on_one_line(live_server, browser, demo):
    page = _page(browser, live_server, PHONE)
    page.goto(live_server.url + "/?as_of=2019-04-23")
    _shot(page, "dashboard-phone")
    container = page.locator("#gaps .table-container")
    box = container.bounding_box()
    gaps_header = page.locator("#gaps thead th").last.bounding_box()
    assert gaps_header["x"] + 40 < box["x"] + box["width"], "the Gaps column starts off screen"
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#gaps td a')).lineHeight)")
    for cell in page.locator("#gaps tbody td:first-child a").all()[:10]:
        assert cell.bounding_box()["height"] < 1.5 * line_height, cell.inner_text()
    # The small chart's labels are drawn at 10 px or more on screen.
    scale = page.evaluate("""(() => { const s = [...document.querySelectorAll('.chart-small svg')][0];
        return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()""")
    assert 11 * scale >= 10
    _no_horizontal_scroll(page)


def test_on_the_desktop_the_dashboard_figures_line_up_and_headings_are_in_sentence_case(live_server, browser, demo):
    page = _page(browser, live_server, DESKTOP)
    page.goto(live_server.url + "/?as_of=2019-04-23")
    tops = {round(box["y"]) for box in (v.bounding_box() for v in page.locator(".tiles .tile-value").all())}
    assert len(tops) == 1, tops
    for heading in page.locator("main h2").all():
        text = heading.inner_text()
        assert text != text.upper(), text


def test_the_commune_pages_badge_stays_inside_its_card(live_server, browser, demo):
    for viewport in (DESKTOP, PHONE):
        page = _page(browser, live_server, viewport)
        page.goto(live_server.url + "/communes/23356/?as_of=2019-04-23")  # Xã Đắk Choong: "no Party cell"
        _shot(page, f"commune-{viewport['width']}")
        for tile in page.locator(".tiles .tile").all():
            outer = tile.bounding_box()
            for tag in tile.locator(".tag").all():
                inner = tag.bounding_box()
                assert inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        _no_horizontal_scroll(page)


def test_the_officer_list_fits_1366_px_and_the_english_search_placeholder_is_whole(live_server, browser, demo):
    for lang in ("vi", "en"):
        page = _page(browser, live_server, DESKTOP, lang=lang)
        page.goto(live_server.url + "/officers/?as_of=2019-04-23")
        scroll, client = page.evaluate(
            "(() => { const c = document.querySelector('.table-container'); return [c.scrollWidth, c.clientWidth]; })()")
        assert scroll <= client, f"{lang}: the table is {scroll} px in {client} px"
        fits = page.evaluate("""(() => { const i = document.querySelector('.topbar .search input');
            const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(i);
            c.font = s.font; const pad = parseFloat(s.paddingLeft) + parseFloat(s.paddingRight);
            return c.measureText(i.placeholder).width + pad <= i.clientWidth; })()""")
        assert fits, lang


def test_buttons_on_manage_and_national_pages_have_the_apps_style(live_server, browser, demo):
    page = _page(browser, live_server, DESKTOP, username="quantri")
    for path in ("/manage/", "/national/"):
        page.goto(live_server.url + path)
        for button in page.locator("main button").all():
            colour = button.evaluate("b => getComputedStyle(b).backgroundColor")
            assert colour == "rgb(31, 78, 121)", (path, button.inner_text(), colour)


def test_the_admins_buttons_have_the_apps_colour(live_server, browser, demo):
    page = _page(browser, live_server, DESKTOP, username="quantri.toanquoc")
    page.goto(live_server.url + "/admin/axes/accessattempt/")
    colour = page.locator("#changelist-search input[type=submit]").evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(31, 78, 121)"
    page.goto(live_server.url + "/admin/personnel/officer/add/")
    colour = page.locator(".submit-row input[type=submit]").first.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(31, 78, 121)"


def test_the_officer_picker_finds_namesakes_by_service_number_and_picks_one(live_server, browser, demo):
    for viewport in (DESKTOP, PHONE):
        page = _page(browser, live_server, viewport, username="bientap.dakglei")
        page.goto(live_server.url + "/manage/postings/add/")
        page.type("#id_officer-search", "a kim")
        visible = page.evaluate("[...document.querySelectorAll('#id_officer option')].filter(o => !o.hidden).map(o => o.text)")
        assert visible and all(text.startswith("A Kim — ") for text in visible), visible
        assert all("·" in text for text in visible)  # the unit, to tell them apart
        number = visible[-1].split(" — ")[1].split(" ·")[0]
        page.fill("#id_officer-search", number)
        page.wait_for_timeout(100)
        picked = page.evaluate("document.querySelector('#id_officer').selectedOptions[0].text")
        assert number in picked
        _shot(page, f"picker-{viewport['width']}")
        _no_horizontal_scroll(page)


def test_without_script_the_officer_select_is_a_plain_required_select(live_server, browser, demo):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "bientap.dakglei")
    page.fill("#id_password", PASSWORDS["bientap.dakglei"])
    page.click("button.primary")
    page.goto(live_server.url + "/manage/postings/add/")
    assert page.locator("#id_officer-search").count() == 0
    assert page.locator("#id_officer option").count() > 10
