"""Department support assignments: dated, read on a day everywhere they are shown, within their commune's life,
ended (not carried) when a reorganisation ends the commune; the migration carries the undated links."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from communes.models import Commune
from personnel.choices import UnitKind
from personnel.models import Unit
from personnel.support import SupportAssignment, support_assign, support_end, support_end_with_communes
from tests.base import D, InEnglish
from tests.followup.base import FollowupTestCase


class SupportRuleTests(InEnglish, FollowupTestCase):
    def test_an_assignment_holds_from_its_start_to_its_last_day(self):
        a = support_assign(unit=self.department, commune=self.commune_a1, start=D(2018, 10, 12), end=D(2019, 6, 30))
        held = {day: SupportAssignment.objects.in_force_on(day).filter(pk=a.pk).exists()
                for day in (D(2018, 10, 11), D(2018, 10, 12), D(2019, 6, 30), D(2019, 7, 1))}
        self.assertEqual(held, {D(2018, 10, 11): False, D(2018, 10, 12): True, D(2019, 6, 30): True, D(2019, 7, 1): False})

    def test_overlapping_assignments_of_one_unit_to_one_commune_are_refused_naming_the_other(self):
        support_assign(unit=self.department, commune=self.commune_a1, start=D(2018, 10, 12))
        with self.assertRaises(ValidationError) as caught:
            support_assign(unit=self.department, commune=self.commune_a1, start=D(2019, 1, 1))
        self.assertIn("already assigned to Xã Đắk Pét for 12/10/2018, still open", str(caught.exception))
        self.assertEqual(SupportAssignment.objects.count(), 1)
        support_assign(unit=self.leadership, commune=self.commune_a1, start=D(2019, 1, 1))  # another unit may

    def test_an_end_before_the_start_a_future_start_and_a_second_end_are_refused(self):
        with self.assertRaisesMessage(ValidationError, "ends on or after the day it starts"):
            support_assign(unit=self.department, commune=self.commune_a1, start=D(2019, 1, 2), end=D(2019, 1, 1))
        with self.assertRaisesMessage(ValidationError, "starts today"):
            support_assign(unit=self.department, commune=self.commune_a1,
                           start=timezone.localdate() + datetime.timedelta(days=1))
        a = support_assign(unit=self.department, commune=self.commune_a1, start=D(2019, 1, 1))
        support_end(assignment=a, on=D(2019, 5, 1))
        with self.assertRaisesMessage(ValidationError, "already ended"):
            support_end(assignment=a, on=D(2019, 6, 1))
        a.refresh_from_db()
        self.assertEqual(a.end_date, D(2019, 5, 1))

    def test_an_assignment_lies_within_its_communes_life_and_ends_with_it(self):
        self.commune_a2.abolished_on = D(2025, 7, 1)
        self.commune_a2.save()
        with self.assertRaisesMessage(ValidationError, "existed until 30/06/2025"):
            support_assign(unit=self.department, commune=self.commune_a2, start=D(2019, 1, 1))
        self.assertEqual(SupportAssignment.objects.count(), 0)
        a = support_assign(unit=self.department, commune=self.commune_a2, start=D(2019, 1, 1), end=D(2025, 6, 30))
        self.assertTrue(a.holds_on(D(2025, 6, 30)))

    def test_a_reorganisation_ends_the_open_assignments_of_the_communes_it_ends_and_carries_none(self):
        a = support_assign(unit=self.department, commune=self.commune_a2, start=D(2019, 1, 1))
        b = support_assign(unit=self.department, commune=self.commune_a1, start=D(2019, 1, 1))
        Commune.objects.filter(pk=self.commune_a2.pk).update(abolished_on=D(2025, 7, 1))
        # Read on a day, it already stops with its commune; the service writes that end.
        self.assertFalse(SupportAssignment.objects.in_force_on(D(2025, 7, 1)).filter(pk=a.pk).exists())
        self.assertTrue(SupportAssignment.objects.in_force_on(D(2025, 6, 30)).filter(pk=a.pk).exists())
        self.assertEqual(support_end_with_communes(communes=Commune.objects.all()), 1)
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual((a.end_date, b.end_date), (D(2025, 6, 30), None))
        self.assertEqual(SupportAssignment.objects.count(), 2)


class SupportShownOnADayTests(FollowupTestCase):
    def test_the_commune_and_district_pages_show_the_assignments_of_their_day(self):
        support_assign(unit=self.department, commune=self.commune_a1, start=D(2018, 10, 12), end=D(2019, 6, 30))
        support_assign(unit=self.leadership, commune=self.commune_a1, start=D(2019, 7, 1))
        self.client.force_login(self.viewer)
        for day, shown, hidden in ((D(2019, 4, 23), "Phòng Tham mưu", "Ban Giám đốc"),
                                   (D(2020, 1, 1), "Ban Giám đốc", "Phòng Tham mưu")):
            for url in (reverse("commune_detail", args=[self.commune_a1.code]),
                        reverse("district_detail", args=[self.district_a.code])):
                with self.subTest(day=day, url=url):
                    html = self.client.get(url, {"as_of": day.isoformat()}).content.decode()
                    self.assertIn(shown, html)
                    self.assertNotIn(hidden, html)


class SupportFormTests(InEnglish, FollowupTestCase):
    def test_an_editor_assigns_and_ends_in_their_district_and_is_refused_another(self):
        self.client.force_login(self.editor)
        url = reverse("followup:support_add")
        response = self.client.post(url, {"unit": self.department.pk, "commune": self.commune_a1.pk,
                                          "start_date": "12/10/2018", "end_date": "", "decision_number": "12/QĐ"})
        self.assertEqual(response.status_code, 302)
        a = SupportAssignment.objects.get()
        response = self.client.post(url, {"unit": self.department.pk, "commune": self.commune_b1.pk,
                                          "start_date": "12/10/2018"})
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(SupportAssignment.objects.count(), 1)
        response = self.client.post(reverse("followup:support_end", args=[a.pk]), {"end_date": "30/06/2025"})
        self.assertEqual(response.status_code, 302)
        a.refresh_from_db()
        self.assertEqual(a.end_date, D(2025, 6, 30))

    def test_an_end_before_the_start_gets_the_rules_message_and_changes_nothing(self):
        a = support_assign(unit=self.department, commune=self.commune_a1, start=D(2019, 1, 1))
        self.client.force_login(self.admin)
        response = self.client.post(reverse("followup:support_end", args=[a.pk]), {"end_date": "31/12/2018"})
        self.assertContains(response, "ends on or after the day it starts")
        a.refresh_from_db()
        self.assertIsNone(a.end_date)


class MigrationCarriesTheUndatedLinksTests(TransactionTestCase):
    """personnel 0014: each Unit.supported_communes link becomes an assignment from the commune's first posting
    (else its first day), ending on the commune's last day if it has ended."""

    before = [("personnel", "0013_corrections")]
    after = [("personnel", "0014_support_assignments")]

    def test_the_links_become_dated_assignments(self):
        executor = MigrationExecutor(connection)
        executor.migrate(self.before)
        apps = executor.loader.project_state(self.before).apps
        province = apps.get_model("communes", "Province").objects.create(code=9901, name="Tỉnh M", sort_key="m", search_name="m")
        district = apps.get_model("communes", "District").objects.create(code=9902, name="Huyện M", province=province,
                                                                         sort_key="m", search_name="m")
        Commune_ = apps.get_model("communes", "Commune")
        posted = Commune_.objects.create(code=99001, name="Xã A", district=district, province=province, sort_key="a", search_name="a")
        ended = Commune_.objects.create(code=99002, name="Xã B", district=district, province=province, sort_key="b",
                                        search_name="b", established_on=D(2010, 1, 1), abolished_on=D(2025, 7, 1))
        Unit = apps.get_model("personnel", "Unit")
        unit = Unit.objects.create(province=province, name="Phòng M", kind="department")
        officer = apps.get_model("personnel", "Officer").objects.create(full_name="A", gender="m", rank="22_trung_uy",
                                                                        service_number="M1", search_name="a", sort_key="a")
        Posting = apps.get_model("personnel", "Posting")
        Posting.objects.create(officer=officer, commune=posted, position="officer", start_date=D(2019, 1, 21))
        Posting.objects.create(officer=officer, commune=posted, position="officer", start_date=D(2018, 11, 26),
                               end_date=D(2019, 1, 20))
        unit.supported_communes.add(posted, ended)

        executor = MigrationExecutor(connection)
        executor.migrate(self.after)
        apps = executor.loader.project_state(self.after).apps
        rows = sorted(apps.get_model("personnel", "SupportAssignment").objects
                      .values_list("commune__code", "start_date", "end_date"))
        self.assertEqual(rows, [(99001, D(2018, 11, 26), None), (99002, D(2010, 1, 1), D(2025, 6, 30))])
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())




