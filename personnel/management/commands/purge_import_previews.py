"""manage.py purge_import_previews: delete import previews past their expiry (run it from cron; each import
request also does)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from personnel.importing.previews import previews_purge


class Command(BaseCommand):
    help = "Delete import previews past their expiry (IMPORT_PREVIEW_SECONDS after the check)."

    def handle(self, *args, **options):
        self.stdout.write(f"{previews_purge()} expired import preview(s) deleted.")
