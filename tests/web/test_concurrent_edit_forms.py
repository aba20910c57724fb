"""Eight administrators submit conflicting edit forms at the same moment: exactly one is saved, the others
are shown why, never a 5xx, nothing lost (issue 15). Threads with the Django test client, each opening
its form first as a browser would; PostgreSQL only (SQLite serialises writers at BEGIN)."""

from __future__ import annotations

import re
import threading
import unittest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from communes.models import Commune, District, PartyCell, Province
from personnel.choices import EndReason, PartyRoleKind, Position, Role
from personnel.models import PartyRole, Posting, UserProfile
from tests.base import D, make_officer, make_posting
from tests.personnel.test_concurrent_posting_services import run_together

N = 8


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs concurrent transactions; SQLite serialises writers at BEGIN, so there is no race to test")
class ConcurrentEditFormTests(TransactionTestCase):
    def setUp(self):
        self.province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        district = District.objects.create(code=9101, name="Huyện Thử", province=self.province)
        self.communes = [Commune.objects.create(code=90001 + i, name=f"Xã Thử {i}", district=district) for i in range(3)]
        self.admins = []
        for i in range(N):
            user = get_user_model().objects.create_user(f"admin{i}", password="pw")
            UserProfile.objects.create(user=user, role=Role.PROVINCE_ADMIN, province=self.province)
            self.admins.append(user)

    def submit_together(self, forms):
        """forms: (url, data) per administrator; each opens its form, then all submit at once."""
        start = threading.Barrier(len(forms), timeout=30)

        def action(user, url, data):
            def run():
                client = Client()
                client.force_login(user)
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
                match = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())
                posted = {**data, "version": match.group(1)} if match else data
                start.wait()
                return client.post(url, posted)
            return run

        pairs = zip(self.admins[:len(forms)], forms, strict=True)
        outcomes = run_together(*[action(user, url, data) for user, (url, data) in pairs], timeout=90)
        for outcome in outcomes:
            self.assertNotIsInstance(outcome, Exception, outcomes)
            self.assertLess(outcome.status_code, 500, outcome.content[:2000])
        return outcomes

    def assertOneSaved(self, outcomes, *reasons):
        saved = [o for o in outcomes if o.status_code == 302]
        refused = [o.content.decode() for o in outcomes if o.status_code == 200]
        self.assertEqual((len(saved), len(refused)), (1, N - 1), [o.status_code for o in outcomes])
        for page in refused:
            self.assertIn("Nothing was saved", page)
            self.assertTrue(any(reason in page for reason in reasons), page[:3000])

    def test_eight_ends_of_one_posting_with_different_dates_save_one(self):
        posting = make_posting(make_officer(), self.communes[0], D(2019, 1, 1))
        url = reverse("manage:posting_end", args=[posting.pk])
        outcomes = self.submit_together([
            (url, {"end_date": f"{i + 1:02d}/01/2020", "end_reason": EndReason.RETIRED}) for i in range(N)])
        self.assertOneSaved(outcomes, "This record was changed after you opened the form", "has already ended")
        posting.refresh_from_db()
        self.assertIsNotNone(posting.end_date)
        self.assertEqual(posting.history.count(), 2)

    def test_ends_and_transfers_of_one_posting_save_one(self):
        posting = make_posting(make_officer(), self.communes[0], D(2019, 1, 1))
        end, transfer = (reverse(f"manage:posting_{kind}", args=[posting.pk]) for kind in ("end", "transfer"))
        outcomes = self.submit_together([
            (end, {"end_date": f"{i + 1:02d}/01/2020", "end_reason": EndReason.RETIRED}) if i % 2 else
            (transfer, {"to_commune": self.communes[1].pk, "position": Position.STANDING_OFFICER,
                        "on": f"{i + 1:02d}/02/2020"})
            for i in range(N)])
        self.assertOneSaved(outcomes, "This record was changed after you opened the form", "has already ended")
        self.assertEqual(Posting.objects.get(pk=posting.pk).history.count(), 2)
        self.assertLessEqual(Posting.objects.filter(end_date__isnull=True).count(), 1)

    def test_eight_secretaries_for_one_cell_save_one(self):
        cell = PartyCell.objects.create(commune=self.communes[0], established_on=D(2019, 2, 1))
        url = reverse("manage:partyrole_appoint")
        outcomes = self.submit_together([
            (url, {"commune": self.communes[0].pk, "role": PartyRoleKind.CELL_SECRETARY, "holder_name": f"Người {i}",
                   "start_date": "01/03/2019"}) for i in range(N)])
        self.assertOneSaved(outcomes, "already has a secretary")
        self.assertEqual(PartyRole.objects.filter(cell=cell).count(), 1)

    def test_a_cell_dissolved_while_deputies_are_appointed_keeps_no_role_open(self):
        cell = PartyCell.objects.create(commune=self.communes[0], established_on=D(2019, 2, 1))
        appoint = reverse("manage:partyrole_appoint")
        outcomes = self.submit_together([
            (reverse("manage:partycell_dissolve", args=[cell.pk]), {"dissolved_on": "01/07/2020"}),
            *[(appoint, {"commune": self.communes[0].pk, "role": PartyRoleKind.CELL_DEPUTY_SECRETARY,
                         "holder_name": f"Phó {i}", "start_date": "01/03/2019"}) for i in range(N - 1)]])
        self.assertEqual(outcomes[0].status_code, 302)
        for page in (o.content.decode() for o in outcomes[1:] if o.status_code == 200):
            self.assertIn("lies within the cell&#x27;s life", page)
        self.assertEqual(PartyCell.objects.get(pk=cell.pk).dissolved_on, D(2020, 7, 1))
        self.assertFalse(PartyRole.objects.filter(cell=cell, end_date__isnull=True).exists())
