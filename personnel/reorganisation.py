"""Carrying a province's staff through an administrative change: "apply a reorganisation".

On the effective day the units that end (communes abolished that day, whose successors lie in the province)
hand over what was open in them on the eve:

- each posting ends on the eve and starts again on the day in the successor (a unit split between several
  successors needs a choice per posting); several chiefs arriving in one new commune: one stays chief (by
  default the chief of the unit whose code the new unit keeps), the others become deputy chiefs;
- each Party cell is dissolved on the day (its last day is the eve) and the new commune's cell is established
  on the day; its secretary is one of the old secretaries (the same default), the others deputy secretaries;
- committee seats (BCH, BTV) of the abolished communes' Party committees end on the eve: the new commune's
  committee is elected anew;
- a police officer's cell role goes with the cell only when their posting goes to the cell's new commune (a
  police officer holds a Party role in a commune only while posted there, ROLE_HELD_WHILE_POSTED); otherwise
  it ends on the eve (`roles_ended`).

`propose()` is the dry run: everything it would write, the conflicts and how they are resolved, and what
still needs a choice. `apply()` writes it in one transaction, or nothing while a choice is missing, and
records it as one `Reorganisation`; applying again finds nothing open and changes nothing. `undo()` puts
everything back while nothing later depends on it. The legal act is each new row's decision.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Commune, CommuneLineage, PartyCell, Province
from communes.periods import ONE_DAY
from datacache import lineage_of, writing
from personnel.choices import EndReason, PartyRoleKind, Position
from personnel.models import PartyRole, Posting, Reorganisation, ReorganisationStep
from personnel.support import SupportAssignment

CHANGE_REASON = "reorganisation"
COMMITTEES = (PartyRoleKind.EXECUTIVE_COMMITTEE, PartyRoleKind.STANDING_COMMITTEE)


@dataclass
class Move:
    """A posting open on the eve in a unit that ends, and where it goes on the day."""

    posting: Posting
    candidates: list[Commune]  # the unit's successors
    successor: Commune | None  # None: a choice is needed
    position: str  # on the day: a second chief arriving in a commune becomes a deputy chief
    note: str = ""

    @property
    def position_label(self) -> str:
        return Position(self.position).label


@dataclass
class CellMerge:
    """The cell a new commune gets on the day, from the cells of the units that went into it."""

    commune: Commune
    old_cells: list[PartyCell]
    roles: list[tuple[PartyRole, str]] = field(default_factory=list)  # each cell role, with its role on the day
    note: str = ""
    secretaries: list[PartyRole] = field(default_factory=list)  # when several meet: the choice, and who stays
    secretary: PartyRole | None = None


@dataclass
class Proposal:
    province: Province
    effective_on: datetime.date
    legal_basis: str
    moves: list[Move]
    cells: list[CellMerge]
    seats_ended: list[PartyRole]
    unresolved: list[str]
    already: Reorganisation | None = None
    # New communes where several chiefs arrive (and none is there already): the choice of who stays chief.
    chief_choices: list[tuple[Commune, list[Move]]] = field(default_factory=list)
    # Cell roles of police officers whose postings go elsewhere than the cell (or nowhere): they end on the eve.
    roles_ended: list[PartyRole] = field(default_factory=list)

    @property
    def secretary_choices(self) -> list[CellMerge]:
        """The new cells where several secretaries meet: the choice of who stays secretary."""
        return [merge for merge in self.cells if merge.secretaries]

    @property
    def eve(self) -> datetime.date:
        return self.effective_on - ONE_DAY

    @property
    def ready(self) -> bool:
        return not self.unresolved and self.already is None

    @property
    def empty(self) -> bool:
        return not (self.moves or self.cells or self.seats_ended or self.roles_ended)


def propose(*, province: Province, effective_on: datetime.date, legal_basis: str,
            successor_of: dict[int, int] | None = None, chief_of: dict[int, int] | None = None,
            secretary_of: dict[int, int] | None = None) -> Proposal:
    """The dry run. `successor_of`: posting pk -> chosen successor commune pk (a split unit); `chief_of`: new
    commune pk -> the posting pk that stays chief there; `secretary_of`: new commune pk -> the secretary role
    pk that stays secretary of its cell. Reads a fixed number of queries whatever the size."""
    successor_of, chief_of, secretary_of = successor_of or {}, chief_of or {}, secretary_of or {}
    eve = effective_on - ONE_DAY
    unresolved: list[str] = []
    links = list(CommuneLineage.objects.filter(effective_on=effective_on, successor__province=province)
                 .select_related("predecessor", "successor").order_by("successor__sort_key", "pk"))
    successors: dict[int, list[Commune]] = defaultdict(list)
    for link in links:
        successors[link.predecessor_id].append(link.successor)
    ending = {link.predecessor_id: link.predecessor for link in links if link.predecessor.abolished_on == effective_on}
    already = Reorganisation.objects.filter(province=province, effective_on=effective_on, undone_at__isnull=True).first()

    def keeps_code(old: Commune, new: Commune) -> bool:
        return old.code == new.code

    def destination(old: Commune) -> Commune:
        """Where a unit's cell goes: its only successor, or the one keeping its code, or the first."""
        candidates = successors[old.pk]
        return next((c for c in candidates if keeps_code(old, c)), candidates[0])

    # Postings open on the eve in the units that end.
    # Open on the eve and going on: what the change has not ended yet (once applied, nothing).
    going_on = Q(end_date__isnull=True) | Q(end_date__gte=effective_on)
    postings = list(Posting.objects.filter(going_on, commune_id__in=list(ending)).open_on(eve)
                    .select_related("officer", "commune").order_by("commune__sort_key", "position", "officer__sort_key"))
    later = set(Posting.objects.filter(officer_id__in=[p.officer_id for p in postings], start_date__gte=effective_on)
                .values_list("officer_id", flat=True))
    moves = []
    for posting in postings:
        candidates = successors[posting.commune_id]
        chosen = successor_of.get(posting.pk)
        successor = next((c for c in candidates if c.pk == chosen), None) if chosen else (
            candidates[0] if len(candidates) == 1 else None)
        if successor is None:
            unresolved.append(_("%(officer)s (%(commune)s): choose which of %(units)s the officer goes to.") % {
                "officer": posting.officer.full_name, "commune": posting.commune.name,
                "units": ", ".join(c.name for c in candidates)})
        if posting.officer_id in later:
            unresolved.append(_("%(officer)s already has a posting from %(day)s: correct it before the reorganisation.")
                              % {"officer": posting.officer.full_name, "day": f"{effective_on:%d/%m/%Y}"})
        moves.append(Move(posting, candidates, successor, posting.position))

    # Several chiefs arriving in one commune (or one already there): one stays chief.
    arriving = defaultdict(list)
    for move in moves:
        if move.posting.position == Position.CHIEF and move.successor is not None:
            arriving[move.successor.pk].append(move)
    # A chief of the new commune already recorded on or after the day (open then, or starting later) stays.
    resident = set(Posting.objects.filter(going_on, commune_id__in=list(arriving), position=Position.CHIEF)
                   .values_list("commune_id", flat=True))
    chief_choices = []
    for commune_pk, chiefs in arriving.items():
        if len(chiefs) < 2 and commune_pk not in resident:
            continue
        if commune_pk not in resident:
            chief_choices.append((chiefs[0].successor, chiefs))
        stays = None if commune_pk in resident else (
            next((m for m in chiefs if m.posting.pk == chief_of.get(commune_pk)), None)
            or next((m for m in chiefs if keeps_code(m.posting.commune, m.successor)), None) or chiefs[0])
        for move in chiefs:
            if move is not stays:
                move.position = Position.DEPUTY_CHIEF
                move.note = _("another chief stays chief of %(commune)s") % {"commune": move.successor.name}

    # Party cells active on the eve, merged into their destinations; their roles follow.
    cells = list(PartyCell.objects.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=effective_on),
                                          commune_id__in=list(ending)).active_on(eve).select_related("commune")
                 .order_by("commune__sort_key"))
    roles = list(PartyRole.objects.filter(going_on, commune_id__in=list(ending)).open_on(eve).select_related("officer", "cell__commune")
                 .order_by("pk"))
    merges: dict[int, CellMerge] = {}
    cell_destination = {}
    for cell in cells:
        new = destination(cell.commune)
        cell_destination[cell.pk] = new
        merges.setdefault(new.pk, CellMerge(new, [])).old_cells.append(cell)
    resident_cells = set(PartyCell.objects.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=effective_on),
                                                  commune_id__in=list(merges)).values_list("commune_id", flat=True))
    for commune_pk in resident_cells:
        unresolved.append(_("%(commune)s already has a Party cell on %(day)s.") % {
            "commune": merges[commune_pk].commune.name, "day": f"{effective_on:%d/%m/%Y}"})
    goes_to = {move.posting.officer_id: move.successor for move in moves}
    cell_roles, roles_ended = [], []
    for role in roles:
        if role.role in COMMITTEES or role.cell_id not in cell_destination:
            continue
        if role.officer_id is None or goes_to.get(role.officer_id) == cell_destination[role.cell_id]:
            cell_roles.append(role)
        else:
            roles_ended.append(role)
    for role in cell_roles:
        merges[cell_destination[role.cell_id].pk].roles.append((role, role.role))
    for merge in merges.values():
        secretaries = [r for r, _kind in merge.roles if r.role == PartyRoleKind.CELL_SECRETARY]
        if len(secretaries) < 2:
            continue
        stays = (next((r for r in secretaries if r.pk == secretary_of.get(merge.commune.pk)), None)
                 or next((r for r in secretaries if keeps_code(r.cell.commune if r.cell else merge.commune, merge.commune)), None)
                 or secretaries[0])
        merge.roles = [(r, PartyRoleKind.CELL_DEPUTY_SECRETARY if r.role == PartyRoleKind.CELL_SECRETARY and r is not stays
                        else kind) for r, kind in merge.roles]
        merge.secretaries, merge.secretary = secretaries, stays
        merge.note = _("%(count)d cells merge; one secretary stays, the others become deputy secretaries") % {
            "count": len(merge.old_cells)}
    seats = [r for r in roles if r.role in COMMITTEES or r.cell_id not in cell_destination]
    return Proposal(province, effective_on, legal_basis, moves, list(merges.values()), seats, unresolved, already,
                    chief_choices, roles_ended)


