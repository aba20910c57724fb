"""Each rule the data must keep: the Python rule and the database refuse the same rows, in the same words,
and each rule's message is written once."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock, skipUnless

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from communes import rules as cell_rules
from communes.models import PartyCell
from personnel import rules
from personnel.choices import PartyRoleKind, Position
from personnel.models import Officer, PartyRole, Posting
from personnel.services import _save
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting

ROOT = Path(__file__).resolve().parents[2]
ALL_RULES = [
    rules.POSTING_ENDS_AFTER_START, rules.ROLE_ENDS_AFTER_START, rules.OFFICER_POSTINGS_NEVER_OVERLAP,
    rules.ONE_CHIEF_PER_COMMUNE, rules.ONE_SECRETARY_PER_CELL, rules.SERVICE_NUMBER_UNIQUE,
    cell_rules.CELL_DISSOLVED_AFTER_ESTABLISHED, cell_rules.ONE_CELL_PER_COMMUNE,
]
on_postgresql = skipUnless(connection.vendor == "postgresql", "exclusion constraints exist on PostgreSQL only")


class RuleAndDatabaseAgreeTests(InEnglish, SmallProvinceTestCase):
    """A row the rule refuses (clean) is refused by the database too, and the refusal reads as that rule."""

    def assertBothRefuse(self, row, rule, clash=None):
        clash = row if clash is None else clash
        self.assertEqual(rule.first_clash(row), clash)
        expected = rule.text(clash)
        with self.assertRaises(ValidationError) as by_python:
            row.full_clean()
        self.assertIn(expected, by_python.exception.messages)
        # The same row past the Python check: the database refuses it ...
        with self.assertRaises(IntegrityError), transaction.atomic():
            row.save()
        row.pk = None
        # ... and the service explains that refusal with the rule's own message.
        with mock.patch.object(type(row), "clean"), self.assertRaises(ValidationError) as by_database:
            _save(row)
        self.assertEqual(by_database.exception.messages, [expected])
        self.assertEqual(type(row).objects.filter(pk=row.pk).count() if row.pk else 0, 0)

    def cell(self, **fields):
        return PartyCell.objects.create(commune=self.commune_a1, **{"established_on": D(2019, 1, 1), **fields})

    def test_a_posting_ending_before_it_starts(self):
        row = Posting(officer=make_officer(), commune=self.commune_a1, position=Position.STANDING_OFFICER,
                      start_date=D(2019, 3, 1), end_date=D(2019, 2, 28))
        self.assertBothRefuse(row, rules.POSTING_ENDS_AFTER_START)
        self.assertIn("01/03/2019", rules.POSTING_ENDS_AFTER_START.text(row))

    def test_a_party_role_ending_before_it_starts(self):
        row = PartyRole(officer=make_officer(), commune=self.commune_a1, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                        start_date=D(2019, 3, 1), end_date=D(2019, 2, 28))
        self.assertBothRefuse(row, rules.ROLE_ENDS_AFTER_START)

    def test_a_cell_dissolved_on_the_day_it_was_established(self):
        row = PartyCell(commune=self.commune_a1, established_on=D(2019, 3, 1), dissolved_on=D(2019, 3, 1))
        self.assertBothRefuse(row, cell_rules.CELL_DISSOLVED_AFTER_ESTABLISHED)

    def test_a_second_open_posting_of_one_officer(self):
        officer = make_officer()
        first = make_posting(officer, self.commune_a1, D(2019, 1, 1))
        row = Posting(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER, start_date=D(2019, 2, 1))
        self.assertBothRefuse(row, rules.OFFICER_POSTINGS_NEVER_OVERLAP, first)

    def test_a_second_open_chief_of_one_commune(self):
        chief = make_posting(make_officer("A Lăng"), self.commune_a1, D(2019, 1, 1), position=Position.CHIEF)
        row = Posting(officer=make_officer(), commune=self.commune_a1, position=Position.CHIEF, start_date=D(2019, 2, 1))
        self.assertBothRefuse(row, rules.ONE_CHIEF_PER_COMMUNE, chief)

    def test_a_second_open_secretary_of_one_cell(self):
        cell = self.cell()
        first = PartyRole.objects.create(holder_name="Y Hơ Len", commune=self.commune_a1, cell=cell,
                                         role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 1, 1))
        row = PartyRole(officer=make_officer(), commune=self.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
                        start_date=D(2019, 2, 1))
        self.assertBothRefuse(row, rules.ONE_SECRETARY_PER_CELL, first)

    def test_a_second_open_cell_of_one_commune(self):
        first = self.cell()
        row = PartyCell(commune=self.commune_a1, established_on=D(2019, 2, 1))
        self.assertBothRefuse(row, cell_rules.ONE_CELL_PER_COMMUNE, first)

    def test_a_second_officer_with_one_service_number(self):
        first = make_officer(service_number="123-45")
        row = Officer(full_name="Trần Văn Bình", gender=first.gender, rank=first.rank, service_number="123-45")
        self.assertBothRefuse(row, rules.SERVICE_NUMBER_UNIQUE, first)

    @on_postgresql
    def test_postgresql_refuses_ended_overlaps_in_the_words_of_each_rule(self):
        officer = make_officer()
        first = make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30), position=Position.CHIEF)
        # Ended periods sharing their last day: only the exclusion constraints of migration 0002 hold these.
        cases = [
            (Posting(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER,
                     start_date=D(2019, 6, 30), end_date=D(2019, 7, 31)), rules.OFFICER_POSTINGS_NEVER_OVERLAP, first),
            (Posting(officer=make_officer(), commune=self.commune_a1, position=Position.CHIEF,
                     start_date=D(2019, 6, 30), end_date=D(2019, 7, 31)), rules.ONE_CHIEF_PER_COMMUNE, first),
        ]
        cell = self.cell(dissolved_on=D(2019, 6, 1))
        secretary = PartyRole.objects.create(holder_name="Y Hơ Len", commune=self.commune_a1, cell=cell,
                                             role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 1, 1),
                                             end_date=D(2019, 3, 31))
        cases += [
            (PartyRole(officer=officer, commune=self.commune_a1, cell=cell, role=PartyRoleKind.CELL_SECRETARY,
                       start_date=D(2019, 3, 31), end_date=D(2019, 4, 30)), rules.ONE_SECRETARY_PER_CELL, secretary),
            (PartyCell(commune=self.commune_a1, established_on=D(2019, 5, 31), dissolved_on=D(2019, 8, 1)),
             cell_rules.ONE_CELL_PER_COMMUNE, cell),
        ]
        for row, rule, clash in cases:
            with self.subTest(rule=rule.code):
                self.assertBothRefuse(row, rule, clash)

    def test_a_cell_may_follow_a_dissolved_one_on_its_dissolution_day(self):
        self.cell(dissolved_on=D(2019, 6, 1))
        row = PartyCell(commune=self.commune_a1, established_on=D(2019, 6, 1))
        self.assertIsNone(cell_rules.ONE_CELL_PER_COMMUNE.first_clash(row))
        _save(row)

    def test_a_posting_may_start_the_day_after_the_officers_last_one_ended(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        _save(Posting(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER, start_date=D(2019, 7, 1)))

    def test_a_refusal_no_rule_explains_reads_as_the_generic_message(self):
        self.assertEqual(rules.refusal_message(Posting(start_date=D(2019, 1, 1))), str(cell_rules.GENERIC_REFUSAL))


class OverlapMessageTests(InEnglish, SmallProvinceTestCase):
    def test_the_chief_rule_names_the_chief_already_there_and_since_when(self):
        make_posting(make_officer("A Lăng"), self.commune_a1, D(2019, 3, 1), position=Position.CHIEF)
        row = Posting(officer=make_officer(), commune=self.commune_a1, position=Position.CHIEF, start_date=D(2019, 4, 1))
        with self.assertRaises(ValidationError) as refused:
            row.full_clean()
        self.assertEqual(refused.exception.message_dict["position"],
                         ["This commune already has a chief in that period: A Lăng, 01/03/2019, still open."])

    def test_the_officer_rule_names_the_posting_already_held(self):
        officer = make_officer()
        make_posting(officer, self.commune_a1, D(2019, 1, 1), D(2019, 6, 30))
        row = Posting(officer=officer, commune=self.commune_a2, position=Position.STANDING_OFFICER, start_date=D(2019, 6, 30))
        with self.assertRaises(ValidationError) as refused:
            row.full_clean()
        self.assertEqual(refused.exception.messages, [
            "This officer already holds a commune police position in that period (Standing officer, Xã Đắk Pét, "
            "01/01/2019–30/06/2019); postings of one officer never overlap."])


class AdminUsesTheRulesTests(InEnglish, SmallProvinceTestCase):
    def test_the_admin_refuses_a_second_chief_once_in_the_rules_words(self):
        make_posting(make_officer("A Lăng"), self.commune_a1, D(2019, 3, 1), position=Position.CHIEF)
        self.client.force_login(self.national_admin)  # the Django admin is national administrators' only
        response = self.client.post(reverse("admin:personnel_posting_add"), {
            "officer": make_officer().pk, "commune": self.commune_a1.pk, "position": Position.CHIEF,
            "start_date": "2019-04-01",
        })
        self.assertEqual(response.status_code, 200)
        message = "This commune already has a chief in that period: A Lăng, 01/03/2019, still open."
        self.assertEqual(response.content.decode().count(message), 1)
        self.assertEqual(Posting.objects.count(), 1)


class OneMessageOneHomeTests(SimpleTestCase):
    def test_each_rules_message_is_written_once_in_the_code(self):
        sources = {
            path: path.read_text(encoding="utf-8")
            for folder in ("personnel", "communes", "kontum_posts", "dashboards", "reports", "templates")
            for path in (ROOT / folder).rglob("*")
            # Migrations are frozen history: they copy the constraint's message as it was when generated.
            if path.suffix in (".py", ".html") and "migrations" not in path.parts
        }
        for rule in ALL_RULES:
            with translation.override(None):
                msgid = str(rule.message)  # untranslated: the msgid as written in the code
            # The sentence before its placeholders: a second copy would restate at least that.
            sentence = re.split(r"[(:]\s*%\(", msgid)[0].rstrip()
            with self.subTest(rule=rule.code):
                homes = [str(path.relative_to(ROOT)) for path, text in sources.items() for _ in range(text.count(sentence))]
                self.assertEqual(len(homes), 1, homes)
                self.assertIn(homes[0], ("personnel/rules.py", "communes/rules.py"))

    def test_each_rule_names_the_constraints_that_restate_it_and_they_carry_its_message(self):
        constraints = {c.name: c for model in (Posting, PartyRole, PartyCell) for c in model._meta.constraints}
        for rule in ALL_RULES:
            for name in rule.constraints:
                if name in constraints:
                    with self.subTest(constraint=name):
                        self.assertEqual(constraints[name].violation_error_message, rule.message)

    def test_every_exclusion_constraint_of_postgresql_is_restated_by_a_rule(self):
        from importlib import import_module

        exclusions = import_module("personnel.migrations.0002_postgres_exclusion_constraints").EXCLUSIONS
        named = {name for rule in ALL_RULES for name in rule.constraints}
        for _table, name, _spec, _where in exclusions:
            with self.subTest(constraint=name):
                self.assertIn(name, named)
