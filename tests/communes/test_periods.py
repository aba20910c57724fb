"""The periods module: its SQL (Q) and its Python tests agree on random data, for every kind of period."""

from __future__ import annotations

import datetime
import random

from django.test import SimpleTestCase

from communes.models import Commune, PartyCell
from communes.periods import CELL_LIFE, TERM, UNIT_LIFE
from personnel.choices import PartyRoleKind, Position
from personnel.models import PartyRole, Posting
from tests.base import D, SmallProvinceTestCase, make_officer

DAYS = [D(2019, 1, 1) + datetime.timedelta(days=n) for n in range(40)]


def random_span(rng: random.Random, *, inclusive: bool, optional_start: bool = False):
    start = None if optional_start and rng.random() < 0.2 else rng.choice(DAYS[:30])
    if rng.random() < 0.3:
        return start, None
    first = start or DAYS[0]
    length = rng.randint(0, 8)
    # A term may end on the day it starts; a life ends at the earliest the day after.
    return start, first + datetime.timedelta(days=length if inclusive else length + 1)


class PeriodConventionTests(SimpleTestCase):
    def test_a_term_holds_its_last_day_and_a_life_does_not_hold_its_end(self):
        self.assertTrue(TERM.holds(D(2019, 1, 1), D(2019, 1, 31), D(2019, 1, 31)))
        self.assertFalse(CELL_LIFE.holds(D(2019, 1, 1), D(2019, 1, 31), D(2019, 1, 31)))
        self.assertTrue(CELL_LIFE.holds(D(2019, 1, 1), D(2019, 1, 31), D(2019, 1, 30)))

    def test_a_commune_with_no_known_start_exists_on_any_day_before_its_end(self):
        self.assertTrue(UNIT_LIFE.holds(None, D(2019, 9, 1), D(1990, 1, 1)))
        self.assertFalse(UNIT_LIFE.holds(None, D(2019, 9, 1), D(2019, 9, 1)))

    def test_periods_are_described_by_their_first_and_last_day(self):
        self.assertEqual(TERM.describe(D(2019, 1, 1), D(2019, 1, 31)), "01/01/2019–31/01/2019")
        self.assertEqual(CELL_LIFE.describe(D(2019, 1, 1), D(2019, 2, 1)), "01/01/2019–31/01/2019")


class PeriodSqlAgreesWithPythonTests(SmallProvinceTestCase):
    """For random rows and days: the rows each Q returns are exactly the rows the Python test accepts."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = random.Random(11)
        officers = [make_officer(f"Cán Bộ {n}") for n in range(60)]
        Posting.objects.bulk_create(
            Posting(officer=o, commune=cls.commune_a1, position=Position.STANDING_OFFICER, start_date=s, end_date=e)
            for o in officers for s, e in [random_span(rng, inclusive=True)]
        )
        PartyRole.objects.bulk_create(
            PartyRole(officer=o, commune=cls.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE, start_date=s, end_date=e)
            for o in officers for s, e in [random_span(rng, inclusive=True)]
        )
        communes = []
        for n in range(60):
            start, end = random_span(rng, inclusive=False, optional_start=True)
            communes.append(Commune(code=95000 + n, name=f"Xã Ngẫu Nhiên {n}", district=cls.district_a,
                                    established_on=start, abolished_on=end))
        for commune in communes:
            commune.fill_derived()
        Commune.objects.bulk_create(communes)
        cells = []
        for commune in Commune.objects.filter(code__gte=95000):
            start, end = random_span(rng, inclusive=False)
            cells.append(PartyCell(commune=commune, established_on=start, dissolved_on=end))
        PartyCell.objects.bulk_create(cells)

    def kinds(self):
        return [
            ("posting", TERM, Posting.objects.all()),
            ("party role", TERM, PartyRole.objects.all()),
            ("cell", CELL_LIFE, PartyCell.objects.all()),
            ("commune", UNIT_LIFE, Commune.objects.filter(code__gte=95000)),
        ]

    def test_open_on_a_day_is_the_same_in_sql_and_in_python(self):
        for label, period, rows in self.kinds():
            everything = list(rows)
            for day in DAYS:
                with self.subTest(kind=label, day=day):
                    in_sql = set(rows.filter(period.open_on(day)).values_list("pk", flat=True))
                    self.assertEqual(in_sql, {r.pk for r in everything if period.is_open_on(r, day)})

    def test_overlapping_a_period_is_the_same_in_sql_and_in_python(self):
        rng = random.Random(12)
        for label, period, rows in self.kinds():
            everything = list(rows)
            for _ in range(40):
                span = random_span(rng, inclusive=period.end_inclusive)
                with self.subTest(kind=label, span=span):
                    in_sql = set(rows.filter(period.overlapping(*span)).values_list("pk", flat=True))
                    expected = {r.pk for r in everything if period.spans_overlap(period.bounds(r), span)}
                    self.assertEqual(in_sql, expected)

    def test_ended_before_a_day_is_the_same_in_sql_and_in_python(self):
        for label, period, rows in self.kinds():
            everything = list(rows)
            for day in DAYS:
                with self.subTest(kind=label, day=day):
                    in_sql = set(rows.filter(period.ended_before(day)).values_list("pk", flat=True))
                    expected = {r.pk for r in everything if period.last_day(period.bounds(r)[1]) < day}
                    self.assertEqual(in_sql, expected)

    def test_the_querysets_open_on_a_day_use_the_same_periods(self):
        day = D(2019, 1, 15)
        self.assertEqual(set(Posting.objects.open_on(day)), set(Posting.objects.filter(TERM.open_on(day))))
        self.assertEqual(set(PartyCell.objects.active_on(day)), set(PartyCell.objects.filter(CELL_LIFE.open_on(day))))
        self.assertEqual(set(Commune.objects.existing_on(day)), set(Commune.objects.filter(UNIT_LIFE.open_on(day))))
