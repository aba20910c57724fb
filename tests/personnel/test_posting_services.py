from django.core.exceptions import ValidationError

from personnel.choices import EndReason, Position
from personnel.models import Posting
from personnel.services import posting_end, posting_start, posting_transfer
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting


class PostingStartTests(InEnglish, SmallProvinceTestCase):
    def test_it_starts_an_open_posting(self):
        officer = make_officer()
        posting = posting_start(officer=officer, commune=self.commune_a1, position=Position.CHIEF, on=D(2019, 1, 2),
                                decision_number="12/QĐ-CAT")
        self.assertTrue(posting.is_open)
        self.assertEqual(posting.history.count(), 1)

    def test_it_refuses_a_posting_that_overlaps_an_ended_one_on_both_databases(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        with self.assertRaisesMessage(ValidationError, "never overlap"):
            posting_start(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER, on=D(2019, 6, 1))
        self.assertEqual(Posting.objects.count(), 1)

    def test_it_refuses_a_second_chief_with_the_rule_in_the_message(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        with self.assertRaisesMessage(ValidationError, "already has a chief"):
            posting_start(officer=make_officer(), commune=self.commune_a1, position=Position.CHIEF, on=D(2019, 5, 1))


class PostingTransferTests(InEnglish, SmallProvinceTestCase):
    def test_it_ends_the_posting_the_day_before_and_starts_the_new_one(self):
        officer = make_officer()
        old = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        new = posting_transfer(posting=old, to_commune=self.commune_b1, on=D(2019, 7, 1))
        old.refresh_from_db()
        self.assertEqual(old.end_date, D(2019, 6, 30))
        self.assertEqual(old.end_reason, EndReason.TRANSFERRED)
        self.assertEqual((new.commune, new.start_date, new.end_date), (self.commune_b1, D(2019, 7, 1), None))

    def test_a_refused_transfer_changes_nothing(self):
        make_posting(make_officer(), self.commune_b1, D(2019, 1, 1), position=Position.CHIEF)
        old = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        with self.assertRaises(ValidationError):
            posting_transfer(posting=old, to_commune=self.commune_b1, on=D(2019, 7, 1))
        old.refresh_from_db()
        self.assertIsNone(old.end_date)
        self.assertEqual(Posting.objects.count(), 2)


class PostingEndTests(InEnglish, SmallProvinceTestCase):
    def test_it_records_the_last_day_and_the_reason(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        posting_end(posting=posting, on=D(2019, 9, 30), reason=EndReason.RETIRED)
        posting.refresh_from_db()
        self.assertEqual((posting.end_date, posting.end_reason), (D(2019, 9, 30), EndReason.RETIRED))

    def test_it_refuses_an_end_before_the_start(self):
        posting = make_posting(make_officer(), self.commune_a1, D(2019, 1, 1))
        with self.assertRaisesMessage(ValidationError, "ends on or after"):
            posting_end(posting=posting, on=D(2018, 12, 31))
        posting.refresh_from_db()
        self.assertIsNone(posting.end_date)


class VietnameseMessageTests(SmallProvinceTestCase):
    def test_rule_messages_are_in_vietnamese_by_default(self):
        make_posting(make_officer(), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        with self.assertRaisesMessage(ValidationError, "Xã này đã có Trưởng Công an xã"):
            posting_start(officer=make_officer(), commune=self.commune_a1, position=Position.CHIEF, on=D(2019, 5, 1))
