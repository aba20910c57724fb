"""Invalidation by province (issue 16): a write in one province leaves the other provinces' cached pages warm,
a province's page follows the writes of its lineage, national results follow every write, and writers in two
provinces never wait for each other (PostgreSQL: no row that every writer in the country locks).

TransactionTestCase: results are stored only outside transactions, so these tests commit for real.
"""

from __future__ import annotations

import threading
import unittest

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, connections
from django.test import Client, TransactionTestCase

import datacache
from communes.models import Commune, District, Province, ProvinceLineage
from personnel import services
from personnel.choices import Position, Role, UnitKind
from personnel.models import Plan, Unit, UserProfile
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.datacache.test_datacache import all_queries
from tests.web.helpers import tile

DASHBOARD = "/?as_of=2019-04-23"


def second_province(code: int = 9002) -> dict:
    """Another province of one district and two communes in its plan, with its own viewer."""
    province = Province.objects.create(code=code, name=f"Tỉnh Thứ Hai {code}")
    district = District.objects.create(code=code * 10 + 1, name="Huyện Thứ Hai", province=province)
    communes = [Commune.objects.create(code=code * 100 + i, name=f"Xã Thứ Hai {i}", district=district) for i in (1, 2)]
    plan = Plan.objects.create(province=province, number="2/KH-TEST", title="Kế hoạch hai", issued_on=D(2018, 10, 12))
    plan.communes.set(communes)
    unit = Unit.objects.create(province=province, name="Công an huyện Thứ Hai", kind=UnitKind.DISTRICT_POLICE)
    viewer = get_user_model().objects.create_user(f"viewer{code}", password="pw-viewer-123")
    UserProfile.objects.create(user=viewer, role=Role.VIEWER, province=province)
    return {"province": province, "communes": communes, "unit": unit, "viewer": viewer}


def national_client() -> Client:
    """A client logged in to a national viewer (a profile of no province)."""
    national = get_user_model().objects.create_user("national", password="pw-national-123")
    UserProfile.objects.create(user=national, role=Role.VIEWER, province=None)
    client = Client()
    client.force_login(national)
    return client


class TwoProvincesCommitted:
    """A TransactionTestCase mixin: province A (SmallProvinceTestCase's, with a district police unit) and province B
    (second_province, one officer posted), committed, the cache empty, and a client logged in to each's viewer."""

    def setUp(self):
        super().setUp()
        datacache.caches[datacache.CACHE_ALIAS].clear()
        SmallProvinceTestCase.setUpTestData.__func__(self)  # province A, committed
        self.unit_a = Unit.objects.create(province=self.province, name="Công an huyện A", kind=UnitKind.DISTRICT_POLICE)
        self.b = second_province()
        make_posting(make_officer("Y Hai", home_unit=self.b["unit"]), self.b["communes"][0], D(2019, 1, 1))
        self.client_a = Client()
        self.client_a.force_login(self.viewer)
        self.client_b = Client()
        self.client_b.force_login(self.b["viewer"])


