"""Each data-entry workflow through its form: success, each rule as a form error, and as a database refusal."""

import datetime
from unittest import mock

from django.urls import reverse

from communes.models import PartyCell
from personnel.choices import EndReason, Gender, PartyRoleKind, Position, Rank
from personnel.models import Officer, PartyRole, Posting
from personnel.services import posting_transfer
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import with_version


class WorkflowTestCase(InEnglish, SmallProvinceTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.editor)

    def assertRule(self, response, text):
        """The page is the form again, saying which rule the input breaks."""
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing was saved")
        self.assertContains(response, text)


class OfficerFormTests(WorkflowTestCase):
    def data(self, **extra):
        unit = self.unit
        return {"full_name": "Hồ Thị Lan", "service_number": "123-45", "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
                "birth_date": "15/08/1990", "home_unit": unit.pk, "status": "serving", "change_reason": "new", **extra}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from personnel.choices import UnitKind
        from personnel.models import Unit

        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)

    def test_an_editor_adds_an_officer_and_lands_on_the_officers_page(self):
        response = self.client.post(reverse("manage:officer_add"), self.data(), follow=True)
        officer = Officer.objects.get()
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        self.assertContains(response, "Officer Hồ Thị Lan added.")
        self.assertEqual(officer.birth_date, D(1990, 8, 15))
        record = officer.history.get()
        self.assertEqual((record.history_user, record.history_change_reason), (self.editor, "new"))
        self.assertContains(self.client.get(reverse("manage:officer", args=[officer.pk])), "Hồ Thị Lan")

    def test_a_duplicate_service_number_is_named_as_such(self):
        make_officer(service_number="123-45")
        self.assertRule(self.client.post(reverse("manage:officer_add"), self.data()),
                        "Another officer already has this service number")

    def test_a_date_not_as_dd_mm_yyyy_is_refused(self):
        self.assertRule(self.client.post(reverse("manage:officer_add"), self.data(birth_date="1990-08-15")), "dd/mm/yyyy")

    def test_a_correction_shows_before_and_after_on_the_history_page(self):
        officer = make_officer("Hồ Thị Lan", home_unit=self.unit, rank=Rank.LIEUTENANT)
        response = self.client.post(reverse("manage:officer_edit", args=[officer.pk]), with_version(
            officer, self.data(service_number=officer.service_number, change_reason="promotion")))
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        page = self.client.get(reverse("manage:history", args=["officer", officer.pk]))
        self.assertContains(page, "promotion")
        self.assertContains(page, "Lieutenant")  # before
        self.assertContains(page, "Captain")     # after
        self.assertContains(page, "editor")

    def test_the_database_refusal_of_a_duplicate_reads_as_the_rule(self):
        make_officer(service_number="123-45")
        with mock.patch("personnel.web.forms.OfficerForm.clean_service_number", lambda form: "123-45"), \
                mock.patch("personnel.models.Officer.clean"):
            response = self.client.post(reverse("manage:officer_add"), self.data())
        self.assertRule(response, "Another officer already has this service number")
        self.assertEqual(Officer.objects.count(), 1)


