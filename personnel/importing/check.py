"""Checking every row against the data and the rules, then writing all of them or none."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communes.models import Commune, ProvinceLineage
from communes.periods import TERM, UNIT_LIFE
from communes.rules import GENERIC_REFUSAL
from kontum_posts.lib.clean import clean_text, date_in_range
from kontum_posts.lib.params import is_ascii_int
from kontum_posts.lib.vntext import fold, normalize_name
from personnel.access import scoped
from personnel.choices import OfficerStatus, Position
from personnel.importing.columns import (
    _DATE_KEYS,
    _END_REASON_MAP,
    _GENDERS,
    _HEADER_MAP,
    _POSITION_MAP,
    _RANK_MAP,
    COLUMNS,
    MAX_LENGTHS,
    REASON_MAX_LENGTH,
    ImportResult,
    PlannedRow,
    RowError,
    _FileError,
)
from personnel.importing.plausible import check_plausible
from personnel.importing.read import FORMULA, parse_date, read_rows, read_upload
from personnel.importing.write import _write, chunk_size
from personnel.models import Officer, Posting, Unit
from personnel.rules import (
    OFFICER_POSTINGS_NEVER_OVERLAP,
    ONE_CHIEF_PER_COMMUNE,
    POSTING_ENDS_AFTER_START,
    POSTING_RULES,
    POSTING_WITHIN_UNIT_LIFE,
    broken_rule,
    same_service_numbers,
    service_number_key,
)


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    parsed: dict = field(default_factory=dict)
    refused: set = field(default_factory=set)  # cells the hygiene refused: one message each, no further checks


def _scope(queryset, user):
    return queryset if user is None else scoped(queryset, user)


def postings_import(*, file, filename: str, user, dry_run: bool, change_reason: str = "") -> ImportResult:
    """Check every row of the file; unless `dry_run` and if no row is bad, write them all in one transaction.

    `file` is a binary file object (an upload, an open file) or bytes. `user` scopes the communes,
    units and officers the file may name and is recorded in the history; None (the command line)
    means the whole country.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        content = read_upload(file)
    except _FileError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    change_reason = change_reason.strip()
    try:
        change_reason = clean_text(change_reason)
        if len(change_reason) > REASON_MAX_LENGTH:
            raise ValidationError(_("At most %(n)d characters.") % {"n": REASON_MAX_LENGTH})
    except ValidationError as error:
        result.errors.append(RowError(0, _("Reason for the change"), " ".join(error.messages)))
        return result
    try:
        table = read_rows(content, filename)
    except _FileError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    while table and not any(table[-1]):
        table.pop()
    if not table:
        result.errors.append(RowError(0, "", _("The file is empty.")))
        return result

    header = table[0]
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, title in enumerate(header):
        key = _HEADER_MAP.get(fold(title))
        if key and key not in columns:
            columns[key] = index
            labels[key] = title
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        result.errors.append(RowError(1, ", ".join(missing), _("Required columns are missing; download the template.")))
        return result
    for c in COLUMNS:
        labels.setdefault(c.key, c.header)

    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {key: (cells[index] if index < len(cells) else "") for key, index in columns.items()}
        rows.append(_Row(number, values))
    result.rows = len(rows)
    if not rows:
        result.errors.append(RowError(0, "", _("The file has no rows under its header.")))
        return result

    with transaction.atomic():
        officers, postings = _check(rows, user, result, labels)
        if result.errors or dry_run:
            result.created_officers, result.created_postings = len(officers), len(postings)
            if result.errors:
                result.created_officers = result.created_postings = 0
            return result
        try:
            with transaction.atomic():
                _write(officers, postings, user, change_reason)
        except IntegrityError:  # someone else wrote a conflicting officer or posting meanwhile
            result.errors.append(_refusal(officers, postings, rows, user))
            return result
        result.created_officers, result.created_postings = len(officers), len(postings)
    return result


