"""Issued reports: numbered per province and year, kept byte for byte, compared with today's data."""

from __future__ import annotations

import datetime
import hashlib
from unittest import mock

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from communes.models import Commune, District, Province
from personnel import corrections, services
from personnel.choices import Position, Role
from personnel.models import Posting, UserProfile
from reports.data import FIGURE_LABELS
from reports.models import IssuedReport, ReportKind
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.reports.helpers import pdf_pages
from tests.web.helpers import count_queries

REVIEW = "2019-04-23"


class IssuedReportTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chief = make_officer("Nguyễn Văn Trưởng")
        cls.posting = make_posting(cls.chief, cls.commune_a1, D(2019, 3, 1), position=Position.CHIEF)
        make_posting(make_officer("Trần Thị Bê"), cls.commune_b1, D(2019, 2, 25))
        cls.other = Province.objects.create(code=9002, name="Tỉnh Khác")
        District.objects.create(code=9201, name="Huyện Khác", province=cls.other)
        cls.other_viewer = get_user_model().objects.create_user("khac", password="pw-khac-123")
        UserProfile.objects.create(user=cls.other_viewer, role=Role.VIEWER, province=cls.other)

    def issue_review(self, user=None, **params):
        self.client.force_login(user or self.viewer)
        query = {"kind": ReportKind.PILOT_REVIEW, "as_of": REVIEW, **params}
        return self.client.post(reverse("reports:issue") + "?" + "&".join(f"{k}={v}" for k, v in query.items()))

    def test_numbers_count_per_province_and_year_and_are_printed(self):
        self.issue_review()
        self.issue_review()
        first, second = IssuedReport.objects.order_by("pk")
        self.assertEqual((first.number, second.number), (1, 2))
        self.assertEqual(first.number_text, "1/BC-CAT")
        text = " ".join(" ".join(pdf_pages(bytes(second.pdf))).split())
        self.assertIn("Số: 2/BC-CAT", text)
        self.assertGreaterEqual(text.count("2/BC-CAT"), 2)  # the header and the appendix's reference
        next_year = timezone.now() + datetime.timedelta(days=366)
        with mock.patch("django.utils.timezone.now", return_value=next_year):
            self.issue_review()
        self.assertEqual(IssuedReport.objects.order_by("-pk").first().number, 1)  # a new year starts again
        self.client.force_login(self.other_viewer)
        self.issue_review(self.other_viewer)
        self.assertEqual(IssuedReport.objects.get(province=self.other).number, 1)  # another province counts its own

    def test_a_download_gives_the_issued_bytes_even_after_the_data_changed(self):
        self.issue_review()
        report = IssuedReport.objects.get()
        self.assertEqual(hashlib.sha256(bytes(report.pdf)).hexdigest(), report.sha256)
        corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="wrong commune",
                            changes={"commune": self.commune_a2})
        services.officer_change(officer=self.chief, on=D(2020, 1, 1), rank="31_thieu_ta")
        response = self.client.get(reverse("reports:issued_pdf", args=[report.pk]))
        self.assertEqual(response.content, bytes(report.pdf))
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), report.sha256)

    def test_the_comparison_says_nothing_changed_after_later_events_and_names_a_correction(self):
        self.issue_review()
        report = IssuedReport.objects.get()
        url = reverse("reports:issued_detail", args=[report.pk]) + "?compare=1"
        # An event after the day: the review as of that day prints the same.
        services.posting_end(posting=Posting.objects.get(pk=self.posting.pk), on=D(2020, 6, 30))
        page = self.client.get(url)
        self.assertContains(page, 'id="no-change"')
        # A correction of what was recorded for the day: the changed figure and lines, and the correction.
        corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="entered a year early",
                            changes={"start_date": D(2019, 5, 1)})
        page = self.client.get(url).content.decode()
        figures = page.split('id="changed-figures"')[1].split("</table>")[0]
        with translation.override("vi"):  # the figures are named as the document prints them
            label = f"{self.province.name}: {FIGURE_LABELS['officers_in_post']}"
        self.assertIn(label, figures)
        self.assertRegex(figures, r"<td>2</td><td>1</td>")
        self.assertIn("entered a year early", page.split('id="corrections-since"')[1])

    def test_the_register_lists_only_the_users_area_and_costs_the_same_for_more_rows(self):
        self.issue_review()
        self.client.force_login(self.viewer)
        few = count_queries(self.client, reverse("reports:register"))
        for _ in range(3):
            self.issue_review()
        self.assertEqual(count_queries(self.client, reverse("reports:register")), few)
        self.client.force_login(self.other_viewer)
        page = self.client.get(reverse("reports:register"))
        self.assertEqual(page.context["page"].paginator.count, 0)
        mine = IssuedReport.objects.first()
        self.assertEqual(self.client.get(reverse("reports:issued_detail", args=[mine.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("reports:issued_pdf", args=[mine.pk])).status_code, 404)

    def test_a_district_editor_issues_their_districts_roster_only(self):
        self.client.force_login(self.editor)
        ok = self.client.post(reverse("reports:issue") + f"?kind=district_roster&district={self.district_a.code}&as_of={REVIEW}")
        self.assertEqual(ok.status_code, 302)
        roster = IssuedReport.objects.get()
        self.assertIn("Số: 1/BC-CAT", " ".join(pdf_pages(bytes(roster.pdf))))
        other = self.client.post(reverse("reports:issue") + f"?kind=district_roster&district={self.district_b.code}&as_of={REVIEW}")
        self.assertEqual(other.status_code, 404)
        review = self.client.post(reverse("reports:issue") + f"?kind=pilot_review&as_of={REVIEW}")
        self.assertEqual(review.status_code, 403)
        self.assertEqual(IssuedReport.objects.count(), 1)

    def test_anonymous_users_are_sent_to_log_in_and_a_get_only_asks_to_confirm(self):
        self.client.logout()
        response = self.client.post(reverse("reports:issue") + f"?kind=pilot_review&as_of={REVIEW}")
        self.assertIn("/accounts/login/", response.headers["Location"])
        self.client.force_login(self.viewer)
        confirm = self.client.get(reverse("reports:issue") + f"?kind=pilot_review&as_of={REVIEW}")
        self.assertContains(confirm, 'id="confirm-issue"')
        self.assertContains(confirm, "Tỉnh Thử Nghiệm")
        self.assertFalse(IssuedReport.objects.exists())

    def test_the_cached_dashboard_links_to_the_confirmation_and_carries_no_token_of_its_own(self):
        self.client.force_login(self.viewer)
        page = self.client.get("/", {"as_of": REVIEW}).content.decode()
        link = page.split('id="issue-review"')[1].split(">")[0]
        self.assertIn("kind=pilot_review", link)
        self.assertNotIn('action="/reports/issued/new/', page)

    def test_a_future_day_is_refused_with_a_reason_and_nothing_issued(self):
        response = self.issue_review(as_of=(timezone.localdate() + datetime.timedelta(days=3)).isoformat())
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "in the future", status_code=400)
        self.assertFalse(IssuedReport.objects.exists())

    def test_names_are_escaped_on_the_register_pages(self):
        Commune.objects.filter(pk=self.commune_a1.pk).update(name="Xã <script>x</script>")
        self.issue_review()
        report = IssuedReport.objects.get()
        corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="<b>bold</b>", changes={"decision_number": "1"})
        page = self.client.get(reverse("reports:issued_detail", args=[report.pk]) + "?compare=1").content.decode()
        self.assertNotIn("<b>bold</b>", page)
        self.assertNotIn("<script>x</script>", page)

    def test_the_comparison_names_the_rows_that_changed_not_every_row_renumbered_after_them(self):
        from reports import issued

        make_posting(make_officer("Lê Văn Ba"), self.commune_a2, D(2019, 3, 3))
        self.issue_review()
        report = IssuedReport.objects.get()
        corrections.correct(Posting.objects.get(pk=self.posting.pk), reason="posted in May",
                            changes={"start_date": D(2019, 5, 1)})
        request = self.client.get(reverse("reports:register")).wsgi_request
        comparison = issued.compare(request, report)
        self.assertTrue(any("Xã Đắk Pét" in line for line in comparison.added + comparison.removed))
        unchanged_rows = [line for line in comparison.removed if "Xã Ia Tơi" in line]
        self.assertEqual(unchanged_rows, [])  # a row whose content is the same is not listed
        self.assertEqual([c.reason for c in comparison.corrections], ["posted in May"])