class ProvinceInvalidationTests(TwoProvincesCommitted, TransactionTestCase):
    def warm(self, client) -> int:
        all_queries(client, DASHBOARD)
        return all_queries(client, DASHBOARD)[0]

    def test_a_write_in_one_province_leaves_the_other_provinces_dashboard_cached(self):
        warm_b = self.warm(self.client_b)
        self.warm(self.client_a)
        officer = make_officer("Y Một", home_unit=self.unit_a)
        make_posting(officer, self.commune_a1, D(2019, 2, 1))
        services.posting_start(officer=make_officer("Y Ba", home_unit=self.unit_a), commune=self.commune_a2,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))

        after_b, page_b = all_queries(self.client_b, DASHBOARD)
        self.assertEqual(after_b, warm_b)  # served from the cache: no query beyond the request's own
        self.assertEqual(tile(page_b, "tile-officers"), "1")
        cold_a, page_a = all_queries(self.client_a, DASHBOARD)
        self.assertGreater(cold_a, warm_b)  # computed afresh
        self.assertEqual(tile(page_a, "tile-officers"), "2")

    def test_a_write_in_a_province_shows_on_its_own_dashboard_and_on_the_national_figures(self):
        client = national_client()
        url = "/national/?as_of=2019-04-23"
        before = client.get(url).content.decode()
        self.assertEqual(self.warm(self.client_b), self.warm(self.client_b))
        make_posting(make_officer("Y Bốn", home_unit=self.b["unit"]), self.b["communes"][1], D(2019, 2, 1))
        self.assertEqual(tile(self.client_b.get(DASHBOARD).content.decode(), "tile-coverage"), "2/2")
        after = client.get(url).content.decode()
        self.assertNotEqual(before, after)
        self.assertIn(self.b["province"].name, after)

    def test_an_officer_in_no_province_yet_leaves_every_provinces_pages_cached_and_shows_on_national_lists(self):
        client = national_client()
        everyone = "/officers/?period=all"
        warm_a, warm_b = self.warm(self.client_a), self.warm(self.client_b)
        self.assertNotIn("Y Chưa Có Đơn Vị", client.get(everyone).content.decode())

        officer = make_officer("Y Chưa Có Đơn Vị")  # no unit, no posting: no province's
        self.assertEqual(all_queries(self.client_a, DASHBOARD)[0], warm_a)
        self.assertEqual(all_queries(self.client_b, DASHBOARD)[0], warm_b)
        self.assertIn("Y Chưa Có Đơn Vị", client.get(everyone).content.decode())  # a national list: afresh
        self.assertNotIn("Y Chưa Có Đơn Vị", self.client_a.get(everyone).content.decode())

        officer.home_unit = self.unit_a  # now province A's
        officer.save()
        self.assertGreater(all_queries(self.client_a, DASHBOARD)[0], warm_a)
        self.assertEqual(all_queries(self.client_b, DASHBOARD)[0], warm_b)
        self.assertIn("Y Chưa Có Đơn Vị", self.client_a.get(everyone).content.decode())

    def test_moving_an_officer_to_another_province_raises_both(self):
        officer = make_officer("Y Năm", home_unit=self.unit_a)
        before = datacache.current_versions()
        services.officer_change(officer=officer, on=D(2019, 3, 1), home_unit=self.b["unit"], decision_number="5/QĐ",
                                decision_date=D(2019, 2, 20))
        after = datacache.current_versions()
        for province in (self.province, self.b["province"]):
            self.assertGreater(after[province.pk], before.get(province.pk, 0))
        self.assertEqual(after.get(datacache.AREA_ALL), before.get(datacache.AREA_ALL))

    def test_a_province_page_follows_the_writes_of_the_provinces_it_came_from(self):
        merged = second_province(9003)
        ProvinceLineage.objects.create(predecessor=self.province, successor=merged["province"],
                                       effective_on=D(2025, 7, 1))
        client = Client()
        client.force_login(merged["viewer"])
        warm = self.warm(client)
        unrelated = self.warm(self.client_b)
        make_posting(make_officer("Y Sáu", home_unit=self.unit_a), self.commune_a1, D(2019, 2, 1))
        self.assertGreater(all_queries(client, DASHBOARD)[0], warm)  # its predecessor wrote: computed afresh
        self.assertEqual(all_queries(self.client_b, DASHBOARD)[0], unrelated)


