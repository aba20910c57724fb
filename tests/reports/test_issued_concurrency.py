"""Four leaders issuing at the same moment get four different numbers, 1 to 4 (PostgreSQL: real concurrency)."""

from __future__ import annotations

import unittest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory, TransactionTestCase

from communes.models import Commune, District, Province
from personnel.choices import Role
from personnel.models import UserProfile
from reports import issued
from reports.models import IssuedReport, ReportKind
from tests.base import D, make_officer, make_posting
from tests.personnel.test_concurrent_writes import together


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs concurrent transactions; SQLite serialises writers at BEGIN, so there is no race to test")
class ConcurrentIssueTests(TransactionTestCase):
    def setUp(self):
        self.province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        district = District.objects.create(code=9101, name="Huyện Thử", province=self.province)
        make_posting(make_officer("Nguyễn Văn An"), Commune.objects.create(code=90001, name="Xã Một", district=district),
                     D(2019, 1, 1))
        self.leader = get_user_model().objects.create_user("lanhdao", password="pw-lanhdao-123")
        UserProfile.objects.create(user=self.leader, role=Role.VIEWER, province=self.province)

    def test_numbers_issued_at_once_are_all_different(self):
        def issue():
            request = RequestFactory().post("/reports/issued/new/")
            request.user = self.leader
            return lambda: issued.issue(request, ReportKind.PILOT_REVIEW, as_of=D(2019, 4, 23), province=self.province)

        outcomes = together([issue for _ in range(4)])
        self.assertEqual([o for o in outcomes if isinstance(o, Exception)], [])
        self.assertEqual(sorted(IssuedReport.objects.values_list("number", flat=True)), [1, 2, 3, 4])