class ReorganisationEndsSupportTests(TestCase):
    """Applying the reorganisation of 01/07/2025 ends, on the eve, the support of the communes it ends (carried to
    no successor); its undo reopens them."""

    @classmethod
    def setUpTestData(cls):
        from tests.personnel.test_reorganisation import build_small_world

        build_small_world(cls)
        cls.department = Unit.objects.create(province=cls.province, name="Phòng Tham mưu", kind=UnitKind.DEPARTMENT)

    def test_the_support_of_ended_communes_ends_on_the_eve_and_comes_back_with_the_undo(self):
        from personnel import reorganisation

        SupportAssignment.objects.bulk_create([SupportAssignment(unit=self.department, commune=c, start_date=D(2019, 1, 1))
                                               for c in (self.a, self.b, self.c)])
        proposal = reorganisation.propose(province=self.province, effective_on=D(2025, 7, 1), legal_basis="1677",
                                          successor_of={self.postings["c_chief"].pk: self.y.pk, self.postings["c_staff"].pk: self.z.pk})
        done = reorganisation.apply(proposal)
        self.assertEqual(set(SupportAssignment.objects.values_list("end_date", flat=True)), {D(2025, 6, 30)})
        self.assertFalse(SupportAssignment.objects.filter(commune__in=[self.x, self.y, self.z]).exists())
        reorganisation.undo(done)
        self.assertEqual(set(SupportAssignment.objects.values_list("end_date", flat=True)), {None})
