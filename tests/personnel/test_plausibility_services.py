"""Plausibility rules through the services (and so through clean()): a date of birth before today, nobody posted
before their 18th birthday, a Party admission from the 18th birthday and not after today, decisions dated today or
earlier, and a police officer's Party role in a commune only while posted there; ending or transferring a posting
ends the roles it leaves uncovered, or is refused."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from personnel import services
from personnel.choices import EndReason, Gender, PartyRoleKind, Position, Rank
from personnel.models import Officer, PartyRole, Posting
from personnel.rules import adult_from, describe_days
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting

ONE_DAY = datetime.timedelta(days=1)


def new_officer(**fields) -> Officer:
    fields = {"full_name": "Hồ Thị Lan", "gender": Gender.FEMALE, "rank": Rank.LIEUTENANT, "service_number": "P-1",
              **fields}
    return services.officer_create(**fields)


class DatesOfAPersonTests(InEnglish, SmallProvinceTestCase):
    def test_a_date_of_birth_is_before_today(self):
        today = timezone.localdate()
        with self.assertRaises(ValidationError) as refused:
            new_officer(birth_date=today)
        self.assertEqual(refused.exception.message_dict["birth_date"],
                         [f"A date of birth is before today ({today:%d/%m/%Y})."])
        self.assertFalse(Officer.objects.exists())
        self.assertEqual(new_officer(birth_date=today - ONE_DAY).birth_date, today - ONE_DAY)

    def test_the_18th_birthday_of_someone_born_on_29_february_is_1_march(self):
        self.assertEqual(adult_from(D(2004, 2, 29)), D(2022, 3, 1))
        self.assertEqual(adult_from(D(2001, 3, 15)), D(2019, 3, 15))

    def test_nobody_is_posted_before_their_18th_birthday(self):
        officer = new_officer(birth_date=D(2001, 3, 15))
        with self.assertRaisesMessage(ValidationError, "An officer is posted from their 18th birthday on: born "
                                                       "15/03/2001, 18 on 15/03/2019, posted from 14/03/2019."):
            services.posting_start(officer=officer, commune=self.commune_a1, position=Position.STANDING_OFFICER,
                                   on=D(2019, 3, 14))
        self.assertFalse(Posting.objects.exists())
        services.posting_start(officer=officer, commune=self.commune_a1, position=Position.STANDING_OFFICER,
                               on=D(2019, 3, 15))

    def test_correcting_a_date_of_birth_is_checked_against_the_first_posting(self):
        officer = new_officer(birth_date=D(1990, 1, 1))
        make_posting(officer, self.commune_a1, D(2019, 1, 2))
        make_posting(officer, self.commune_a2, D(2018, 1, 2), D(2018, 12, 31))
        with self.assertRaises(ValidationError) as refused:
            services.officer_update(officer=officer, birth_date=D(2000, 6, 1))
        self.assertEqual(refused.exception.message_dict["birth_date"], [
            "An officer is posted from their 18th birthday on: born 01/06/2000, 18 on 01/06/2018, posted from 02/01/2018."])
        self.assertEqual(Officer.objects.get(pk=officer.pk).birth_date, D(1990, 1, 1))
        services.officer_update(officer=officer, birth_date=D(2000, 1, 2))  # 18 on the first day in post

    def test_party_admission_is_from_the_18th_birthday_and_not_after_today(self):
        with self.assertRaises(ValidationError) as refused:
            new_officer(birth_date=D(1995, 7, 20), party_member_since=D(2013, 7, 19))
        self.assertEqual(refused.exception.message_dict["party_member_since"],
                         ["Party admission is on or after the 18th birthday (20/07/2013)."])
        tomorrow = timezone.localdate() + ONE_DAY
        with self.assertRaises(ValidationError) as refused:
            new_officer(party_member_since=tomorrow)
        self.assertEqual(refused.exception.message_dict["party_member_since"],
                         [f"Party admission is dated today ({timezone.localdate():%d/%m/%Y}) or earlier."])
        self.assertFalse(Officer.objects.exists())
        new_officer(birth_date=D(1995, 7, 20), party_member_since=D(2013, 7, 20))

    def test_party_admission_without_a_date_of_birth_is_only_checked_against_today(self):
        self.assertEqual(new_officer(party_member_since=D(2010, 1, 1)).party_member_since, D(2010, 1, 1))


class DecisionDateTests(InEnglish, SmallProvinceTestCase):
    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        self.message = f"A decision is dated today ({self.today:%d/%m/%Y}) or earlier."

    def test_a_postings_decision_is_dated_today_or_earlier(self):
        officer = make_officer()
        with self.assertRaises(ValidationError) as refused:
            services.posting_start(officer=officer, commune=self.commune_a1, position=Position.STANDING_OFFICER,
                                   on=D(2019, 1, 1), decision_date=self.today + ONE_DAY)
        self.assertEqual(refused.exception.message_dict["decision_date"], [self.message])
        posting = services.posting_start(officer=officer, commune=self.commune_a1, position=Position.STANDING_OFFICER,
                                         on=D(2019, 1, 1), decision_date=self.today)
        with self.assertRaisesMessage(ValidationError, self.message):
            services.posting_transfer(posting=posting, to_commune=self.commune_a2, on=D(2020, 1, 1),
                                      decision_date=self.today + ONE_DAY)
        self.assertEqual(Posting.objects.get().end_date, None)

    def test_a_cells_and_a_roles_decision_are_dated_today_or_earlier(self):
        with self.assertRaises(ValidationError) as refused:
            services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1), decision_date=self.today + ONE_DAY)
        self.assertEqual(refused.exception.message_dict["decision_date"], [self.message])
        services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1), decision_date=D(2019, 1, 30))
        with self.assertRaises(ValidationError) as refused:
            services.party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1),
                                        holder_name="Y Hơ Len", decision_date=self.today + ONE_DAY)
        self.assertEqual(refused.exception.message_dict["decision_date"], [self.message])
        self.assertFalse(PartyRole.objects.exists())


class RoleWhilePostedTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_officer("Nguyễn Văn An")

    def appoint(self, role=PartyRoleKind.EXECUTIVE_COMMITTEE, on=None, commune=None, **extra):
        return services.party_role_appoint(commune=commune or self.commune_a1, role=role, on=on or D(2019, 3, 1),
                                           officer=self.officer, **extra)

    def rule(self, days: str, role="Commune Party executive committee member", commune="Xã Đắk Pét") -> str:
        return (f"A police officer holds a Party role in a commune only while posted there: Nguyễn Văn An ({role}) "
                f"holds no posting in {commune} on these days: {days}.")

    def test_a_role_needs_a_posting_in_its_commune_on_every_day(self):
        make_posting(self.officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        make_posting(self.officer, self.commune_a2, D(2019, 7, 1), D(2019, 7, 31))  # elsewhere: no cover
        make_posting(self.officer, self.commune_a1, D(2019, 8, 1))
        with self.assertRaisesMessage(ValidationError, self.rule("01/07/2019–31/07/2019")):
            self.appoint()
        self.assertFalse(PartyRole.objects.exists())
        self.appoint(on=D(2019, 8, 1))

    def test_an_open_role_needs_an_open_posting(self):
        make_posting(self.officer, self.commune_a1, D(2019, 1, 1), D(2019, 12, 31))
        with self.assertRaisesMessage(ValidationError, self.rule("from 01/01/2020")):
            self.appoint()
        self.assertFalse(PartyRole.objects.exists())

    def test_a_cell_role_of_an_officer_never_posted_there_names_the_whole_period(self):
        services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        with self.assertRaisesMessage(ValidationError, self.rule("from 01/02/2019", role="Cell secretary")):
            self.appoint(role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1))

    def test_a_holder_from_outside_the_police_needs_no_posting(self):
        services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        role = services.party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.CELL_SECRETARY,
                                           on=D(2019, 2, 1), holder_name="Y Hơ Len")
        self.assertIsNone(role.officer)

    def test_ending_a_posting_ends_the_roles_it_leaves_uncovered_on_its_last_day(self):
        posting = make_posting(self.officer, self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        secretary = self.appoint(role=PartyRoleKind.CELL_SECRETARY, on=D(2019, 2, 1))
        seat = self.appoint()
        ended = services.posting_end(posting=posting, on=D(2020, 6, 30), reason=EndReason.RETIRED,
                                     change_reason="nghỉ hưu")
        self.assertEqual(sorted(r.pk for r in ended.ended_roles), sorted([secretary.pk, seat.pk]))
        for role in (secretary, seat):
            role.refresh_from_db()
            self.assertEqual(role.end_date, D(2020, 6, 30))
            self.assertEqual(role.history.first().history_change_reason, "nghỉ hưu")

    def test_a_transfer_out_of_the_commune_ends_the_roles_there_and_leaves_others(self):
        posting = make_posting(self.officer, self.commune_a1, D(2019, 1, 1))
        make_posting(self.officer, self.commune_a2, D(2018, 1, 1), D(2018, 12, 31))
        seat = self.appoint()
        earlier = PartyRole.objects.create(officer=self.officer, commune=self.commune_a2, start_date=D(2018, 2, 1),
                                           end_date=D(2018, 12, 31), role=PartyRoleKind.STANDING_COMMITTEE)
        new = services.posting_transfer(posting=posting, to_commune=self.commune_a2, on=D(2020, 7, 1))
        self.assertEqual([r.pk for r in new.ended_roles], [seat.pk])
        seat.refresh_from_db()
        self.assertEqual(seat.end_date, D(2020, 6, 30))
        self.assertEqual(PartyRole.objects.get(pk=earlier.pk).end_date, D(2018, 12, 31))
        # In the new commune the officer may take a seat again.
        self.appoint(commune=self.commune_a2, on=D(2020, 7, 1))

    def test_a_transfer_to_another_position_in_the_same_commune_keeps_the_roles(self):
        posting = make_posting(self.officer, self.commune_a1, D(2019, 1, 1))
        seat = self.appoint()
        new = services.posting_transfer(posting=posting, to_commune=self.commune_a1, position=Position.CHIEF,
                                        on=D(2020, 7, 1))
        self.assertEqual(new.ended_roles, [])
        seat.refresh_from_db()
        self.assertIsNone(seat.end_date)

    def test_an_end_before_a_role_began_is_refused_and_changes_nothing(self):
        posting = make_posting(self.officer, self.commune_a1, D(2019, 1, 1))
        seat = self.appoint(on=D(2020, 1, 1))
        with self.assertRaisesMessage(ValidationError, self.rule("from 01/01/2020")):
            services.posting_end(posting=posting, on=D(2019, 12, 31))
        self.assertIsNone(posting.end_date)
        self.assertIsNone(Posting.objects.get(pk=posting.pk).end_date)
        seat.refresh_from_db()
        self.assertIsNone(seat.end_date)

    def test_days_are_written_as_a_reader_writes_them(self):
        self.assertEqual(describe_days([(D(2019, 3, 5), D(2019, 3, 5)), (D(2019, 5, 1), D(2019, 6, 30)),
                                        (D(2020, 8, 1), None)]),
                         "05/03/2019, 01/05/2019–30/06/2019, from 01/08/2020")


class RecordsKeptBeforeTheRulesTests(InEnglish, SmallProvinceTestCase):
    """Rows written before the rules (bulk loads, earlier versions) can still be ended: an end removes days and
    adds none, so it is refused only for what it would make worse."""

    def test_a_role_without_a_posting_can_still_end_and_its_cell_be_dissolved(self):
        officer = make_officer()
        cell = services.party_cell_establish(commune=self.commune_a1, on=D(2019, 2, 1))
        seat = PartyRole.objects.create(officer=officer, commune=self.commune_a1, start_date=D(2019, 3, 1),
                                        role=PartyRoleKind.EXECUTIVE_COMMITTEE)
        secretary = PartyRole.objects.create(officer=officer, commune=self.commune_a1, cell=cell, start_date=D(2019, 3, 1),
                                             role=PartyRoleKind.CELL_SECRETARY)
        services.party_role_end(party_role=seat, on=D(2019, 12, 31))
        services.party_cell_dissolve(cell=cell, on=D(2020, 1, 1))
        self.assertEqual([PartyRole.objects.get(pk=r.pk).end_date for r in (seat, secretary)],
                         [D(2019, 12, 31), D(2019, 12, 31)])

    def test_a_posting_before_the_18th_birthday_can_still_end_but_not_start_again(self):
        officer = make_officer(birth_date=D(2001, 6, 1))
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        services.posting_end(posting=posting, on=D(2019, 12, 31))
        self.assertEqual(Posting.objects.get(pk=posting.pk).end_date, D(2019, 12, 31))
        with self.assertRaisesMessage(ValidationError, "18 on 01/06/2019, posted from 01/01/2019"):
            services.posting_start(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER,
                                   on=D(2019, 1, 1))

    def test_ending_a_posting_also_ends_a_role_recorded_from_before_it(self):
        officer = make_officer()
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        early = PartyRole.objects.create(officer=officer, commune=self.commune_a1, start_date=D(2018, 6, 1),
                                         role=PartyRoleKind.EXECUTIVE_COMMITTEE)
        ended = services.posting_end(posting=posting, on=D(2020, 6, 30))
        self.assertEqual([r.pk for r in ended.ended_roles], [early.pk])
        self.assertEqual(PartyRole.objects.get(pk=early.pk).end_date, D(2020, 6, 30))