class PostingFormTests(WorkflowTestCase):
    def assign(self, officer, commune, position=Position.STANDING_OFFICER, start="01/03/2019"):
        return self.client.post(reverse("manage:posting_assign"), {
            "officer": officer.pk, "commune": commune.pk, "position": position, "start_date": start,
            "decision_number": "7/QĐ-CAT", "decision_date": "25/02/2019"})

    def test_an_editor_assigns_an_officer(self):
        officer = make_officer(home_unit=None)
        make_posting(officer, self.commune_a2, D(2018, 1, 1), D(2018, 12, 31))
        response = self.assign(officer, self.commune_a1)
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        posting = officer.postings.get(commune=self.commune_a1)
        self.assertEqual((posting.start_date, posting.decision_date), (D(2019, 3, 1), D(2019, 2, 25)))

    def test_an_overlapping_posting_is_named_as_such(self):
        officer = make_officer()
        make_posting(officer, self.commune_a2, D(2019, 1, 1))
        self.assertRule(self.assign(officer, self.commune_a1), "postings of one officer never overlap")

    def test_a_second_chief_is_named_as_such(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        other = make_officer()
        make_posting(other, self.commune_a2, D(2018, 1, 1), D(2018, 6, 1))
        self.assertRule(self.assign(other, self.commune_a1, Position.CHIEF), "already has a chief")

    def test_the_database_refusal_of_a_second_chief_reads_as_the_rule(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        other = make_officer()
        make_posting(other, self.commune_a2, D(2018, 1, 1), D(2018, 6, 1))
        # As if the form's and the service's checks had run before the other chief was saved.
        with mock.patch("personnel.models.Posting.clean"):
            response = self.assign(other, self.commune_a1, Position.CHIEF)
        self.assertRule(response, "already has a chief")
        self.assertFalse(other.postings.filter(commune=self.commune_a1).exists())

    def test_the_database_refusal_of_an_overlap_reads_as_the_rule(self):
        officer = make_officer()
        make_posting(officer, self.commune_a2, D(2019, 1, 1))
        with mock.patch("personnel.models.Posting.clean"):
            response = self.assign(officer, self.commune_a1)
        self.assertRule(response, "already holds")
        self.assertEqual(officer.postings.count(), 1)

    def test_a_transfer_ends_the_posting_the_day_before_and_starts_the_new_one(self):
        officer = make_officer()
        old = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:posting_transfer", args=[old.pk]), with_version(old, {
            "to_commune": self.commune_a2.pk, "position": Position.DEPUTY_CHIEF, "on": "01/07/2019", "change_reason": "needs"}))
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        old.refresh_from_db()
        self.assertEqual((old.end_date, old.end_reason), (D(2019, 6, 30), EndReason.TRANSFERRED))
        new = officer.postings.get(end_date__isnull=True)
        self.assertEqual((new.commune, new.position, new.start_date), (self.commune_a2, Position.DEPUTY_CHIEF, D(2019, 7, 1)))

    def test_a_transfer_to_a_commune_with_a_chief_is_refused_and_changes_nothing(self):
        make_posting(make_officer(), self.commune_a2, D(2019, 1, 1), position=Position.CHIEF)
        old = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        url = reverse("manage:posting_transfer", args=[old.pk])
        data = with_version(old, {"to_commune": self.commune_a2.pk, "position": Position.CHIEF, "on": "01/07/2019"})
        self.assertRule(self.client.post(url, data), "already has a chief")
        with mock.patch("personnel.web.forms.PostingTransferForm.clean", lambda form: form.cleaned_data):
            self.assertRule(self.client.post(url, data), "already has a chief")
        old.refresh_from_db()
        self.assertIsNone(old.end_date)

    def test_a_transfer_to_the_same_position_in_the_same_commune_is_refused_and_a_new_position_there_is_not(self):
        officer = make_officer()
        old = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        url = reverse("manage:posting_transfer", args=[old.pk])
        self.assertRule(self.client.post(url, with_version(old, {
            "to_commune": self.commune_a1.pk, "position": Position.STANDING_OFFICER, "on": "01/07/2019"})),
            "already holds this position in this commune")
        self.assertEqual(officer.postings.count(), 1)
        response = self.client.post(url, with_version(old, {
            "to_commune": self.commune_a1.pk, "position": Position.DEPUTY_CHIEF, "on": "01/07/2019"}))
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        self.assertEqual(officer.postings.get(end_date__isnull=True).position, Position.DEPUTY_CHIEF)

    def test_a_transfer_on_or_before_the_start_is_refused(self):
        old = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:posting_transfer", args=[old.pk]), with_version(old, {
            "to_commune": self.commune_a2.pk, "position": Position.STANDING_OFFICER, "on": "01/01/2019"}))
        self.assertRule(response, "after the current posting started (01/01/2019)")

    def test_ending_a_posting_records_the_reason(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:posting_end", args=[posting.pk]), with_version(posting, {
            "end_date": "30/09/2019", "end_reason": EndReason.TRAINING, "change_reason": "course"}))
        self.assertRedirects(response, reverse("manage:officer", args=[posting.officer_id]))
        posting.refresh_from_db()
        self.assertEqual((posting.end_date, posting.end_reason), (D(2019, 9, 30), EndReason.TRAINING))

    def test_an_end_before_the_start_is_named_as_such_by_the_form_and_the_database(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        url = reverse("manage:posting_end", args=[posting.pk])
        data = with_version(posting, {"end_date": "31/12/2018", "end_reason": EndReason.OTHER})
        self.assertRule(self.client.post(url, data), "ends on or after the day it starts")
        with mock.patch("personnel.web.forms.PostingEndForm.clean_end_date", lambda form: D(2018, 12, 31)), \
                mock.patch("personnel.models.Posting.clean"):
            self.assertRule(self.client.post(url, data), "ends on or after the day it starts")
        posting.refresh_from_db()
        self.assertIsNone(posting.end_date)


class PartyFormTests(WorkflowTestCase):
    def test_setting_up_a_cell_appointing_a_secretary_and_dissolving_it(self):
        response = self.client.post(reverse("manage:partycell_establish"), {
            "commune": self.commune_a1.pk, "established_on": "01/02/2019", "decision_number": "3-QĐ/ĐU"})
        self.assertRedirects(response, reverse("manage:commune", args=[self.commune_a1.code]))
        cell = PartyCell.objects.get()
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:partyrole_appoint"), {
            "commune": self.commune_a1.pk, "role": PartyRoleKind.CELL_SECRETARY, "officer": officer.pk,
            "start_date": "01/02/2019"})
        self.assertRedirects(response, reverse("manage:commune", args=[self.commune_a1.code]))
        role = PartyRole.objects.get()
        self.assertEqual(role.cell, cell)
        response = self.client.post(reverse("manage:partycell_dissolve", args=[cell.pk]),
                                    with_version(cell, {"dissolved_on": "01/01/2021"}))
        self.assertRedirects(response, reverse("manage:commune", args=[self.commune_a1.code]))
        role.refresh_from_db()
        self.assertEqual(role.end_date, D(2020, 12, 31))

    def test_a_second_cell_is_named_as_such_by_the_form_and_the_database(self):
        PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 1, 1))
        data = {"commune": self.commune_a1.pk, "established_on": "01/02/2019"}
        self.assertRule(self.client.post(reverse("manage:partycell_establish"), data), "already has a police Party cell")
        with mock.patch("personnel.web.forms.PartyCellEstablishForm.clean", lambda form: form.cleaned_data), \
                mock.patch("communes.models.PartyCell.clean"):
            self.assertRule(self.client.post(reverse("manage:partycell_establish"), data), "already has a police Party cell")
        self.assertEqual(PartyCell.objects.count(), 1)

    def test_a_second_secretary_is_named_as_such_by_the_form_and_the_database(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 1, 1))
        PartyRole.objects.create(holder_name="Nguyễn Thị Hoa", commune=self.commune_a1, cell=cell,
                                 role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 1, 1))
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        data = {"commune": self.commune_a1.pk, "role": PartyRoleKind.CELL_SECRETARY, "officer": officer.pk,
                "start_date": "01/03/2019"}
        self.assertRule(self.client.post(reverse("manage:partyrole_appoint"), data), "already has a secretary")
        with mock.patch("personnel.models.PartyRole.clean"):
            self.assertRule(self.client.post(reverse("manage:partyrole_appoint"), data), "already has a secretary")
        self.assertEqual(PartyRole.objects.count(), 1)

    def test_a_role_names_an_officer_or_an_outside_holder_not_both(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:partyrole_appoint"), {
            "commune": self.commune_a1.pk, "role": PartyRoleKind.EXECUTIVE_COMMITTEE, "officer": officer.pk,
            "holder_name": "Someone", "start_date": "01/03/2019"})
        self.assertRule(response, "Name either a police officer")

    def test_ending_a_role(self):
        role = PartyRole.objects.create(holder_name="Nguyễn Thị Hoa", commune=self.commune_a1,
                                        role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=D(2019, 1, 1))
        url = reverse("manage:partyrole_end", args=[role.pk])
        self.assertRule(self.client.post(url, with_version(role, {"end_date": "31/12/2018"})),
                        "ends on or after the day it starts")
        self.assertRedirects(self.client.post(url, with_version(role, {"end_date": "31/12/2019"})),
                             reverse("manage:commune", args=[self.commune_a1.code]))
        role.refresh_from_db()
        self.assertEqual(role.end_date, D(2019, 12, 31))


