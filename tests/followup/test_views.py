"""The follow-up pages: who sees and changes what, the list's filters, its exports, the forms' messages, and
flat query counts on the list, an entry's page and the commune page."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from followup.models import LogEntry, StateChange
from followup.services import entry_change_state
from tests.base import D, InEnglish
from tests.followup.base import FollowupTestCase
from tests.web.helpers import count_queries
from tests.web.test_export import csv_lines, csv_table

DAY = D(2019, 4, 23)


class FollowupPageTests(InEnglish, FollowupTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.in_a = cls.record(cls.commune_a1, D(2019, 2, 1), visitor="Đại tá Lê Văn Thanh <b>Giám đốc</b>")
        cls.in_b = cls.record(cls.commune_b1, D(2019, 3, 1), unit=cls.department, visitor="=HYPERLINK(\"http://x\")",
                              due_on=D(2019, 4, 1))
        entry_change_state(entry=cls.in_b, state="done", on=D(2019, 4, 10))

    def list_url(self, **params):
        return reverse("followup:entries") + "?" + "&".join(f"{k}={v}" for k, v in {"as_of": DAY.isoformat(), **params}.items())

    def codes(self, response) -> set[int]:
        return {row.commune_id for row in response.context["table"].data}

    def test_anonymous_users_are_sent_to_the_login_page(self):
        for url in (self.list_url(), reverse("followup:entry", args=[self.in_a.pk]), reverse("followup:entry_add")):
            with self.subTest(url=url):
                self.assertIn("/accounts/login/", self.client.get(url).headers["Location"])

    def test_a_viewer_reads_the_list_and_an_entry_but_cannot_write(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.codes(self.client.get(self.list_url())), {self.commune_a1.pk, self.commune_b1.pk})
        self.assertEqual(self.client.get(reverse("followup:entry", args=[self.in_a.pk])).status_code, 200)
        for name in ("followup:entry_add", "followup:support_add"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.assertEqual(self.client.post(reverse("followup:entry_state", args=[self.in_a.pk]),
                                          {"state": "done", "on": "01/03/2019"}).status_code, 403)
        self.assertEqual(StateChange.objects.filter(entry=self.in_a).count(), 1)

    def test_a_district_editor_sees_and_changes_only_their_districts_communes(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.codes(self.client.get(self.list_url())), {self.commune_a1.pk})
        for name in ("followup:entry", "followup:entry_edit", "followup:entry_state"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name, args=[self.in_b.pk])).status_code, 404)
                self.assertEqual(self.client.post(reverse(name, args=[self.in_b.pk]), {"state": "open"}).status_code, 404)
        response = self.client.post(reverse("followup:entry_add"), self.form_data(commune=self.commune_b1.pk))
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(LogEntry.objects.count(), 2)
        response = self.client.post(reverse("followup:entry_add"), self.form_data(commune=self.commune_a2.pk))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(LogEntry.objects.filter(commune=self.commune_a2).count(), 1)

    def form_data(self, **fields):
        return {"commune": self.commune_a1.pk, "day": "05/02/2019", "kind": "visit", "visitor": "Thượng tá Trần Hòa",
                "unit": self.department.pk, "findings": "Chưa có máy tính.", "requests": "Trang bị máy tính.",
                "action": "Cấp 01 máy tính", "due_on": "01/03/2019", "responsible": "Phòng Hậu cần", **fields}

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self):
        self.client.force_login(self.admin)
        cases = [({"due_on": "01/01/2019"}, "due on or after the day of the visit or report (05/02/2019)"),
                 ({"day": "31/02/2019"}, "is not a day of the calendar"),
                 ({"visitor": "=SUM(A1)"}, ""), ({"findings": ""}, "This field is required")]
        for fields, text in cases:
            with self.subTest(fields=fields):
                response = self.client.post(reverse("followup:entry_add"), self.form_data(**fields))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Nothing was saved")
                if text:
                    self.assertContains(response, text)
        self.assertEqual(LogEntry.objects.count(), 2)
        response = self.client.post(reverse("followup:entry_state", args=[self.in_a.pk]), {"state": "done", "on": "31/01/2019"})
        self.assertContains(response, "on or after the day of the visit or report (01/02/2019)")
        self.assertEqual(StateChange.objects.filter(entry=self.in_a).count(), 1)

    def test_a_state_change_and_a_correction_through_the_forms(self):
        self.client.force_login(self.admin)
        response = self.client.post(reverse("followup:entry_state", args=[self.in_a.pk]),
                                    {"state": "in_progress", "on": "10/02/2019", "note": "Đã có văn bản"})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(reverse("followup:entry_edit", args=[self.in_a.pk]),
                                    self.form_data(day="03/02/2019", due_on=""))
        self.assertEqual(response.status_code, 302)
        self.in_a.refresh_from_db()
        self.assertEqual(list(self.in_a.states.values_list("on", "state")),
                         [(D(2019, 2, 3), "open"), (D(2019, 2, 10), "in_progress")])

    def test_names_and_free_text_are_escaped_on_the_pages(self):
        self.client.force_login(self.admin)
        for url in (self.list_url(), reverse("followup:entry", args=[self.in_a.pk]),
                    reverse("commune_detail", args=[self.commune_a1.code]) + f"?as_of={DAY}"):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn("&lt;b&gt;Giám đốc&lt;/b&gt;", html)
                self.assertNotIn("<b>Giám đốc</b>", html)

    def test_the_commune_page_lists_its_entries_with_the_state_of_its_day(self):
        self.client.force_login(self.viewer)
        url = reverse("commune_detail", args=[self.commune_b1.code])
        self.assertContains(self.client.get(url, {"as_of": "2019-04-09"}), '<span class="tag gap">To be done</span>', html=False)
        self.assertContains(self.client.get(url, {"as_of": "2019-04-10"}), '<span class="tag">Done</span>', html=False)
        self.assertNotContains(self.client.get(url, {"as_of": "2019-02-28"}), "HYPERLINK")

    def test_the_filters_narrow_by_district_unit_and_state_on_the_day(self):
        self.client.force_login(self.admin)
        cases = [({"district": self.district_a.code}, {self.commune_a1.pk}),
                 ({"unit": self.department.pk}, {self.commune_b1.pk}),
                 ({"state": "done"}, {self.commune_b1.pk}),
                 ({"state": "pending"}, {self.commune_a1.pk}),
                 ({"state": "pending", "as_of": "2019-04-09"}, {self.commune_a1.pk, self.commune_b1.pk}),
                 ({"overdue": "yes", "as_of": "2019-04-09"}, {self.commune_a1.pk, self.commune_b1.pk}),
                 ({"as_of": "2019-02-15"}, {self.commune_a1.pk})]
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(self.codes(self.client.get(self.list_url(**params))), expected)

    def test_after_the_reorganisation_a_district_filter_means_the_communes_that_came_from_it(self):
        from communes.models import Commune

        self.district_a.abolished_on = D(2025, 7, 1)
        self.district_a.save()
        new = Commune.objects.create(code=90011, name="Xã Đắk Pét Mới", province=self.province,
                                     former_district=self.district_a, established_on=D(2025, 7, 1))
        self.record(new, D(2025, 8, 1), due_on=None)
        self.client.force_login(self.editor)  # the district editor's scope follows the lineage too
        rows = self.codes(self.client.get(self.list_url(as_of="2025-09-01", district=self.district_a.code)))
        self.assertEqual(rows, {self.commune_a1.pk, new.pk})
        self.client.force_login(self.admin)
        rows = self.codes(self.client.get(self.list_url(as_of="2025-09-01", district=self.district_b.code)))
        self.assertEqual(rows, {self.commune_b1.pk})

    def test_the_exports_carry_the_filtered_rows_with_formulas_neutralised(self):
        self.client.force_login(self.admin)
        table, notes = csv_table(csv_lines(self.client.get(self.list_url(export="csv", unit=self.department.pk))))
        self.assertEqual(len(table), 2)
        self.assertIn("'=HYPERLINK(\"http://x\")", table[1])
        self.assertIn("Done", table[1])
        self.assertIn("01/03/2019", table[1])
        response = self.client.get(self.list_url(export="xlsx"))
        self.assertIn("theo-doi-xa", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        cells = [c.value for row in sheet.iter_rows() for c in row]
        self.assertIn("'=HYPERLINK(\"http://x\")", cells)
        self.assertNotIn("=HYPERLINK(\"http://x\")", cells)

    def test_the_pages_run_the_same_number_of_queries_with_more_entries(self):
        self.client.force_login(self.admin)
        urls = [self.list_url(), self.list_url(export="csv"), reverse("commune_detail", args=[self.commune_a1.code]) + f"?as_of={DAY}",
                reverse("district_detail", args=[self.district_a.code]) + f"?as_of={DAY}",
                reverse("followup:entry", args=[self.in_a.pk]) + f"?as_of={DAY}"]
        before = [count_queries(self.client, url) for url in urls]
        from personnel.support import support_assign

        for i in range(6):
            entry = self.record(self.commune_a1, D(2019, 2, 2 + i), unit=self.department if i % 2 else self.leadership)
            entry_change_state(entry=entry, state="in_progress", on=D(2019, 3, 1))
        for i in range(3):
            entry_change_state(entry=self.in_a, state=["in_progress", "open", "in_progress"][i], on=D(2019, 2, 10 + i))
        support_assign(unit=self.department, commune=self.commune_a1, start=D(2018, 10, 12))
        support_assign(unit=self.leadership, commune=self.commune_a2, start=D(2018, 10, 12))
        after = [count_queries(self.client, url) for url in urls]
        self.assertEqual(after, before)
