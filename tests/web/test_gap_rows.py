"""The dashboard's gap rows written in Python (dashboards/gap_rows.py) are the template's, byte for byte."""

from __future__ import annotations

import re
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import timezone

import dashboards.views as dashboard_views
from dashboards.gap_rows import gap_rows_html
from tests import demo


def template_rows(gap_rows, *, asq: str, province) -> str:
    return render_to_string("dashboard/_gap_rows.html", {"gap_rows": gap_rows, "asq": asq, "province": province})


class DemoDashboards(TestCase):
    """The demo, and the contexts its dashboards' bodies are rendered with."""

    @classmethod
    def setUpTestData(cls):
        demo.load_demo()

    def demo_dashboards(self) -> list[tuple[str, str, dict]]:
        """(province code, day, the body's context) of a national user's Kon Tum on 23/04/2019 and Quảng Ngãi today."""
        self.client.force_login(get_user_model().objects.get(username="toanquoc"))
        original = dashboard_views.render_to_string
        contexts = []

        def spy(name, context, request=None):
            contexts.append(context)
            return original(name, context, request)

        cases = [("62", "2019-04-23"), ("51", timezone.localdate().isoformat())]
        with mock.patch.object(dashboard_views, "render_to_string", spy):
            for code, day in cases:
                self.assertEqual(self.client.get("/", {"province": code, "as_of": day}).status_code, 200)
        self.assertEqual(len(contexts), len(cases))
        return [(code, day, context) for (code, day), context in zip(cases, contexts, strict=True)]


class GapRowsTests(DemoDashboards):
    def test_the_demos_gap_rows_of_2019_and_today_are_the_templates(self):
        for code, day, context in self.demo_dashboards():
            with self.subTest(province=code, day=day):
                self.assertGreater(len(context["gap_rows"]), 5)  # not two empty tables
                expected = template_rows(context["gap_rows"], asq=day, province=context["province"])
                self.assertEqual(str(context["gap_rows_html"]).strip(), expected.strip())

    def test_hostile_names_are_escaped_as_the_template_escapes_them(self):
        hostile = "<script>alert('x')</script> & \"Xã\""
        district = SimpleNamespace(code=101, name=hostile)
        rows = [
            (SimpleNamespace(commune=SimpleNamespace(code=1, name_on=hostile, district=district, former_district=None,
                                                     officers_on=0, chief_id=7, chief_name=hostile, ready_waiting=2)),
             [hostile, "không có trưởng công an"]),
            (SimpleNamespace(commune=SimpleNamespace(code=2, name_on="Xã Ia Tơi", district=None,
                                                     former_district=SimpleNamespace(name=hostile), officers_on=3,
                                                     chief_id=None, chief_name="", ready_waiting=0)), []),
            (SimpleNamespace(commune=SimpleNamespace(code=3, name_on="Xã Mới", district=None, former_district=None,
                                                     officers_on=1, chief_id=None, chief_name="", ready_waiting=1)),
             ["x"]),
        ]
        for province in (SimpleNamespace(code=62), None):
            with self.subTest(province=province):
                written = str(gap_rows_html(rows, asq="2019-04-23", province=province))
                self.assertNotIn("<script>", written)
                self.assertEqual(written.strip(), template_rows(rows, asq="2019-04-23", province=province).strip())


def tags_only(html: str) -> str:
    """HTML with the whitespace between tags taken out: the template's blank lines aside, the same markup."""
    return re.sub(r">\s+<", "><", str(html)).strip()


class DistrictRowsTests(DemoDashboards):
    def test_the_demos_district_rows_of_2019_and_today_are_the_templates(self):
        from dashboards.district_rows import district_rows_html

        for (code, day, context), former in zip(self.demo_dashboards(), (False, True), strict=True):
            with self.subTest(province=code, day=day):
                self.assertEqual(context["former_districts"], former)  # both branches of the table
                self.assertGreater(len(context["breakdown"]), 5)
                expected = render_to_string("dashboard/_district_rows.html", {
                    "breakdown": context["breakdown"], "asq": day, "former_districts": former})
                self.assertEqual(tags_only(context["district_rows_html"]), tags_only(expected))
                self.assertEqual(tags_only(district_rows_html(context["breakdown"], asq=day, former_districts=former)),
                                 tags_only(expected))

    def test_hostile_district_names_are_escaped_as_the_template_escapes_them(self):
        from dashboards.district_rows import district_rows_html
        from personnel.coverage import Figures

        hostile = "<script>alert('x')</script> & \"Huyện\""
        figures = Figures(officers_in_post=3, communes_covered=1, communes_in_plan=2, party_cells=1,
                          cells_with_police_secretary=0, executive_committee_members=1, standing_committee_members=0)
        rows = [SimpleNamespace(district=SimpleNamespace(code=101, name=hostile), figures=figures)]
        for former in (False, True):
            with self.subTest(former=former):
                expected = render_to_string("dashboard/_district_rows.html", {
                    "breakdown": rows, "asq": "2019-04-23", "former_districts": former})
                written = district_rows_html(rows, asq="2019-04-23", former_districts=former)
                self.assertEqual(tags_only(written), tags_only(expected))
                self.assertNotIn("<script>", str(written))
