"""tests/lean.py: the walks and fuzzers render as production does; other tests keep response.context."""

from django.test import TestCase

from tests.lean import UnrecordedTemplates


class UnrecordedTests(UnrecordedTemplates, TestCase):
    def test_a_page_renders_with_no_recorded_context(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context)
        self.assertEqual(response.templates, [])


class RecordedTests(TestCase):
    def test_other_tests_still_get_the_context(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(response.context)
