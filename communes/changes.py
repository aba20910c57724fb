"""Recording the next administrative change, after the packaged data: a rename or change of kind, a merge,
a split, each on a day by a legal act (e.g. in April 2026 ten xã of Đồng Nai became phường, which no
package has yet).

A change is given as rows (old code, new code, name, kind, day, act), from a screen or a file:
- one row whose old and new code are the same: the unit bearing the code keeps its identity and gets a
  dated new name and kind (a `CommuneChange` keeps what it was before);
- rows sharing a new code and a day: a new unit with that code starts on the day; each old unit named
  goes into it (whole, unless the old code also goes into another new unit that day: then it is split
  and each part is "in part") and ends on the day.
All rows or none: every bad row is listed and nothing is written. The staff are carried afterwards by
`apply_reorganisation` for the province and day (a rename needs nothing: the unit stays).
Changes recorded here are marked `recorded`, and the divisions import leaves what they changed.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import datacache
from communes.choices import CommuneKind
from communes.models import Commune, CommuneChange, CommuneLineage
from communes.periods import ONE_DAY
from kontum_posts.lib.clean import clean_text
from kontum_posts.lib.vntext import fold, normalize_name

# The kind as a file writes it: the Vietnamese word, accents or not ("phường", "phuong"), or the stored value.
_KINDS = {fold(value.replace("_", " ")): value for value in CommuneKind.values}


@dataclass(frozen=True)
class ChangeRow:
    number: int  # the row's line in the file (or the screen's row)
    old_code: str
    new_code: str
    name: str
    kind: str
    day: str  # dd/mm/yyyy or YYYY-MM-DD
    act: str


@dataclass
class ChangeResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    renamed: int = 0
    created: int = 0
    ended: int = 0
    already: int = 0  # rows recorded before, exactly so: the same file twice changes nothing

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_day(text: str) -> datetime.date | None:
    text = text.strip()
    for parse in (datetime.date.fromisoformat, lambda t: datetime.datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _already_recorded(old_code: int, new_code: int, name: str, kind: str, day: datetime.date) -> bool:
    """This very row was recorded before: the unit bearing `new_code` on the day has that name and kind and
    came (by a recorded change that day) from the unit that bore `old_code` on the eve, or is it, renamed."""
    unit = Commune.objects.of_code(new_code, day)
    if unit is None or (unit.name, unit.kind) != (name, kind):
        return False
    if old_code == new_code and unit.changes.filter(effective_on=day, recorded=True).exists():
        return True
    return CommuneLineage.objects.filter(successor=unit, effective_on=day, recorded=True, predecessor__code=old_code).exists()


def record_changes(rows: list[ChangeRow], *, dry_run: bool = False) -> ChangeResult:
    """Check every row, then write them all in one transaction (or, for `dry_run` or any error, nothing)."""
    result = ChangeResult()
    parsed = []
    for row in rows:
        day, kind = _parse_day(row.day), _KINDS.get(fold(row.kind))
        problems = []
        if not (row.old_code.strip().isascii() and row.old_code.strip().isdigit()):
            problems.append(_("the old code is a number"))
        if not (row.new_code.strip().isascii() and row.new_code.strip().isdigit()):
            problems.append(_("the new code is a number"))
        if day is None:
            problems.append(_("the day is a date as dd/mm/yyyy"))
        if kind is None:
            problems.append(_("the kind is one of: xã, phường, thị trấn, đặc khu"))
        for text in (row.name, row.act):  # the forms' hygiene: no markup, formulas or control characters
            try:
                clean_text(text)
            except ValidationError as refusal:
                problems.extend(refusal.messages)
        if not row.name.strip():
            problems.append(_("the name is needed"))
        if not row.act.strip():
            problems.append(_("the legal act is needed"))
        if problems:
            result.errors.append((row.number, "; ".join(problems)))
            continue
        if _already_recorded(int(row.old_code), int(row.new_code), normalize_name(row.name.strip()), kind, day):
            result.already += 1
            continue
        old = Commune.objects.of_code(int(row.old_code), day - ONE_DAY)
        if old is None:
            result.errors.append((row.number, _("No commune has the code %(code)s on %(day)s.") % {
                "code": row.old_code.strip(), "day": f"{day - ONE_DAY:%d/%m/%Y}"}))
            continue
        if old.changes.filter(effective_on__gte=day).exists() or (old.established_on and old.established_on >= day):
            result.errors.append((row.number, _("%(name)s already changed on or after %(day)s: record changes in date order.")
                                  % {"name": old.name, "day": f"{day:%d/%m/%Y}"}))
            continue
        parsed.append((row, old, int(row.new_code), normalize_name(row.name.strip()), kind, day, row.act.strip()[:255]))

    groups = defaultdict(list)
    for item in parsed:
        groups[(item[2], item[5])].append(item)
    goes_into = defaultdict(set)
    for (new_code, day), items in groups.items():
        for item in items:
            goes_into[(item[1].pk, day)].add(new_code)
    renames, units = [], []
    for (new_code, day), items in groups.items():
        if len(items) == 1 and items[0][1].code == new_code and len(goes_into[(items[0][1].pk, day)]) == 1:
            renames.append(items[0])
            continue
        bearer = Commune.objects.of_code(new_code, day)
        if bearer is not None and bearer.pk not in {item[1].pk for item in items}:
            result.errors.append((items[0][0].number, _("Code %(code)s is borne by %(name)s on %(day)s.") % {
                "code": new_code, "name": bearer.name, "day": f"{day:%d/%m/%Y}"}))
            continue
        names = {(item[3], item[4]) for item in items}
        if len(names) > 1:
            result.errors.append((items[0][0].number, _("The rows for code %(code)s give it different names or kinds.")
                                  % {"code": new_code}))
            continue
        units.append((new_code, day, items))
    if result.errors:
        result.errors.sort()
        return result
    result.renamed, result.created = len(renames), len(units)
    result.ended = len({(item[1].pk, day) for _code, day, items in units for item in items})
    if dry_run:
        return result
    with transaction.atomic():
        datacache.bump()
        for _row, old, _code, name, kind, day, act in renames:
            CommuneChange.objects.create(commune=old, effective_on=day, previous_name=old.name, previous_kind=old.kind,
                                         legal_basis=act, recorded=True)
            old.name, old.kind = name, kind
            old.save()
        for new_code, day, items in units:
            first = items[0]
            model = first[1]
            district = model.district if model.district_id and model.district.exists_on(day) else None
            unit = Commune(code=new_code, name=first[3], kind=first[4], established_on=day, province=model.province,
                           district=district, former_district=None if district else model.area_district)
            for _row, old, *_rest in items:  # one open unit per code: the old ones end before the new starts
                if old.abolished_on is None or old.abolished_on > day:
                    old.abolished_on = day
                    old.save()
            unit.save()
            for _row, old, _code, _name, _kind, _day, act in items:
                CommuneLineage.objects.create(predecessor=old, successor=unit, effective_on=day, legal_basis=act,
                                              whole=len(goes_into[(old.pk, day)]) == 1, recorded=True)
    return result


def read_change_rows(content: bytes) -> list[ChangeRow]:
    """The rows of a CSV file (UTF-8, with or without BOM): old code, new code, name, kind, day, act; a first
    row of headers is skipped."""
    text = content.decode("utf-8-sig")
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(c.strip() for c in cells):
            continue
        if number == 1 and not cells[0].strip().isdigit():
            continue  # headers
        cells = [c.strip() for c in cells] + [""] * 6
        rows.append(ChangeRow(number, *cells[:6]))
    return rows
