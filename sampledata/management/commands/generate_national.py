from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from communes.models import Province
from sampledata.synthetic import SEED, generate_national


class Command(BaseCommand):
    help = (
        "Generate synthetic national data (units, plans, officers, postings 2019–2024, Party cells and roles) "
        "on the loaded provinces except Kon Tum. Deterministic for a seed and a scale; provinces already "
        "generated are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="share of each province's communes to staff (1.0: all, about 10,000 communes; 0.01 for tests)",
        )

    def handle(self, *args, seed: int, scale: float, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale must be in (0, 1]")
        if not Province.objects.exists():
            raise CommandError("No administrative units: run `manage.py import_divisions` first.")
        started = time.perf_counter()
        result = generate_national(seed=seed, scale=scale)
        if result.skipped:
            self.stdout.write("; ".join(result.skipped) + "; nothing changed.")
            return
        self.stdout.write(
            f"{result.provinces} provinces, {result.communes} communes, {result.officers} officers, "
            f"{result.postings} postings, {result.cells} Party cells, {result.roles} Party roles "
            f"in {time.perf_counter() - started:.1f}s"
        )