def _check(rows: list[_Row], user, result: ImportResult, labels: dict[str, str]):
    def error(row: _Row, key: str, message: str) -> None:
        result.errors.append(RowError(row.number, labels.get(key, key) if key else "", message))

    # Field by field, without the database.
    for row in rows:
        v, p = row.values, row.parsed
        for key, value in v.items():
            if value is FORMULA:
                error(row, key, _("This cell holds a formula with no saved value; type the value, or open and save the file in Excel."))
                row.refused.add(key)
                continue
            # The forms' hygiene, cell by cell; a refused cell is emptied and not checked further.
            try:
                v[key] = clean_text(value)
            except ValidationError as refusal:
                error(row, key, " ".join(refusal.messages))
                row.refused.add(key)
        for key in row.refused:
            v[key] = ""
        for key in ("service_number", "full_name", "commune", "position", "start_date"):
            if not v.get(key) and key not in row.refused:
                error(row, key, _("This column must be filled in."))
        for key, limit in MAX_LENGTHS.items():
            if len(v.get(key, "")) > limit:
                error(row, key, _("At most %(n)d characters.") % {"n": limit})
        p["full_name"] = normalize_name(v.get("full_name", ""))
        p["service_number"] = service_number_key(v.get("service_number", ""))  # the key: compared as stored
        if len(p["service_number"]) > MAX_LENGTHS["service_number"] >= len(v.get("service_number", "")):
            error(row, "service_number", _("At most %(n)d characters.") % {"n": MAX_LENGTHS["service_number"]})
        for key in _DATE_KEYS:
            if v.get(key):
                try:
                    day = parse_date(v[key])
                except ValueError:
                    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", v[key].strip()):
                        error(row, key, _("%(value)s is not a day of the calendar.") % {"value": v[key].strip()})
                    else:
                        error(row, key, _("“%(value)s” is not a date as dd/mm/yyyy.") % {"value": v[key]})
                    continue
                try:
                    date_in_range(day)
                except ValidationError as refusal:
                    error(row, key, " ".join(refusal.messages))
                    continue
                p[key] = day
        for key, mapping in (("position", _POSITION_MAP), ("rank", _RANK_MAP), ("end_reason", _END_REASON_MAP),
                             ("gender", _GENDERS)):
            if v.get(key):
                if fold(v[key]) in mapping:
                    p[key] = mapping[fold(v[key])]
                else:
                    error(row, key, _("“%(value)s” is not one of the accepted values.") % {"value": v[key]})
        if p.get("start_date") and p.get("end_date") and p["end_date"] < p["start_date"]:
            error(row, "end_date", POSTING_ENDS_AFTER_START.text(Posting(start_date=p["start_date"], end_date=p["end_date"])))
        if p.get("end_reason") and not v.get("end_date"):
            error(row, "end_reason", _("Only an ended posting has an end reason."))

    # Communes: by GSO code or by name, among those the user may change, the unit bearing the code (or
    # the name) on the posting's first day (a code names different units on different days). One query
    # (two if some are out of scope).
    communes = list(_scope(Commune.objects.all(), user).values(
        "pk", "code", "name", "search_name", "province_id", "established_on", "abolished_on"))
    by_code, by_name = defaultdict(list), defaultdict(list)
    for c in communes:
        by_code[str(c["code"])].append(c)
        by_name[c["search_name"]].append(c)
        for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
            if c["search_name"].startswith(prefix):
                by_name[c["search_name"][len(prefix):]].append(c)
    unknown_codes = {r.values["commune"] for r in rows if is_ascii_int(r.values.get("commune", ""))} - set(by_code)
    elsewhere = set()
    if unknown_codes:
        elsewhere = {str(code) for code in Commune.objects.filter(code__in=[int(c) for c in unknown_codes]).values_list("code", flat=True)}
    for row in rows:
        value = row.values.get("commune", "")
        if not value:
            continue
        if is_ascii_int(value):
            if value in by_code:
                row.parsed["commune_id"] = _unit_of_the_day(by_code[value], row.parsed.get("start_date"))["pk"]
            elif value in elsewhere:
                error(row, "commune", _("Commune %(value)s is outside the area you may change.") % {"value": value})
            else:
                error(row, "commune", _("No commune has the code %(value)s.") % {"value": value})
        else:
            found = by_name.get(fold(value), [])
            day = row.parsed.get("start_date")
            if day is not None and len(found) > 1:
                found = [c for c in found if UNIT_LIFE.holds(c["established_on"], c["abolished_on"], day)] or found
            if len(found) == 1:
                row.parsed["commune_id"] = found[0]["pk"]
            elif found:
                error(row, "commune", _("Several communes are called “%(value)s”; give the GSO code.") % {"value": value})
            else:
                error(row, "commune", _("No commune called “%(value)s” in the area you may change.") % {"value": value})
    # Every day of the posting is a day of its commune (the rule reads plain attributes: no model
    # instance per row, 10,000 rows cost milliseconds).
    commune_by_pk = {c["pk"]: SimpleNamespace(**c) for c in communes}
    for row in rows:
        p = row.parsed
        if "commune_id" in p and p.get("start_date"):
            posting = SimpleNamespace(commune_id=p["commune_id"], commune=commune_by_pk[p["commune_id"]],
                                      start_date=p["start_date"], end_date=p.get("end_date"))
            if POSTING_WITHIN_UNIT_LIFE.broken(posting):
                error(row, "start_date", POSTING_WITHIN_UNIT_LIFE.text(posting))

    # Units, by name, among the units of the row's commune's province and of those it was merged from
    # (their departments go on under it; names repeat across provinces: every province has a "Phòng
    # Tham mưu") that the user may see. Two queries.
    province_of = {c["pk"]: c["province_id"] for c in communes}
    units = defaultdict(list)
    if any(row.values.get("home_unit") for row in rows):
        went_into = defaultdict(set)
        for successor, predecessor in ProvinceLineage.objects.values_list("successor_id", "predecessor_id"):
            went_into[predecessor].add(successor)
        for pk, name, province_id in _scope(Unit.objects.all(), user).values_list("pk", "name", "province_id"):
            for province in {province_id} | went_into[province_id]:
                units[(province, fold(name))].append(pk)
    for row in rows:
        if row.values.get("home_unit") and "commune_id" in row.parsed:
            found = units.get((province_of[row.parsed["commune_id"]], fold(row.values["home_unit"])), [])
            if len(found) == 1:
                row.parsed["home_unit_id"] = found[0]
            elif found:
                error(row, "home_unit", _("Several units are called “%(value)s”.") % {"value": row.values["home_unit"]})
            else:
                error(row, "home_unit", _("No unit called “%(value)s” in the commune's province.") % {"value": row.values["home_unit"]})

    # Officers already recorded, by service number as the rule for unique service numbers compares them.
    # Two queries per chunk of numbers (as many as one statement may bind).
    numbers = sorted({r.parsed["service_number"] for r in rows} - {""})
    recorded: dict[str, Officer] = {}
    visible: set[int] = set()
    size = chunk_size(reserved=50)  # the scope's own values
    for start in range(0, len(numbers), size):
        found = list(same_service_numbers(Officer.objects.select_related("home_unit"), numbers[start:start + size]))
        recorded.update({service_number_key(o.service_number): o for o in found})
        if found:
            visible |= set(_scope(Officer.objects.filter(pk__in=[o.pk for o in found]), user).values_list("pk", flat=True))
    in_scope = {c["pk"] for c in communes}
    outside = _("This service number belongs to an officer outside the area you may change.")

    # New officers come from the first row naming them; later rows must agree on the name. A recorded
    # officer's other cells must agree with the record (an empty cell claims nothing): a rank or a home
    # unit changes by a dated promotion or transfer with its reason, never by a spreadsheet overwriting it.
    new_officers: dict[str, Officer] = {}
    first_row: dict[str, _Row] = {}
    for row in rows:
        number = row.parsed["service_number"]
        if not number:
            continue
        if number in recorded:
            officer = recorded[number]
            if officer.pk not in visible:
                error(row, "service_number", outside)
                row.parsed["outside"] = True
            elif row.parsed["full_name"] and fold(row.parsed["full_name"]) != fold(officer.full_name):
                error(row, "full_name", _("Service number %(number)s belongs to %(name)s.") % {"number": officer.service_number, "name": officer.full_name})
            else:
                for key, differs in _differences(row, officer):
                    error(row, key, _("The officer's record says “%(value)s”; leave this cell empty, or correct the record first.") % {"value": differs})
            continue
        if number in first_row:
            if row.parsed["full_name"] and fold(row.parsed["full_name"]) != fold(first_row[number].parsed["full_name"]):
                error(row, "full_name", _("Row %(row)d gives service number %(number)s to another name.") % {
                    "row": first_row[number].number, "number": row.parsed["service_number"]})
            continue
        first_row[number] = row
        for key in ("gender", "rank"):
            if not row.values.get(key) and key not in row.refused:
                error(row, key, _("A new officer needs this column."))
        new_officers[number] = Officer(
            full_name=row.parsed["full_name"], service_number=row.parsed["service_number"], gender=row.parsed.get("gender", ""),
            rank=row.parsed.get("rank", ""), birth_date=row.parsed.get("birth_date"),
            ethnicity=row.values.get("ethnicity", ""), party_member_since=row.parsed.get("party_member_since"),
            home_unit_id=row.parsed.get("home_unit_id"), status=OfficerStatus.SERVING,
        )

    check_plausible(rows, new_officers=new_officers, recorded=recorded, first_row=first_row, error=error)

    # The posting rules (personnel/rules.py), against the recorded postings and between rows, in memory:
    # two queries for the whole file. Each period carries a Posting that names it in the rule's message.
    periods = defaultdict(list)  # service number key -> [_Period]
    recorded_ids = {o.pk: n for n, o in recorded.items() if o.pk in visible}
    fields = ("officer_id", "officer__full_name", "commune_id", "commune__name", "position", "start_date", "end_date")

    def stored(values: dict) -> _Period:
        return _Period(values["start_date"], values["end_date"], values["officer__full_name"], values["commune_id"],
                       values["commune__name"], values["position"], None)

    for values in Posting.objects.filter(officer_id__in=list(recorded_ids)).values(*fields):
        periods[recorded_ids[values["officer_id"]]].append(stored(values))
    chiefs = defaultdict(list)  # commune id -> [_Period]
    commune_ids = {r.parsed["commune_id"] for r in rows if "commune_id" in r.parsed}
    for values in Posting.objects.filter(commune_id__in=list(commune_ids), position=Position.CHIEF).values(*fields):
        chiefs[values["commune_id"]].append(stored(values))
    commune_names = {c["pk"]: c["name"] for c in communes}
    for row in rows:
        p = row.parsed
        if not p.get("start_date") or (p.get("end_date") and p["end_date"] < p["start_date"]) or p.get("outside"):
            continue
        number = p["service_number"]
        name = recorded[number].full_name if number in recorded else p["full_name"]
        period = _Period(p["start_date"], p.get("end_date"), name, p.get("commune_id"),
                         commune_names.get(p.get("commune_id"), row.values.get("commune", "")), p.get("position", ""), row)
        if number:
            periods[number].append(period)
        if p.get("position") == Position.CHIEF and "commune_id" in p:
            chiefs[p["commune_id"]].append(period)
    for rule, groups, key in ((OFFICER_POSTINGS_NEVER_OVERLAP, periods, "start_date"), (ONE_CHIEF_PER_COMMUNE, chiefs, "position")):
        for row, other in _overlaps(groups):
            if other.row is None and other.commune_id not in in_scope:
                # A recorded posting the user may not see: its commune, position and dates are not theirs to read.
                error(row, "service_number", outside)
                continue
            message = rule.text(other.posting)
            if other.row is not None:
                message = _("%(rule)s (row %(row)d)") % {"rule": message, "row": other.row.number}
            error(row, key, message)

    result.errors = sorted(dict.fromkeys(result.errors), key=lambda e: e.row)  # one message once per cell
    if result.errors:
        return [], []
    postings = []
    for r in rows:
        number = r.parsed["service_number"]
        posting = Posting(
            commune_id=r.parsed["commune_id"], position=r.parsed["position"], start_date=r.parsed["start_date"],
            end_date=r.parsed.get("end_date"), end_reason=r.parsed.get("end_reason", ""),
            decision_number=r.values.get("decision_number", ""), decision_date=r.parsed.get("decision_date"),
        )
        if number in new_officers:
            posting.officer = new_officers[number]
        else:
            posting.officer_id = recorded[number].pk
        postings.append(posting)
    if result.dry_run:
        result.planned = _planned(rows, postings, recorded, new_officers)
    return list(new_officers.values()), postings


