"""The facilities screens: who may open each, the table and its exports, the commune page, the dashboard's
gaps and the pilot review's section; query counts flat."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from communes.models import District, Province
from facilities import services
from facilities.choices import HeadquartersState as S
from tests.base import D, InEnglish
from tests.facilities.helpers import FacilitiesTestCase
from tests.reports.helpers import pdf_pages
from tests.web.helpers import count_queries

LOGIN, FORBIDDEN, NOT_FOUND, OK = "login", "403", "404", "200"


class AccessTests(FacilitiesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other = Province.objects.create(code=9002, name="Tỉnh Khác")
        cls.other_commune = District.objects.create(code=9201, name="Huyện Khác", province=other).communes.create(
            code=90101, name="Xã Khác", province=other)

    def outcome(self, response) -> str:
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            return LOGIN
        return str(response.status_code)

    def test_every_url_of_the_facilities_screens_answers_each_role_as_it_should(self):
        users = {"anonymous": None, "viewer": self.viewer, "district_editor": self.editor, "province_admin": self.admin,
                 "national_admin": self.national_admin}
        a1, b1, out = self.commune_a1.code, self.commune_b1.code, self.other_commune.code
        # url -> expected outcome per role (anonymous, viewer, district editor, province admin, national admin)
        matrix = {
            reverse("facilities:list"): (LOGIN, OK, OK, OK, OK),
            reverse("facilities:norms"): (LOGIN, OK, OK, OK, OK),
            reverse("facilities:norm_set"): (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
            reverse("facilities:item_add"): (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
            reverse("facilities:import"): (LOGIN, FORBIDDEN, OK, OK, OK),
            reverse("facilities:import_template", args=["xlsx"]): (LOGIN, FORBIDDEN, OK, OK, OK),
            reverse("facilities:headquarters_add", args=[a1]): (LOGIN, FORBIDDEN, OK, OK, OK),
            reverse("facilities:equipment_add", args=[a1]): (LOGIN, FORBIDDEN, OK, OK, OK),
            # another district's commune: not the district editor's; another province's: only the nation's
            reverse("facilities:headquarters_add", args=[b1]): (LOGIN, FORBIDDEN, NOT_FOUND, OK, OK),
            reverse("facilities:equipment_add", args=[out]): (LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, OK),
        }
        from django.urls import get_resolver

        names = {p.name for p in get_resolver().namespace_dict["facilities"][1].url_patterns}
        self.assertEqual(names, {"list", "norms", "norm_set", "item_add", "import", "import_template",
                                 "headquarters_add", "equipment_add"})
        for index, (role, user) in enumerate(users.items()):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for url, expected in matrix.items():
                with self.subTest(role=role, url=url):
                    self.assertEqual(self.outcome(self.client.get(url)), expected[index])
                    if expected[index] != OK:
                        self.assertEqual(self.outcome(self.client.post(url, {})), expected[index])

    def test_a_refused_post_writes_nothing(self):
        self.client.force_login(self.editor)
        self.client.post(reverse("facilities:headquarters_add", args=[self.commune_b1.code]),
                         {"effective_on": "01/02/2019", "state": S.OWN})
        self.assertFalse(self.commune_b1.headquarters_records.exists())


class ScreensTests(InEnglish, FacilitiesTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        services.headquarters_record(commune=cls.commune_a1, on=D(2019, 1, 10), state=S.BORROWED,
                                     note='=HYPERLINK("http://x") <script>alert(1)</script>')
        services.headquarters_record(commune=cls.commune_b1, on=D(2019, 1, 10), state=S.OWN)
        services.equipment_count_record(commune=cls.commune_b1, item=cls.motorbike, on=D(2019, 1, 10), quantity=2)
        services.equipment_count_record(commune=cls.commune_b1, item=cls.computer, on=D(2019, 1, 10), quantity=1)

    def test_the_form_records_a_state_and_refuses_a_bad_one_with_its_message(self):
        self.client.force_login(self.editor)
        url = reverse("facilities:headquarters_add", args=[self.commune_a1.code]) + "?as_of=2019-05-01"
        response = self.client.post(url, {"effective_on": "01/05/2019", "state": S.UNDER_CONSTRUCTION,
                                          "construction_start": "01/05/2019", "completion_date": "01/04/2019"})
        self.assertContains(response, "completed on or after the day its works started (01/05/2019)")
        self.assertEqual(self.commune_a1.headquarters_records.count(), 1)
        response = self.client.post(url, {"effective_on": "01/05/2019", "state": S.UNDER_CONSTRUCTION,
                                          "construction_start": "01/05/2019", "completion_date": "01/04/2020",
                                          "floor_area": "220.5", "cost": "3000000000", "funding": "central"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.commune_a1.headquarters_records.count(), 2)

    def test_the_count_form_refuses_a_negative_count(self):
        self.client.force_login(self.editor)
        url = reverse("facilities:equipment_add", args=[self.commune_a1.code])
        response = self.client.post(url, {"item": self.motorbike.pk, "effective_on": "01/05/2019", "quantity": "-3"})
        self.assertContains(response, "A count of equipment is 0 or more.")
        self.assertFalse(self.commune_a1.equipment_counts.exists())

    def test_a_province_admin_sets_a_norm(self):
        self.client.force_login(self.admin)
        response = self.client.post(reverse("facilities:norm_set"), {"item": self.computer.pk, "effective_on": "01/01/2020",
                                                                     "quantity": "2", "decision": "QĐ 1"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("facilities:norms"), {"as_of": "2020-02-01"})
        self.assertContains(page, "QĐ 1")

    def test_the_table_lists_the_communes_of_the_day_filtered_by_state_district_and_gap(self):
        self.client.force_login(self.admin)
        url = reverse("facilities:list")
        page = self.client.get(url, {"as_of": "2019-05-01"})
        self.assertContains(page, "Xã Đắk Pét")
        self.assertNotContains(page, "<script>alert(1)</script>")
        rows = page.context["table"].rows
        self.assertEqual(len(rows), 4)
        own = self.client.get(url, {"as_of": "2019-05-01", "state": S.OWN}).context["table"].rows
        self.assertEqual([r.record.commune.pk for r in own], [self.commune_b1.pk])
        gaps = self.client.get(url, {"as_of": "2019-05-01", "gap": "no_own_headquarters"}).context["table"].rows
        self.assertEqual([r.record.commune.pk for r in gaps], [self.commune_a1.pk])
        district = self.client.get(url, {"as_of": "2019-05-01", "district": self.district_b.code}).context["table"].rows
        self.assertEqual({r.record.commune.pk for r in district}, {self.commune_b1.pk, self.ward_b2.pk})

    def test_a_district_editor_sees_their_districts_only(self):
        self.client.force_login(self.editor)
        rows = self.client.get(reverse("facilities:list"), {"as_of": "2019-05-01"}).context["table"].rows
        self.assertEqual({r.record.commune.district_id for r in rows}, {self.district_a.pk})

    def test_the_exports_neutralise_formulas_and_carry_every_row(self):
        self.client.force_login(self.admin)
        services.headquarters_record(commune=self.ward_b2, on=D(2019, 1, 10), state=S.TEMPORARY)
        self.commune_a2.name = "=cmd|' /C calc'!A0"
        self.commune_a2.save()
        response = self.client.get(reverse("facilities:list"), {"as_of": "2019-05-01", "export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertIn("'=cmd|' /C calc'!A0", [r[0] for r in rows if r])
        table = rows[1:rows.index([])]
        self.assertEqual(len(table), 4)
        xlsx = self.client.get(reverse("facilities:list"), {"as_of": "2019-05-01", "export": "xlsx"})
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        self.assertIn("'=cmd|' /C calc'!A0", [c.value for c in sheet["A"]])

    def test_the_table_runs_the_same_queries_for_any_number_of_rows(self):
        self.client.force_login(self.admin)
        url = reverse("facilities:list") + "?as_of=2020-01-01"
        before = count_queries(self.client, url)
        for commune in (self.commune_a1, self.commune_a2, self.commune_b1, self.ward_b2):
            for year in (2019, 2019.5):
                day = D(2019, 6, 1) if year == 2019 else D(2019, 9, 1)
                services.headquarters_record(commune=commune, on=day, state=S.TEMPORARY)
                services.equipment_count_record(commune=commune, item=self.computer, on=day, quantity=1)
        self.assertEqual(count_queries(self.client, url), before)

    def test_the_commune_page_shows_its_facilities_and_history_in_flat_queries(self):
        self.client.force_login(self.admin)
        url = reverse("commune_detail", args=[self.commune_b1.code]) + "?as_of=2019-05-01"
        page = self.client.get(url)
        self.assertContains(page, 'id="headquarters-history"')
        self.assertContains(page, "Own headquarters")
        before = count_queries(self.client, url)
        for day in (D(2019, 2, 1), D(2019, 3, 1)):
            services.equipment_count_record(commune=self.commune_b1, item=self.motorbike, on=day, quantity=2)
            services.headquarters_record(commune=self.commune_b1, on=day, state=S.OWN)
        self.assertEqual(count_queries(self.client, url), before)

    def test_the_dashboard_lists_facilities_gaps_beside_the_plans_gaps(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("dashboard"), {"as_of": "2019-05-01"})
        labels = {row.commune.pk: labels for row, labels in response.context["gap_rows"]}
        self.assertIn("no own headquarters", labels[self.commune_a1.pk])
        self.assertNotIn("no own headquarters", labels.get(self.commune_b1.pk, []))

    def test_the_pilot_review_pdf_has_the_facilities_section(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("reports:pilot_review_pdf"), {"as_of": "2019-05-01",
                                                                          "province": self.province.code})
        text = "\n".join(pdf_pages(response.content))
        # The document is in Vietnamese whatever the interface language.
        self.assertIn("V. CƠ SỞ VẬT CHẤT CỦA CÔNG AN XÃ", text)
        self.assertRegex(text, r"Có trụ sở riêng\s+1")
        self.assertRegex(text, r"Mượn trụ sở\s+1")
        self.assertIn("1 xã chưa có trụ sở riêng", text)
        self.assertRegex(text, r"Xã Đắk Pét\s+Đắk Glei Thử\s+Mượn trụ sở")
        self.assertRegex(text, r"Xã Đắk Pét\s+Đắk Glei Thử\s+Xe mô tô 0/2; Máy vi tính 0/1")
