"""Hostile input (hypothesis) against the login form and the admin's data-entry forms:
never a 500, always a clear message, nothing written."""

from __future__ import annotations

import datetime
import unicodedata

from django.test import SimpleTestCase
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from kontum_posts.lib.clean import clean_text
from kontum_posts.lib.export import neutralise
from personnel.choices import Gender, Position, Rank
from personnel.models import Officer
from tests.base import SmallProvinceTestCase, make_officer
from tests.lean import UnrecordedTemplates
from tests.prod.fuzz import (
    BAD_DATES,
    BAD_NUMBERS,
    assert_form_rejects_cleanly,
    assert_form_survives,
    fuzz_settings,
    hostile_number,
    hostile_text,
    hostile_value,
    project_row_count,
)
from tests.prod.urlwalk import all_urls


class LoginFuzzTests(HypothesisTestCase, SmallProvinceTestCase):
    @fuzz_settings
    @given(username=hostile_value(), password=hostile_value())
    @example(username="a" * 10_000, password="x")
    @example(username="viewer\x00", password="pw-viewer-123")
    @example(username=["viewer", "admin"], password="pw-viewer-123")
    def test_the_login_form_never_breaks_and_never_lets_anyone_in(self, username, password):
        before = project_row_count()
        response = self.client.post(reverse("login"), {"username": username, "password": password})
        self.assertIn(response.status_code, (200, 429))
        self.assertContains(response, 'role="alert"', status_code=response.status_code)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(project_row_count(), before)

    @fuzz_settings
    @given(username=hostile_text(must_reject=True))
    @example(username="Đắk " * 3000)  # found by this test on PostgreSQL: axes could not store it (a 500)
    def test_the_admin_login_form_never_breaks(self, username):
        response = self.client.post(reverse("admin:login"), {"username": username, "password": "x"})
        self.assertIn(response.status_code, (200, 429))
        self.assertNotIn("_auth_user_id", self.client.session)


