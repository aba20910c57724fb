"""The follow-up's state on a day (the SQL annotation and the Python reading agree, later events change nothing
shown for an earlier day) and the rules of entries and state changes (each refusal writes nothing)."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from followup.choices import FollowUpState
from followup.models import LogEntry, StateChange
from followup.selectors import entry_rows
from followup.services import entry_change_state, entry_correct, entry_record
from tests.base import D, InEnglish
from tests.followup.base import FollowupTestCase

STATES = [FollowUpState.OPEN, FollowUpState.IN_PROGRESS, FollowUpState.DONE, FollowUpState.DROPPED]


class StateOnADayTests(FollowupTestCase):
    def test_an_entry_with_a_follow_up_is_open_from_its_day_and_later_changes_do_not_reach_back(self):
        entry = self.record(self.commune_a1, D(2019, 2, 1))
        entry_change_state(entry=entry, state=FollowUpState.IN_PROGRESS, on=D(2019, 2, 10))
        entry_change_state(entry=entry, state=FollowUpState.DONE, on=D(2019, 5, 2))
        states = {day: entry_rows(user=self.admin, as_of=day).get(pk=entry.pk).state_on
                  for day in (D(2019, 2, 1), D(2019, 2, 9), D(2019, 2, 10), D(2019, 4, 23), D(2019, 5, 2))}
        self.assertEqual(states, {D(2019, 2, 1): "open", D(2019, 2, 9): "open", D(2019, 2, 10): "in_progress",
                                  D(2019, 4, 23): "in_progress", D(2019, 5, 2): "done"})
        self.assertFalse(entry_rows(user=self.admin, as_of=D(2019, 1, 31)).filter(pk=entry.pk).exists())

    def test_an_entry_without_a_follow_up_has_no_state(self):
        entry = self.record(self.commune_a1, action="", due_on=None, responsible="")
        self.assertIsNone(entry_rows(user=self.admin, as_of=D(2019, 4, 23)).get(pk=entry.pk).state_on)
        self.assertFalse(StateChange.objects.filter(entry=entry).exists())

    def test_the_sql_state_equals_the_python_state_on_random_histories_and_days(self):
        rng = random.Random(17)
        entries = []
        for i in range(12):
            start = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 200))
            entry = self.record(self.commune_a1 if i % 2 else self.commune_b1, start, due_on=None)
            day, state = start, FollowUpState.OPEN
            for _step in range(rng.randint(0, 4)):
                day += datetime.timedelta(days=rng.randint(0, 40))
                state = rng.choice([s for s in STATES if s != state])
                entry_change_state(entry=entry, state=state, on=day)
            entries.append(entry)
        for _probe in range(25):
            day = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 400))
            sql = dict(entry_rows(user=self.admin, as_of=day).values_list("pk", "state_on"))
            for entry in entries:
                if entry.day <= day:
                    with self.subTest(entry=entry.pk, day=day):
                        self.assertEqual(sql[entry.pk], entry.state_at(day, list(entry.states.all())))

    def test_overdue_means_pending_past_its_due_date_on_the_day(self):
        entry = self.record(self.commune_a1, D(2019, 2, 1), due_on=D(2019, 3, 1))
        self.assertFalse(entry_rows(user=self.admin, as_of=D(2019, 3, 1)).get(pk=entry.pk).overdue_on)
        self.assertTrue(entry_rows(user=self.admin, as_of=D(2019, 3, 2)).get(pk=entry.pk).overdue_on)
        entry_change_state(entry=entry, state=FollowUpState.DONE, on=D(2019, 3, 5))
        self.assertTrue(entry_rows(user=self.admin, as_of=D(2019, 3, 4)).get(pk=entry.pk).overdue_on)
        self.assertFalse(entry_rows(user=self.admin, as_of=D(2019, 3, 5)).get(pk=entry.pk).overdue_on)


class RuleTests(InEnglish, FollowupTestCase):
    def assertRefused(self, action, field, text):
        before = (LogEntry.objects.count(), StateChange.objects.count(), list(StateChange.objects.values_list("on", "state")))
        with self.assertRaises(ValidationError) as caught:
            action()
        self.assertIn(text, " ".join(caught.exception.message_dict.get(field, []) if hasattr(caught.exception, "error_dict")
                                     else caught.exception.messages))
        after = (LogEntry.objects.count(), StateChange.objects.count(), list(StateChange.objects.values_list("on", "state")))
        self.assertEqual(after, before)

    def test_a_follow_up_due_before_the_visit_is_refused(self):
        self.assertRefused(lambda: self.record(self.commune_a1, D(2019, 2, 1), due_on=D(2019, 1, 31)), "due_on",
                           "due on or after the day of the visit or report (01/02/2019)")

    def test_a_visit_in_the_future_is_refused(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.assertRefused(lambda: self.record(self.commune_a1, tomorrow, due_on=None), "day", "today")

    def test_a_due_date_without_anything_to_do_is_refused(self):
        self.assertRefused(lambda: self.record(self.commune_a1, action=""), "action", "Say what is to be done")

    def test_a_visit_to_a_commune_outside_its_life_is_refused(self):
        self.commune_a2.abolished_on = D(2019, 1, 1)
        self.commune_a2.save()
        self.assertRefused(lambda: self.record(self.commune_a2, D(2019, 2, 1)), "day", "existed")

    def test_a_state_change_before_the_entry_or_its_last_change_or_in_the_future_is_refused(self):
        entry = self.record(self.commune_a1, D(2019, 2, 1))
        self.assertRefused(lambda: entry_change_state(entry=entry, state="done", on=D(2019, 1, 31)), "on",
                           "on or after the day of the visit or report (01/02/2019)")
        entry_change_state(entry=entry, state="in_progress", on=D(2019, 2, 10))
        self.assertRefused(lambda: entry_change_state(entry=entry, state="done", on=D(2019, 2, 9)), "on", "since 10/02/2019")
        self.assertRefused(lambda: entry_change_state(entry=entry, state="in_progress", on=D(2019, 2, 12)), "state",
                           "already")
        future = timezone.localdate() + datetime.timedelta(days=1)
        self.assertRefused(lambda: entry_change_state(entry=entry, state="done", on=future), "on", "today")

    def test_an_entry_without_follow_up_has_no_state_to_change(self):
        entry = self.record(self.commune_a1, action="", due_on=None, responsible="")
        self.assertRefused(lambda: entry_change_state(entry=entry, state="done", on=D(2019, 3, 1)), "__all__",
                           "no follow-up")

    def test_a_correction_moves_the_first_state_with_the_day_but_not_past_a_later_change(self):
        entry = self.record(self.commune_a1, D(2019, 2, 1))
        entry_correct(entry=entry, day=D(2019, 2, 3))
        self.assertEqual(list(entry.states.values_list("on", "state")), [(D(2019, 2, 3), "open")])
        entry_change_state(entry=entry, state="done", on=D(2019, 2, 20))
        self.assertRefused(lambda: entry_correct(entry=entry, day=D(2019, 2, 21)), "day", "20/02/2019")
        entry.refresh_from_db()
        self.assertEqual(entry.day, D(2019, 2, 3))

    def test_a_correction_that_removes_the_follow_up_removes_its_states(self):
        entry = self.record(self.commune_a1, D(2019, 2, 1))
        entry_correct(entry=entry, action="", due_on=None, responsible="")
        self.assertFalse(entry.states.exists())
        entry_correct(entry=entry, action="Làm lại")
        self.assertEqual(list(entry.states.values_list("on", "state")), [(D(2019, 2, 1), "open")])

    def test_entry_record_writes_through_the_data_version(self):
        import datacache

        before = datacache.current_version()
        entry_record(commune=self.commune_a1, day=D(2019, 2, 1), kind="visit", visitor="A", unit=self.department,
                     findings="x")
        self.assertGreater(datacache.current_version(), before)
