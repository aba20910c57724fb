"""In real Chromium: every page a signed-in administrator can open raises no CSP violation,
and the error and lockout pages look right (screenshots under var/screenshots/prod/)."""

from __future__ import annotations

import pytest

from tests.conftest import SCREENSHOTS
from tests.prod.urlwalk import all_urls

SCREENS = SCREENSHOTS / "prod"


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def log_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_load_state()


def pages_to_visit() -> list[str]:
    urls, _ = all_urls()
    paths = []
    for url in urls:
        name = url.name or ""
        # POST only (a button on a page visited here): logging out, the language, undoing a reorganisation.
        if name in ("logout", "admin:logout", "healthz", "set_language", "manage:reorganisation_undo",
                    "manage:correction_undo", "reports:issue") or (
                "<" in url.route and "object_id" in url.route):
            continue
        if name.startswith("admin:") and not name.endswith(("_changelist", "_add", ":index")):
            continue
        paths.append(url.path)
    return paths


@pytest.mark.browser
def test_no_page_raises_a_content_security_policy_violation(live_server, browser, django_user_model):
    django_user_model.objects.create_user("quantri", password="quantri-kontum-2019", is_staff=True, is_superuser=True)
    page = browser.new_page()
    violations = watch_csp(page)
    log_in(page, live_server.url, "quantri", "quantri-kontum-2019")
    visited = []
    for path in pages_to_visit():
        response = page.goto(live_server.url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        visited.append(path)
    assert len(visited) > 10
    assert violations == [], violations[:5]


@pytest.mark.browser
def test_the_login_lockout_and_error_pages_render_and_break_no_policy(live_server, browser, django_user_model):
    from kontum_posts.health import _render_plain

    SCREENS.mkdir(parents=True, exist_ok=True)
    django_user_model.objects.create_user("lanhdao", password="xem-kontum-2019")
    django_user_model.objects.create_user("bientap", password="sua-dakglei-2019")
    page = browser.new_page(viewport={"width": 1000, "height": 640})
    violations = watch_csp(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(SCREENS / "login.png"))
    for _attempt in range(5):
        page.fill("#id_username", "lanhdao")
        page.fill("#id_password", "sai-mat-khau")
        with page.expect_navigation() as navigation:
            page.click("button.primary")
    assert navigation.value.status == 429
    assert page.locator("h1").count() == 1
    page.screenshot(path=str(SCREENS / "locked_out.png"))

    # A colleague at the same address is not locked out; signed in, an unknown page gives the 404 page.
    other = browser.new_page(viewport={"width": 1000, "height": 640})
    violations += watch_csp(other)
    log_in(other, live_server.url, "bientap", "sua-dakglei-2019")
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = other.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response.status == 404
    assert "bientap" in other.locator(".account").inner_text()
    other.screenshot(path=str(SCREENS / "404.png"))

    # The 500 and 503 pages as the error handler renders them (no request, no database), served at a
    # fake address so their stylesheet loads from the live server like in production.
    for name, status in (("500.html", 500), ("503.html", 503)):
        body = _render_plain(name, status).content.decode()
        def serve(route, request, body=body, status=status):
            route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8",
                          headers={"Content-Security-Policy": "default-src 'self'; style-src 'self'"})

        other.route(f"{live_server.url}/__{status}__", serve)
        response = other.goto(f"{live_server.url}/__{status}__")
        assert response.status == status
        assert other.locator("link[rel=stylesheet]").count() == 1
        other.screenshot(path=str(SCREENS / f"{status}.png"))
    assert violations == [], violations[:5]


@pytest.mark.browser
def test_the_violation_detector_does_catch_an_inline_script(live_server, browser):
    # Without this, an empty list of violations could just mean the console was not being heard.
    page = browser.new_page()
    violations = watch_csp(page)

    def serve(route, request):
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><script>document.title='x'</script>",
                      headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"})

    page.route(f"{live_server.url}/__inline__", serve)
    page.goto(f"{live_server.url}/__inline__")
    page.wait_for_timeout(200)
    assert violations and page.title() != "x"