class HistoryPageTests(WorkflowTestCase):
    def test_recent_changes_list_who_what_and_why_in_few_queries(self):
        for i in range(5):
            officer = make_officer(f"Cán Bộ {i}")
            make_posting(officer, self.commune_a2, D(2018, 1, 1), D(2018, 12, 31))
            self.client.post(reverse("manage:posting_assign"), {
                "officer": officer.pk, "commune": self.commune_a1.pk, "position": Position.STANDING_OFFICER,
                "start_date": f"0{i + 1}/03/2019", "change_reason": f"reason {i}"})
        self.assertEqual(Posting.objects.filter(commune=self.commune_a1).count(), 5)
        self.client.get(reverse("manage:recent_changes"))  # warm the session
        with self.assertNumQueries(11):
            response = self.client.get(reverse("manage:recent_changes"))
        self.assertContains(response, "reason 4")
        self.assertContains(response, "Xã Đắk Pét")
        self.assertContains(response, "05/03/2019")


class ImportPageTests(WorkflowTestCase):
    def test_preview_then_import(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.personnel.test_import import csv_bytes, row

        upload = SimpleUploadedFile("bo-tri.csv", csv_bytes([row("S-1", commune="90001"), row("S-2", commune="90002")]))
        response = self.client.post(reverse("manage:import"), {"file": upload, "action": "preview"})
        self.assertContains(response, "every row is correct (rows: 2)")
        self.assertEqual(Posting.objects.count(), 0)
        token = response.context["token"]
        response = self.client.post(reverse("manage:import"), {"token": token, "action": "import"})
        self.assertRedirects(response, reverse("manage:recent_changes"))
        self.assertEqual(Posting.objects.count(), 2)

    def test_a_bad_file_lists_every_row_and_writes_nothing(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.personnel.test_import import csv_bytes, row

        upload = SimpleUploadedFile("bo-tri.csv", csv_bytes([row("S-1", commune="90003"), row("S-2", start="x")]))
        response = self.client.post(reverse("manage:import"), {"file": upload, "action": "import"})
        self.assertContains(response, "2 problems found; nothing was written.")
        self.assertContains(response, "outside the area you may change")
        self.assertEqual(Posting.objects.count(), 0)


class QueryCountTests(WorkflowTestCase):
    """The pages' queries do not grow with the records they show."""

    def count(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def grow(self, officer, n):
        posting = officer.postings.order_by("-start_date").first()
        for i in range(n):

            posting = posting_transfer(posting=posting, to_commune=[self.commune_a1, self.commune_a2][i % 2],
                                       on=posting.start_date + datetime.timedelta(days=30))
            # A seat in the commune the officer is posted to (the next transfer ends it with the posting).
            PartyRole.objects.create(officer=officer, commune=posting.commune, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                     start_date=posting.start_date)

    def test_the_officer_commune_history_and_index_pages_do_not_grow_with_the_records(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        urls = [reverse("manage:index"), reverse("manage:officer", args=[officer.pk]),
                reverse("manage:commune", args=[self.commune_a1.code]),
                reverse("manage:history", args=["officer", officer.pk]), reverse("manage:recent_changes")]
        self.grow(officer, 2)
        before = [self.count(url) for url in urls]
        self.grow(officer, 4)
        make_officer("Thêm Một")
        self.assertEqual([self.count(url) for url in urls], before)


class PickListTests(WorkflowTestCase):
    def test_the_pick_lists_open_the_record_without_javascript(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.assertRedirects(self.client.get("/manage/", {"officer": officer.pk}), f"/manage/officers/{officer.pk}/")
        self.assertRedirects(self.client.get("/manage/", {"commune": self.commune_a1.code}),
                             f"/manage/communes/{self.commune_a1.code}/")


class ImpossibleDateTests(WorkflowTestCase):
    def test_a_well_written_date_that_does_not_exist_is_named_as_such(self):
        from django import forms as django_forms

        from personnel.web.forms import DMYDateField

        with self.assertRaisesMessage(django_forms.ValidationError, "31/02/2019 is not a day of the calendar"):
            DMYDateField().clean("31/02/2019")
        with self.assertRaisesMessage(django_forms.ValidationError, "dd/mm/yyyy"):
            DMYDateField().clean("2019-02-31")


class ImportTemplateTests(WorkflowTestCase):
    def test_the_workbook_guide_gives_an_example_commune_and_unit_the_editor_may_write_to(self):
        import io

        from openpyxl import load_workbook

        from personnel.choices import UnitKind
        from personnel.models import Unit

        Unit.objects.create(province=self.province, district=self.district_b, name="Công an huyện B", kind=UnitKind.DISTRICT_POLICE)
        Unit.objects.create(province=self.province, district=self.district_a, name="Công an huyện A", kind=UnitKind.DISTRICT_POLICE)
        response = self.client.get(reverse("manage:import_template", args=["xlsx"]))
        guide = load_workbook(io.BytesIO(response.content))["Hướng dẫn"]
        examples = {row[0]: row[2] for row in guide.iter_rows(min_row=2, values_only=True)}
        self.assertIn(examples["Xã"], {str(self.commune_a1.code), str(self.commune_a2.code)})  # the editor's district
        self.assertEqual(examples["Đơn vị"], "Công an huyện A")
