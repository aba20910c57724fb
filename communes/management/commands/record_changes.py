"""manage.py record_changes FILE.csv [--dry-run]: record administrative changes after the packaged data.

The file has a row per (old unit, new unit): old code, new code, name, kind (xã, phường, thị trấn, đặc khu),
day (dd/mm/yyyy), legal act; a first row of headers is skipped. See communes/changes.py. All rows or none.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.changes import read_change_rows, record_changes


class Command(BaseCommand):
    help = "Record renames, changes of kind, merges and splits of commune-level units from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            rows = read_change_rows(path.read_bytes())
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text") from None
        result = record_changes(rows, dry_run=dry_run)
        if result.errors:
            for number, message in result.errors:
                self.stderr.write(f"{path.name}: row {number}: {message}")
            raise CommandError(f"{len(result.errors)} bad row(s); nothing was written.")
        verb = "would record" if dry_run else "recorded"
        self.stdout.write(f"{verb}: {result.renamed} renamed or changed kind, {result.created} new units, "
                          f"{result.ended} units ended; {result.already} row(s) recorded before")
