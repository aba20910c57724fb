"""Hostile input for any form: hypothesis strategies and one assertion, reusable by every branch.

    from tests.prod.fuzz import assert_form_rejects_cleanly, hostile_text, REJECTED_TEXT

    @given(value=hostile_text(must_reject=True))
    @fuzz_settings
    def test_the_posting_form_rejects_hostile_notes(self, value):
        self.client.force_login(self.editor)
        assert_form_rejects_cleanly(self, self.client, reverse("manage:posting_add"),
                                    valid_data={...}, field="note", value=value)

`assert_form_rejects_cleanly` posts a valid submission with one field replaced, then checks: no
5xx, the form comes back (200) with an error message, and no row of the project's apps was
written (history tables included). `assert_never_a_server_error` is the weaker check for values
that may legitimately be accepted (random text, NFD names).
"""

from __future__ import annotations

import os
import unicodedata

from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st

PROJECT_APPS = ("communes", "personnel", "auth")

# Settings for a fuzz test that goes through the test client: no deadline (a request is slow next to
# a pure function), no example database on disk, a modest number of examples.
_fuzz = settings(
    max_examples=13 if os.environ.get("KP_FUZZ_SPLIT") == "1" else 25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Each database draws its own examples, from a seed of its own. CI runs the suite on both (.ci/run, KP_FUZZ_SPLIT=1)
# with half the examples each: the two passes together try as many values as one `make test`, at the cost of one
# (the random histories split their seeds between the passes so too). Deterministic: a failure is found again by
# running the same pass again.
PASS_SEED = {"postgresql": 1, "sqlite": 2}.get(connection.vendor, 3)


def fuzz_settings(test):
    """The fuzz tests' settings and their database's seed, as one decorator."""
    return seed(PASS_SEED)(_fuzz(test))


VIETNAMESE_NAMES = ["Nguyễn Văn Ánh", "Đặng Thị Hồng Nhung", "Y Đức", "A Thiết", "Trần Quốc Việt"]

# Values every text field must refuse with a message (lib/clean.py and Django's own validators).
REJECTED_TEXT = [
    "\x00",
    "Nguyễn\x00Văn",
    "a\x01b",
    "\x1b[31mred",
    "\u202eevil\u202c",  # right-to-left override
    "\x7f",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://example.com\",\"x\")",
    "=1+2",
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3+cmd",
    "Đắk " * 3000,  # longer than any field (text areas stop at 10,000 characters)
]
# Refused by single-line fields only: a text area keeps its line breaks and tabs.
REJECTED_SINGLE_LINE = ["tab\there", "line\nbreak", "\r\n"]

# Values that may be accepted (stored as NFC) or refused, but never crash.
ODD_TEXT = [
    "",
    " ",
    "\u00a0",
    "' OR 1=1 --",
    "../../etc/passwd",
    "{{ 7|add:7 }}{% debug %}",
    "%00",
    "😀",
    "\u200b",  # zero-width space
    *(unicodedata.normalize("NFD", name) for name in VIETNAMESE_NAMES),
    *(name[:3] + unicodedata.normalize("NFD", name[3:]) for name in VIETNAMESE_NAMES),  # mixed NFC/NFD
]

BAD_DATES = ["0000-00-00", "2019-02-30", "31/02/2019", "10000-01-01", "-1", "1e9", "NaN", "2019-13-01",
             "0001-01-01", "9999-12-31", "1899-12-31", "2019-04-23\x00", "23/04/2019'--", "yesterday", "[]"]
BAD_NUMBERS = ["-1", "0", "1.5", "1e309", "NaN", "99999999999999999999999", "0x10", "١٢٣", "", " ", "1\x00",
               "[]", "{}", "null", "true"]


def _with_control(text: str) -> str:
    return text[: len(text) // 2] + "\x00" + text[len(text) // 2:]


def hostile_text(*, must_reject: bool = False, multiline: bool = False) -> st.SearchStrategy[str]:
    """Strings a form meets from a hostile or careless user.

    must_reject=True draws only values every text field must refuse (NUL and other control
    characters, bidi overrides, markup, spreadsheet formulas, very long strings; for single-line
    fields also tabs and line breaks); otherwise random Unicode (control characters included),
    NFD and mixed-normalisation names and other oddities too.
    """
    control = st.characters(codec="utf-8", categories=["Cc"]).filter(lambda ch: ch not in "\t\n\r")
    samples = REJECTED_TEXT if multiline else REJECTED_TEXT + REJECTED_SINGLE_LINE
    rejected = st.one_of(
        st.sampled_from(samples),
        st.builds(lambda a, c, b: a + c + b, st.sampled_from(VIETNAMESE_NAMES), control, st.text(max_size=5)),
        st.text(min_size=1, max_size=20).map(_with_control),
        st.integers(min_value=10_001, max_value=20_000).map(lambda n: ("Đắk " * (n // 4 + 1))[:n]),
        st.sampled_from(["<b>", "<script>", "<svg/onload=alert(1)>", "</p>"]).flatmap(
            lambda tag: st.text(max_size=10).map(lambda t: t + tag)),
        *([] if multiline else [st.sampled_from(["=", "@", "+x", "-x"]).flatmap(
            lambda head: st.text(max_size=20).map(lambda t: head + t))]),
    )
    if must_reject:
        return rejected
    return st.one_of(rejected, st.sampled_from(ODD_TEXT), st.text(alphabet=st.characters(codec="utf-8"),
                                                                  max_size=200))


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(BAD_DATES), st.text(max_size=12), st.integers().map(str))


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(BAD_NUMBERS), st.integers().map(str), st.floats().map(str),
                     st.text(max_size=10))


def hostile_value() -> st.SearchStrategy:
    """Anything at all for a field: text, dates, numbers, or several values where one is expected (wrong type)."""
    single = st.one_of(hostile_text(), hostile_date(), hostile_number())
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


def project_row_count() -> int:
    """Rows in every table of the project's apps (history included): "nothing written" means this did not move.
    One query (a sum of counts), since the fuzz asks it a thousand times. The access log is left out: it is
    meant to record every attempt, refused ones included."""
    from django.db import connection

    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True)
              if m._meta.app_label in PROJECT_APPS and m._meta.label != "personnel.AccessEvent"]
    counts = " + ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()[0]


ERROR_MARKERS = ('class="errorlist', 'class="errornote', 'role="alert"', 'class="error', "is-invalid")


def assert_never_a_server_error(testcase, response, context: str = "") -> None:
    testcase.assertLess(response.status_code, 500, f"server error {context}")


def assert_form_rejects_cleanly(testcase, client, url: str, *, valid_data: dict, field: str, value,
                                method: str = "post") -> None:
    """Submit `valid_data` with `field` set to `value`: a re-shown form with a message, and nothing written."""
    data = {**valid_data, field: value}
    before = project_row_count()
    response = getattr(client, method)(url, data)
    context = f"{url} {field}={value!r:.80}"
    assert_never_a_server_error(testcase, response, context)
    testcase.assertFalse(response.status_code == 302 and "login" in response.get("Location", ""),
                         "the client is not logged in (hypothesis gives each example a fresh client)")
    testcase.assertEqual(response.status_code, 200, f"the value was not refused: {context}")
    body = response.content.decode("utf-8", "replace")
    testcase.assertTrue(any(marker in body for marker in ERROR_MARKERS), f"no error message shown: {context}")
    testcase.assertEqual(project_row_count(), before, f"something was written: {context}")


def assert_form_survives(testcase, client, url: str, *, valid_data: dict, field: str, value) -> bool:
    """Submit with any value: never a 5xx; if refused (200), a message is shown and nothing is written.
    Returns whether something was written (an accepted submission)."""
    before = project_row_count()
    response = client.post(url, {**valid_data, field: value})
    context = f"{url} {field}={value!r:.80}"
    assert_never_a_server_error(testcase, response, context)
    written = project_row_count() != before
    if response.status_code == 200:
        body = response.content.decode("utf-8", "replace")
        testcase.assertTrue(any(marker in body for marker in ERROR_MARKERS), f"refused without a message: {context}")
        testcase.assertFalse(written, f"refused but written: {context}")
    return written