def apply(proposal: Proposal, *, user=None) -> Reorganisation:
    """Write the proposal in one transaction, or nothing (a ValidationError saying why)."""
    if proposal.already is not None:
        raise ValidationError(_("This reorganisation was already applied on %(when)s.") % {
            "when": f"{timezone.localtime(proposal.already.applied_at):%d/%m/%Y %H:%M}"})
    if proposal.unresolved:
        raise ValidationError(proposal.unresolved)
    if proposal.empty:
        raise ValidationError(_("Nothing was open on %(eve)s in the units that end on %(day)s.") % {
            "eve": f"{proposal.eve:%d/%m/%Y}", "day": f"{proposal.effective_on:%d/%m/%Y}"})
    eve, day, act = proposal.eve, proposal.effective_on, proposal.legal_basis[:100]
    try:
        return _write(proposal, user, eve, day, act)
    except IntegrityError as error:  # a row entered meanwhile that the dry run did not see
        raise ValidationError(_("The data changed since the dry run; run it again.")) from error


def _write(proposal: Proposal, user, eve: datetime.date, day: datetime.date, act: str) -> Reorganisation:
    with transaction.atomic(), writing(*lineage_of(proposal.province.pk)):
        reorganisation = Reorganisation.objects.create(
            province=proposal.province, effective_on=day, legal_basis=act, applied_by=user)
        ended_postings = [m.posting for m in proposal.moves]
        for posting in ended_postings:
            posting.end_date, posting.end_reason = eve, EndReason.REORGANISED
        ended_roles = ([r for merge in proposal.cells for r, _kind in merge.roles] + proposal.seats_ended
                       + proposal.roles_ended)
        for role in ended_roles:
            role.end_date = eve
        old_cells = [cell for merge in proposal.cells for cell in merge.old_cells]
        for cell in old_cells:
            cell.dissolved_on = day
        _update(ended_postings, ["end_date", "end_reason"], user)
        _update(ended_roles, ["end_date"], user)
        _update(old_cells, ["dissolved_on"], user)
        # A department's support of an ended commune ends on its last day; it is not carried (personnel/support.py).
        ended_support = list(SupportAssignment.objects.select_for_update().filter(end_date__isnull=True, commune_id__in=(
            CommuneLineage.objects.filter(effective_on=day, successor__province=proposal.province).values("predecessor_id"))))
        for assignment in ended_support:
            assignment.end_date = eve
        SupportAssignment.objects.bulk_update(ended_support, ["end_date"], batch_size=500)
        new_postings = _create(Posting, [
            Posting(officer=m.posting.officer, commune=m.successor, position=m.position, start_date=day,
                    decision_number=act, note=m.note) for m in proposal.moves], user)
        new_cells = _create(PartyCell, [
            PartyCell(commune=merge.commune, established_on=day, decision_number=act) for merge in proposal.cells], user)
        new_roles = _create(PartyRole, [
            PartyRole(officer=role.officer, holder_name=role.holder_name, commune=merge.commune, cell=cell, role=kind,
                      start_date=day, decision_number=act)
            for merge, cell in zip(proposal.cells, new_cells, strict=True) for role, kind in merge.roles], user)
        steps = [ReorganisationStep(reorganisation=reorganisation, kind=kind, model=model, object_id=obj.pk)
                 for kind, model, rows in ((ReorganisationStep.Kind.ENDED, "posting", ended_postings),
                                           (ReorganisationStep.Kind.ENDED, "partyrole", ended_roles),
                                           (ReorganisationStep.Kind.ENDED, "partycell", old_cells),
                                           (ReorganisationStep.Kind.ENDED, "supportassignment", ended_support),
                                           (ReorganisationStep.Kind.STARTED, "posting", new_postings),
                                           (ReorganisationStep.Kind.STARTED, "partycell", new_cells),
                                           (ReorganisationStep.Kind.STARTED, "partyrole", new_roles))
                 for obj in rows]
        ReorganisationStep.objects.bulk_create(steps)
    return reorganisation


