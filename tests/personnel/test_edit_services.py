"""Officer, Party role and Party cell services; every write leaves a history row with its reason."""

from django.core.exceptions import ValidationError

from communes.models import PartyCell
from personnel.choices import Gender, PartyRoleKind, Position, Rank
from personnel.models import Officer
from personnel.services import (
    officer_create,
    officer_update,
    party_cell_dissolve,
    party_cell_establish,
    party_role_appoint,
    party_role_end,
    posting_end,
    posting_start,
    posting_transfer,
)
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting


class OfficerServiceTests(InEnglish, SmallProvinceTestCase):
    def test_it_adds_an_officer_with_a_normalised_name_and_the_reason_in_the_history(self):
        officer = officer_create(full_name="  Y  Bi\u0300nh ", gender=Gender.MALE, rank=Rank.CAPTAIN,
                                 service_number=" 555-01 ", change_reason="new recruit")
        self.assertEqual((officer.full_name, officer.service_number), ("Y Bình", "555-01"))
        record = officer.history.get()
        self.assertEqual((record.history_type, record.history_change_reason), ("+", "new recruit"))

    def test_it_refuses_a_duplicate_service_number_in_the_rules_words(self):
        make_officer(service_number="X-1")
        with self.assertRaisesMessage(ValidationError, "Another officer already has this service number"):
            officer_create(full_name="A Lăng", gender=Gender.MALE, rank=Rank.CAPTAIN, service_number="x-1")
        self.assertEqual(Officer.objects.count(), 1)

    def test_a_correction_records_before_and_after(self):
        officer = make_officer(rank=Rank.LIEUTENANT)
        officer_update(officer=officer, rank=Rank.CAPTAIN, change_reason="promoted 2019")
        latest, previous = officer.history.all()[:2]
        self.assertEqual((previous.rank, latest.rank), (Rank.LIEUTENANT, Rank.CAPTAIN))
        self.assertEqual(latest.history_change_reason, "promoted 2019")


class PostingReasonTests(InEnglish, SmallProvinceTestCase):
    def test_start_transfer_and_end_keep_the_change_reason(self):
        officer = make_officer()
        posting = posting_start(officer=officer, commune=self.commune_a1, position=Position.CHIEF, on=D(2019, 1, 2),
                                change_reason="plan 223")
        new = posting_transfer(posting=posting, to_commune=self.commune_a2, on=D(2019, 5, 1), change_reason="needs")
        posting_end(posting=new, on=D(2019, 9, 1), change_reason="retired early")
        self.assertEqual(posting.history.first().history_change_reason, "needs")
        self.assertEqual(new.history.first().history_change_reason, "retired early")

    def test_a_refused_end_leaves_the_object_open(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        with self.assertRaises(ValidationError):
            posting_end(posting=posting, on=D(2018, 1, 1))
        self.assertIsNone(posting.end_date)


class PartyServiceTests(InEnglish, SmallProvinceTestCase):
    def posted_officer(self):
        """An officer posted in commune A1 since 2019 (a police officer holds a Party role there only while posted)."""
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        return officer

    def test_a_cell_role_goes_to_the_communes_active_cell(self):
        cell = party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1), change_reason="decision 5")
        role = party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1),
                                  officer=self.posted_officer())
        self.assertEqual(role.cell, cell)
        self.assertEqual(cell.history.get().history_change_reason, "decision 5")

    def test_a_cell_role_needs_a_cell(self):
        with self.assertRaisesMessage(ValidationError, "no police Party cell"):
            party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1),
                               officer=self.posted_officer())

    def test_it_refuses_a_second_secretary(self):
        party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1), officer=self.posted_officer())
        with self.assertRaisesMessage(ValidationError, "already has a secretary"):
            party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 3, 1),
                               holder_name="Nguyễn Thị Hoa")

    def test_it_refuses_a_second_cell(self):
        party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        with self.assertRaisesMessage(ValidationError, "already has a police Party cell"):
            party_cell_establish(commune=self.commune_a1, on=D(2019, 3, 1))

    def test_ending_a_role_keeps_the_last_day(self):
        role = party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE, on=D(2019, 2, 1),
                                  officer=self.posted_officer())
        party_role_end(party_role=role, on=D(2019, 12, 31), change_reason="term over")
        role.refresh_from_db()
        self.assertEqual(role.end_date, D(2019, 12, 31))
        with self.assertRaisesMessage(ValidationError, "already ended"):
            party_role_end(party_role=role, on=D(2020, 1, 1))

    def test_dissolving_a_cell_ends_its_open_roles_the_day_before(self):
        cell = party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        role = party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1),
                                  officer=self.posted_officer())
        party_cell_dissolve(cell=cell, on=D(2020, 1, 1), change_reason="merged")
        role.refresh_from_db()
        cell.refresh_from_db()
        self.assertEqual((cell.dissolved_on, role.end_date), (D(2020, 1, 1), D(2019, 12, 31)))
        # …and a new cell may follow it.
        party_cell_establish(commune=self.commune_a1, on=D(2020, 1, 1))
        self.assertEqual(PartyCell.objects.filter(commune=self.commune_a1).count(), 2)

    def test_a_cell_is_dissolved_after_it_was_established(self):
        cell = party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        with self.assertRaisesMessage(ValidationError, "dissolved after the day it was established"):
            party_cell_dissolve(cell=cell, on=D(2019, 2, 1))
        cell.refresh_from_db()
        self.assertIsNone(cell.dissolved_on)
