"""The map of provinces linked by lineage that each process keeps (datacache._area_map) holds only what has
committed: read inside a transaction, it may include the transaction's own lineage, which a rollback takes back
while the version number it was read under is used again by the next write.

Found on SQLite, whose rolled-back transactions hand out the same primary keys again: a reorganisation test linked
two provinces inside its rolled-back TestCase; the next test's two provinces got their keys and the same number,
and the kept map linked them, so a write in one recomputed the other's cached list.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase

import datacache
from communes.models import Province, ProvinceLineage
from datacache import topics
from datacache.areas import AREA_ALL
from tests.base import D


class RolledBack(Exception):
    pass


class LineageMapTests(TransactionTestCase):
    def test_lineage_read_inside_a_transaction_that_rolls_back_is_not_kept(self):
        kon_tum = Province.objects.create(code=9062, name="Tỉnh Kon Tum Thử")
        quang_ngai = Province.objects.create(code=9051, name="Tỉnh Quảng Ngãi Thử")
        self.assertEqual(datacache.lineage_of(kon_tum.pk), {kon_tum.pk})
        with self.assertRaises(RolledBack), transaction.atomic():
            ProvinceLineage.objects.create(predecessor=kon_tum, successor=quang_ngai, effective_on=D(2025, 7, 1))
            self.assertEqual(datacache.lineage_of(kon_tum.pk), {kon_tum.pk, quang_ngai.pk})  # the transaction's own
            raise RolledBack
        kon_tum.name = "Tỉnh Kon Tum"
        kon_tum.save()  # committed: the number the rolled-back lineage was read under
        self.assertEqual(datacache.lineage_of(kon_tum.pk), {kon_tum.pk})
        self.assertEqual(datacache.lineage_of(quang_ngai.pk), {quang_ngai.pk})

    def test_a_flush_which_starts_the_numbers_again_forgets_the_map(self):
        def two_provinces():
            return (Province.objects.create(code=9062, name="Tỉnh Kon Tum Thử"),
                    Province.objects.create(code=9051, name="Tỉnh Quảng Ngãi Thử"))

        kon_tum, _quang_ngai = two_provinces()
        kon_tum.save()  # a write of what belongs to no province, as a lineage is
        kept = units_number()
        datacache.lineage_of(kon_tum.pk)  # kept under that number: nobody linked
        call_command("flush", interactive=False, verbosity=0)  # as TransactionTestCase does after each test
        kon_tum, quang_ngai = two_provinces()
        ProvinceLineage.objects.create(predecessor=kon_tum, successor=quang_ngai, effective_on=D(2025, 7, 1))
        while units_number() < kept:  # the numbers started again from what the flush left
            kon_tum.save()
        self.assertEqual(units_number(), kept)  # the same number, other data
        self.assertEqual(datacache.lineage_of(kon_tum.pk), {kon_tum.pk, quang_ngai.pk})


def units_number() -> int:
    return datacache.topic_versions()[(AREA_ALL, topics.UNITS)]
