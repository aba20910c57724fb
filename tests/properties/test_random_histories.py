"""Properties of the app's figures on random histories (tests/histories.py): the figures agree with
each other (chart and tiles, tiles and lists, pages and exports) and with the definitions of
DESIGN.md, computed here in plain Python from the generated rows (the oracle), never by app code.

Each seed is one TestCase class (the world is written once in setUpTestData); each test checks a
property on a handful of days chosen from the seed: days where something changes (abolitions,
establishments, renames, one-day postings, moves between provinces, a cell left without a
secretary) and the days either side, month ends, and random days. A failure lists every
disagreement found, each with the seed, the day and the two values.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import html as html_lib
import io
import random
import re
from collections import Counter
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.utils import translation

# ---- app code: every import of it is here, for the lead to re-point when modules move ------------
import dashboards.views as dashboard_views
from communes.models import Commune
from kontum_posts.lib.vntext import place_sort_key
from personnel.choices import PartyRoleKind, Position
from personnel.coverage import Gap, area_staffing, coverage_figures, national_figures, plan_communes
from tests.histories import FIRST, LAST, ONE_DAY, World, build_world, month_end

DASHBOARD_MODULE = dashboard_views  # the module whose `rollout_series` the dashboard calls
ROLLOUT_NAME = "rollout_series"
# -------------------------------------------------------------------------------------------------

SEEDS = (11, 23, 37, 58)
# Two of the four worlds on each database (each written once, then ~20 s of checks): CI's two passes together check
# all four, and each database's SQL meets two random histories.
SEEDS_HERE = SEEDS[:2] if connection.vendor == "postgresql" else SEEDS[2:]
FIGURE_NAMES = ("officers_in_post", "communes_covered", "communes_in_plan", "party_cells",
                "cells_with_police_secretary", "executive_committee_members", "standing_committee_members")
DEFINITE_GAPS = {Gap.NO_CHIEF, Gap.BELOW_NORM, Gap.NO_PARTY_CELL}
MAX_REPORTED = 12


# ---- the oracle: DESIGN.md's definitions over the generated rows ----------------------------------

def oracle_communes(world: World, province_pk: int, day: datetime.date, district_pks=None):
    return [c for c in world.communes_of(province_pk, district_pks) if c.exists_on(day)]


def oracle_cell(world: World, commune_pk: int, day: datetime.date):
    return next((cell for cell in world.cells if cell.commune_pk == commune_pk and cell.active_on(day)), None)


def oracle_secretary(world: World, cell, day: datetime.date):
    """The cell's secretary on the day (a role row), if it has one."""
    return next((r for r in world.roles if r.cell_pk == cell.pk and r.kind == PartyRoleKind.CELL_SECRETARY
                 and r.open_on(day)), None)


def oracle_figures(world: World, province_pk: int, day: datetime.date, district_pks=None) -> dict[str, int]:
    """The six figures of DESIGN.md for the province (or some of its districts) on the day."""
    existing = {c.pk for c in oracle_communes(world, province_pk, day, district_pks)}
    open_postings = [p for p in world.postings if p.commune_pk in existing and p.open_on(day)]
    plan = world.plan_communes[province_pk] & existing
    staffed = {p.commune_pk for p in open_postings}
    cells = [cell for pk in existing if (cell := oracle_cell(world, pk, day))]
    police_secretaries = [cell for cell in cells if (s := oracle_secretary(world, cell, day)) and s.officer_pk]
    seats = [r for r in world.roles if r.commune_pk in existing and r.officer_pk and r.open_on(day)]
    return {
        "officers_in_post": len(open_postings),
        "communes_covered": len(plan & staffed),
        "communes_in_plan": len(plan),
        "party_cells": len(cells),
        "cells_with_police_secretary": len(police_secretaries),
        "executive_committee_members": sum(1 for r in seats if r.kind == PartyRoleKind.EXECUTIVE_COMMITTEE),
        "standing_committee_members": sum(1 for r in seats if r.kind == PartyRoleKind.STANDING_COMMITTEE),
    }


