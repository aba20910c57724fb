"""Corrections: a record entered wrong is corrected or deleted with a reason, under the rules of a new entry,
listed apart from events with who, when, before, after and why, and undone (the undo recorded too)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from communes.models import PartyCell
from personnel import corrections, services
from personnel.choices import PartyRoleKind, Position
from personnel.coverage import coverage_figures
from personnel.models import Correction, PartyRole, Posting
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import with_version


class CorrectionTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chief = make_officer("Nguyễn Văn Trưởng")
        cls.posting = make_posting(cls.chief, cls.commune_a1, D(2019, 3, 1), position=Position.CHIEF)
        cls.other_chief = make_officer("Trần Văn Khác")
        cls.other = make_posting(cls.other_chief, cls.commune_a2, D(2019, 3, 1), position=Position.CHIEF)

    def officers_on(self, day):
        return coverage_figures(province=self.province, as_of=day).officers_in_post

    def test_a_wrong_start_date_is_corrected_and_the_earlier_figure_changes_with_a_record_of_why(self):
        self.assertEqual(self.officers_on(D(2019, 2, 15)), 0)
        correction = corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="typed 01/03 for 01/02",
                                         changes={"start_date": D(2019, 2, 1)})
        self.assertEqual(self.officers_on(D(2019, 2, 15)), 1)
        self.assertEqual(correction.before, {"start_date": "2019-03-01"})
        self.assertEqual(correction.after, {"start_date": "2019-02-01"})
        self.assertEqual(correction.shown, [["start date", "01/03/2019", "01/02/2019"]])
        self.assertEqual(Posting.history.filter(id=self.posting.pk).first().history_change_reason,
                         "Correction: typed 01/03 for 01/02")

    def test_a_correction_that_breaks_a_rule_is_refused_naming_the_other_record_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            corrections.correct(Posting.objects.get(pk=self.other.pk), reason="wrong commune",
                                changes={"commune": self.commune_a1})
        self.assertIn("Nguyễn Văn Trưởng", str(caught.exception))
        self.assertEqual(Posting.objects.get(pk=self.other.pk).commune, self.commune_a2)
        self.assertFalse(Correction.objects.exists())

    def test_a_reason_is_required(self):
        with self.assertRaisesMessage(ValidationError, "Say why"):
            corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="  ", changes={"start_date": D(2019, 2, 1)})
        self.assertFalse(Correction.objects.exists())

    def test_a_deletion_is_undone_with_the_same_record_and_the_undo_is_recorded(self):
        deleted = corrections.delete(Posting.objects.get(pk=self.posting.pk), reason="entered twice")
        self.assertFalse(Posting.objects.filter(pk=self.posting.pk).exists())
        self.assertEqual(self.officers_on(D(2019, 4, 23)), 1)
        undo = corrections.undo(deleted, reason="it was not a duplicate")
        restored = Posting.objects.get(pk=self.posting.pk)
        self.assertEqual((restored.officer, restored.commune, restored.start_date), (self.chief, self.commune_a1, D(2019, 3, 1)))
        self.assertEqual(undo.undoes, deleted)
        self.assertEqual(self.officers_on(D(2019, 4, 23)), 2)
        with self.assertRaisesMessage(ValidationError, "already been undone"):
            corrections.undo(Correction.objects.get(pk=deleted.pk), reason="again")

    def test_an_undo_puts_the_values_back_unless_the_record_changed_since(self):
        first = corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="r1", changes={"decision_number": "12/QĐ"})
        corrections.undo(first, reason="was right")
        self.assertEqual(Posting.objects.get(pk=self.posting.pk).decision_number, "")
        second = corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="r2", changes={"decision_number": "13/QĐ"})
        corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="r3", changes={"decision_number": "14/QĐ"})
        with self.assertRaisesMessage(ValidationError, "changed again"):
            corrections.undo(second, reason="no")
        self.assertEqual(Posting.objects.get(pk=self.posting.pk).decision_number, "14/QĐ")

    def test_a_cell_with_roles_cannot_be_deleted_before_its_roles(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 3, 10))
        PartyRole.objects.create(officer=self.chief, commune=self.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
                                 start_date=D(2019, 3, 10))
        with self.assertRaisesMessage(ValidationError, "other records point at it"):
            corrections.delete(PartyCell.objects.get(pk=cell.pk), reason="mistake")
        self.assertTrue(PartyCell.objects.filter(pk=cell.pk).exists())
        self.assertFalse(Correction.objects.exists())

    def test_the_screens_correct_list_and_undo_within_the_editors_area(self):
        self.client.force_login(self.editor)
        url = reverse("manage:correct", args=["posting", self.posting.pk])
        page = self.client.get(url)
        self.assertContains(page, "Nguyễn Văn Trưởng")
        data = with_version(self.posting, {"commune": self.commune_a1.pk, "position": Position.CHIEF,
                                           "start_date": "01/02/2019", "end_date": "", "end_reason": "",
                                           "decision_number": "", "decision_date": "", "note": "", "reason": "typo"})
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("manage:officer", args=[self.chief.pk]))
        self.assertEqual(Posting.objects.get(pk=self.posting.pk).start_date, D(2019, 2, 1))
        listing = self.client.get(reverse("manage:corrections"))
        self.assertContains(listing, "typo")
        self.assertContains(listing, "01/03/2019 → 01/02/2019")
        correction = Correction.objects.get()
        self.assertEqual(correction.user, self.editor)
        self.client.post(reverse("manage:correction_undo", args=[correction.pk]), {"reason": "was right"})
        self.assertEqual(Posting.objects.get(pk=self.posting.pk).start_date, D(2019, 3, 1))
        self.assertEqual(Correction.objects.filter(kind=Correction.Kind.UNDONE).get().user, self.editor)
        # Without a reason the form refuses and nothing changes.
        response = self.client.post(url, {**with_version(Posting.objects.get(pk=self.posting.pk), data), "reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Posting.objects.get(pk=self.posting.pk).start_date, D(2019, 3, 1))
        # A posting outside the editor's district is not theirs to correct.
        outside = make_posting(make_officer("Lê Văn Ngoài"), self.commune_b1, D(2019, 3, 1))
        self.assertIn(self.client.get(reverse("manage:correct", args=["posting", outside.pk])).status_code, (403, 404))

    def test_the_delete_button_needs_only_a_reason(self):
        self.client.force_login(self.admin)
        url = reverse("manage:correct", args=["posting", self.other.pk])
        response = self.client.post(url, with_version(self.other, {"reason": "duplicate", "delete": "1"}))
        self.assertRedirects(response, reverse("manage:corrections"))
        self.assertFalse(Posting.objects.filter(pk=self.other.pk).exists())
        self.assertEqual(Correction.objects.get().kind, Correction.Kind.DELETED)

    def test_a_long_reason_is_kept_whole_in_the_correction_and_fits_the_history(self):
        reason = "Nhập nhầm ngày bắt đầu theo quyết định điều động cũ; " * 5
        correction = corrections.correct(Posting.objects.get(pk=self.posting.pk), reason=reason,
                                         changes={"start_date": D(2019, 2, 1)})
        self.assertEqual(correction.reason, reason.strip())
        self.assertLessEqual(len(Posting.history.filter(id=self.posting.pk).first().history_change_reason), 100)

    def test_correcting_an_officers_details_needs_a_reason_is_recorded_and_undone(self):
        from personnel.models import Officer

        self.client.force_login(self.editor)
        url = reverse("manage:officer_edit", args=[self.chief.pk])
        data = with_version(self.chief, {"full_name": "Nguyễn Văn Trường", "service_number": self.chief.service_number,
                                         "gender": "m", "rank": self.chief.rank, "status": "serving"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)  # no reason: refused, nothing saved
        self.assertEqual(Officer.objects.get(pk=self.chief.pk).full_name, "Nguyễn Văn Trưởng")
        response = self.client.post(url, {**data, "change_reason": "dấu sai"})
        self.assertRedirects(response, reverse("manage:officer", args=[self.chief.pk]))
        correction = Correction.objects.get(model="officer")
        self.assertEqual(correction.shown, [["full name", "Nguyễn Văn Trưởng", "Nguyễn Văn Trường"]])
        self.assertContains(self.client.get(reverse("manage:officer", args=[self.chief.pk])), "dấu sai")
        corrections.undo(correction, reason="tên đúng là Trưởng")
        self.assertEqual(Officer.objects.get(pk=self.chief.pk).full_name, "Nguyễn Văn Trưởng")

    def test_a_dated_change_is_corrected_from_the_officers_page_and_an_officer_with_postings_is_not_deleted(self):
        from personnel.choices import Rank
        from personnel.models import Officer, OfficerChange

        services.officer_change(officer=self.chief, on=D(2021, 3, 1), rank=Rank.MAJOR)
        change = OfficerChange.objects.get(officer=self.chief, effective_on__isnull=False)
        self.client.force_login(self.editor)
        page = self.client.get(reverse("manage:officer", args=[self.chief.pk]))
        self.assertContains(page, reverse("manage:correct", args=["officerchange", change.pk]))
        response = self.client.post(reverse("manage:correct", args=["officerchange", change.pk]), with_version(change, {
            "effective_on": "01/03/2022", "rank": Rank.MAJOR, "home_unit": "", "status": "", "decision_number": "",
            "decision_date": "", "reason": "promoted a year later"}))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OfficerChange.objects.get(pk=change.pk).effective_on, D(2022, 3, 1))
        response = self.client.post(reverse("manage:correct", args=["officer", self.chief.pk]),
                                    with_version(self.chief, {"reason": "duplicate", "delete": "1"}))
        self.assertContains(response, "other records point at it")
        self.assertTrue(Officer.objects.filter(pk=self.chief.pk).exists())
