"""Hostile input (hypothesis) against the data-entry screens (/manage/) and the bulk import:
never a 500 or an exception, always a message naming what is wrong, nothing written."""

from __future__ import annotations

import csv
import io
import unicodedata

from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from kontum_posts.lib.clean import clean_text
from personnel.choices import Gender, Position, Rank, UnitKind
from personnel.importing import COLUMNS, postings_import
from personnel.models import Officer, Posting, Unit
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.lean import UnrecordedTemplates
from tests.prod.fuzz import (
    BAD_DATES,
    BAD_NUMBERS,
    VIETNAMESE_NAMES,
    assert_form_rejects_cleanly,
    assert_form_survives,
    fuzz_settings,
    hostile_date,
    hostile_number,
    hostile_text,
    hostile_value,
)
from tests.web.helpers import with_version

OUT_OF_RANGE_DATES = ["31/12/1899", "01/01/2101", "01/01/0001", "31/12/9999", "15/08/1066"]
HEADER = [c.header for c in COLUMNS]


def written_rows() -> tuple[int, int, int, int]:
    """Officers, postings and their history rows: "nothing written" means none of these moved."""
    return (Officer.objects.count(), Posting.objects.count(), Officer.history.count(), Posting.history.count())


def refused_after_strip(value: str, max_length: int | None, *, required: bool) -> bool:
    """Whether a form must refuse `value`: Django strips text fields before validating, so a control
    character at either end (U+001C–U+001F and U+0085 count as whitespace) is dropped, not refused."""
    stripped = value.strip()
    if not stripped:
        return required
    if max_length is not None and len(stripped) > max_length:
        return True
    try:
        clean_text(stripped)
    except ValidationError:
        return True
    return False


