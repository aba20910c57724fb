"""Each rule the data must keep is refused by the database itself, not only by a form."""

from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from communes.models import PartyCell
from personnel.choices import PartyRoleKind, Position
from personnel.models import PartyRole, Posting
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting

on_postgresql = skipUnless(connection.vendor == "postgresql", "exclusion constraints exist on PostgreSQL only")


class PostingConstraintTests(InEnglish, SmallProvinceTestCase):
    def assertRefused(self, create):
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()

    def test_a_posting_cannot_end_before_it_starts(self):
        officer = make_officer()
        self.assertRefused(lambda: make_posting(officer, self.commune_a1, D(2019, 3, 1), D(2019, 2, 28)))

    def test_a_posting_may_end_on_the_day_it_starts(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 3, 1), D(2019, 3, 1))
        self.assertEqual(Posting.objects.count(), 1)

    def test_an_officer_cannot_hold_two_open_postings(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.assertRefused(lambda: make_posting(officer, self.commune_a2, D(2019, 2, 1)))

    def test_a_commune_cannot_have_two_open_chiefs(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        self.assertRefused(lambda: make_posting(make_officer(), self.commune_a1, D(2019, 2, 1), position=Position.CHIEF))

    def test_two_open_chiefs_in_different_communes_are_fine(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        make_posting(make_officer(), self.commune_a2, D(2019, 1, 1), position=Position.CHIEF)
        self.assertEqual(Posting.objects.filter(position=Position.CHIEF).count(), 2)

    def test_service_numbers_are_unique(self):
        make_officer(service_number="123-456")
        self.assertRefused(lambda: make_officer("Trần Văn Bình", service_number="123-456"))

    @on_postgresql
    def test_postgresql_refuses_overlapping_ended_postings_of_one_officer(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        self.assertRefused(lambda: make_posting(officer, self.commune_a2, D(2019, 6, 30), D(2019, 12, 31)))

    @on_postgresql
    def test_postgresql_refuses_an_open_posting_that_overlaps_an_ended_one(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        self.assertRefused(lambda: make_posting(officer, self.commune_a2, D(2019, 3, 1)))

    @on_postgresql
    def test_postgresql_refuses_a_second_chief_in_an_overlapping_period(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), D(2019, 6, 30), position=Position.CHIEF)
        self.assertRefused(
            lambda: make_posting(make_officer(), self.commune_a1, D(2019, 6, 1), D(2019, 8, 1), position=Position.CHIEF)
        )

    def test_back_to_back_postings_are_fine_on_both_databases(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        make_posting(officer, self.commune_a2, D(2019, 7, 1))
        self.assertEqual(officer.postings.count(), 2)

    def test_full_clean_refuses_overlaps_on_both_databases(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        overlapping = Posting(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER,
                              start_date=D(2019, 6, 1), end_date=D(2019, 7, 1))
        with self.assertRaisesMessage(ValidationError, "never overlap"):
            overlapping.full_clean()


class PartyConstraintTests(SmallProvinceTestCase):
    def assertRefused(self, create):
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()

    def test_a_commune_cannot_have_two_open_party_cells(self):
        PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        self.assertRefused(lambda: PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 3, 1)))

    def test_a_new_cell_may_follow_a_dissolved_one(self):
        PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1), dissolved_on=D(2020, 1, 1))
        PartyCell.objects.create(commune=self.commune_a1, established_on=D(2020, 1, 1))
        self.assertEqual(PartyCell.objects.filter(commune=self.commune_a1).count(), 2)

    def test_a_cell_is_dissolved_after_it_is_established(self):
        self.assertRefused(
            lambda: PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1), dissolved_on=D(2019, 2, 1))
        )

    def test_a_cell_cannot_have_two_open_secretaries(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(officer=make_officer(), commune=self.commune_a1, cell=cell,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        self.assertRefused(lambda: PartyRole.objects.create(
            officer=make_officer(), commune=self.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 3, 1)
        ))

    def test_a_role_has_exactly_one_holder(self):
        self.assertRefused(lambda: PartyRole.objects.create(
            commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=D(2019, 2, 1)
        ))
        self.assertRefused(lambda: PartyRole.objects.create(
            officer=make_officer(), holder_name="Y Hơ Len", commune=self.commune_a1,
            role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=D(2019, 2, 1),
        ))

    def test_a_cell_role_names_its_cell(self):
        self.assertRefused(lambda: PartyRole.objects.create(
            officer=make_officer(), commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1)
        ))

    def test_a_role_cannot_end_before_it_starts(self):
        self.assertRefused(lambda: PartyRole.objects.create(
            officer=make_officer(), commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
            start_date=D(2019, 2, 1), end_date=D(2019, 1, 1),
        ))

    @on_postgresql
    def test_postgresql_refuses_overlapping_secretaries_of_one_cell(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        PartyRole.objects.create(officer=make_officer(), commune=self.commune_a1, cell=cell,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1), end_date=D(2019, 6, 1))
        self.assertRefused(lambda: PartyRole.objects.create(
            officer=make_officer(), commune=self.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
            start_date=D(2019, 5, 1), end_date=D(2019, 7, 1),
        ))

    @on_postgresql
    def test_postgresql_refuses_overlapping_cells_in_one_commune(self):
        PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1), dissolved_on=D(2019, 9, 1))
        self.assertRefused(lambda: PartyCell.objects.create(
            commune=self.commune_a1, established_on=D(2019, 8, 1), dissolved_on=D(2019, 12, 1)
        ))
