"""The reorganisation carries a police officer's cell role only with their posting: a split unit's deputy secretary
who goes to the other successor than the cell ends the role on the eve (a police officer holds a Party role in a
commune only while posted there), listed in the dry run; the undo gives it back."""

from __future__ import annotations

from django.test import TestCase

from communes.models import PartyCell
from personnel import reorganisation
from personnel.choices import PartyRoleKind
from personnel.models import PartyRole
from tests.base import D
from tests.personnel.test_reorganisation import ACT, DAY, EVE, build_small_world
from tests.plausibility import plausibility_breaches


class CellRolesGoWithPostingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_small_world(cls)
        cell_c = PartyCell.objects.create(commune=cls.c, established_on=D(2019, 1, 1))
        cls.secretary_c = PartyRole.objects.create(officer=cls.c_chief, commune=cls.c, cell=cell_c,
                                                   role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 1, 1))
        cls.deputy_c = PartyRole.objects.create(officer=cls.c_staff, commune=cls.c, cell=cell_c,
                                                role=PartyRoleKind.CELL_DEPUTY_SECRETARY, start_date=D(2019, 1, 1))

    def propose(self):
        # Xã Chia's cell goes to Xã Chia Một (it keeps the code); its chief goes there, its standing officer not.
        return reorganisation.propose(province=self.province, effective_on=DAY, legal_basis=ACT, successor_of={
            self.postings["c_chief"].pk: self.y.pk, self.postings["c_staff"].pk: self.z.pk})

    def test_the_dry_run_ends_the_role_of_a_holder_posted_elsewhere(self):
        proposal = self.propose()
        self.assertEqual(proposal.roles_ended, [self.deputy_c])
        merge = next(m for m in proposal.cells if m.commune == self.y)
        self.assertEqual([(role, kind) for role, kind in merge.roles], [(self.secretary_c, PartyRoleKind.CELL_SECRETARY)])

    def test_applying_it_keeps_every_role_within_its_holders_postings_and_the_undo_gives_it_back(self):
        done = reorganisation.apply(self.propose())
        self.assertEqual(PartyRole.objects.get(pk=self.deputy_c.pk).end_date, EVE)
        self.assertFalse(PartyRole.objects.filter(officer=self.c_staff, start_date=DAY).exists())
        self.assertTrue(PartyRole.objects.filter(officer=self.c_chief, commune=self.y, start_date=DAY,
                                                 role=PartyRoleKind.CELL_SECRETARY).exists())
        self.assertEqual(plausibility_breaches(), [])
        reorganisation.undo(done)
        self.assertIsNone(PartyRole.objects.get(pk=self.deputy_c.pk).end_date)