class DataEntryFuzzTests(UnrecordedTemplates, HypothesisTestCase, SmallProvinceTestCase):
    """The officer add form, the posting assign form and the transfer form, as an editor."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.unit = Unit.objects.create(province=cls.province, district=cls.district_a, name="Công an huyện A",
                                       kind=UnitKind.DISTRICT_POLICE)
        cls.free_officer = make_officer("Lê Văn Bình", home_unit=cls.unit)
        cls.posted_officer = make_officer("Trần Thị Mai", home_unit=cls.unit)
        cls.posting = make_posting(cls.posted_officer, cls.commune_a1, D(2019, 1, 1))

    def setup_example(self):
        # hypothesis gives each example a fresh transaction and a fresh client: log in again.
        super().setup_example()
        self.client.force_login(self.editor)

    # ------------------------------------------------------------ valid submissions, and the check

    def officer_data(self):
        return {"full_name": "Hồ Thị Lan", "service_number": "FZ-001", "gender": Gender.FEMALE, "rank": Rank.CAPTAIN,
                "birth_date": "15/08/1990", "ethnicity": "Kinh", "party_member_since": "", "home_unit": self.unit.pk,
                "status": "serving", "change_reason": ""}

    def assign_data(self):
        return {"officer": self.free_officer.pk, "commune": self.commune_a2.pk, "position": Position.STANDING_OFFICER,
                "start_date": "01/03/2019", "decision_number": "7/QĐ-CAT", "decision_date": "25/02/2019", "note": "",
                "change_reason": ""}

    def transfer_data(self):
        return with_version(self.posting, {
            "to_commune": self.commune_a2.pk, "position": Position.STANDING_OFFICER, "on": "01/06/2020",
            "decision_number": "9/QĐ-CAT", "decision_date": "20/05/2020", "change_reason": ""})

    FORMS = {
        "officer": ("manage:officer_add", None, "officer_data"),
        "assign": ("manage:posting_assign", None, "assign_data"),
        "transfer": ("manage:posting_transfer", "posting", "transfer_data"),
    }

    def url_and_data(self, form: str):
        name, arg, data = self.FORMS[form]
        return reverse(name, args=[getattr(self, arg).pk] if arg else []), getattr(self, data)()

    def assert_refused(self, form: str, field: str, value):
        url, data = self.url_and_data(form)
        before = written_rows()
        assert_form_rejects_cleanly(self, self.client, url, valid_data=data, field=field, value=value)
        self.assertEqual(written_rows(), before, f"{form} {field}={value!r:.80}")

    def test_the_valid_submissions_are_accepted(self):
        # The baseline the fuzz varies (dd/mm/yyyy dates included): a "refusal" must not be of something else.
        self.client.force_login(self.editor)  # setup_example runs for the @given tests only
        for form in self.FORMS:
            with self.subTest(form=form):
                url, data = self.url_and_data(form)
                before = written_rows()
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 302, response.content[:3000])
                self.assertNotEqual(written_rows(), before)
        self.assertEqual(Officer.objects.get(service_number="FZ-001").birth_date, D(1990, 8, 15))
        self.assertEqual(self.posted_officer.postings.get(commune=self.commune_a2).start_date, D(2020, 6, 1))

    # ------------------------------------------------------------ text

    TEXT_FIELDS = {  # form, field: (max_length, required)
        ("officer", "full_name"): (100, True), ("officer", "service_number"): (20, True),
        ("officer", "ethnicity"): (50, False), ("officer", "change_reason"): (100, False),
        ("assign", "decision_number"): (100, False), ("assign", "change_reason"): (100, False),
        ("transfer", "decision_number"): (100, False), ("transfer", "change_reason"): (100, False),
    }

    @fuzz_settings
    @given(target=st.sampled_from(sorted(TEXT_FIELDS)), value=hostile_text(must_reject=True))
    @example(target=("officer", "full_name"), value="Nguyễn\x00Văn")
    @example(target=("officer", "full_name"), value="<script>alert(1)</script>")
    @example(target=("officer", "service_number"), value="=HYPERLINK(\"http://x\",\"1\")")
    @example(target=("assign", "decision_number"), value="@SUM(A1:A9)")
    @example(target=("transfer", "decision_number"), value="\u202eTAC-ĐQ/9")
    @example(target=("officer", "ethnicity"), value="Kinh\x1b[31m")
    @example(target=("officer", "change_reason"), value="x" * 101)  # the history column holds 100 characters
    @example(target=("transfer", "change_reason"), value="lý do " * 50)
    def test_single_line_text_refuses_hostile_values(self, target, value):
        max_length, required = self.TEXT_FIELDS[target]
        assume(refused_after_strip(value, max_length, required=required))
        self.assert_refused(*target, value)

    @fuzz_settings
    @given(value=hostile_text(must_reject=True, multiline=True))
    @example(value="ghi chú\x00")
    @example(value="x" * 10_001)
    @example(value="=cmd|' /C calc'!A0")
    def test_the_posting_note_refuses_hostile_values(self, value):
        assume(refused_after_strip(value.replace("\n", " ").replace("\t", " ").replace("\r", " "), 10_000,
                                   required=False))
        self.assert_refused("assign", "note", value)

    # ------------------------------------------------------------ dates

    DATE_FIELDS = [("officer", "birth_date"), ("officer", "party_member_since"), ("assign", "start_date"),
                   ("assign", "decision_date"), ("transfer", "on"), ("transfer", "decision_date")]

    @fuzz_settings
    @given(target=st.sampled_from(DATE_FIELDS), value=st.sampled_from(BAD_DATES + OUT_OF_RANGE_DATES))
    @example(target=("assign", "start_date"), value="01/01/2101")
    @example(target=("transfer", "on"), value="31/12/9999")
    @example(target=("officer", "birth_date"), value="31/12/1899")
    def test_impossible_and_out_of_range_dates_are_refused(self, target, value):
        self.assert_refused(*target, value)

    # ------------------------------------------------------------ wrong types

    CHOICE_FIELDS = [("officer", "gender"), ("officer", "rank"), ("officer", "status"), ("officer", "home_unit"),
                     ("assign", "officer"), ("assign", "commune"), ("assign", "position"),
                     ("transfer", "to_commune"), ("transfer", "position")]

    @fuzz_settings
    @given(target=st.sampled_from(CHOICE_FIELDS), value=st.one_of(st.sampled_from(BAD_NUMBERS), hostile_number()))
    @example(target=("assign", "officer"), value="99999999999999999999999")
    @example(target=("transfer", "to_commune"), value="1\x00")
    def test_choices_refuse_wrong_types(self, target, value):
        try:
            as_number = int(str(value).strip())
        except ValueError:
            as_number = None
        # A number that happens to be a valid key is not hostile; an empty optional unit is allowed.
        assume(as_number is None or as_number not in {self.unit.pk, self.free_officer.pk, self.posted_officer.pk,
                                                      self.commune_a1.pk, self.commune_a2.pk})
        self.assert_refused(*target, value)

    @fuzz_settings
    @given(target=st.sampled_from(sorted(TEXT_FIELDS) + DATE_FIELDS + CHOICE_FIELDS + [("assign", "note")]),
           value=st.one_of(hostile_value(), hostile_date(), st.lists(st.sampled_from(VIETNAMESE_NAMES), min_size=2)))
    def test_every_field_survives_anything(self, target, value):
        # Random text, NFD names, several values for one field: accepted or refused with a message, never a 500.
        url, data = self.url_and_data(target[0])
        assert_form_survives(self, self.client, url, valid_data=data, field=target[1], value=value)

    # ------------------------------------------------------------ normalisation and messages

    def test_a_name_in_decomposed_unicode_is_stored_composed(self):
        nfd = unicodedata.normalize("NFD", "Đặng Thị Hồng Nhung")
        mixed = "12/" + unicodedata.normalize("NFD", "QĐ") + "-CAT"
        self.client.force_login(self.editor)
        response = self.client.post(reverse("manage:officer_add"), {**self.officer_data(), "full_name": nfd})
        self.assertEqual(response.status_code, 302)
        stored = Officer.objects.get(service_number="FZ-001").full_name
        self.assertEqual(stored, "Đặng Thị Hồng Nhung")
        self.assertTrue(unicodedata.is_normalized("NFC", stored))
        response = self.client.post(reverse("manage:posting_assign"), {**self.assign_data(), "decision_number": mixed})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.free_officer.postings.get().decision_number, "12/QĐ-CAT")


class DataEntryMessageTests(InEnglish, SmallProvinceTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.editor)
        unit = Unit.objects.create(province=self.province, district=self.district_a, name="Công an huyện A",
                                   kind=UnitKind.DISTRICT_POLICE)
        self.officer = make_officer("Lê Văn Bình", home_unit=unit)  # in the editor's district

    def assign(self, **extra):
        return self.client.post(reverse("manage:posting_assign"), {
            "officer": self.officer.pk, "commune": self.commune_a1.pk, "position": Position.STANDING_OFFICER,
            "start_date": "01/03/2019", **extra})

    def test_a_date_out_of_range_says_which_dates_are_allowed(self):
        response = self.assign(start_date="01/01/2101")
        self.assertContains(response, "Enter a date between 01/01/1900 and 31/12/2100.")
        self.assertContains(response, "Nothing was saved")
        self.assertFalse(Posting.objects.exists())

    def test_a_date_not_as_dd_mm_yyyy_keeps_its_message(self):
        self.assertContains(self.assign(start_date="2019-03-01"), "Enter a date as dd/mm/yyyy")

    def test_a_formula_in_the_decision_number_says_why(self):
        self.assertContains(self.assign(decision_number="=1+2"), "a spreadsheet would run it as a formula")
        self.assertFalse(Posting.objects.exists())

    def test_a_decision_number_with_a_dash_and_a_bulleted_note_are_not_formulas(self):
        self.assertRedirects(self.assign(decision_number="12/QĐ-CAT", note="- một\n- hai"),
                             reverse("manage:officer", args=[self.officer.pk]), fetch_redirect_response=False)
        self.assertEqual(Posting.objects.get().note, "- một\n- hai")


# ---------------------------------------------------------------- the import

def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def import_row(number: str, name: str = "Nguyễn Văn An", **cells) -> list[str]:
    values = {"Số hiệu": number, "Họ và tên": name, "Giới tính": "Nam", "Cấp bậc": "Trung úy", "Xã": "90001",
              "Chức vụ": "Công an viên thường trực", "Ngày bắt đầu": "02/01/2019", **cells}
    return [values.get(h, "") for h in HEADER]


TEXT_COLUMNS = ["Số hiệu", "Họ và tên", "Giới tính", "Dân tộc", "Cấp bậc", "Đơn vị", "Xã", "Chức vụ",
                "Lý do kết thúc", "Số quyết định"]
DATE_COLUMNS = ["Ngày sinh", "Ngày vào Đảng", "Ngày bắt đầu", "Ngày kết thúc", "Ngày quyết định"]


def import_refuses(value: str) -> bool:
    """Whether the import must refuse a cell: it strips cells as a spreadsheet user expects, then checks."""
    stripped = value.strip()
    try:
        clean_text(stripped)
    except ValidationError:
        return True
    return len(stripped) > 100  # longer than any column holds (and no name of a choice, unit or commune)


hostile_cell = st.one_of(
    st.tuples(st.sampled_from(TEXT_COLUMNS), hostile_text(must_reject=True).filter(import_refuses)),
    st.tuples(st.sampled_from(DATE_COLUMNS), st.sampled_from(
        [d for d in BAD_DATES if d.strip()] + OUT_OF_RANGE_DATES + ["=TODAY()", "<b>1/1/2019</b>", "02/01/2019\x00"])),
)


class ImportFuzzTests(UnrecordedTemplates, HypothesisTestCase, SmallProvinceTestCase):
    def run_import(self, content: bytes):
        return postings_import(file=content, filename="bo-tri.csv", user=self.admin, dry_run=False)

    @fuzz_settings
    @given(layout=st.lists(st.one_of(st.none(), hostile_cell), min_size=1, max_size=5).filter(
        lambda rows: any(rows)))
    @example(layout=[None, ("Họ và tên", "=HYPERLINK(\"http://x\",\"An\")"), None])
    @example(layout=[("Số hiệu", "S\x00-1"), ("Dân tộc", "<script>alert(1)</script>")])
    @example(layout=[("Ngày bắt đầu", "01/01/2101"), None])
    @example(layout=[("Xã", "Đắk " * 3000)])
    def test_a_file_with_hostile_cells_imports_nothing_and_lists_every_bad_row(self, layout):
        # None is a good row (its own new officer), a (column, value) a row with one hostile cell.
        rows = []
        for index, cell in enumerate(layout):
            values = import_row(f"G-{index}", VIETNAMESE_NAMES[index % len(VIETNAMESE_NAMES)])
            if cell is not None:
                values[HEADER.index(cell[0])] = cell[1]
            rows.append(values)
        bad = {index + 2: cell[0] for index, cell in enumerate(layout) if cell is not None}
        before = written_rows()
        result = self.run_import(csv_bytes(rows))  # any exception fails the test
        self.assertFalse(result.ok)
        self.assertEqual((result.created_officers, result.created_postings), (0, 0))
        self.assertEqual(written_rows(), before)
        self.assertEqual({e.row for e in result.errors}, set(bad), result.errors)
        for number, column in bad.items():
            messages = [e for e in result.errors if e.row == number and e.column == column]
            self.assertTrue(messages, f"row {number}, {column}: {result.errors}")
            self.assertTrue(all(e.message.strip() for e in messages))

    def test_a_cell_longer_than_the_csv_module_reads_is_a_message_not_an_exception(self):
        content = csv_bytes([import_row("S-1", "x" * 200_000)])
        before = written_rows()
        result = self.run_import(content)
        self.assertFalse(result.ok)
        self.assertEqual(written_rows(), before)
        self.assertEqual([e.row for e in result.errors], [0])

    def test_a_hostile_change_reason_is_refused_before_anything_is_read(self):
        for reason in ["lý do\x00", "<b>x</b>", "=1+2", "x" * 101]:
            with self.subTest(reason=reason[:20]):
                result = postings_import(file=csv_bytes([import_row("S-1")]), filename="a.csv", user=self.admin,
                                         dry_run=False, change_reason=reason)
                self.assertFalse(result.ok)
                self.assertEqual(written_rows(), (0, 0, 0, 0))


class ImportMessageTests(InEnglish, SmallProvinceTestCase):
    def test_a_formula_in_full_name_is_refused_with_the_row_and_column_named(self):
        content = csv_bytes([import_row("S-1"), import_row("S-2", "=HYPERLINK(\"http://evil\",\"Nguyễn Văn An\")")])
        result = postings_import(file=content, filename="bo-tri.csv", user=self.admin, dry_run=False)
        self.assertEqual(len(result.errors), 1, result.errors)
        error = result.errors[0]
        self.assertEqual((error.row, error.column), (3, "Họ và tên"))
        self.assertIn("a spreadsheet would run it as a formula", error.message)
        self.assertFalse(Officer.objects.exists())
        self.assertFalse(Posting.objects.exists())

    def test_a_date_out_of_range_is_refused_with_the_allowed_range(self):
        result = postings_import(file=csv_bytes([import_row("S-1", **{"Ngày sinh": "15/08/1890"})]),
                                 filename="bo-tri.csv", user=self.admin, dry_run=False)
        self.assertEqual([(e.row, e.column, e.message) for e in result.errors],
                         [(2, "Ngày sinh", "Enter a date between 01/01/1900 and 31/12/2100.")])
        self.assertFalse(Officer.objects.exists())

    def test_the_import_page_shows_the_refused_cell(self):
        self.client.force_login(self.admin)
        upload = io.BytesIO(csv_bytes([import_row("S-1", "<script>alert(1)</script>")]))
        upload.name = "bo-tri.csv"
        response = self.client.post(reverse("manage:import"), {"file": upload, "action": "import"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Remove the HTML tags")
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertFalse(Officer.objects.exists())
