"""The demo pipeline (sampledata/pipeline_demo.py): written through the services, idempotent, and leaving the
seed's figures as they were."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from communes.models import Province
from kontum_posts.lib.asof import today
from personnel.coverage import coverage_figures
from pipeline.choices import Stage
from pipeline.models import Candidate, Course, Enrolment
from pipeline.selectors import candidates_on
from sampledata.pilot import KON_TUM, REVIEW_DAY
from sampledata.today import QUANG_NGAI
from tests import demo


class PipelineDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.load_demo()
        cls.kon_tum = Province.objects.get(code=KON_TUM)
        from django.contrib.auth import get_user_model

        cls.national = get_user_model().objects.get(username="quantri.toanquoc")

    def stages(self, province, day) -> dict[str, int]:
        stages: dict[str, int] = {}
        for stage in candidates_on(self.national, province=province, day=day).values_list("stage", flat=True):
            stages[stage] = stages.get(stage, 0) + 1
        return stages

    def test_the_seed_figures_of_the_review_day_are_unchanged(self):
        f = coverage_figures(province=self.kon_tum, as_of=REVIEW_DAY)
        self.assertEqual((f.officers_in_post, f.communes_covered, f.communes_in_plan, f.party_cells,
                          f.cells_with_police_secretary, f.executive_committee_members, f.standing_committee_members),
                         (349, 86, 86, 61, 60, 41, 22))

    def test_on_the_review_day_some_candidates_wait_trained_and_some_are_in_a_course(self):
        stages = self.stages(self.kon_tum, REVIEW_DAY)
        self.assertGreater(stages.get(Stage.READY, 0), 0)
        self.assertGreater(stages.get(Stage.IN_TRAINING, 0), 0)
        self.assertNotIn(Stage.POSTED, stages)  # officers not posted on that day, by construction

    def test_today_quang_ngai_has_its_own_pipeline_without_districts(self):
        quang_ngai = Province.objects.of_code(QUANG_NGAI, today())
        stages = self.stages(quang_ngai, today())
        self.assertGreater(stages.get(Stage.POSTED, 0), 0)
        self.assertTrue(Candidate.objects.filter(province=quang_ngai, district__isnull=True).exists())
        self.assertFalse(Candidate.objects.filter(province=quang_ngai, district__isnull=False).exists())

    def test_loading_again_changes_nothing(self):
        counts = (Candidate.objects.count(), Course.objects.count(), Enrolment.objects.count())
        out = StringIO()
        call_command("load_pilot_demo", stdout=out)
        self.assertEqual((Candidate.objects.count(), Course.objects.count(), Enrolment.objects.count()), counts)
        self.assertIn("349 officers in post, 86/86 communes, 61 Party cells (60 led by police), 41 BCH, 22 BTV",
                      out.getvalue())

    def test_its_list_renders_the_same_cells_in_one_loop_as_through_the_library(self):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from tests.web.test_fast_tables import assert_fast_body_matches

        self.client.force_login(get_user_model().objects.get(username="toanquoc"))
        for query in ({"province": "62", "as_of": "2019-04-23"}, {"province": "51"}):
            with self.subTest(query=query):
                self.assertIn("<td", assert_fast_body_matches(self, reverse("pipeline:candidates"), query))
