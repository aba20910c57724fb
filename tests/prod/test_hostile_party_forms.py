"""Hostile input against the remaining data-entry forms (end a posting, Party roles and cells):
never a 500, a message when refused, and nothing written. The same values as the fuzz, fixed, so
every field of every form meets each of them."""

from __future__ import annotations

import unicodedata

from django.urls import reverse

from communes.models import PartyCell
from personnel.choices import EndReason, PartyRoleKind
from personnel.models import PartyRole
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.lean import UnrecordedTemplates
from tests.prod.fuzz import assert_form_survives
from tests.web.helpers import with_version

HOSTILE = [
    "", " ", "x" * 5000, "\x00", "Nguyễn\x00Văn", "A\x07B", "\u202eLê", "<script>alert(1)</script>",
    "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1+1", "-2+3+cmd", "31/02/2019", "01/01/2101", "0001-01-01",
    "9" * 30, "-1", "abc", unicodedata.normalize("NFD", "Đặng Thị Hồng"), ["Lê Văn A", "Trần Văn B"],
]


class PartyAndEndFormFuzzTests(UnrecordedTemplates, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_officer("Lê Văn Bình")
        cls.posting = make_posting(cls.officer, cls.commune_a1, D(2019, 1, 1))
        cls.cell = PartyCell.objects.create(commune=cls.commune_a1, established_on=D(2019, 2, 1))
        cls.role = PartyRole.objects.create(officer=cls.officer, commune=cls.commune_a1, cell=cls.cell,
                                            role=PartyRoleKind.CELL_DEPUTY_SECRETARY, start_date=D(2019, 2, 1))

    def setUp(self):
        self.client.force_login(self.editor)

    def forms(self):
        return {
            reverse("manage:posting_end", args=[self.posting.pk]): with_version(self.posting, {
                "end_date": "30/06/2020", "end_reason": EndReason.RETIRED, "note": "", "change_reason": ""}),
            reverse("manage:partyrole_appoint"): {
                "commune": self.commune_a2.pk, "role": PartyRoleKind.EXECUTIVE_COMMITTEE, "officer": self.officer.pk,
                "holder_name": "", "start_date": "01/03/2019", "decision_number": "", "decision_date": "",
                "change_reason": ""},
            reverse("manage:partyrole_end", args=[self.role.pk]): with_version(
                self.role, {"end_date": "30/06/2020", "change_reason": ""}),
            reverse("manage:partycell_establish"): {
                "commune": self.commune_a2.pk, "established_on": "01/03/2019", "name": "", "decision_number": "",
                "decision_date": "", "change_reason": ""},
            reverse("manage:partycell_dissolve", args=[self.cell.pk]): with_version(
                self.cell, {"dissolved_on": "01/07/2020", "change_reason": ""}),
        }

    def test_every_field_of_every_form_survives_hostile_values(self):
        forms = self.forms()
        for url, valid in self.forms().items():
            for field in valid:
                for value in HOSTILE:
                    with self.subTest(url=url, field=field, value=repr(value)[:40]):
                        # A submission that was accepted wrote: undo it so the next one meets the same data, and
                        # read the forms again (it moved the record's version).
                        if assert_form_survives(self, self.client, url, valid_data=forms[url], field=field,
                                                value=value):
                            self._restore()
                            forms = self.forms()

    def _restore(self):
        from personnel.models import Posting

        PartyRole.objects.exclude(pk=self.role.pk).delete()
        PartyRole.objects.filter(pk=self.role.pk).update(end_date=None)
        PartyCell.objects.exclude(pk=self.cell.pk).delete()
        PartyCell.objects.filter(pk=self.cell.pk).update(dissolved_on=None)
        Posting.objects.filter(pk=self.posting.pk).update(end_date=None, end_reason="")