class AdminFormFuzzTests(UnrecordedTemplates, HypothesisTestCase, SmallProvinceTestCase):
    """The admin is where data is entered on this branch; the data-entry forms reuse tests/prod/fuzz.py."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_officer("Lê Văn Bình")

    def setup_example(self):
        # hypothesis gives each example a fresh transaction and a fresh client: log in again.
        # (unittest runs setUp before hypothesis creates the client, so the login lives here.)
        super().setup_example()
        self.client.force_login(self.national_admin)

    def officer_data(self):
        return {
            "full_name": "Nguyễn Văn Ánh", "gender": Gender.MALE, "birth_date": "1990-05-01", "ethnicity": "Kinh",
            "rank": Rank.LIEUTENANT, "service_number": "FZ-001", "party_member_since": "", "home_unit": "",
            "status": "serving",
            # the posting inline, empty
            "postings-TOTAL_FORMS": "0", "postings-INITIAL_FORMS": "0",
            "postings-MIN_NUM_FORMS": "0", "postings-MAX_NUM_FORMS": "1000",
        }

    def posting_data(self):
        return {
            "officer": str(self.officer.pk), "commune": str(self.commune_a1.pk), "position": Position.STANDING_OFFICER,
            "start_date": "2019-01-15", "end_date": "", "end_reason": "", "decision_number": "12/QĐ-CAT",
            "decision_date": "2019-01-10", "note": "",
        }

    def test_the_valid_submissions_are_accepted(self):
        # The baseline the fuzz varies: without it a "rejection" could be of something else.
        self.client.force_login(self.national_admin)
        response = self.client.post(reverse("admin:personnel_officer_add"), self.officer_data())
        self.assertEqual(response.status_code, 302, response.content[:2000])
        response = self.client.post(reverse("admin:personnel_posting_add"), self.posting_data())
        self.assertEqual(response.status_code, 302, response.content[:2000])

    @fuzz_settings
    @given(field=st.sampled_from(["full_name", "ethnicity", "service_number"]), value=hostile_text(must_reject=True))
    @example(field="full_name", value="\x00")
    @example(field="service_number", value="=1+2")
    @example(field="full_name", value="<script>alert(1)</script>")
    def test_the_officer_form_refuses_hostile_text(self, field, value):
        assert_form_rejects_cleanly(self, self.client, reverse("admin:personnel_officer_add"),
                                    valid_data=self.officer_data(), field=field, value=value)

    @fuzz_settings
    @given(field=st.sampled_from(["decision_number", "note"]), value=hostile_text(must_reject=True, multiline=True))
    @example(field="note", value="ghi chú\x00")
    @example(field="note", value="x" * 10_001)
    def test_the_posting_form_refuses_hostile_text(self, field, value):
        assert_form_rejects_cleanly(self, self.client, reverse("admin:personnel_posting_add"),
                                    valid_data=self.posting_data(), field=field, value=value)

    @fuzz_settings
    @given(field=st.sampled_from(["start_date", "decision_date", "end_date"]), value=st.sampled_from(BAD_DATES))
    def test_the_posting_form_refuses_impossible_and_out_of_range_dates(self, field, value):
        assert_form_rejects_cleanly(self, self.client, reverse("admin:personnel_posting_add"),
                                    valid_data=self.posting_data(), field=field, value=value)

    @fuzz_settings
    @given(field=st.sampled_from(["officer", "commune", "position"]),
           value=st.one_of(st.sampled_from(BAD_NUMBERS), hostile_number()).filter(lambda v: v.strip() != "1"))
    def test_the_posting_form_refuses_wrong_types_for_choices(self, field, value):
        if field == "officer" and value.strip() == str(self.officer.pk):
            return
        assert_form_rejects_cleanly(self, self.client, reverse("admin:personnel_posting_add"),
                                    valid_data=self.posting_data(), field=field, value=value)

    @fuzz_settings
    @given(field=st.sampled_from(["full_name", "birth_date", "rank", "gender", "home_unit", "status"]),
           value=hostile_value())
    def test_the_officer_form_survives_anything(self, field, value):
        assert_form_survives(self, self.client, reverse("admin:personnel_officer_add"),
                             valid_data=self.officer_data(), field=field, value=value)

    def test_a_name_typed_in_decomposed_unicode_is_stored_composed(self):
        self.client.force_login(self.national_admin)
        data = {**self.officer_data(), "full_name": unicodedata.normalize("NFD", "Đặng Thị Hồng Nhung")}
        self.assertEqual(self.client.post(reverse("admin:personnel_officer_add"), data).status_code, 302)
        stored = Officer.objects.get(service_number="FZ-001").full_name
        self.assertEqual(stored, "Đặng Thị Hồng Nhung")
        self.assertTrue(unicodedata.is_normalized("NFC", stored))

    def test_the_message_for_a_nul_byte_says_what_is_wrong(self):
        self.client.force_login(self.national_admin)
        data = {**self.officer_data(), "full_name": "Nguyễn\x00Văn"}
        response = self.client.post(reverse("admin:personnel_officer_add"), data)
        self.assertContains(response, "Null characters are not allowed")

    def test_the_message_for_a_formula_says_what_is_wrong(self):
        self.client.force_login(self.national_admin)
        data = {**self.officer_data(), "service_number": "=HYPERLINK(1)"}
        # In the default language, Vietnamese: "(a spreadsheet would run it as a formula)".
        self.assertContains(self.client.post(reverse("admin:personnel_officer_add"), data), "công thức")


class QueryStringFuzzTests(UnrecordedTemplates, SmallProvinceTestCase):
    """Every page, whoever wrote it, with hostile query parameters: a 4xx or a page, never a 500."""

    PARAMETERS = ["q", "as_of", "page", "sort", "district", "commune", "o", "p", "format", "_export", "date", "year"]
    VALUES = ["\x00", "9" * 30, "10000-01-01", "<script>'%[]", "a" * 3000]

    @staticmethod
    def worth_walking(url) -> bool:
        # The admin's per-object pages repeat one shape per model; its lists and add forms read the query string.
        if not (url.name or "").startswith("admin:") and not url.path.startswith("/admin/"):
            return True
        return (url.name or "").endswith(("_changelist", "_add", ":index", "autocomplete"))

    def test_no_page_gives_a_server_error_for_hostile_query_parameters(self):
        urls, _ = all_urls()
        self.client.force_login(self.national_admin)
        for url in urls:
            if url.name in ("logout", "admin:logout") or not self.worth_walking(url):
                continue
            for value in self.VALUES:
                params = {name: value for name in self.PARAMETERS}
                with self.subTest(path=url.path, value=value[:20]):
                    response = self.client.get(url.path, params)
                    self.assertLess(response.status_code, 500)


class CleanHelperTests(SimpleTestCase):
    def test_clean_text_accepts_vietnamese_and_returns_nfc(self):
        self.assertEqual(clean_text(unicodedata.normalize("NFD", "Xã Đắk Pét")), "Xã Đắk Pét")

    def test_clean_text_refuses_nul_control_markup_and_formulas(self):
        from django.core.exceptions import ValidationError

        for value in ["a\x00b", "a\x07b", "\u202eabc", "<b>x</b>", "=SUM(A1)", "@x", "+x", "-x"]:
            with self.subTest(value=value), self.assertRaises(ValidationError):
                clean_text(value)

    def test_numbers_with_a_sign_and_notes_with_bullets_are_not_formulas(self):
        from django.core.exceptions import ValidationError

        for value in ["-5", "+2,5", "12/QĐ-CAT", "- một"]:
            self.assertEqual(clean_text(value), value)
        for value in ["-2+3+cmd", "+84 260 3862 000"]:  # a spreadsheet would compute these
            with self.subTest(value=value), self.assertRaises(ValidationError):
                clean_text(value)
        self.assertEqual(clean_text("- một\n- hai", multiline=True), "- một\n- hai")

    def test_the_export_defuses_formulas_only(self):
        self.assertEqual(neutralise("=1+2"), "'=1+2")
        self.assertEqual(neutralise("Nguyễn Văn An"), "Nguyễn Văn An")
        self.assertEqual(neutralise(349), 349)
        self.assertEqual(neutralise(datetime.date(2019, 4, 23)), datetime.date(2019, 4, 23))

    def test_what_a_form_refuses_as_a_formula_the_export_defuses(self):
        from django.core.exceptions import ValidationError

        for value in ["=SUM(A1)", "@x", "+x", "-x", " =1+2", "-2+3+cmd", "+84 260 3862 000"]:
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    clean_text(value)
                self.assertEqual(neutralise(value), "'" + value)
