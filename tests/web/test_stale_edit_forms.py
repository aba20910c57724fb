"""Edits that cannot be lost: every edit form carries the version it was read at, and a submission read
before someone else's change is refused, saying who changed what, with nothing written (issue 15)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from communes.models import PartyCell
from personnel import services
from personnel.choices import EndReason, PartyRoleKind, Rank, Role, UnitKind
from personnel.models import Officer, PartyRole, Posting, Unit, UserProfile
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting

STALE = "This record was changed after you opened the form, so nothing was saved."


def opened_version(client, url: str) -> str:
    """The version the form at `url` carries, as the browser would send it back."""
    html = client.get(url).content.decode()
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, f"no version in the form at {url}"
    return match.group(1)


class StaleEditFormTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = get_user_model().objects.create_user("hoa", password="pw-hoa-123")
        UserProfile.objects.create(user=cls.other, role=Role.PROVINCE_ADMIN, province=cls.province)
        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.editor)

    def meanwhile(self, action):
        """Another administrator's change, recorded in the history under their name."""
        from simple_history.models import HistoricalRecords

        HistoricalRecords.context.request = type("R", (), {"user": self.other})()
        try:
            action()
        finally:
            del HistoricalRecords.context.request

    def assertStale(self, response, *said):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, STALE)
        self.assertContains(response, "hoa at ")
        for text in said:
            self.assertContains(response, text)

    def test_ending_a_posting_someone_ended_meanwhile_is_refused_naming_who_and_what(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        url = reverse("manage:posting_end", args=[posting.pk])
        version = opened_version(self.client, url)
        self.meanwhile(lambda: services.posting_end(posting=Posting.objects.get(pk=posting.pk), on=D(2020, 6, 30),
                                                    reason=EndReason.RETIRED))
        response = self.client.post(url, {"end_date": "31/12/2020", "end_reason": EndReason.TRANSFERRED,
                                          "version": version})
        self.assertStale(response, "end date: — → 30/06/2020", "end reason: — → Retired")
        posting.refresh_from_db()
        self.assertEqual((posting.end_date, posting.end_reason), (D(2020, 6, 30), EndReason.RETIRED))

    def test_transferring_a_posting_ended_meanwhile_is_refused(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        url = reverse("manage:posting_transfer", args=[posting.pk])
        version = opened_version(self.client, url)
        self.meanwhile(lambda: services.posting_end(posting=Posting.objects.get(pk=posting.pk), on=D(2020, 6, 30)))
        response = self.client.post(url, {"to_commune": self.commune_a2.pk, "position": posting.position,
                                          "on": "01/08/2020", "version": version})
        self.assertStale(response, "end date: — → 30/06/2020")
        self.assertEqual(Posting.objects.count(), 1)

    def test_a_correction_read_before_anothers_is_refused_and_goes_through_once_seen(self):
        officer = make_officer("Hồ Thị Lan", home_unit=self.unit, rank=Rank.LIEUTENANT)
        url = reverse("manage:officer_edit", args=[officer.pk])
        version = opened_version(self.client, url)
        self.meanwhile(lambda: services.officer_update(officer=Officer.objects.get(pk=officer.pk), rank=Rank.MAJOR))
        data = {"full_name": "Hồ Thị Lan", "service_number": officer.service_number, "gender": officer.gender,
                "rank": Rank.CAPTAIN, "home_unit": self.unit.pk, "status": "serving", "version": version,
                "change_reason": "typo in the name"}
        response = self.client.post(url, data)
        self.assertStale(response, "rank: Lieutenant → Major")
        self.assertEqual(Officer.objects.get(pk=officer.pk).rank, Rank.MAJOR)  # the other's change kept
        # The page now carries the current version: submitting again, having seen the change, saves.
        again = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
        self.assertNotEqual(again, version)
        self.assertRedirects(self.client.post(url, {**data, "version": again}), reverse("manage:officer", args=[officer.pk]))
        self.assertEqual(Officer.objects.get(pk=officer.pk).rank, Rank.CAPTAIN)

    def test_ending_a_role_or_dissolving_a_cell_changed_meanwhile_is_refused(self):
        cell = PartyCell.objects.create(commune=self.commune_a1, established_on=D(2019, 2, 1))
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1))
        role = services.party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_DEPUTY_SECRETARY,
                                           on=D(2019, 3, 1), officer=officer, cell=cell)
        role_url = reverse("manage:partyrole_end", args=[role.pk])
        cell_url = reverse("manage:partycell_dissolve", args=[cell.pk])
        role_version, cell_version = opened_version(self.client, role_url), opened_version(self.client, cell_url)
        self.meanwhile(lambda: services.party_cell_dissolve(cell=PartyCell.objects.get(pk=cell.pk), on=D(2020, 7, 1)))
        self.assertStale(self.client.post(role_url, {"end_date": "31/12/2019", "version": role_version}),
                         "end date: — → 30/06/2020")
        self.assertStale(self.client.post(cell_url, {"dissolved_on": "01/01/2021", "version": cell_version}),
                         "dissolved on: — → 01/07/2020")
        self.assertEqual(PartyRole.objects.get(pk=role.pk).end_date, D(2020, 6, 30))
        self.assertEqual(PartyCell.objects.get(pk=cell.pk).dissolved_on, D(2020, 7, 1))

    def test_a_submission_without_a_version_is_refused_with_a_message(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        for version in ("", "abc", "²", "-1"):
            with self.subTest(version=version):
                response = self.client.post(reverse("manage:posting_end", args=[posting.pk]),
                                            {"end_date": "31/12/2020", "end_reason": EndReason.RETIRED, "version": version})
                self.assertContains(response, "does not say which version of the record it was opened at")
        self.assertIsNone(Posting.objects.get(pk=posting.pk).end_date)

    def test_a_submission_at_the_current_version_is_saved(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        url = reverse("manage:posting_end", args=[posting.pk])
        response = self.client.post(url, {"end_date": "31/12/2020", "end_reason": EndReason.RETIRED,
                                          "version": opened_version(self.client, url)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Posting.objects.get(pk=posting.pk).end_date, D(2020, 12, 31))
