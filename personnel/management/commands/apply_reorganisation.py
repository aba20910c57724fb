"""manage.py apply_reorganisation --province 51 --on 2025-07-01 --act "1677/NQ-UBTVQH15" [--confirm]

Carries the staff of the units that end on the day into their successors in the province (see
personnel/reorganisation.py). Without --confirm it is the dry run: it lists what it would write and what
still needs a choice. --successor POSTING:COMMUNE (a split unit), --chief COMMUNE:POSTING and
--secretary COMMUNE:ROLE (primary keys) resolve what the defaults do not; --undo puts back the last one.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communes.models import Province
from personnel import reorganisation
from personnel.models import Reorganisation


def _pairs(values: list[str], name: str) -> dict[int, int]:
    pairs = {}
    for value in values:
        left, _, right = value.partition(":")
        if not (left.isascii() and left.isdigit() and right.isascii() and right.isdigit()):
            raise CommandError(f"--{name} {value}: expected two numbers, as 12:34")
        pairs[int(left)] = int(right)
    return pairs


class Command(BaseCommand):
    help = "Carry a province's postings, Party cells and roles into the units of an administrative change."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, required=True, help="GSO code of the province on the day")
        parser.add_argument("--on", required=True, help="effective day, YYYY-MM-DD")
        parser.add_argument("--act", default="", help="the legal act (the new rows' decision)")
        parser.add_argument("--confirm", action="store_true", help="write it (otherwise a dry run)")
        parser.add_argument("--undo", action="store_true", help="undo the reorganisation of that day")
        parser.add_argument("--successor", action="append", default=[], metavar="POSTING:COMMUNE")
        parser.add_argument("--chief", action="append", default=[], metavar="COMMUNE:POSTING")
        parser.add_argument("--secretary", action="append", default=[], metavar="COMMUNE:ROLE")
        parser.add_argument("--user", help="username recorded as having applied it")

    def handle(self, *args, province, on, act, confirm, undo, successor, chief, secretary, user, **options):
        try:
            day = datetime.date.fromisoformat(on)
        except ValueError:
            raise CommandError(f"--on {on}: not a day as YYYY-MM-DD") from None
        unit = Province.objects.of_code(province, day)
        if unit is None:
            raise CommandError(f"no province has the code {province} on {day:%d/%m/%Y}")
        account = get_user_model().objects.filter(username=user).first() if user else None
        if user and account is None:
            raise CommandError(f"no user called {user}")
        try:
            if undo:
                done = Reorganisation.objects.filter(province=unit, effective_on=day, undone_at__isnull=True).first()
                if done is None:
                    raise CommandError(f"no reorganisation of {unit.name} on {day:%d/%m/%Y} to undo")
                reorganisation.undo(done, user=account)
                self.stdout.write(f"undone: {done}")
                return
            if not act:
                raise CommandError("--act: name the legal act")
            proposal = reorganisation.propose(
                province=unit, effective_on=day, legal_basis=act, successor_of=_pairs(successor, "successor"),
                chief_of=_pairs(chief, "chief"), secretary_of=_pairs(secretary, "secretary"))
            self._describe(proposal)
            if not confirm:
                self.stdout.write("dry run: nothing written (add --confirm)")
                return
            done = reorganisation.apply(proposal, user=account)
        except ValidationError as refusal:
            for message in refusal.messages:
                self.stderr.write(message)
            raise CommandError("nothing was written") from None
        self.stdout.write(f"applied: {done} ({done.steps.count()} rows ended or started)")

    def _describe(self, proposal) -> None:
        out = self.stdout.write
        if proposal.already is not None:
            out(f"already applied: {proposal.already}")
        out(f"{len(proposal.moves)} postings, {len(proposal.cells)} new Party cells, "
            f"{len(proposal.seats_ended)} committee seats ended on {proposal.eve:%d/%m/%Y}")
        for move in proposal.moves:
            where = move.successor.name if move.successor else "?"
            note = f" ({move.note})" if move.note else ""
            out(f"  posting {move.posting.pk}: {move.posting.officer.full_name}, {move.posting.commune.name} -> "
                f"{where}, {move.position}{note}")
        for merge in proposal.cells:
            out(f"  cell of {merge.commune.name} from {', '.join(c.commune.name for c in merge.old_cells)}")
        for message in proposal.unresolved:
            out(f"  TO RESOLVE: {message}")
