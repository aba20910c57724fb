"""Many administrators at the same moment, through the services: exactly one wins each conflict, the others
read why, nothing is lost, and no mix of writers ever deadlocks (issue 15, finding 4).

Threads with their own connections against a TransactionTestCase, as in test_concurrent_posting_services;
PostgreSQL only, since SQLite serialises writers at BEGIN.
"""

from __future__ import annotations

import threading
import unittest

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import TransactionTestCase
from django.utils import translation

from communes.models import Commune, District, PartyCell, Province
from personnel import services
from personnel.choices import PartyRoleKind, Position, Rank
from personnel.models import Officer, PartyRole, Posting
from tests.base import D, make_officer, make_posting
from tests.personnel.test_concurrent_posting_services import run_together

N = 8


def together(actions):
    """Run the actions in threads that start at the same moment, in English; what each returned or raised."""
    start = threading.Barrier(len(actions), timeout=20)

    def wrap(action):
        def run():
            prepared = action()  # read what a view would have read, before the others write
            start.wait()
            with translation.override("en"):
                return prepared()
        return run

    return run_together(*[wrap(a) for a in actions], timeout=60)


def split(outcomes):
    errors = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    done = [o for o in outcomes if not isinstance(o, Exception)]
    return done, refused, errors


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs concurrent transactions; SQLite serialises writers at BEGIN, so there is no race to test")
class ConcurrentWriteTests(TransactionTestCase):
    def setUp(self):
        province = Province.objects.create(code=9001, name="Tỉnh Thử Nghiệm")
        district = District.objects.create(code=9101, name="Huyện Thử", province=province)
        self.communes = [Commune.objects.create(code=90001 + i, name=f"Xã Thử {i}", district=district) for i in range(8)]

    def test_eight_ends_of_one_posting_with_different_dates_one_wins_the_others_read_it_has_ended(self):
        posting = make_posting(make_officer(), self.communes[0], D(2019, 1, 1))

        def end(day):
            def prepare():
                mine = Posting.objects.get(pk=posting.pk)
                return lambda: services.posting_end(posting=mine, on=D(2020, 1, day))
            return prepare

        done, refused, errors = split(together([end(i + 1) for i in range(N)]))
        self.assertEqual((len(done), len(refused), errors), (1, N - 1, []))
        self.assertTrue(all("This posting has already ended" in " ".join(r.messages) for r in refused), refused)
        posting.refresh_from_db()
        self.assertEqual(posting.end_date, done[0].end_date)  # the winner's date, not the last writer's
        self.assertEqual(posting.history.count(), 2)  # created, ended once

    def test_ends_and_transfers_of_one_posting_at_once_exactly_one_succeeds(self):
        posting = make_posting(make_officer(), self.communes[0], D(2019, 1, 1))

        def end(day):
            def prepare():
                mine = Posting.objects.get(pk=posting.pk)
                return lambda: services.posting_end(posting=mine, on=D(2020, 1, day))
            return prepare

        def transfer(day):
            def prepare():
                mine = Posting.objects.get(pk=posting.pk)
                return lambda: services.posting_transfer(posting=mine, to_commune=self.communes[1], on=D(2020, 2, day))
            return prepare

        done, refused, errors = split(together([end(i + 1) if i % 2 else transfer(i + 1) for i in range(N)]))
        self.assertEqual((len(done), len(refused), errors), (1, N - 1, []))
        self.assertTrue(all("This posting has already ended" in " ".join(r.messages) for r in refused), refused)
        posting.refresh_from_db()
        self.assertEqual(posting.history.count(), 2)
        transferred = Posting.objects.filter(officer=posting.officer).exclude(pk=posting.pk)
        self.assertEqual(transferred.count(), 1 if done[0].pk != posting.pk else 0)

    def test_eight_secretaries_appointed_to_one_cell_at_once_one_wins(self):
        cell = PartyCell.objects.create(commune=self.communes[0], established_on=D(2019, 2, 1))
        officers = [make_officer(f"Cán Bộ {i}") for i in range(N)]
        for officer in officers:  # a police officer holds a cell role only while posted in its commune
            make_posting(officer, self.communes[0], D(2019, 1, 1))

        def appoint(officer):
            return lambda: lambda: services.party_role_appoint(
                commune=self.communes[0], role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 3, 1), officer=officer, cell=cell)

        done, refused, errors = split(together([appoint(o) for o in officers]))
        self.assertEqual((len(done), len(refused), errors), (1, N - 1, []))
        self.assertTrue(all("already has a secretary" in " ".join(r.messages) for r in refused), refused)
        self.assertEqual(PartyRole.objects.filter(cell=cell).count(), 1)

    def test_dissolving_a_cell_while_deputies_are_appointed_leaves_no_role_open_in_it(self):
        for attempt in range(4):  # issue 15 saw it 6 times in 8
            commune = self.communes[attempt]
            cell = PartyCell.objects.create(commune=commune, established_on=D(2019, 2, 1))
            officers = [make_officer(f"Phó {attempt}-{i}") for i in range(N - 1)]
            for officer in officers:
                make_posting(officer, commune, D(2019, 1, 1))

            def appoint(officer, cell=cell, commune=commune):
                # The form found the cell active when it was checked: the view passes it on.
                return lambda: lambda: services.party_role_appoint(
                    commune=commune, role=PartyRoleKind.CELL_DEPUTY_SECRETARY, on=D(2019, 3, 1), officer=officer,
                    cell=PartyCell.objects.get(pk=cell.pk))

            def dissolve(cell=cell):
                mine = PartyCell.objects.get(pk=cell.pk)
                return lambda: services.party_cell_dissolve(cell=mine, on=D(2020, 7, 1))

            done, refused, errors = split(together([dissolve, *[appoint(o) for o in officers]]))
            self.assertEqual(errors, [])
            cell.refresh_from_db()
            self.assertEqual(cell.dissolved_on, D(2020, 7, 1))
            self.assertFalse(PartyRole.objects.filter(cell=cell, end_date__isnull=True).exists(),
                             f"attempt {attempt}: a role stays open in a dissolved cell")
            self.assertTrue(all("Party cell" in " ".join(r.messages) for r in refused), refused)

    def test_writers_of_every_kind_at_once_never_deadlock(self):
        for round_ in range(4):
            cell_commune = self.communes[4 + round_]
            officers = [make_officer(f"Người {round_}-{i}") for i in range(3)]
            postings = [make_posting(o, self.communes[i], D(2019, 1, 1)) for i, o in enumerate(officers)]
            cell = PartyCell.objects.create(commune=cell_commune, established_on=D(2019, 2, 1))
            PartyRole.objects.create(officer=officers[0], commune=cell_commune, cell=cell,
                                     role=PartyRoleKind.CELL_SECRETARY, start_date=cell.established_on)
            newcomer = make_officer(f"Mới {round_}")

            def update(officer, rank):
                def prepare():
                    mine = Officer.objects.get(pk=officer.pk)
                    return lambda: services.officer_update(officer=mine, rank=rank)
                return prepare

            def admin_save(officer, rank):
                # A write outside the services, as the Django admin makes it: the signals lock the version first.
                def prepare():
                    mine = Officer.objects.get(pk=officer.pk)

                    def save():
                        with transaction.atomic():
                            mine.rank = rank
                            mine.save()
                        return mine
                    return save
                return prepare

            def transfer(posting, to):
                def prepare():
                    mine = Posting.objects.get(pk=posting.pk)
                    return lambda: services.posting_transfer(posting=mine, to_commune=to, on=D(2020, 3, 1))
                return prepare

            def end(posting):
                def prepare():
                    mine = Posting.objects.get(pk=posting.pk)
                    return lambda: services.posting_end(posting=mine, on=D(2020, 6, 30))
                return prepare

            actions = [
                update(officers[0], Rank.CAPTAIN), transfer(postings[0], self.communes[2]),
                update(officers[1], Rank.MAJOR), end(postings[1]),
                transfer(postings[2], self.communes[0]), update(officers[2], Rank.CAPTAIN),
                lambda cell=cell: (lambda: services.party_cell_dissolve(cell=PartyCell.objects.get(pk=cell.pk),
                                                                         on=D(2021, 1, 1))),
                lambda cell=cell, o=newcomer, commune=cell_commune: (lambda: services.party_role_appoint(
                    commune=commune, role=PartyRoleKind.CELL_DEPUTY_SECRETARY, on=D(2020, 1, 1), officer=o,
                    cell=PartyCell.objects.get(pk=cell.pk))),
                lambda o=newcomer: (lambda: services.posting_start(
                    officer=o, commune=self.communes[1], position=Position.STANDING_OFFICER, on=D(2020, 4, 1))),
                update(newcomer, Rank.MAJOR),
                admin_save(officers[1], Rank.CAPTAIN),
            ]
            done, refused, errors = split(together(actions))
            self.assertEqual(errors, [], f"round {round_}: {errors}")
            self.assertTrue(all(not isinstance(e, DatabaseError) for e in errors))