@dataclasses.dataclass(frozen=True)
class ExpectedGaps:
    definite: frozenset[str]  # no chief, below the norm, no Party cell
    secretary: str  # "" (a police secretary, or no cell), "not_police", or "none" (a cell with no secretary)


def oracle_gaps(world: World, province_pk: int, day: datetime.date) -> dict[int, ExpectedGaps]:
    """Per plan commune existing on the day (by code), the norms it misses."""
    plan = world.plans[province_pk]
    out = {}
    for c in oracle_communes(world, province_pk, day):
        if c.pk not in world.plan_communes[province_pk]:
            continue
        open_postings = [p for p in world.postings if p.commune_pk == c.pk and p.open_on(day)]
        definite = set()
        if plan.requires_chief and not any(p.kind == Position.CHIEF for p in open_postings):
            definite.add(Gap.NO_CHIEF)
        if len(open_postings) < plan.min_officers:
            definite.add(Gap.BELOW_NORM)
        cell = oracle_cell(world, c.pk, day)
        secretary = ""
        if cell is None:
            definite.add(Gap.NO_PARTY_CELL)
        else:
            holder = oracle_secretary(world, cell, day)
            if holder is None:
                secretary = "none"  # the norm is "a Party cell with a police secretary": missed too
            elif not holder.officer_pk:
                secretary = "not_police"
        out[c.code] = ExpectedGaps(frozenset(definite), secretary)
    return out


def gaps_disagree(expected: ExpectedGaps, got: set[str]) -> bool:
    if set(got) & DEFINITE_GAPS != expected.definite:
        return True
    rest = set(got) - DEFINITE_GAPS
    if expected.secretary == "":
        return bool(rest)
    if expected.secretary == "not_police":
        return rest != {Gap.SECRETARY_NOT_POLICE}
    # No secretary at all: one gap says so (today's code or a dedicated one).
    return len(rest) != 1


def as_dict(figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in FIGURE_NAMES}


def differences(expected: dict, got: dict) -> str:
    return ", ".join(f"{k}: expected {expected[k]} got {got[k]}" for k in expected if expected[k] != got[k])


# ---- reading pages ------------------------------------------------------------------------------

TILE = re.compile(r'<a class="tile"(?: id="([^"]*)")? href="([^"]+)">(.*?)</a>', re.S)
TILE_VALUE = re.compile(r'<span class="tile-value">(.*?)</span>', re.S)
LIST_COUNT = re.compile(r'<h1>[^<]*<span class="count">(\d+)</span></h1>')
COMMUNE_LINK = re.compile(r'<a href="/communes/(\d+)/[^"]*">(.*?)</a>', re.S)


