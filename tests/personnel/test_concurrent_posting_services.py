"""Two administrators submit conflicting postings at the same moment: exactly one wins, the other reads the rule.

Real concurrency needs real transactions and two connections, so these are TransactionTestCases
with one thread per administrator. SQLite serialises every writer at BEGIN (IMMEDIATE), so the race
cannot happen there; the test runs on PostgreSQL, the production database.
"""

from __future__ import annotations

import threading
import unittest

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client, TransactionTestCase
from django.urls import reverse

from communes.models import Commune, District, Province
from personnel.choices import Position, Role
from personnel.models import Posting, UserProfile
from personnel.services import posting_start
from tests.base import D, make_officer, make_posting


def run_together(*actions, timeout=20):
    """Run each action in its own thread (its own database connection); return what each returned or raised."""
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — reported to the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs two concurrent transactions; SQLite serialises writers at BEGIN, so there is no race to test")
class ConcurrentPostingTests(TransactionTestCase):
    def setUp(self):
        province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        district = District.objects.create(code=9101, name="Huyện Thử", province=province)
        self.commune_1 = Commune.objects.create(code=90001, name="Xã Đắk Pét", district=district)
        self.commune_2 = Commune.objects.create(code=90002, name="Xã Mường Hoong", district=district)
        self.admins = []
        for name in ("admin1", "admin2"):
            user = get_user_model().objects.create_user(name, password="pw")
            UserProfile.objects.create(user=user, role=Role.PROVINCE_ADMIN, province=province)
            self.admins.append(user)

    def test_two_chiefs_for_one_commune_at_the_same_moment_one_wins_the_other_reads_the_rule(self):
        officers = [make_officer("A Lăng"), make_officer("Y Bình")]
        # Writers queue on the data version's row (datacache.writing), so the second checks the rule
        # after the first committed; the database's constraints stay behind that for other writers.
        start = threading.Barrier(2, timeout=10)

        def assign(officer):
            def action():
                start.wait()
                return posting_start(officer=officer, commune=self.commune_1, position=Position.CHIEF, on=D(2019, 3, 1))
            return action

        outcomes = run_together(assign(officers[0]), assign(officers[1]))
        winners = [o for o in outcomes if isinstance(o, Posting)]
        losers = [o for o in outcomes if isinstance(o, ValidationError)]
        self.assertEqual((len(winners), len(losers)), (1, 1), outcomes)
        # Threads run in the default language: the loser reads the rule in Vietnamese, naming the winner.
        winner = winners[0].officer.full_name
        self.assertIn(f"Xã này đã có Trưởng Công an xã trong khoảng thời gian đó: {winner}, 01/03/2019, đang giữ.",
                      losers[0].messages)
        self.assertEqual(Posting.objects.filter(commune=self.commune_1, position=Position.CHIEF).count(), 1)

    def test_two_administrators_posting_the_same_officer_through_the_form_one_wins_the_other_reads_why(self):
        officer = make_officer("Nguyễn Văn An")
        make_posting(officer, self.commune_2, D(2018, 1, 1), D(2018, 12, 31))  # so he is in the province's lists
        start = threading.Barrier(2, timeout=10)

        def submit(user, commune):
            def action():
                client = Client()
                client.force_login(user)
                start.wait()
                return client.post(reverse("manage:posting_assign"), {
                    "officer": officer.pk, "commune": commune.pk, "position": Position.STANDING_OFFICER,
                    "start_date": "01/03/2019"})
            return action

        outcomes = run_together(submit(self.admins[0], self.commune_1), submit(self.admins[1], self.commune_2))
        self.assertEqual(sorted(o.status_code for o in outcomes), [200, 302], outcomes)
        refused = next(o for o in outcomes if o.status_code == 200)
        self.assertContains(refused, "các lần bố trí của một cán bộ không được chồng lấn nhau")
        self.assertEqual(Posting.objects.filter(officer=officer, end_date__isnull=True).count(), 1)
