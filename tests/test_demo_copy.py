"""The demo copied into a test's database (tests/demo.py) is row for row what the loader wrote."""

from django.db import transaction
from django.test import TestCase

from personnel.models import Officer
from tests import demo


class DemoCopyTests(TestCase):
    def _loaded(self, load) -> dict:
        """The database's rows after `load`, then taken back (a savepoint), so the next load starts from the same state."""
        tables = sorted(demo.connection.introspection.django_table_names(only_existing=True, include_views=False))
        point = transaction.savepoint()
        load()
        state = {table: demo._rows_key(rows) for table, rows in demo._read(tables).items()}
        transaction.savepoint_rollback(point)
        return state

    def test_the_copy_has_the_rows_the_loader_wrote(self):
        for load in (demo.load_pilot, demo.load_demo):
            with self.subTest(load=load.__name__):
                first = self._loaded(load)   # the loader itself, unless this process already keeps its rows
                second = self._loaded(load)  # the same starting state: always the copy
                self.assertGreater(len(first["personnel_posting"]), 500)  # not two empty states
                self.assertEqual(first, second)

    def test_rows_created_after_the_copy_get_keys_of_their_own(self):
        point = transaction.savepoint()
        demo.load_pilot()  # the loader, or the copy: either way the copy is kept from here on
        transaction.savepoint_rollback(point)
        demo.load_pilot()  # the copy, whose keys the sequences must now be past
        highest = Officer.objects.order_by("-pk").values_list("pk", flat=True)[0]
        officer = Officer.objects.create(full_name="Nguyễn Văn Mới", service_number="T-NEW-1")
        self.assertGreater(officer.pk, highest)