def text_of(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def tiles(page: str) -> list[tuple[str, str, str]]:
    """(id or label, link, value) of every tile on the page."""
    out = []
    for tile_id, href, inner in TILE.findall(page):
        value = TILE_VALUE.search(inner)
        out.append((tile_id or text_of(inner.split('<span class="tile-value">')[0]), html_lib.unescape(href),
                    text_of(value.group(1)) if value else ""))
    return out


def district_table_links(page: str) -> list[tuple[str, str]]:
    body = re.search(r'id="district-table".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [(html_lib.unescape(href), text_of(value))
            for href, value in re.findall(r'<td class="num"><a href="([^"]+)">(.*?)</a></td>', body, re.S)]


def table_body(page: str) -> str:
    """The body of the list page's (django-tables2) table."""
    match = re.search(r'<table[^>]*class="table[^"]*"[^>]*>.*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    return match.group(1) if match else ""


def rows_of(body: str) -> list[list[str]]:
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    lines = list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff"))))
    return lines[:lines.index([])] if [] in lines else lines  # the table, not the notes after it


def xlsx_rows(response) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(vi(header))
    return [row[index] for row in rows[1:]]


def name_sort_key(name: str) -> str:
    """Vietnamese order of a commune name, its kind prefix left out (as the lists sort places)."""
    return place_sort_key(Commune(name=name).short_name)


# ---- the properties -----------------------------------------------------------------------------

class RandomHistoryProperties:
    """Mixed into one TestCase per seed (below)."""

    seed: int

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world(cls.seed)
        rng = random.Random(cls.seed * 7919)
        interesting = cls.world.interesting_days
        month_ends = sorted({month_end(FIRST + datetime.timedelta(days=30 * i)) for i in range(24)})
        randoms = [FIRST + datetime.timedelta(days=rng.randint(0, (LAST - FIRST).days)) for _ in range(2)]
        cls.days = sorted(set(rng.sample(interesting, min(7, len(interesting))) + rng.sample(month_ends, 2) + randoms))
        # Dashboard days after a plan commune was abolished: the chart's earlier months still count it.
        after = [c.abolished_on + datetime.timedelta(days=rng.randint(0, 40)) for c in cls.world.communes.values()
                 if c.abolished_on and any(c.pk in plan for plan in cls.world.plan_communes.values())]
        cls.dashboard_days = sorted({d for d in rng.sample(after, min(1, len(after))) if d <= LAST} | {LAST})
        cls.users = [
            (f"viewer of {p.name}", cls.world.viewers[p.pk], p.pk, None) for p in cls.world.provinces
        ] + [
            ("editor limited to one district", cls.world.district_editor, cls.world.provinces[0].pk,
             cls.world.district_editor_districts),
            ("viewer limited to two districts", cls.world.two_district_viewer, cls.world.provinces[1].pk,
             cls.world.two_district_viewer_districts),
        ]

    # helpers

    def where(self, day, who="") -> str:
        return f"seed {self.seed}, day {day:%Y-%m-%d}" + (f", {who}" if who else "")

    def fail_if(self, problems: list[str], checked: int, what: str):
        self.assertGreater(checked, 0, f"seed {self.seed}: nothing to check for {what}")
        if problems:
            shown = "\n  ".join(problems[:MAX_REPORTED])
            more = f"\n  … and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
            self.fail(f"{len(problems)} of {checked} checks of {what} disagree:\n  {shown}{more}")

    def get(self, user, url):
        self.client.force_login(user)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, f"seed {self.seed}: GET {url} gave {response.status_code}")
        return response

    def page(self, user, url) -> str:
        return self.get(user, url).content.decode()

    def province(self, pk):
        return next(p for p in self.world.provinces if p.pk == pk)

    def app_figures(self, province_pk, day, district_pks=None) -> dict[str, int]:
        """coverage_figures() for the province, or summed over some of its districts (memoised per test)."""
        memo = self.__dict__.setdefault("_figures_memo", {})
        key = (province_pk, day, tuple(district_pks or ()))
        if key not in memo:
            memo[key] = self._app_figures(province_pk, day, district_pks)
        return memo[key]

    def _app_figures(self, province_pk, day, district_pks=None) -> dict[str, int]:
        province = self.province(province_pk)
        plan = self.world.plans[province_pk]
        if not district_pks:
            return as_dict(coverage_figures(province=province, as_of=day, plan=plan))
        parts = [as_dict(coverage_figures(province=province, as_of=day, plan=plan, district=self.world.districts[d]))
                 for d in district_pks]
        return {name: sum(p[name] for p in parts) for name in FIGURE_NAMES}

    def list_count(self, user, url) -> int:
        """The rows of the list at `url`, read from its CSV export (exactly the filtered rows, every page;
        5x cheaper than rendering the page). The page's own count is held equal to it once per seed."""
        rows = len(csv_rows(self.get(user, f"{url}&export=csv"))) - 1
        if not getattr(self, "_page_count_checked", False):
            self._page_count_checked = True
            match = LIST_COUNT.search(self.page(user, url))
            self.assertIsNotNone(match, f"seed {self.seed}: no row count on {url}")
            self.assertEqual(int(match.group(1)), rows, f"seed {self.seed}: {url} counts {match.group(1)} rows, "
                                                        f"its CSV export has {rows}")
        return rows

    # 1. the roll-out chart

    def test_every_rollout_point_equals_the_figures_of_its_day(self):
        problems, checked = [], 0
        original = getattr(DASHBOARD_MODULE, ROLLOUT_NAME)
        for label, user, province_pk, district_pks in self.users:
            for as_of in self.dashboard_days:
                series = []

                def spy(*args, series=series, **kwargs):
                    points = original(*args, **kwargs)
                    series.append(points)
                    return points

                with mock.patch.object(DASHBOARD_MODULE, ROLLOUT_NAME, spy):
                    self.page(user, f"/?as_of={as_of:%Y-%m-%d}")
                self.assertEqual(len(series), 1, f"{self.where(as_of, label)}: the dashboard drew {len(series)} roll-outs")
                for point in series[0]:
                    checked += 1
                    want = self.app_figures(province_pk, point.day, district_pks)
                    for name in ("communes_covered", "officers_in_post"):
                        if getattr(point, name) != want[name]:
                            problems.append(f"{self.where(point.day, label)} (dashboard of {as_of:%Y-%m-%d}): "
                                            f"chart {name} {getattr(point, name)}, figures of the day {want[name]}")
        self.fail_if(problems, checked, "roll-out points against the figures of their day")

    # 2. tiles and the lists they link to

    def check_tiles_against_lists(self, user, page_url, who, problems) -> int:
        checked = 0
        for name, href, value in tiles(self.page(user, page_url)):
            numbers = [int(n) for n in value.split("/")]
            if "police_secretary=yes" in href:
                pairs = [(href, numbers[0])]
            elif "in_plan=yes" in href:
                # "covered / in the plan": the link lists the covered communes (the numerator); without
                # `covered` the same list is the plan's communes (the denominator).
                plan_href = re.sub(r"&covered=yes", "", href)
                pairs = [(plan_href, numbers[-1]), (plan_href + "&covered=yes", numbers[0])]
            else:
                pairs = [(href, numbers[0])]
            for url, shown in pairs:
                checked += 1
                rows = self.list_count(user, url)
                if rows != shown:
                    problems.append(f"seed {self.seed}, {who}, {page_url}: tile {name!r} shows {shown}, "
                                    f"its list {url} has {rows} rows")
        return checked

    def test_every_dashboard_tile_equals_the_row_count_of_the_list_it_links_to(self):
        problems, checked = [], 0
        # One day a seed (another each seed) and one province viewer a seed: a list costs ~50 ms.
        users = [u for i, u in enumerate(self.users) if i >= 2 or i == self.seed % 2]
        for day in self.days[self.seed % len(self.days)::12]:
            for label, user, _province_pk, _districts in users:
                checked += self.check_tiles_against_lists(user, f"/?as_of={day:%Y-%m-%d}", label, problems)
        self.fail_if(problems, checked, "dashboard tiles against their lists")

    def test_every_district_page_tile_and_district_row_equals_the_row_count_of_its_list(self):
        problems, checked = [], 0
        day = self.days[len(self.days) // 2]
        for province in self.world.provinces[self.seed % 2:][:1]:  # one province a seed
            user = self.world.viewers[province.pk]
            links = district_table_links(self.page(user, f"/?as_of={day:%Y-%m-%d}"))
            for href, value in links[6 * (self.seed % 2):][:6]:  # one district's row a seed
                numbers = [int(n) for n in value.split("/")]
                shown = numbers[-1] if "in_plan=yes" in href and "covered=yes" not in href else numbers[0]
                checked += 1
                rows = self.list_count(user, href)
                if rows != shown:
                    problems.append(f"{self.where(day, 'dashboard district table')}: {shown} links to {href}, "
                                    f"which has {rows} rows")
        district = self.world.districts[self.world.district_editor_districts[0]]
        checked += self.check_tiles_against_lists(
            self.world.district_editor, f"/districts/{district.code}/?as_of={day:%Y-%m-%d}", "district editor", problems)
        self.fail_if(problems, checked, "district rows and district page tiles against their lists")

    # 3. names of the day

    def renamed_days(self) -> list[tuple[int, datetime.date]]:
        """(commune pk, day) on each side of a rename: the day before it and the day it takes effect."""
        out = []
        for c in self.world.communes.values():
            for day, _name, _kind in c.names[1:]:
                for d in (day - ONE_DAY, day):
                    if c.exists_on(d) and any(p.commune_pk == c.pk and p.open_on(d) for p in self.world.postings):
                        out.append((c.pk, d))
        rng = random.Random(self.seed * 31)
        return sorted(rng.sample(out, min(3, len(out))))

    def check_commune_names(self, user, url, day, expected: Counter, problems, with_exports=True) -> int:
        """Every commune link of the list names its commune as on `day`, and the exports' commune
        column holds exactly the names of the day of the rows expected."""
        checked = 0
        body = table_body(self.page(user, url))
        for code, shown in COMMUNE_LINK.findall(body):
            checked += 1
            want = self.world.commune_by_code(int(code)).name_on(day)
            if text_of(shown) != want:
                problems.append(f"{self.where(day)}: {url} names commune {code} {text_of(shown)!r}, "
                                f"on that day it was {want!r}")
        if with_exports:
            for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
                export = f"{url}&export={fmt}"
                got = Counter(column(read(self.get(user, export)), "Commune"))
                checked += 1
                if got != expected:
                    missing, extra = expected - got, got - expected
                    problems.append(f"{self.where(day)}: {export} commune column lacks {dict(missing)} "
                                    f"and has {dict(extra)} instead")
        return checked

    def district_of(self, commune_pk):
        return self.world.districts[self.world.communes[commune_pk].district_pk]

    def viewer_of(self, commune_pk):
        return self.world.viewers[self.world.communes[commune_pk].province_pk]

    def test_the_district_page_names_each_commune_as_it_was_named_on_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days():
            district = self.district_of(commune_pk)
            page = self.page(self.viewer_of(commune_pk), f"/districts/{district.code}/?as_of={day:%Y-%m-%d}")
            staff = {}  # officer pk -> the commune they were posted in on the day
            for p in self.world.postings:
                if p.open_on(day) and self.world.communes[p.commune_pk].district_pk == district.pk:
                    staff[p.officer_pk] = self.world.communes[p.commune_pk]
            for table in re.findall(r"<table[^>]*>(.*?)</table>", page, re.S):
                for cells in rows_of(table):
                    officer = re.search(r'href="/officers/(\d+)/"', "".join(cells[2:3]))
                    if officer and int(officer.group(1)) in staff:
                        checked += 1
                        want = staff[int(officer.group(1))].name_on(day)
                        if text_of(cells[0]) != want:
                            problems.append(f"{self.where(day)}: district page staff table names "
                                            f"{text_of(cells[0])!r}, on that day it was {want!r}")
            for code, shown in COMMUNE_LINK.findall(page):
                checked += 1
                want = self.world.commune_by_code(int(code)).name_on(day)
                if text_of(shown) != want:
                    problems.append(f"{self.where(day)}: district page links commune {code} as {text_of(shown)!r}, "
                                    f"on that day it was {want!r}")
        self.fail_if(problems, checked, "commune names on district pages")

    def test_the_commune_list_and_its_exports_name_each_commune_as_on_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days():
            district = self.district_of(commune_pk)
            expected = Counter(c.name_on(day) for c in self.world.communes.values()
                               if c.district_pk == district.pk and c.exists_on(day))
            url = f"/communes/?as_of={day:%Y-%m-%d}&district={district.code}"
            checked += self.check_commune_names(self.viewer_of(commune_pk), url, day, expected, problems)
        self.fail_if(problems, checked, "commune names on the commune list")

    def test_the_officer_list_and_its_exports_name_each_commune_as_on_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days():
            district = self.district_of(commune_pk)
            expected = Counter(self.world.communes[p.commune_pk].name_on(day) for p in self.world.postings
                               if p.open_on(day) and self.world.communes[p.commune_pk].district_pk == district.pk)
            url = f"/officers/?as_of={day:%Y-%m-%d}&district={district.code}&in_post=yes"
            checked += self.check_commune_names(self.viewer_of(commune_pk), url, day, expected, problems)
        self.fail_if(problems, checked, "commune names on the officer list")

    def test_the_posting_list_and_its_exports_name_each_commune_as_on_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days():
            district = self.district_of(commune_pk)
            expected = Counter(self.world.communes[p.commune_pk].name_on(day) for p in self.world.postings
                               if p.open_on(day) and self.world.communes[p.commune_pk].district_pk == district.pk)
            url = f"/postings/?as_of={day:%Y-%m-%d}&district={district.code}&status=open"
            checked += self.check_commune_names(self.viewer_of(commune_pk), url, day, expected, problems)
        self.fail_if(problems, checked, "commune names on the posting list")

    def test_the_party_role_list_and_its_exports_name_each_commune_as_on_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days():
            district = self.district_of(commune_pk)
            expected = Counter(self.world.communes[r.commune_pk].name_on(day) for r in self.world.roles
                               if r.open_on(day) and self.world.communes[r.commune_pk].district_pk == district.pk)
            url = f"/party-roles/?as_of={day:%Y-%m-%d}&district={district.code}&status=open"
            checked += self.check_commune_names(self.viewer_of(commune_pk), url, day, expected, problems)
        self.fail_if(problems, checked, "commune names on the Party-role list")

    def test_sorting_a_list_by_commune_follows_the_names_of_the_day(self):
        problems, checked = [], 0
        for commune_pk, day in self.renamed_days()[:2]:
            user = self.viewer_of(commune_pk)
            province = self.province(self.world.communes[commune_pk].province_pk)
            for url in (f"/communes/?as_of={day:%Y-%m-%d}&sort=name_on",
                        f"/postings/?as_of={day:%Y-%m-%d}&status=open&sort=commune",
                        f"/officers/?as_of={day:%Y-%m-%d}&in_post=yes&sort=post_commune_name"):
                names = [text_of(n) for _code, n in COMMUNE_LINK.findall(table_body(self.page(user, url)))]
                keys = [name_sort_key(n) for n in names]
                checked += 1
                if keys != sorted(keys):
                    at = next(i for i in range(1, len(keys)) if keys[i] < keys[i - 1])
                    problems.append(f"{self.where(day, province.name)}: {url} lists {names[at - 1]!r} "
                                    f"before {names[at]!r}")
        self.fail_if(problems, checked, "sorting by the commune's name of the day")

    # 4. the oracle

    def test_the_figures_equal_an_independent_oracle(self):
        problems, checked = [], 0
        for day in self.days:
            for label, _user, province_pk, district_pks in self.users:
                checked += 1
                want = oracle_figures(self.world, province_pk, day, district_pks)
                got = self.app_figures(province_pk, day, district_pks)
                if want != got:
                    problems.append(f"{self.where(day, label)}: area_staffing figures: {differences(want, got)}")
        self.fail_if(problems, checked, "figures against the oracle")

    def test_the_dashboard_tiles_equal_an_independent_oracle(self):
        problems, checked = [], 0
        shown_as = {"tile-officers": ("officers_in_post",), "tile-coverage": ("communes_covered", "communes_in_plan"),
                    "tile-cells": ("party_cells",), "tile-secretaries": ("cells_with_police_secretary", "party_cells"),
                    "tile-bch": ("executive_committee_members",), "tile-btv": ("standing_committee_members",)}
        for day in self.days[::3]:
            for label, user, province_pk, district_pks in self.users:
                want = oracle_figures(self.world, province_pk, day, district_pks)
                page = self.page(user, f"/?as_of={day:%Y-%m-%d}")
                shown = {tile_id: value for tile_id, _href, value in tiles(page)}
                for tile_id, names in shown_as.items():
                    checked += 1
                    expected = "/".join(str(want[n]) for n in names)
                    if shown.get(tile_id) != expected:
                        problems.append(f"{self.where(day, label)}: {tile_id} shows {shown.get(tile_id)}, "
                                        f"the oracle says {expected}")
                gaps = re.search(r'id="gaps">\s*<h2>[^<]*<span class="count">(\d+)</span>', page)
                expected_gaps = sum(
                    1 for code, g in oracle_gaps(self.world, province_pk, day).items()
                    if (g.definite or g.secretary) and (
                        not district_pks or self.world.commune_by_code(code).district_pk in district_pks))
                checked += 1
                if gaps is None or int(gaps.group(1)) != expected_gaps:
                    problems.append(f"{self.where(day, label)}: the gap list counts "
                                    f"{gaps.group(1) if gaps else None} communes, the oracle {expected_gaps}")
        self.fail_if(problems, checked, "dashboard tiles against the oracle")

    def test_the_gaps_of_each_plan_commune_equal_an_independent_oracle(self):
        problems, checked = [], 0
        for day in self.days:
            for province in self.world.provinces:
                want = oracle_gaps(self.world, province.pk, day)
                rows = plan_communes(province=province, as_of=day, plan=self.world.plans[province.pk])
                got = {row.commune.code: set(row.gaps) for row in rows}
                checked += 1
                if set(got) != set(want):
                    problems.append(f"{self.where(day, province.name)}: plan communes {sorted(got)}, "
                                    f"the oracle {sorted(want)}")
                for code in set(got) & set(want):
                    checked += 1
                    if gaps_disagree(want[code], got[code]):
                        commune = self.world.commune_by_code(code)
                        problems.append(
                            f"{self.where(day, province.name)}: {commune.name_on(day)} ({code}) gaps {sorted(got[code])}, "
                            f"the oracle {sorted(want[code].definite)}"
                            + {"": "", "not_police": " + secretary not from the police",
                               "none": " + a cell with no secretary"}[want[code].secretary])
        self.fail_if(problems, checked, "gaps against the oracle")

    def test_the_district_breakdown_equals_an_independent_oracle(self):
        problems, checked = [], 0
        for day in self.days[::2]:
            for province in self.world.provinces:
                area = area_staffing(province=province, as_of=day, plan=self.world.plans[province.pk])
                for row in area.breakdown():
                    checked += 1
                    want = oracle_figures(self.world, province.pk, day, [row.district.pk])
                    got = as_dict(row.figures)
                    if want != got:
                        problems.append(f"{self.where(day, row.district.name)}: {differences(want, got)}")
        self.fail_if(problems, checked, "district rows against the oracle")

    def test_the_national_figures_equal_an_independent_oracle_for_each_province(self):
        problems, checked = [], 0
        for day in self.days:
            rows = {row.province.pk: row for row in national_figures(as_of=day)}
            for province in self.world.provinces:
                checked += 1
                want = oracle_figures(self.world, province.pk, day)
                got = as_dict(rows[province.pk].figures)
                if want != got:
                    problems.append(f"{self.where(day, province.name)}: national_figures: {differences(want, got)}")
        self.fail_if(problems, checked, "national figures against the oracle")

    # 5. exports speak Vietnamese

    def test_the_commune_export_writes_yes_and_no_in_vietnamese(self):
        problems, checked = [], 0
        day = self.days[len(self.days) // 2]
        province = self.world.provinces[0]
        url = f"/communes/?as_of={day:%Y-%m-%d}"
        existing = {c.name_on(day): c for c in oracle_communes(self.world, province.pk, day)}
        for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            rows = read(self.get(self.world.viewers[province.pk], f"{url}&export={fmt}"))
            for header in ("In the plan", "Party cell"):
                for name, value in zip(column(rows, "Commune"), column(rows, header), strict=True):
                    checked += 1
                    commune = existing[name]
                    truth = (commune.pk in self.world.plan_communes[province.pk] if header == "In the plan"
                             else oracle_cell(self.world, commune.pk, day) is not None)
                    want = "có" if truth else "không"
                    if value != want:
                        problems.append(f"{self.where(day)}: {fmt} export, {name}, column {vi(header)!r}: "
                                        f"expected {want!r} got {value!r}")
            for row in rows[1:]:
                for value in row:
                    checked += 1
                    if isinstance(value, bool) or value in ("True", "False"):  # 1 == True: numbers are fine
                        problems.append(f"{self.where(day)}: {fmt} export has a cell {value!r} in row {row[0]!r}")
        self.fail_if(problems, checked, "yes/no in the commune export")


for _seed in SEEDS_HERE:
    _name = f"RandomHistorySeed{_seed}Tests"
    globals()[_name] = type(_name, (RandomHistoryProperties, TestCase), {"seed": _seed, "__module__": __name__})
del _seed, _name
