"""In Chromium: an administrator runs the reorganisation's dry run, is refused while a split commune's officers
have no choice, chooses, picks the chief, confirms, and undoes it."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model

from personnel.choices import Position, Role
from personnel.models import Posting, Reorganisation, UserProfile
from tests.conftest import SCREENSHOTS
from tests.personnel.test_reorganisation import DAY, build_small_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class World:
    pass


def test_an_administrator_confirms_a_reorganisation_with_choices_and_undoes_it(live_server, browser):
    build_small_world(World)
    admin = get_user_model().objects.create_user("quantri.thu", password="quantri-thu-2025")
    UserProfile.objects.create(user=admin, role=Role.PROVINCE_ADMIN, province=None)  # national administrator
    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/accounts/login/?next=/manage/reorganisation/")
    page.fill("#id_username", "quantri.thu")
    page.fill("#id_password", "quantri-thu-2025")
    page.click("button.primary")
    page.wait_for_url("**/manage/reorganisation/")
    page.select_option("#id_province", "9002")
    page.fill("#id_on", "2025-07-01")
    page.click("#reorganisation-form button[type=submit]")
    page.wait_for_selector("#reorganisation-proposal")
    assert "6" in page.inner_text("#reorganisation-summary")
    assert page.locator("#unresolved li").count() == 2  # the split commune's two officers

    page.click("#confirm")  # refused: nothing written
    page.wait_for_selector("#reorganisation-error")
    assert Reorganisation.objects.count() == 0

    postings = World.postings
    page.select_option(f"select[name=successor_{postings['c_chief'].pk}]", str(World.y.pk))
    page.select_option(f"select[name=successor_{postings['c_staff'].pk}]", str(World.z.pk))
    page.select_option(f"select[name=chief_{World.x.pk}]", str(postings["b_chief"].pk))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "browser-reorganisation-dry-run.png"), full_page=True)
    page.click("#confirm")
    page.wait_for_selector("#done")
    done = Reorganisation.objects.get()
    assert Posting.objects.get(officer=World.b_chief, start_date=DAY).position == Position.CHIEF
    assert Posting.objects.get(officer=World.a_chief, start_date=DAY).position == Position.DEPUTY_CHIEF
    assert Posting.objects.get(officer=World.c_chief, start_date=DAY).commune == World.y

    page.click("#done button[type=submit]")  # undo
    page.wait_for_selector(".messages")
    done.refresh_from_db()
    assert done.undone_at is not None
    assert not Posting.objects.filter(start_date=DAY).exists()
    page.screenshot(path=str(SCREENSHOTS / "browser-reorganisation-undone.png"), full_page=True)
