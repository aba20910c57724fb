"""manage.py import_postings FILE [--dry-run] [--user NAME]: the web import, from the command line."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from personnel.importing import postings_import


class Command(BaseCommand):
    help = "Import officers and their postings from a CSV or XLSX file laid out as the template; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8, with or without BOM) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="username whose area limits the import and who is recorded in the history")
        parser.add_argument("--reason", default="", help="reason kept in the history")

    def handle(self, *args, file, dry_run, user, reason, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user called {user}") from None
        result = postings_import(file=path.read_bytes(), filename=path.name, user=account, dry_run=dry_run,
                                 change_reason=reason)
        if result.errors:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f", {error.column}" if error.column else ""
                self.stderr.write(f"{path.name}: {where}{column}: {error.message}")
            raise CommandError(f"{len(result.errors)} error(s) in {result.rows} row(s); nothing was written.")
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{path.name}: {result.rows} row(s) checked; {verb} {result.created_officers} officer(s) "
            f"and {result.created_postings} posting(s)."
        )
