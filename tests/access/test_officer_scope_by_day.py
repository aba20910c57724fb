"""An officer is in a user's area on a day when their home unit is there or they hold a posting there
that day; an editor changes only officers in their area today (issue 15, finding 3)."""

from __future__ import annotations

from django.urls import reverse

from kontum_posts.lib.asof import today
from personnel.access import scoped
from personnel.models import Officer
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting


class OfficerScopeByDayTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Served in the editor's district A in 2019, serves in district B since 2020.
        cls.moved = make_officer("Nguyễn Văn Đi", service_number="MOVED1")
        make_posting(cls.moved, cls.commune_a1, D(2019, 1, 1), D(2019, 12, 31))
        cls.now_b = make_posting(cls.moved, cls.commune_b1, D(2020, 1, 1))
        cls.now_b.note = "ghi chú bí mật"
        cls.now_b.save()
        cls.here = make_officer("Trần Văn Ở", service_number="HERE1")
        make_posting(cls.here, cls.commune_a2, D(2019, 1, 1))

    def test_the_scope_of_a_day_holds_officers_posted_in_the_area_that_day(self):
        self.assertEqual(set(scoped(Officer.objects.all(), self.editor)), {self.here})
        self.assertEqual(set(scoped(Officer.objects.all(), self.editor, on=D(2019, 6, 1))), {self.moved, self.here})
        self.assertEqual(set(Officer.objects.for_user(self.editor, on=today())), {self.here})

    def test_an_editor_cannot_open_or_change_an_officer_now_serving_elsewhere(self):
        self.client.force_login(self.editor)
        for name in ("manage:officer", "manage:officer_edit"):
            self.assertEqual(self.client.get(reverse(name, args=[self.moved.pk])).status_code, 404, name)
        response = self.client.post(reverse("manage:officer_edit", args=[self.moved.pk]), {
            "full_name": "Đổi Tên", "service_number": "MOVED1", "gender": "m", "rank": "24_dai_uy", "status": "serving"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Officer.objects.get(pk=self.moved.pk).full_name, "Nguyễn Văn Đi")
        self.assertEqual(self.client.get(reverse("manage:history", args=["officer", self.moved.pk])).status_code, 404)

    def test_an_editor_reads_nothing_of_them_today_by_list_export_or_search(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("officer_list"), {"q": "MOVED1", "export": "csv"})
        # The table's rows, not the notes under it (which repeat the filter the user typed).
        export = b"".join(response.streaming_content).decode().split("\r\n\r\n")[0]
        self.assertNotIn("MOVED1", export)
        self.assertNotIn("Nguyễn Văn Đi", self.client.get(reverse("search"), {"q": "MOVED1"}).content.decode())
        self.assertEqual(self.client.get(reverse("officer_detail", args=[self.moved.pk])).status_code, 404)

    def test_the_history_pages_of_a_past_day_still_show_who_served_then(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("officer_detail", args=[self.moved.pk]), {"as_of": "2019-06-01"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "ghi chú bí mật")
        listing = self.client.get(reverse("officer_list"), {"as_of": "2019-06-01"}).content.decode()
        self.assertIn("Nguyễn Văn Đi", listing)
