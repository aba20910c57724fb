from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from communes.services import divisions_import


class Command(BaseCommand):
    help = ("Load the provinces, districts and communes before 01/07/2025, the provinces and communes since, and the "
            "official lineage between them (GSO codes) from the vietnam-provinces package.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", type=int, action="append", dest="provinces", metavar="CODE",
            help="GSO code of a province to load (repeatable), with the provinces its lineage reaches; default: the whole "
                 "country. Kon Tum is 62 (since 01/07/2025 in Quảng Ngãi, 51).",
        )

    def handle(self, *args, provinces=None, **options):
        started = time.perf_counter()
        try:
            counts = divisions_import(province_codes=provinces)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{counts.provinces} provinces, {counts.districts} districts, {counts.communes} communes, "
            f"{counts.changes} dated changes, {counts.lineage} lineage links in {time.perf_counter() - started:.1f}s"
        )
