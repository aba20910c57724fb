"""The pipeline's pages and forms: who sees and changes what, the forms end to end with their refusals, the
exports (escaped), query counts that stay flat, and the dashboard gaps' ready officers."""

from __future__ import annotations

import csv
import html
import io
import re

from django.urls import reverse

from communes.models import Commune
from pipeline.choices import Result
from pipeline.models import Candidate, Course, Enrolment
from pipeline.selectors import ready_for_gap
from tests.base import D, InEnglish, make_officer
from tests.pipeline.base import PipelineTestCase, candidate, enrol
from tests.web.helpers import count_queries

DAY = "as_of=2019-04-23"


class PipelineAccessTests(PipelineTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = candidate("Nguyễn Văn Ánh", unit=cls.police_a)  # district A: the editor's
        cls.theirs = candidate("Trần Văn Bảo", unit=cls.police_b)
        cls.enrolment = enrol(cls.theirs, cls.course)

    def test_anonymous_users_are_sent_to_the_login_page(self):
        for url in ("/pipeline/", "/pipeline/candidates/", f"/pipeline/courses/{self.course.pk}/",
                    f"/pipeline/candidates/{self.mine.pk}/", "/pipeline/candidates/add/", "/pipeline/courses/add/",
                    f"/pipeline/candidates/{self.mine.pk}/ready/", f"/pipeline/candidates/{self.mine.pk}/drop/",
                    f"/pipeline/courses/{self.course.pk}/enrol/", f"/pipeline/enrolments/{self.enrolment.pk}/result/"):
            with self.subTest(url=url):
                self.assertIn("/accounts/login/", self.client.get(url).headers["Location"])

    def test_a_viewer_reads_every_page_and_changes_nothing(self):
        self.client.force_login(self.viewer)
        for url in ("/pipeline/", "/pipeline/candidates/", f"/pipeline/candidates/{self.mine.pk}/",
                    f"/pipeline/courses/{self.course.pk}/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(f"{url}?{DAY}").status_code, 200)
        for url in ("/pipeline/candidates/add/", "/pipeline/courses/add/", f"/pipeline/candidates/{self.mine.pk}/ready/",
                    f"/pipeline/candidates/{self.mine.pk}/drop/", f"/pipeline/courses/{self.course.pk}/enrol/",
                    f"/pipeline/enrolments/{self.enrolment.pk}/result/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {"ready_on": "01/04/2019"}).status_code, 403)
        self.mine.refresh_from_db()
        self.assertIsNone(self.mine.ready_on)

    def test_a_district_editor_sees_and_changes_only_their_districts_candidates(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(f"/pipeline/candidates/{self.theirs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/pipeline/candidates/{self.theirs.pk}/ready/").status_code, 404)
        self.assertEqual(self.client.get(f"/pipeline/enrolments/{self.enrolment.pk}/result/").status_code, 404)
        self.assertEqual(self.client.get(f"/pipeline/candidates/{self.mine.pk}/ready/").status_code, 200)
        self.assertEqual(self.client.get("/pipeline/courses/add/").status_code, 403)  # the province's courses
        listed = self.client.get(f"/pipeline/candidates/?{DAY}").content.decode()
        self.assertIn("Nguyễn Văn Ánh", listed)
        self.assertNotIn("Trần Văn Bảo", listed)
        course_page = self.client.get(f"/pipeline/courses/{self.course.pk}/?{DAY}").content.decode()
        self.assertNotIn("Trần Văn Bảo", course_page)

    def test_a_district_editor_cannot_select_for_the_province_or_another_district(self):
        self.client.force_login(self.editor)
        officer = make_officer("Lê Văn Cường", home_unit=self.police_a)
        response = self.client.post("/pipeline/candidates/add/", {
            "officer": officer.pk, "selected_by": self.department.pk, "selected_on": "02/01/2019"})
        self.assertEqual(response.status_code, 200)
        response = self.client.post("/pipeline/candidates/add/", {
            "officer": officer.pk, "selected_by": self.police_b.pk, "selected_on": "02/01/2019"})
        self.assertContains(response, "form-errors")
        self.assertFalse(Candidate.objects.filter(officer=officer).exists())

    def test_another_provinces_records_are_not_found(self):
        from communes.models import Province
        from personnel.choices import UnitKind
        from personnel.models import Unit

        other = Province.objects.create(code=9003, name="Tỉnh Khác")
        unit = Unit.objects.create(province=other, name="Phòng Khác", kind=UnitKind.DEPARTMENT)
        far = candidate("Đỗ Văn Xa", unit=unit)
        course = Course.objects.create(province=other, name="Lớp khác", place="P", start_date=D(2019, 1, 1),
                                       end_date=D(2019, 1, 9), organiser=unit)
        self.client.force_login(self.admin)
        for url in (f"/pipeline/candidates/{far.pk}/", f"/pipeline/candidates/{far.pk}/ready/",
                    f"/pipeline/courses/{course.pk}/", f"/pipeline/courses/{course.pk}/enrol/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class PipelineFormTests(InEnglish, PipelineTestCase):
    def test_an_administrator_runs_the_pipeline_through_the_forms(self):
        self.client.force_login(self.admin)
        officer = make_officer("Phan Văn Dũng", home_unit=self.police_b)
        response = self.client.post("/pipeline/candidates/add/", {
            "officer": officer.pk, "selected_by": self.police_b.pk, "selected_on": "10/12/2018",
            "decision_number": "41/QĐ-CAH", "decision_date": "10/12/2018"})
        c = Candidate.objects.get(officer=officer)
        self.assertRedirects(response, reverse("pipeline:candidate", args=[c.pk]))
        self.assertEqual(c.district, self.district_b)
        response = self.client.post("/pipeline/courses/add/", {
            "name": "Lớp khóa II", "place": "Trung tâm", "start_date": "15/04/2019", "end_date": "31/05/2019",
            "organiser": self.department.pk})
        course = Course.objects.get(name="Lớp khóa II")
        self.assertRedirects(response, reverse("pipeline:course", args=[course.pk]))
        self.assertRedirects(self.client.post(f"/pipeline/courses/{course.pk}/enrol/", {"candidate": c.pk}),
                             reverse("pipeline:course", args=[course.pk]))
        enrolment = Enrolment.objects.get(candidate=c, course=course)
        response = self.client.post(f"/pipeline/enrolments/{enrolment.pk}/result/", {"result": "passed", "result_on": "30/05/2019"})
        self.assertContains(response, "Nothing was saved")
        self.assertContains(response, "on or after the course&#x27;s last day (31/05/2019)")
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.result, "")
        self.client.post(f"/pipeline/enrolments/{enrolment.pk}/result/", {"result": "passed", "result_on": "31/05/2019"})
        enrolment.refresh_from_db()
        self.assertEqual((enrolment.result, enrolment.result_on), (Result.PASSED, D(2019, 5, 31)))
        page = self.client.get(f"/pipeline/candidates/{c.pk}/?as_of=2019-06-01")
        self.assertContains(page, "Trained, waiting for a post")
        self.assertContains(page, "ready since 31/05/2019")
        self.client.post(f"/pipeline/candidates/{c.pk}/drop/", {"dropped_on": "01/07/2019", "drop_reason": "Chuyển công tác"})
        c.refresh_from_db()
        self.assertEqual(c.dropped_on, D(2019, 7, 1))

    def test_bad_input_gets_a_message_and_changes_nothing(self):
        self.client.force_login(self.admin)
        c = candidate("Võ Văn Em", unit=self.police_a)
        response = self.client.post(f"/pipeline/candidates/{c.pk}/ready/", {"ready_on": "31/02/2019"})
        self.assertContains(response, "31/02/2019 is not a day of the calendar")
        response = self.client.post(f"/pipeline/candidates/{c.pk}/ready/", {"ready_on": "01/12/2018"})
        self.assertContains(response, "Ready for posting is dated on or after the selection (10/12/2018)")
        response = self.client.post(f"/pipeline/candidates/{c.pk}/drop/", {"dropped_on": "01/01/2019", "drop_reason": "=cmd()"})
        self.assertContains(response, "form-errors")
        c.refresh_from_db()
        self.assertEqual((c.ready_on, c.dropped_on), (None, None))

    def test_names_are_escaped_on_the_pages(self):
        self.client.force_login(self.admin)
        c = candidate("Nguyễn <b>Văn</b> Gấm", unit=self.police_a)
        page = self.client.get(f"/pipeline/candidates/?{DAY}").content.decode()
        self.assertNotIn("<b>Văn</b>", page)
        self.assertNotIn("<b>Văn</b>", self.client.get(f"/pipeline/candidates/{c.pk}/").content.decode())


class PipelineListTests(InEnglish, PipelineTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ready = [candidate(f"Cán Bộ Chờ {i}", unit=cls.police_a, decision_number="=1+1") for i in range(2)]
        for c in cls.ready:
            enrol(c, cls.course, Result.PASSED, D(2019, 3, 15))
        cls.selected = candidate("Cán Bộ Mới", unit=cls.police_b)

    def test_the_overview_counts_each_stage_per_district(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/pipeline/?{DAY}")
        groups = {row.label: dict(row.counts) for row in response.context["groups"]}
        self.assertEqual(groups[self.district_a.name], {"ready": 2})
        self.assertEqual(groups[self.district_b.name], {"selected": 1})
        self.assertEqual(response.context["total"].total, 3)

    def test_the_waiting_list_filters_by_stage_and_district_and_exports_escaped(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/pipeline/candidates/?{DAY}&stage=ready&district={self.district_a.code}")
        self.assertEqual(response.context["table"].paginator.count, 2)
        self.assertContains(response, "Lớp bồi dưỡng khóa I")
        export = self.client.get(f"/pipeline/candidates/?{DAY}&stage=ready&export=csv")
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
        self.assertIn("Course passed", rows[0])
        self.assertEqual(sum(1 for r in rows[1:] if r and r[0].startswith("Cán Bộ Chờ")), 2)
        self.assertTrue(all(r[-1] == "'=1+1" for r in rows[1:3]))
        self.assertIn("15/03/2019", rows[1])
        xlsx = self.client.get(f"/pipeline/candidates/?{DAY}&export=xlsx")
        self.assertEqual(xlsx.status_code, 200)
        self.assertIn("nguon-can-bo", xlsx.headers["Content-Disposition"])

    def test_the_table_sorts_by_every_sortable_column(self):
        from pipeline.web.tables import CandidateTable

        self.client.force_login(self.admin)
        for name, column in CandidateTable.base_columns.items():
            if column.orderable is False:
                continue
            for sort in (name, f"-{name}"):
                with self.subTest(sort=sort):
                    response = self.client.get(f"/pipeline/candidates/?{DAY}&sort={sort}")
                    self.assertEqual(response.context["table"].paginator.count, 3)

    def test_query_counts_stay_flat_as_candidates_grow(self):
        self.client.force_login(self.admin)
        urls = (f"/pipeline/?{DAY}", f"/pipeline/candidates/?{DAY}", f"/pipeline/courses/{self.course.pk}/?{DAY}",
                f"/pipeline/candidates/{self.ready[0].pk}/?{DAY}")
        before = [count_queries(self.client, url) for url in urls]
        for i in range(6):
            c = candidate(f"Cán Bộ Thêm {i}", unit=self.police_a if i % 2 else self.police_b)
            enrol(c, self.course, Result.PASSED if i % 3 else "", D(2019, 3, 15) if i % 3 else None)
        self.assertEqual([count_queries(self.client, url) for url in urls], before)

    def test_each_dashboard_gap_shows_the_ready_officers_of_its_district(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/?{DAY}")
        ready = {row.commune.code: row.commune.ready_waiting for row, _labels in response.context["gap_rows"]}
        self.assertEqual(ready, {self.commune_a1.code: 2, self.commune_a2.code: 2, self.commune_b1.code: 0})
        # Each count links to its list, which has as many rows (one definition: pipeline/stages.py).
        page = response.content.decode()
        link = re.search(r'class="num ready-to-fill"><a href="([^"]+)">(\d+)</a>', page)
        listed = self.client.get(html.unescape(link.group(1))).context["table"].paginator.count
        self.assertEqual(str(listed), link.group(2))
        # The same count on a day before the course ended: nobody is ready yet.
        earlier = self.client.get("/?as_of=2019-03-14")
        self.assertEqual({row.commune.ready_waiting for row, _labels in earlier.context["gap_rows"]}, {0})

    def test_a_commune_without_a_district_counts_the_provinces_ready_officers(self):
        counts = {None: 5, self.district_a.pk: 2}
        new_tier = Commune(code=99999, name="Xã Mới", province=self.province, district=None, former_district=self.district_a)
        self.assertEqual(ready_for_gap(counts, new_tier), 5)
        self.assertEqual(ready_for_gap(counts, self.commune_a1), 2)
        self.assertEqual(ready_for_gap(counts, self.commune_b1), 0)
