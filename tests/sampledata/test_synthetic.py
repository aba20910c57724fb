"""The national generator keeps every rule of the data, is deterministic, and national_figures agrees with
coverage_figures province by province in a constant number of queries."""

from __future__ import annotations

import datetime
import io
import itertools
from collections import defaultdict

from django.core.management import call_command
from django.db.models import F
from django.test import TestCase

from communes.divisions import provinces_leading_to
from communes.models import PartyCell, Province
from communes.services import divisions_import
from personnel.choices import EndReason, PartyRoleKind, Position
from personnel.coverage import coverage_figures, national_figures
from personnel.models import Officer, PartyRole, Plan, Posting
from sampledata.synthetic import build_national, generate_national
from tests import demo
from tests.plausibility import plausibility_breaches

D = datetime.date
SMALL = [1, 2, 4]  # Hà Nội, Hà Giang, Cao Bằng: a big city and two mountain provinces
# ... and what their lineage and Kon Tum's reach: Hà Giang went into Tuyên Quang (8) on 01/07/2025, Kon Tum
# into Quảng Ngãi (51). The generator fills every one of them but Kon Tum.
SMALL_OLD = sorted(provinces_leading_to(set(SMALL) | {62})[0] - {62})
DAYS = [D(2019, 4, 23), D(2020, 1, 1), D(2021, 12, 31), D(2024, 6, 30), D(2025, 3, 1)]


def _overlap(a, b) -> bool:
    (s1, e1), (s2, e2) = a, b
    return s1 <= (e2 or D.max) and s2 <= (e1 or D.max)


def _no_overlaps(periods: dict) -> list:
    bad = []
    for key, spans in periods.items():
        spans = sorted(spans)
        for left, right in itertools.pairwise(spans):
            if _overlap(left, right):
                bad.append((key, left, right))
    return bad


class GenerateNationalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        divisions_import(province_codes=SMALL)
        demo.load_pilot()  # Kon Tum, the real pilot: the generator must leave it alone
        cls.result = generate_national(seed=7, scale=0.05)

    def test_it_fills_every_loaded_province_except_kon_tum(self):
        self.assertEqual(self.result.provinces, len(SMALL_OLD))
        with_plan = set(Plan.objects.values_list("province__code", flat=True))
        self.assertEqual(with_plan, set(SMALL_OLD) | {62})
        self.assertEqual(Plan.objects.filter(province__code=62).count(), 1)

    def test_it_leaves_the_kon_tum_pilot_figures_as_they_were(self):
        figures = coverage_figures(province=Province.objects.get(code=62), as_of=D(2019, 4, 23))
        self.assertEqual(
            (figures.officers_in_post, figures.communes_covered, figures.communes_in_plan, figures.party_cells,
             figures.cells_with_police_secretary, figures.executive_committee_members,
             figures.standing_committee_members),
            (349, 86, 86, 61, 60, 41, 22),
        )

    def test_it_writes_transfers_ended_postings_cells_and_roles(self):
        generated = Posting.objects.exclude(commune__province__code=62)
        self.assertGreater(generated.count(), 2 * Officer.objects.filter(service_number__startswith="N").count())
        self.assertTrue(generated.filter(end_reason=EndReason.TRANSFERRED).exists())
        self.assertTrue(generated.filter(end_date__isnull=False).exclude(end_reason=EndReason.TRANSFERRED).exists())
        self.assertTrue(generated.filter(end_date__isnull=True).exists())
        self.assertEqual(generated.filter(start_date__lt=D(2019, 1, 1)).count(), 0)
        self.assertTrue(PartyCell.objects.exclude(commune__province__code=62).exists())
        for kind in PartyRoleKind.values:
            self.assertTrue(PartyRole.objects.filter(role=kind).exclude(commune__province__code=62).exists(), kind)

    def test_postings_of_one_officer_never_overlap(self):
        periods = defaultdict(list)
        for officer, start, end in Posting.objects.values_list("officer_id", "start_date", "end_date"):
            periods[officer].append((start, end))
        self.assertEqual(_no_overlaps(periods), [])
        open_per_officer = Posting.objects.filter(end_date__isnull=True).values_list("officer_id", flat=True)
        self.assertEqual(len(open_per_officer), len(set(open_per_officer)))

    def test_a_commune_has_one_chief_at_a_time(self):
        periods = defaultdict(list)
        for commune, start, end in Posting.objects.filter(position=Position.CHIEF).values_list("commune_id", "start_date", "end_date"):
            periods[commune].append((start, end))
        self.assertEqual(_no_overlaps(periods), [])

    def test_a_cell_has_one_secretary_at_a_time_and_roles_stay_in_their_commune(self):
        periods = defaultdict(list)
        for cell, start, end in PartyRole.objects.filter(role=PartyRoleKind.CELL_SECRETARY).values_list("cell_id", "start_date", "end_date"):
            periods[cell].append((start, end))
        self.assertEqual(_no_overlaps(periods), [])
        self.assertFalse(PartyRole.objects.filter(cell__isnull=False).exclude(commune_id=F("cell__commune_id")).exists())
        open_cells = PartyCell.objects.filter(dissolved_on__isnull=True).values_list("commune_id", flat=True)
        self.assertEqual(len(open_cells), len(set(open_cells)))

    def test_every_posting_and_role_ends_on_or_after_it_starts(self):
        self.assertFalse(Posting.objects.filter(end_date__lt=F("start_date")).exists())
        self.assertFalse(PartyRole.objects.filter(end_date__lt=F("start_date")).exists())

    def test_every_row_keeps_the_plausibility_rules(self):
        self.assertEqual(plausibility_breaches(), [])

    def test_the_same_seed_builds_the_same_data(self):
        provinces = list(Province.objects.existing_on(D(2019, 4, 23)).filter(code__in=SMALL_OLD).order_by("code"))

        def snapshot(seed):
            build = build_national(seed=seed, scale=0.05, provinces=provinces)
            return (
                [(o.service_number, o.full_name, o.birth_date, o.rank) for o in build.officers],
                [(p.officer.service_number, p.commune_id, p.position, p.start_date, p.end_date, p.end_reason) for p in build.postings],
                [(r.commune_id, r.role, r.start_date, r.end_date) for r in build.roles],
            )

        first = snapshot(7)
        self.assertEqual(first, snapshot(7))
        self.assertNotEqual(first, snapshot(8))
        # And what was written is what seed 7 builds.
        written = sorted(
            Posting.objects.filter(officer__service_number__startswith="N")
            .values_list("officer__service_number", "commune_id", "position", "start_date", "end_date", "end_reason")
        )
        self.assertEqual(written, sorted(first[1]))

    def test_running_it_again_changes_nothing(self):
        before = Posting.objects.count()
        out = io.StringIO()
        call_command("generate_national", "--scale", "0.05", stdout=out)
        self.assertIn("nothing changed", out.getvalue())
        self.assertEqual(Posting.objects.count(), before)


class NationalFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        divisions_import(province_codes=SMALL)
        demo.load_pilot()
        generate_national(seed=11, scale=0.04)

    def test_each_row_equals_the_province_coverage_figures(self):
        for day in DAYS:
            rows = national_figures(as_of=day)
            self.assertEqual(len(rows), Province.objects.existing_on(day).count())
            for row in rows:
                self.assertEqual(row.figures, coverage_figures(province=row.province, as_of=day), (row.province, day))

    def test_kon_tum_row_shows_the_pilot_figures(self):
        row = next(r for r in national_figures(as_of=D(2019, 4, 23)) if r.province.code == 62)
        self.assertEqual((row.figures.officers_in_post, row.figures.communes_covered, row.figures.party_cells), (349, 86, 61))

    def test_rows_come_in_vietnamese_name_order(self):
        names = [r.province.sort_key for r in national_figures(as_of=D(2020, 1, 1))]
        self.assertEqual(names, sorted(names))

    def test_it_takes_five_queries_however_many_provinces_have_data(self):
        with self.assertNumQueries(5):
            national_figures(as_of=D(2021, 1, 1))
        divisions_import(province_codes=[6, 8, 10])
        generate_national(seed=12, scale=0.04)
        with self.assertNumQueries(5):
            rows = national_figures(as_of=D(2021, 1, 1))
        self.assertEqual(len(rows), Province.objects.existing_on(D(2021, 1, 1)).count())
        self.assertTrue(all(r.figures.officers_in_post > 0 for r in rows))

    def test_a_province_without_plan_or_postings_shows_zeros(self):
        divisions_import(province_codes=[6])
        row = next(r for r in national_figures(as_of=D(2021, 1, 1)) if r.province.code == 6)
        self.assertIsNone(row.plan_id)
        self.assertEqual(row.figures.officers_in_post, 0)
        self.assertEqual(row.figures.coverage_percent, 0.0)
