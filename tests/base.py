"""Shared test data: a small hand-made province, and users of each role."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.test import TestCase

from communes.choices import CommuneKind
from communes.models import Commune, District, Province
from personnel.choices import Gender, Position, Rank, Role
from personnel.models import Officer, Plan, Posting, UserProfile

D = datetime.date
_service_numbers = itertools.count(1)


def make_officer(name: str = "Nguyễn Văn An", **fields) -> Officer:
    fields.setdefault("gender", Gender.MALE)
    fields.setdefault("rank", Rank.LIEUTENANT)
    fields.setdefault("service_number", f"T{next(_service_numbers):05d}")
    return Officer.objects.create(full_name=name, **fields)


def make_posting(officer: Officer, commune: Commune, start: datetime.date, end: datetime.date | None = None,
                 position: str = Position.STANDING_OFFICER) -> Posting:
    return Posting.objects.create(officer=officer, commune=commune, position=position, start_date=start, end_date=end)


class SmallProvinceTestCase(TestCase):
    """A province of two districts and four communes (three in the plan), and one user per role
    (a national administrator too: a superuser without a profile)."""

    @classmethod
    def setUpTestData(cls):
        cls.province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        cls.district_a = District.objects.create(code=9101, name="Huyện Đắk Glei Thử", province=cls.province)
        cls.district_b = District.objects.create(code=9102, name="Huyện Ia H'Drai Thử", province=cls.province)
        cls.commune_a1 = Commune.objects.create(code=90001, name="Xã Đắk Pét", district=cls.district_a)
        cls.commune_a2 = Commune.objects.create(code=90002, name="Xã Mường Hoong", district=cls.district_a)
        cls.commune_b1 = Commune.objects.create(code=90003, name="Xã Ia Tơi", district=cls.district_b)
        cls.ward_b2 = Commune.objects.create(
            code=90004, name="Phường Thống Nhất", district=cls.district_b, kind=CommuneKind.WARD
        )
        cls.plan = Plan.objects.create(
            province=cls.province, number="1/KH-TEST", title="Kế hoạch thử", issued_on=D(2018, 10, 12), min_officers=2
        )
        cls.plan.communes.set([cls.commune_a1, cls.commune_a2, cls.commune_b1])

        User = get_user_model()
        cls.viewer = User.objects.create_user("viewer", password="pw-viewer-123")
        UserProfile.objects.create(user=cls.viewer, role=Role.VIEWER, province=cls.province)
        cls.editor = User.objects.create_user("editor", password="pw-editor-123")
        profile = UserProfile.objects.create(user=cls.editor, role=Role.EDITOR, province=cls.province)
        profile.districts.set([cls.district_a])
        # A province administrator is no superuser (nor staff): the Django admin is for national ones.
        cls.admin = User.objects.create_user("admin", password="pw-admin-123")
        UserProfile.objects.create(user=cls.admin, role=Role.PROVINCE_ADMIN, province=cls.province)
        cls.national_admin = User.objects.create_superuser("national.admin", password="pw-national-admin-123")


class InEnglish:
    """Mixin for tests that assert messages by their English text (Vietnamese is the default).

    Activates English for code called directly and sets the language cookie for the test client,
    as a user who chose English would have.
    """

    def setUp(self):
        super().setUp()
        from django.conf import settings
        from django.utils import translation

        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
