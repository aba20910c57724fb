"""Rank, home unit and status through time: a promotion or a retirement dated after a day leaves every page,
list, export and report as of that day as it was; the officer page shows the whole service record."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from personnel import services
from personnel.choices import OfficerStatus, PartyRoleKind, Position, Rank, UnitKind
from personnel.models import Officer, OfficerChange, PartyRole, Posting, Unit
from personnel.officer_history import Attribute, attributes_on
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.reports.helpers import pdf_pages

REVIEW = D(2019, 4, 23)


def rank_on(officer: Officer, day: datetime.date) -> str:
    return Officer.objects.annotate(**attributes_on(day)).get(pk=officer.pk).rank_on


class OfficerHistoryTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(province=cls.province, name="Phòng Tổ chức cán bộ", kind=UnitKind.DEPARTMENT)
        cls.district_police = Unit.objects.create(province=cls.province, district=cls.district_a,
                                                  name="Công an huyện Đắk Glei Thử", kind=UnitKind.DISTRICT_POLICE)
        cls.chief = make_officer("Nguyễn Văn Trưởng", rank=Rank.CAPTAIN, home_unit=cls.district_police)
        cls.posting = make_posting(cls.chief, cls.commune_a1, D(2018, 12, 24), position=Position.CHIEF)

    def test_a_promotion_changes_the_rank_from_its_day_only(self):
        services.officer_change(officer=self.chief, on=D(2020, 5, 1), rank=Rank.MAJOR, decision_number="12/QĐ")
        self.assertEqual(rank_on(self.chief, REVIEW), Rank.CAPTAIN)
        self.assertEqual(rank_on(self.chief, D(2020, 4, 30)), Rank.CAPTAIN)
        self.assertEqual(rank_on(self.chief, D(2020, 5, 1)), Rank.MAJOR)
        self.chief.refresh_from_db()
        self.assertEqual(self.chief.rank, Rank.MAJOR)  # the row keeps the latest
        first = OfficerChange.objects.get(officer=self.chief, attribute=Attribute.RANK, effective_on__isnull=True)
        self.assertEqual(first.rank, Rank.CAPTAIN)

    def test_a_change_entered_out_of_order_keeps_each_day_right(self):
        services.officer_change(officer=self.chief, on=D(2024, 1, 1), rank=Rank.LIEUTENANT_COLONEL)
        services.officer_change(officer=self.chief, on=D(2020, 1, 1), rank=Rank.MAJOR)
        days = {D(2019, 12, 31): Rank.CAPTAIN, D(2020, 1, 1): Rank.MAJOR, D(2023, 12, 31): Rank.MAJOR,
                D(2024, 1, 1): Rank.LIEUTENANT_COLONEL}
        for day, rank in days.items():
            self.assertEqual(rank_on(self.chief, day), rank, day)
        self.chief.refresh_from_db()
        self.assertEqual(self.chief.rank, Rank.LIEUTENANT_COLONEL)

    def test_the_lists_and_the_roster_as_of_a_day_show_that_days_values(self):
        services.officer_change(officer=self.chief, on=D(2021, 3, 1), rank=Rank.MAJOR, home_unit=self.department)
        self.client.force_login(self.admin)
        for day, value, unit in ((REVIEW, Rank.CAPTAIN, "Đắk Glei Thử"), (D(2021, 3, 1), Rank.MAJOR, "Phòng Tổ chức cán bộ")):
            rank = str(Rank(value).label)
            with self.subTest(day=day):
                page = self.client.get("/officers/", {"as_of": day.isoformat()}).content.decode()
                row = page.split("Nguyễn Văn Trưởng")[1].split("</tr>")[0]
                self.assertIn(rank, row)
                self.assertIn(unit, row)
                export = self.client.get("/officers/", {"as_of": day.isoformat(), "export": "csv"})
                csv = b"".join(export.streaming_content).decode("utf-8-sig")
                self.assertIn(rank, next(line for line in csv.splitlines() if "Nguyễn Văn Trưởng" in line))
                postings = self.client.get("/postings/", {"as_of": day.isoformat()}).content.decode()
                self.assertIn(rank, postings.split("Nguyễn Văn Trưởng")[1].split("</tr>")[0])
                commune = self.client.get(f"/communes/{self.commune_a1.code}/", {"as_of": day.isoformat()}).content.decode()
                staff = commune.split('id="staff-table"')[1].split("</table>")[0]
                self.assertIn(rank, staff.split("Nguyễn Văn Trưởng")[1].split("</tr>")[0])
                pdf = self.client.get(reverse("reports:district_roster_pdf"),
                                      {"as_of": day.isoformat(), "district": self.district_a.code})
                with translation.override("vi"):  # a printed document is in Vietnamese
                    self.assertIn(f"Nguyễn Văn Trưởng Trưởng Công an xã {Rank(value).label}", " ".join(pdf_pages(pdf.content)))
        filtered = self.client.get("/officers/", {"as_of": REVIEW.isoformat(), "rank": Rank.CAPTAIN})
        self.assertEqual(filtered.context["table"].paginator.count, 1)
        filtered = self.client.get("/officers/", {"as_of": REVIEW.isoformat(), "rank": Rank.MAJOR})
        self.assertEqual(filtered.context["table"].paginator.count, 0)

    def test_party_membership_is_read_on_the_day(self):
        Officer.objects.filter(pk=self.chief.pk).update(party_member_since=D(2020, 2, 3))
        self.client.force_login(self.admin)
        for day, expected in ((REVIEW, 0), (D(2020, 2, 3), 1)):
            with self.subTest(day=day):
                page = self.client.get("/officers/", {"as_of": day.isoformat(), "party": "yes"})
                self.assertEqual(page.context["table"].paginator.count, expected)
                page = self.client.get("/officers/", {"as_of": day.isoformat(), "party": "no"})
                self.assertEqual(page.context["table"].paginator.count, 1 - expected)

    def test_the_officer_page_shows_the_day_and_the_whole_service_record(self):
        services.officer_change(officer=self.chief, on=D(2021, 3, 1), rank=Rank.MAJOR, decision_number="77/QĐ-CAT")
        self.client.force_login(self.viewer)
        page = self.client.get(f"/officers/{self.chief.pk}/", {"as_of": REVIEW.isoformat()}).content.decode()
        self.assertIn("Captain", page.split('id="officer-on-day"')[1].split("</p>")[0])
        record = page.split('id="service-record"')[1].split("</table>")[0]
        self.assertIn("01/03/2021", record)
        self.assertIn("Major", record)
        self.assertIn("77/QĐ-CAT", record)
        self.assertIn("24/12/2018", record)  # the posting, in the same record
        self.assertLess(record.index("01/03/2021"), record.index("24/12/2018"))  # newest first

    def test_a_correction_of_the_rank_corrects_the_value_in_force_now(self):
        services.officer_change(officer=self.chief, on=D(2021, 3, 1), rank=Rank.MAJOR)
        self.chief.refresh_from_db()
        services.officer_update(officer=self.chief, rank=Rank.LIEUTENANT_COLONEL, change_reason="typo")
        self.assertEqual(rank_on(self.chief, D(2021, 3, 1)), Rank.LIEUTENANT_COLONEL)
        self.assertEqual(rank_on(self.chief, REVIEW), Rank.CAPTAIN)

    def test_refusals_say_why_and_write_nothing(self):
        before = OfficerChange.objects.count()
        cases = [
            ({"on": timezone.localdate() + datetime.timedelta(days=1), "rank": Rank.MAJOR}, "is dated today"),
            ({"on": D(2020, 1, 1), "rank": Rank.MAJOR, "decision_date": timezone.localdate() + datetime.timedelta(days=1)},
             "A decision is dated today"),
            ({"on": D(2020, 1, 1), "rank": Rank.CAPTAIN}, "already has this rank"),
            ({"on": D(2020, 1, 1)}, "Give a new rank"),
            ({"on": D(2020, 1, 1), "status": OfficerStatus.RETIRED}, "still holds from 01/01/2020"),
        ]
        for kwargs, message in cases:
            with self.subTest(message=message), self.assertRaises(ValidationError) as caught:
                services.officer_change(officer=Officer.objects.get(pk=self.chief.pk), **kwargs)
            self.assertIn(message, str(caught.exception))
            self.assertEqual(OfficerChange.objects.count(), before)
        self.assertIn("Xã Đắk Pét", str(caught.exception))  # the posting still held, named

    def test_an_officer_who_left_the_force_takes_no_posting_or_role_afterwards(self):
        services.posting_end(posting=self.posting, on=D(2022, 6, 30), reason="retired")
        services.officer_change(officer=self.chief, on=D(2022, 7, 1), status=OfficerStatus.RETIRED)
        self.assertEqual(Officer.objects.annotate(**attributes_on(D(2022, 6, 30))).get(pk=self.chief.pk).status_on,
                         OfficerStatus.SERVING)
        with self.assertRaisesMessage(ValidationError, "is retired from 01/07/2022"):
            services.posting_start(officer=self.chief, commune=self.commune_a2, position=Position.CHIEF, on=D(2023, 1, 1))
        with self.assertRaisesMessage(ValidationError, "is retired from 01/07/2022"):
            services.party_role_appoint(commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                        officer=self.chief, on=D(2022, 8, 1))
        self.assertFalse(Posting.objects.filter(officer=self.chief, start_date__gt=D(2022, 7, 1)).exists())
        self.assertFalse(PartyRole.objects.filter(officer=self.chief).exists())

    def test_the_form_records_a_change_and_shows_a_refusal_on_the_page(self):
        self.client.force_login(self.editor)
        url = reverse("manage:officer_change", args=[self.chief.pk])
        response = self.client.post(url, {"rank": Rank.MAJOR, "on": "01/05/2020", "decision_number": "5/QĐ",
                                          "change_reason": "thăng cấp"})
        self.assertRedirects(response, reverse("manage:officer", args=[self.chief.pk]))
        self.assertEqual(rank_on(self.chief, D(2020, 5, 1)), Rank.MAJOR)
        response = self.client.post(url, {"rank": Rank.MAJOR, "on": "02/05/2020", "change_reason": "again"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "already has this rank")
        self.assertEqual(OfficerChange.objects.filter(officer=self.chief, effective_on__isnull=False).count(), 1)


class LaterEventsLeaveADayAsItWasTests(SmallProvinceTestCase):
    """Random histories: promotions, moves and retirements dated after a day D change nothing shown as of D."""

    def test_events_after_a_day_leave_its_attributes_unchanged(self):
        units = [Unit.objects.create(province=self.province, name=f"Phòng {i}", kind=UnitKind.DEPARTMENT) for i in range(3)]
        for seed in range(3):
            with self.subTest(seed=seed):
                rng = random.Random(seed)
                officers = [make_officer(f"Cán Bộ {seed} {i}", rank=rng.choice(list(Rank)[:4]), home_unit=rng.choice(units))
                            for i in range(6)]
                events = sorted(D(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500)) for _ in range(12))
                day = rng.choice(events)
                seen = {}
                for event in events:
                    if event > day and day not in seen:
                        seen[day] = self._shown(officers, day)
                    officer = Officer.objects.get(pk=rng.choice(officers).pk)
                    try:
                        services.officer_change(officer=officer, on=event, rank=rng.choice(list(Rank)),
                                                home_unit=rng.choice(units))
                    except ValidationError:
                        continue  # the same rank or unit that day: refused, nothing written
                seen.setdefault(day, self._shown(officers, day))
                self.assertEqual(self._shown(officers, day), seen[day])

    def _shown(self, officers, day):
        rows = Officer.objects.filter(pk__in=[o.pk for o in officers]).annotate(**attributes_on(day))
        return sorted(rows.values_list("pk", "rank_on", "home_unit_on_name", "status_on"))