def _differences(row: _Row, officer: Officer):
    """(column, the record's value) for each filled cell of `row` that says otherwise than the officer's record."""
    p = row.parsed
    for key in ("gender", "rank"):
        if p.get(key) and p[key] != getattr(officer, key):
            yield key, getattr(officer, f"get_{key}_display")() or "—"
    for key in ("birth_date", "party_member_since"):
        if p.get(key) and p[key] != getattr(officer, key):
            day = getattr(officer, key)
            yield key, f"{day:%d/%m/%Y}" if day else "—"
    if row.values.get("ethnicity") and fold(row.values["ethnicity"]) != fold(officer.ethnicity):
        yield "ethnicity", officer.ethnicity or "—"
    if p.get("home_unit_id") and p["home_unit_id"] != officer.home_unit_id:
        yield "home_unit", officer.home_unit.name if officer.home_unit_id else "—"


PREVIEW_ROWS = 200  # the preview lists this many rows, then says how many more


def _planned(rows: list[_Row], postings: list[Posting], recorded: dict, new_officers: dict) -> list[PlannedRow]:
    """What importing writes, row by row: the commune by its name on the posting's first day, new or recorded officer."""
    shown = list(zip(rows, postings, strict=True))[:PREVIEW_ROWS]
    names = {}
    by_day = defaultdict(set)
    for _row, posting in shown:
        by_day[posting.start_date].add(posting.commune_id)
    for day, ids in by_day.items():  # one query per distinct first day among the rows shown
        for pk, name in Commune.objects.filter(pk__in=ids).with_state_on(day).values_list("pk", "name_on"):
            names[(pk, day)] = name
    planned = []
    for row, posting in shown:
        number = row.parsed["service_number"]
        officer = new_officers.get(number) or recorded[number]
        planned.append(PlannedRow(
            row=row.number, service_number=officer.service_number, full_name=officer.full_name,
            new_officer=number in new_officers, commune=names[(posting.commune_id, posting.start_date)],
            position=posting.get_position_display(), start_date=posting.start_date, end_date=posting.end_date,
        ))
    return planned