def undo(reorganisation: Reorganisation, *, user=None) -> None:
    """Put back what `reorganisation` changed, while nothing later depends on it: the rows it started are
    still open and unchanged, no later row follows them, and the rows it ended still end on the eve."""
    if reorganisation.undone_at is not None:
        raise ValidationError(_("This reorganisation was already undone."))
    day, eve = reorganisation.effective_on, reorganisation.effective_on - ONE_DAY
    with transaction.atomic(), writing(*lineage_of(reorganisation.province_id)):
        ids = defaultdict(lambda: defaultdict(list))
        for kind, model, pk in reorganisation.steps.values_list("kind", "model", "object_id"):
            ids[kind][model].append(pk)
        started, ended = ids[ReorganisationStep.Kind.STARTED], ids[ReorganisationStep.Kind.ENDED]
        new_postings = list(Posting.objects.select_for_update().filter(pk__in=started["posting"]))
        new_roles = list(PartyRole.objects.select_for_update().filter(pk__in=started["partyrole"]))
        new_cells = list(PartyCell.objects.select_for_update().filter(pk__in=started["partycell"]))
        old_postings = list(Posting.objects.select_for_update().filter(pk__in=ended["posting"]))
        old_roles = list(PartyRole.objects.select_for_update().filter(pk__in=ended["partyrole"]))
        old_cells = list(PartyCell.objects.select_for_update().filter(pk__in=ended["partycell"]))
        old_support = list(SupportAssignment.objects.select_for_update().filter(pk__in=ended["supportassignment"]))
        changed = (
            len(new_postings) != len(started["posting"]) or len(new_roles) != len(started["partyrole"])
            or len(new_cells) != len(started["partycell"])
            or any(r.end_date is not None for r in new_postings + new_roles) or any(c.dissolved_on for c in new_cells)
            or any(r.end_date != eve for r in old_postings + old_roles + old_support)
            or any(c.dissolved_on != day for c in old_cells)
        )
        officers = {p.officer_id for p in new_postings}
        later = Posting.objects.filter(officer_id__in=officers, start_date__gt=day).exists() or PartyRole.objects.filter(
            Q(cell_id__in=[c.pk for c in new_cells]) & ~Q(pk__in=[r.pk for r in new_roles])).exists()
        if changed or later:
            raise ValidationError(_("Rows entered or changed since this reorganisation depend on it; correct them first."))
        PartyRole.objects.filter(pk__in=[r.pk for r in new_roles]).delete()
        Posting.objects.filter(pk__in=[p.pk for p in new_postings]).delete()
        PartyCell.objects.filter(pk__in=[c.pk for c in new_cells]).delete()
        for posting in old_postings:
            posting.end_date, posting.end_reason = None, ""
        for role in old_roles:
            role.end_date = None
        for cell in old_cells:
            cell.dissolved_on = None
        _update(old_postings, ["end_date", "end_reason"], user, reason=CHANGE_REASON + " undone")
        _update(old_roles, ["end_date"], user, reason=CHANGE_REASON + " undone")
        _update(old_cells, ["dissolved_on"], user, reason=CHANGE_REASON + " undone")
        for assignment in old_support:
            assignment.end_date = None
        SupportAssignment.objects.bulk_update(old_support, ["end_date"], batch_size=500)
        reorganisation.undone_at, reorganisation.undone_by = timezone.now(), user
        reorganisation.save(update_fields=["undone_at", "undone_by"])


def _update(rows: list, fields: list[str], user, reason: str = CHANGE_REASON) -> None:
    if rows:
        bulk_update_with_history(rows, type(rows[0]), fields, batch_size=500, default_user=user,
                                 default_change_reason=reason)


def _create(model, rows: list, user) -> list:
    if not rows:
        return []
    return bulk_create_with_history(rows, model, batch_size=500, default_user=user, default_change_reason=CHANGE_REASON)
