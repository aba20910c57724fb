"""The plausibility rules through the data-entry forms: each refusal is the rule's one message, beside its field
where the form has one, and nothing is written; ending a posting says which Party roles ended with it."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from communes.models import PartyCell
from personnel.choices import EndReason, Gender, PartyRoleKind, Position, Rank, UnitKind
from personnel.models import Officer, PartyRole, Posting, Unit
from tests.base import D, make_officer, make_posting
from tests.web.helpers import with_version
from tests.web.test_edit_workflows import WorkflowTestCase

ONE_DAY = datetime.timedelta(days=1)


def dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


class PlausibleFormTestCase(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)

    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        self.decision_rule = f"A decision is dated today ({dmy(self.today)}) or earlier."

    def assertBeside(self, response, field: str, text: str):
        self.assertRule(response, "")
        self.assertIn(text, response.context["form"].errors[field])


class OfficerFormTests(PlausibleFormTestCase):
    def data(self, **extra):
        return {"full_name": "Hồ Thị Lan", "service_number": "123-45", "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
                "birth_date": "15/08/1990", "home_unit": self.unit.pk, "status": "serving", "change_reason": "sửa ngày sinh", **extra}

    def test_a_date_of_birth_today_or_later_is_refused(self):
        response = self.client.post(reverse("manage:officer_add"), self.data(birth_date=dmy(self.today)))
        self.assertBeside(response, "birth_date", f"A date of birth is before today ({dmy(self.today)}).")
        self.assertFalse(Officer.objects.exists())

    def test_party_admission_before_the_18th_birthday_or_after_today_is_refused(self):
        response = self.client.post(reverse("manage:officer_add"), self.data(party_member_since="14/08/2008"))
        self.assertBeside(response, "party_member_since", "Party admission is on or after the 18th birthday (15/08/2008).")
        response = self.client.post(reverse("manage:officer_add"), self.data(party_member_since=dmy(self.today + ONE_DAY)))
        self.assertBeside(response, "party_member_since", f"Party admission is dated today ({dmy(self.today)}) or earlier.")
        self.assertFalse(Officer.objects.exists())
        self.assertRedirects(self.client.post(reverse("manage:officer_add"), self.data(party_member_since="15/08/2008")),
                             reverse("manage:officer", args=[Officer.objects.get().pk]))

    def test_correcting_the_date_of_birth_is_checked_against_the_first_posting(self):
        officer = make_officer("Hồ Thị Lan", service_number="123-45", home_unit=self.unit, birth_date=D(1990, 8, 15))
        make_posting(officer, self.commune_a1, D(2019, 1, 2))
        url = reverse("manage:officer_edit", args=[officer.pk])
        response = self.client.post(url, with_version(officer, self.data(birth_date="03/01/2001")))
        self.assertBeside(response, "birth_date", "An officer is posted from their 18th birthday on: born 03/01/2001, "
                                                  "18 on 03/01/2019, posted from 02/01/2019.")
        self.assertEqual(Officer.objects.get(pk=officer.pk).birth_date, D(1990, 8, 15))
        self.assertRedirects(self.client.post(url, with_version(officer, self.data(birth_date="02/01/2001"))),
                             reverse("manage:officer", args=[officer.pk]))


class PostingFormTests(PlausibleFormTestCase):
    def assign(self, officer, **extra):
        return self.client.post(reverse("manage:posting_assign"), {
            "officer": officer.pk, "commune": self.commune_a1.pk, "position": Position.STANDING_OFFICER,
            "start_date": "01/03/2019", "decision_number": "7/QĐ-CAT", "decision_date": "25/02/2019", **extra})

    def test_a_posting_before_the_18th_birthday_is_refused(self):
        officer = make_officer(birth_date=D(2001, 3, 2), home_unit=self.unit)
        self.assertBeside(self.assign(officer), "start_date", "An officer is posted from their 18th birthday on: born "
                                                              "02/03/2001, 18 on 02/03/2019, posted from 01/03/2019.")
        self.assertFalse(Posting.objects.exists())
        self.assertRedirects(self.assign(officer, start_date="02/03/2019"), reverse("manage:officer", args=[officer.pk]))

    def test_a_decision_dated_after_today_is_refused_on_assigning_and_transferring(self):
        officer = make_officer(home_unit=self.unit)
        self.assertBeside(self.assign(officer, decision_date=dmy(self.today + ONE_DAY)), "decision_date",
                          self.decision_rule)
        self.assertFalse(Posting.objects.exists())
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        response = self.client.post(reverse("manage:posting_transfer", args=[posting.pk]), with_version(posting, {
            "to_commune": self.commune_a2.pk, "position": Position.STANDING_OFFICER, "on": "01/07/2019",
            "decision_date": dmy(self.today + ONE_DAY)}))
        self.assertBeside(response, "decision_date", self.decision_rule)
        self.assertIsNone(Posting.objects.get(pk=posting.pk).end_date)

    def test_a_transfer_into_a_commune_outside_its_life_is_named_beside_the_day(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        self.commune_a2.abolished_on = D(2019, 6, 1)
        self.commune_a2.save()
        response = self.client.post(reverse("manage:posting_transfer", args=[posting.pk]), with_version(posting, {
            "to_commune": self.commune_a2.pk, "position": Position.STANDING_OFFICER, "on": "01/07/2019"}))
        self.assertBeside(response, "on", "A posting lies within its commune's life: Xã Mường Hoong existed until "
                                          "31/05/2019.")

    def test_ending_a_posting_says_which_party_roles_ended_with_it(self):
        officer = make_officer()
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        seat = PartyRole.objects.create(officer=officer, commune=self.commune_a1, start_date=D(2019, 3, 1),
                                        role=PartyRoleKind.EXECUTIVE_COMMITTEE)
        response = self.client.post(reverse("manage:posting_end", args=[posting.pk]), with_version(posting, {
            "end_date": "30/06/2020", "end_reason": EndReason.RETIRED}), follow=True)
        self.assertRedirects(response, reverse("manage:officer", args=[officer.pk]))
        self.assertContains(response, "Their Party roles in Xã Đắk Pét end on 30/06/2020 too: "
                                      "Commune Party executive committee member.")
        self.assertEqual(PartyRole.objects.get(pk=seat.pk).end_date, D(2020, 6, 30))

    def test_ending_a_posting_before_a_role_there_began_is_refused(self):
        officer = make_officer("Nguyễn Văn An")
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        PartyRole.objects.create(officer=officer, commune=self.commune_a1, start_date=D(2020, 1, 1),
                                 role=PartyRoleKind.EXECUTIVE_COMMITTEE)
        response = self.client.post(reverse("manage:posting_end", args=[posting.pk]), with_version(posting, {
            "end_date": "31/12/2019", "end_reason": EndReason.OTHER}))
        self.assertRule(response, "A police officer holds a Party role in a commune only while posted there: Nguyễn "
                                  "Văn An (Commune Party executive committee member) holds no posting in Xã Đắk Pét on "
                                  "these days: from 01/01/2020.")
        self.assertIsNone(Posting.objects.get(pk=posting.pk).end_date)


class PartyFormTests(PlausibleFormTestCase):
    def appoint(self, officer, **extra):
        return self.client.post(reverse("manage:partyrole_appoint"), {
            "commune": self.commune_a1.pk, "role": PartyRoleKind.EXECUTIVE_COMMITTEE, "officer": officer.pk,
            "start_date": "01/03/2019", **extra})

    def test_a_role_of_an_officer_not_posted_in_the_commune_every_day_is_refused(self):
        officer = make_officer("Nguyễn Văn An")
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 12, 31))
        make_posting(officer, self.commune_a2, D(2020, 1, 1))
        self.assertRule(self.appoint(officer), "A police officer holds a Party role in a commune only while posted "
                                               "there: Nguyễn Văn An (Commune Party executive committee member) holds "
                                               "no posting in Xã Đắk Pét on these days: from 01/01/2020.")
        self.assertFalse(PartyRole.objects.exists())
        other = make_officer("Trần Văn Bình")
        make_posting(other, self.commune_a1, D(2019, 1, 1))
        self.assertRedirects(self.appoint(other), reverse("manage:commune", args=[self.commune_a1.code]))

    def test_a_role_held_from_outside_the_police_needs_no_posting(self):
        response = self.client.post(reverse("manage:partyrole_appoint"), {
            "commune": self.commune_a1.pk, "role": PartyRoleKind.EXECUTIVE_COMMITTEE, "holder_name": "Y Hơ Len",
            "start_date": "01/03/2019"})
        self.assertRedirects(response, reverse("manage:commune", args=[self.commune_a1.code]))

    def test_a_decision_dated_after_today_is_refused_for_a_role_and_a_cell(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        self.assertRule(self.appoint(officer, decision_date=dmy(self.today + ONE_DAY)), self.decision_rule)
        self.assertFalse(PartyRole.objects.exists())
        response = self.client.post(reverse("manage:partycell_establish"), {
            "commune": self.commune_a1.pk, "established_on": "01/02/2019", "decision_date": dmy(self.today + ONE_DAY)})
        self.assertBeside(response, "decision_date", self.decision_rule)
        self.assertFalse(PartyCell.objects.exists())
