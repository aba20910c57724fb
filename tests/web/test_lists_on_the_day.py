"""The officer, posting and Party-role lists show the rows of the as-of day by default and all rows on
request, say which in words, and keep the counts of the tiles that link to them."""

from __future__ import annotations

from django.urls import reverse

from personnel.choices import PartyRoleKind, UnitKind
from personnel.models import Officer, PartyRole, Posting, Unit
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import count_queries

DAY = D(2019, 4, 23)
LATER = D(2020, 3, 1)
LISTS = ("officer_list", "posting_list", "partyrole_list")


class ListsOnTheDayTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.early = make_officer("Trần Văn Sớm")
        make_posting(cls.early, cls.commune_a1, D(2019, 1, 1), end=D(2019, 12, 31))
        make_posting(cls.early, cls.commune_a2, D(2020, 1, 1))  # a later posting of an early officer
        PartyRole.objects.create(officer=cls.early, commune=cls.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                 start_date=D(2019, 2, 1))
        cls.gone = make_officer("Lê Văn Đi")
        make_posting(cls.gone, cls.commune_b1, D(2018, 6, 1), end=D(2019, 3, 31))  # left before the day
        cls.late = make_officer("Y Muộn")  # recruited after the day
        make_posting(cls.late, cls.commune_b1, LATER)
        PartyRole.objects.create(officer=cls.late, commune=cls.commune_b1, role=PartyRoleKind.STANDING_COMMITTEE,
                                 start_date=LATER)
        unit = Unit.objects.create(province=cls.province, name="Phòng Thử", kind=UnitKind.DEPARTMENT)
        cls.unposted = make_officer("Đinh Văn Chờ", home_unit=unit)  # seen through their home unit

    def setUp(self):
        self.client.force_login(self.viewer)

    def rows(self, name: str, **params) -> list:
        return list(self.client.get(reverse(name), {"as_of": DAY.isoformat(), **params}).context["table"].data.data)

    def test_a_bare_officer_list_shows_the_officers_posted_by_the_day(self):
        expected = {o.pk for o in Officer.objects.for_user(self.viewer) if o.postings.filter(start_date__lte=DAY).exists()}
        self.assertEqual({o.pk for o in self.rows("officer_list")}, expected)
        self.assertNotIn(self.late.pk, expected)
        self.assertIn(self.gone.pk, expected)  # left before the day, but there

    def test_all_time_shows_every_officer_later_and_unposted_ones_too(self):
        everyone = set(Officer.objects.for_user(self.viewer).values_list("pk", flat=True))
        self.assertEqual({o.pk for o in self.rows("officer_list", period="all")}, everyone)
        self.assertTrue({self.late.pk, self.unposted.pk} <= everyone)

    def test_the_posting_and_party_role_lists_leave_out_rows_that_started_after_the_day(self):
        for name, model in (("posting_list", Posting), ("partyrole_list", PartyRole)):
            with self.subTest(list=name):
                on_day = {r.pk for r in self.rows(name)}
                self.assertEqual(on_day, set(model.objects.filter(start_date__lte=DAY).values_list("pk", flat=True)))
                self.assertEqual({r.pk for r in self.rows(name, period="all")}, set(model.objects.values_list("pk", flat=True)))
                self.assertLess(len(on_day), model.objects.count())

    def test_filters_narrow_the_rows_of_the_day(self):
        not_in_post = {o.pk for o in self.rows("officer_list", in_post="no")}
        self.assertIn(self.gone.pk, not_in_post)
        self.assertNotIn(self.late.pk, not_in_post)
        self.assertIn(self.late.pk, {o.pk for o in self.rows("officer_list", in_post="no", period="all")})
        ended = {p.pk for p in self.rows("posting_list", status="ended")}
        self.assertEqual(ended, set(Posting.objects.filter(end_date__lt=DAY).values_list("pk", flat=True)))

    def test_the_rows_a_tile_links_to_are_the_same_on_the_day_and_all_time(self):
        for name, params in (("officer_list", {"in_post": "yes"}),
                             ("partyrole_list", {"role": "bch", "holder": "police", "status": "open"})):
            with self.subTest(list=name):
                self.assertEqual({r.pk for r in self.rows(name, **params)},
                                 {r.pk for r in self.rows(name, period="all", **params)})

    def test_each_list_shows_the_choice_and_says_which_rows_it_holds(self):
        for name in LISTS:
            with self.subTest(list=name):
                html = self.client.get(reverse(name), {"as_of": DAY.isoformat()}).content.decode()
                self.assertIn('class="periods"', html)
                self.assertIn('aria-current="true">Ngày 23/04/2019</a>', html)
                self.assertIn("period=all", html)
                self.assertIn('id="period-note"', html)
                self.assertIn('name="period" value="day"', html)  # the filter form keeps the choice
                html = self.client.get(reverse(name), {"as_of": DAY.isoformat(), "period": "all"}).content.decode()
                self.assertIn('aria-current="true">Mọi thời điểm</a>', html)
                self.assertIn('name="period" value="all"', html)

    def test_the_choice_costs_no_query_and_the_count_stays_flat_as_rows_grow(self):
        for name in LISTS:
            for period in ("day", "all"):
                url = f"{reverse(name)}?as_of={DAY.isoformat()}&period={period}"
                count_queries(self.client, url)
                with self.subTest(list=name, period=period):
                    few = count_queries(self.client, url)
                    for i in range(5):
                        officer = make_officer(f"Phạm Văn Thêm {i}")
                        make_posting(officer, self.commune_a2, D(2019, 1, 1) if i % 2 else LATER)
                        PartyRole.objects.create(officer=officer, commune=self.commune_a2,
                                                 role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=D(2019, 1, 1))
                    count_queries(self.client, url)  # the write made the cached choices stale
                    self.assertEqual(count_queries(self.client, url), few)
