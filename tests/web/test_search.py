"""Search: every match counted and reachable a page at a time, partial service numbers, officers of one
name told apart (service number, home unit, the commune held on the day as named then), flat query counts."""

from __future__ import annotations

from django.urls import reverse

from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange
from dashboards.views import SEARCH_PER_PAGE
from personnel.choices import UnitKind
from personnel.models import Unit
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.web.helpers import count_queries

URL = reverse("search")


class SearchTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = [Unit.objects.create(province=cls.province, name=f"Công an huyện Thử {i}", kind=UnitKind.DISTRICT_POLICE)
                     for i in range(2)]
        cls.renamed = Commune.objects.create(code=23473, name="Thị trấn Măng Đen", district=cls.district_a,
                                             kind=CommuneKind.TOWNSHIP)
        CommuneChange.objects.create(commune=cls.renamed, effective_on=D(2019, 9, 1), previous_name="Xã Đắk Long",
                                     previous_kind=CommuneKind.COMMUNE)
        communes = [cls.commune_a1, cls.renamed, cls.commune_b1]
        cls.kims = []
        for i in range(SEARCH_PER_PAGE + 3):  # more than a page of one name
            kim = make_officer("A Kim", service_number=f"{700 + i}-{100 + i}", home_unit=cls.units[i % 2])
            if i < len(communes):
                make_posting(kim, communes[i], D(2019, 1, 1))
            cls.kims.append(kim)

    def setUp(self):
        self.client.force_login(self.viewer)

    def test_the_count_is_every_match_and_the_next_page_shows_the_rest(self):
        first = self.client.get(URL, {"q": "kim"})
        officers = first.context["officers"]
        self.assertEqual(officers.paginator.count, len(self.kims))
        self.assertEqual(len(officers), SEARCH_PER_PAGE)
        html = first.content.decode()
        self.assertIn(f'<span class="count">{len(self.kims)}</span>', html)
        self.assertIn('rel="next"', html)
        second = self.client.get(URL, {"q": "kim", "page": 2}).context["officers"]
        shown = [o.pk for o in officers] + [o.pk for o in second]
        self.assertEqual(sorted(shown), sorted(k.pk for k in self.kims))

    def test_a_partial_service_number_finds_the_officer(self):
        kim = self.kims[5]
        part = kim.service_number.split("-")[1]
        found = [o.pk for o in self.client.get(URL, {"q": part}).context["officers"]]
        self.assertEqual(found, [kim.pk])
        found = [o.pk for o in self.client.get(URL, {"q": kim.service_number[:4]}).context["officers"]]
        self.assertIn(kim.pk, found)

    def test_officers_of_one_name_are_told_apart_by_service_number_unit_and_commune_held_on_the_day(self):
        html = self.client.get(URL, {"q": "kim", "as_of": "2019-06-01"}).content.decode()
        results = html[html.index('id="officer-results"'):]
        for kim in self.client.get(URL, {"q": "kim"}).context["officers"]:
            self.assertIn(kim.service_number, results)
        for unit in self.units:
            self.assertIn(unit.name, results)
        self.assertIn("Xã Đắk Long", results)  # named as on 01/06/2019
        self.assertNotIn("Măng Đen", results)
        self.assertIn(self.commune_a1.name, results)
        later = self.client.get(URL, {"q": "kim", "as_of": "2019-09-01"}).content.decode()
        self.assertIn("Thị trấn Măng Đen", later[later.index('id="officer-results"'):])

    def test_communes_are_counted_and_named_as_on_the_day(self):
        response = self.client.get(URL, {"q": "mang den", "as_of": "2019-06-01"})  # found by today's name
        self.assertEqual([c.name_on for c in response.context["communes"]], ["Xã Đắk Long"])
        response = self.client.get(URL, {"q": "xa"})
        # Every commune that has borne a name of a xã: by its name, or by its name before a rename.
        self.assertEqual(response.context["communes"].paginator.count,
                         len([c for c in Commune.objects.all()
                              if c.name.startswith("Xã") or any(ch.previous_name.startswith("Xã") for ch in c.changes.all())]))

    def test_the_query_count_stays_the_same_as_matches_grow(self):
        url = f"{URL}?q=kim&as_of=2019-06-01"
        count_queries(self.client, url)
        few = count_queries(self.client, url)
        for i in range(40):
            make_posting(make_officer("Y Kim", service_number=f"9{i:02d}-000", home_unit=self.units[0]),
                         self.commune_a2 if i % 2 else self.ward_b2, D(2019, 2, 1))
        self.assertEqual(count_queries(self.client, url), few)
        self.assertEqual(count_queries(self.client, url + "&page=2"), few)