def _refusal(officers: list[Officer], postings: list[Posting], rows: list[_Row], user) -> RowError:
    """The database refused the write: the first officer or row that now breaks a rule, in that rule's words
    (or, for a clash the user may not see, only that the officer is outside their area)."""
    for officer in officers:
        message = broken_rule(officer)
        if message:
            return RowError(0, "", message)
    new = {officer.pk for officer in officers}  # their pks, if the write got that far, were rolled back
    for posting, row in zip(postings, rows, strict=True):
        if posting.officer_id is None or posting.officer_id in new:
            # The officer's row was rolled back with the rest: only the commune's rules can clash.
            posting = Posting(commune_id=posting.commune_id, position=posting.position,
                              start_date=posting.start_date, end_date=posting.end_date)
        for rule in POSTING_RULES:
            clash = rule.first_clash(posting)
            if clash is None:
                continue
            if clash is not posting and not _scope(Commune.objects.filter(pk=clash.commune_id), user).exists():
                return RowError(row.number, "", _("This service number belongs to an officer outside the area you may change."))
            return RowError(row.number, "", rule.text(clash))
    return RowError(0, "", str(GENERIC_REFUSAL))


def _unit_of_the_day(units: list[dict], day):
    """Of the units that bore a code, the one existing on `day`; else the latest (the unit-life rule then refuses the row)."""
    if day is not None:
        for unit in units:
            if UNIT_LIFE.holds(unit["established_on"], unit["abolished_on"], day):
                return unit
    return max(units, key=lambda u: (u["established_on"] or datetime.date.min, u["pk"]))


@dataclass
class _Period:
    """A posting's days, and what names it in a rule's message (a Posting is built for a message only:
    10,000 rows need no model instances to be compared)."""

    start_date: datetime.date
    end_date: datetime.date | None
    officer_name: str
    commune_id: int | None
    commune_name: str
    position: str
    row: _Row | None  # None for a recorded posting

    @property
    def posting(self) -> Posting:
        return Posting(officer=Officer(full_name=self.officer_name), commune=Commune(pk=self.commune_id, name=self.commune_name),
                       position=self.position, start_date=self.start_date, end_date=self.end_date)


def _overlaps(groups: dict):
    """(row, the _Period it overlaps) for each new period that shares a day with an earlier one (TERM's test)."""
    for items in groups.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda item: (item.start_date, item.row is not None))
        latest = None  # the period reaching furthest so far
        for item in items:
            if latest is not None and TERM.rows_overlap(item, latest):
                if item.row is not None:
                    yield item.row, latest
                elif latest.row is not None:
                    yield latest.row, item
            if latest is None or TERM.last_day(item.end_date) > TERM.last_day(latest.end_date):
                latest = item