class TopicTests(TransactionTestCase):
    """A posting written in a province recomputes its staffing figures and leaves its province, plan, milestones and
    facilities gaps cached (datacache/topics.py); a facilities row written shows on the next request."""

    def setUp(self):
        datacache.caches[datacache.CACHE_ALIAS].clear()
        SmallProvinceTestCase.setUpTestData.__func__(self)
        self.unit_a = Unit.objects.create(province=self.province, name="Công an huyện A", kind=UnitKind.DISTRICT_POLICE)
        make_posting(make_officer("Y Một", home_unit=self.unit_a), self.commune_a1, D(2019, 1, 1))
        self.client.force_login(self.viewer)

    def test_a_posting_written_recomputes_the_figures_in_at_most_eight_queries(self):
        warm = all_queries(self.client, DASHBOARD)[0]
        warm = all_queries(self.client, DASHBOARD)[0]
        services.posting_start(officer=make_officer("Y Hai", home_unit=self.unit_a), commune=self.commune_a2,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        after, page = all_queries(self.client, DASHBOARD)
        self.assertEqual(tile(page, "tile-officers"), "2")
        self.assertGreater(after, warm)
        self.assertLessEqual(after, 8)  # the session, the user, the numbers; the staffing, the timeline, the pipeline
        # Computed from nothing, the same page reads the province, the plan, the milestones and the facilities too.
        datacache.caches[datacache.CACHE_ALIAS].clear()
        self.assertGreater(all_queries(self.client, DASHBOARD)[0], after)

    def test_a_posting_written_reads_the_staffing_again_not_the_communes_and_a_commune_written_shows_at_once(self):
        from django.test.utils import CaptureQueriesContext

        before = all_queries(self.client, DASHBOARD)[1]
        services.posting_start(officer=make_officer("Y Ba", home_unit=self.unit_a), commune=self.commune_a2,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get(DASHBOARD).content.decode()
        self.assertNotEqual(tile(page, "tile-officers"), tile(before, "tile-officers"))
        communes_read = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "communes_commune"."id"')]
        self.assertEqual(communes_read, [])  # the area's communes: units and plans, still cached (coverage.py)
        covered = tile(page, "tile-coverage")

        self.commune_a2.name = "Xã Tên Mới"
        self.commune_a2.save()  # a unit written: the communes read again
        self.assertIn("Xã Tên Mới", self.client.get(DASHBOARD).content.decode())
        self.plan.communes.remove(self.commune_a2)  # the plan written: its communes read again
        self.assertNotEqual(tile(self.client.get(DASHBOARD).content.decode(), "tile-coverage"), covered)

    def test_a_facilities_row_written_shows_its_gap_on_the_next_request(self):
        from facilities import services as facilities_services
        from facilities.choices import HeadquartersState

        all_queries(self.client, DASHBOARD)
        before = all_queries(self.client, DASHBOARD)[1]
        facilities_services.headquarters_record(commune=self.commune_a1, on=D(2019, 2, 1),
                                                state=HeadquartersState.BORROWED)  # no own headquarters: a gap
        after = all_queries(self.client, DASHBOARD)[1]
        self.assertEqual(after.count('class="tag gap"'), before.count('class="tag gap"') + 1)

    def test_the_commune_list_follows_a_change_of_the_plan_and_keeps_the_plan_through_a_posting(self):
        url = "/communes/?as_of=2019-04-23&in_plan=yes"
        all_queries(self.client, url)
        warm, page = all_queries(self.client, url)
        self.assertIn(self.commune_a2.name, page)
        services.posting_start(officer=make_officer("Y Hai", home_unit=self.unit_a), commune=self.commune_a2,
                               position=Position.STANDING_OFFICER, on=D(2019, 3, 1))
        after_posting = all_queries(self.client, url)[0]
        self.assertGreater(after_posting, warm)  # the list's body (cached when warm) is computed again...
        datacache.caches[datacache.CACHE_ALIAS].clear()
        # ...but not its plan, read before and still cached: with nothing cached, the plan is read too.
        self.assertGreater(all_queries(self.client, url)[0], after_posting)
        self.plan.communes.remove(self.commune_a2)  # a plan written: read again
        self.assertNotIn(self.commune_a2.name, all_queries(self.client, url)[1])

    def test_each_kind_of_row_has_its_topic(self):
        from datacache import topics
        from facilities.models import HeadquartersRecord
        from pipeline.models import Candidate
        from roadmap.models import Milestone

        cases = {Commune: topics.UNITS, Province: topics.UNITS, Plan: topics.PLANS, Plan.communes.through: topics.PLANS,
                 Milestone: topics.PLANS, HeadquartersRecord: topics.FACILITIES, Candidate: topics.PIPELINE}
        from communes.models import PartyCell
        from personnel.models import Officer, PartyRole, Posting
        cases |= {Posting: topics.STAFFING, PartyRole: topics.STAFFING, PartyCell: topics.STAFFING, Officer: topics.STAFFING}
        for model, topic in cases.items():
            with self.subTest(model=model._meta.label):
                self.assertEqual(topics.topic_of(model), topic)


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs concurrent transactions; SQLite serialises writers at BEGIN, so there is no race to test")
class WritersInTwoProvincesTests(TransactionTestCase):
    def setUp(self):
        SmallProvinceTestCase.setUpTestData.__func__(self)
        self.b = second_province()
        self.officers = [make_officer(f"Y Song {i}") for i in range(3)]

    def test_a_writer_in_one_province_never_waits_for_a_writer_in_another(self):
        holding, release = threading.Event(), threading.Event()
        outcome = {}

        def hold_province_a():
            try:
                with datacache.writing(self.commune_a1):
                    services.posting_start(officer=self.officers[0], commune=self.commune_a1,
                                           position=Position.STANDING_OFFICER, on=D(2019, 1, 1))
                    holding.set()
                    release.wait(30)
            finally:
                connections.close_all()

        def write(commune, officer, key):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '1500ms'")
                services.posting_start(officer=officer, commune=commune, position=Position.STANDING_OFFICER,
                                       on=D(2019, 1, 1))
                outcome[key] = "written"
            except OperationalError as error:
                outcome[key] = error
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold_province_a)
        holder.start()
        self.assertTrue(holding.wait(20))
        try:
            other = threading.Thread(target=write, args=(self.b["communes"][0], self.officers[1], "b"))
            other.start()
            other.join(20)
            same = threading.Thread(target=write, args=(self.commune_a2, self.officers[2], "a"))
            same.start()
            same.join(20)
        finally:
            release.set()
            holder.join(20)
        self.assertEqual(outcome["b"], "written")  # province B's writer went straight through
        # A second writer in province A waited on A's row (the lock is real, and it is the province's only).
        self.assertIsInstance(outcome["a"], OperationalError)
        self.assertIn("lock timeout", str(outcome["a"]))


class AreasOfRowsTests(TransactionTestCase):
    """Which province a row of each kind belongs to (datacache/areas.py): through its commune, unit, officer, or
    a row that leads to one (an enrolment's candidate), never AREA_ALL when a province can be reached."""

    def test_rows_that_lead_to_a_province_raise_that_province(self):
        from datacache.areas import instance_provinces
        from pipeline.models import Candidate, Course, Enrolment

        SmallProvinceTestCase.setUpTestData.__func__(self)
        unit = Unit.objects.create(province=self.province, name="Công an huyện A", kind=UnitKind.DISTRICT_POLICE)
        officer = make_officer("Y Tám", home_unit=unit)
        candidate = Candidate.objects.create(officer=officer, province=self.province, selected_by=unit,
                                             selected_on=D(2018, 12, 1))
        course = Course.objects.create(province=self.province, organiser=unit, name="Lớp thử", place="Kon Tum",
                                       start_date=D(2018, 12, 10), end_date=D(2018, 12, 20))
        enrolment = Enrolment(candidate=candidate, course=course)
        posting = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        for row in (posting, officer, candidate, course, enrolment, unit):
            with self.subTest(row=type(row).__name__):
                self.assertEqual(instance_provinces(row), {self.province.pk})
        self.assertEqual(instance_provinces(self.province), {datacache.AREA_ALL})
