"""manage.py purge_access_log [--days N]: delete access-log entries older than ACCESS_LOG_KEEP_DAYS (or --days)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from personnel.access_log import purge


class Command(BaseCommand):
    help = "Delete access-log entries older than ACCESS_LOG_KEEP_DAYS days (default 365)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days instead of the setting")

    def handle(self, *args, days=None, **options):
        keep = settings.ACCESS_LOG_KEEP_DAYS if days is None else days
        if keep < 1:
            raise CommandError("--days must be at least 1")
        deleted = purge(keep_days=keep)
        self.stdout.write(f"{deleted} access-log entries older than {keep} days deleted.")
