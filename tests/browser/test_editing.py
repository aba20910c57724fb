"""An editor transfers an officer through the form in a real browser; the next day's coverage follows,
in the selectors and on the dashboard, which the editor had just seen (and the server had cached)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from communes.models import Commune, District, Province
from personnel.choices import EndReason, Position, Role
from personnel.coverage import coverage_figures, district_breakdown
from personnel.models import Plan, Posting, UserProfile
from tests.base import make_officer, make_posting
from tests.conftest import SCREENSHOTS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SCREENS = SCREENSHOTS / "edit"


@pytest.fixture
def page(live_server, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    yield page


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_transfers_an_officer_and_the_next_days_coverage_changes(page, live_server):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
    district = District.objects.create(code=9101, name="Huyện Đắk Glei Thử", province=province)
    pet = Commune.objects.create(code=90001, name="Xã Đắk Pét", district=district)
    hoong = Commune.objects.create(code=90002, name="Xã Mường Hoong", district=district)
    plan = Plan.objects.create(province=province, number="1/KH", title="Kế hoạch", issued_on=datetime.date(2018, 10, 12))
    plan.communes.set([pet, hoong])
    moving = make_officer("Nguyễn Văn Bình")
    make_posting(moving, pet, datetime.date(2019, 1, 2))
    make_posting(make_officer("A Lăng"), pet, datetime.date(2019, 1, 2), position=Position.CHIEF)
    editor = get_user_model().objects.create_user("bientap", password="sua-thu-2019")
    UserProfile.objects.create(user=editor, role=Role.EDITOR, province=province).districts.set([district])

    before = coverage_figures(province=province, as_of=tomorrow)
    assert (before.communes_covered, before.officers_in_post) == (1, 2)

    page.goto(f"{live_server.url}/accounts/login/?next=/manage/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "sua-thu-2019")
    page.click("button.primary")
    page.wait_for_url("**/manage/")
    # The dashboard for tomorrow before the transfer: one commune covered (and now in the server's cache).
    page.goto(f"{live_server.url}/?as_of={tomorrow.isoformat()}")
    assert page.inner_text("#tile-coverage .tile-value").strip() == "1/2"
    page.goto(f"{live_server.url}/manage/")
    page.select_option("#pick-officer", label=f"Nguyễn Văn Bình — {moving.service_number}")
    page.click("section:first-of-type form.pick button")
    page.wait_for_url(f"**/manage/officers/{moving.pk}/")
    page.click("text=Điều động")  # the default interface is Vietnamese
    page.wait_for_url("**/transfer/")
    page.select_option("#id_to_commune", label="Xã Mường Hoong (Đắk Glei Thử)")
    page.fill("#id_on", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_change_reason", "Tăng cường cho xã Mường Hoong")
    shot(page, "browser-transfer-filled")
    page.click("button.primary")
    page.wait_for_url(f"**/manage/officers/{moving.pk}/")
    assert "Xã Mường Hoong" in page.inner_text(".messages")
    shot(page, "browser-transfer-done")

    old = Posting.objects.get(officer=moving, commune=pet)
    assert (old.end_date, old.end_reason) == (today, EndReason.TRANSFERRED)
    assert coverage_figures(province=province, as_of=today).communes_covered == 1  # today he is still in Đắk Pét
    after = coverage_figures(province=province, as_of=tomorrow)
    assert (after.communes_covered, after.officers_in_post) == (2, 2)
    [row] = district_breakdown(province=province, as_of=tomorrow)
    assert row.figures.communes_covered == 2
    # The dashboard says the same: the figures for tomorrow show the second commune covered.
    page.goto(f"{live_server.url}/?as_of={today.isoformat()}")
    assert page.inner_text("#tile-coverage .tile-value").strip() == "1/2"
    page.goto(f"{live_server.url}/?as_of={tomorrow.isoformat()}")
    assert page.inner_text("#tile-coverage .tile-value").strip() == "2/2"
    assert page.inner_text("#tile-officers .tile-value").strip() == "2"
    shot(page, "browser-dashboard-tomorrow")
    # The history records who moved him and why.
    record = Posting.history.filter(id=old.pk).first()
    assert (record.history_user, record.history_change_reason) == (editor, "Tăng cường cho xã Mường Hoong")
