"""Checking every row against the data and the rules, then writing all of them or none."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communes.models import Commune
from kontum_posts.lib.clean import clean_text, date_in_range
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
    RowError,
    _FileError,
)
from personnel.importing.read import parse_date, read_rows
from personnel.importing.write import _write
from personnel.models import Officer, Posting, Unit
from personnel.services import integrity_message


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
    content = file if isinstance(file, bytes) else file.read()
    result = ImportResult(dry_run=dry_run)
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
        except IntegrityError as error:  # someone else wrote a conflicting posting meanwhile
            result.errors.append(RowError(0, "", integrity_message(error)))
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
        p["service_number"] = v.get("service_number", "").strip()
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
            error(row, "end_date", _("A posting ends on or after the day it starts."))
        if p.get("end_reason") and not v.get("end_date"):
            error(row, "end_reason", _("Only an ended posting has an end reason."))

    # Communes: by GSO code or by name, among those the user may change. One query (two if some are out of scope).
    communes = list(_scope(Commune.objects.all(), user).values("pk", "code", "search_name"))
    by_code = {str(c["code"]): c["pk"] for c in communes}
    by_name = defaultdict(list)
    for c in communes:
        by_name[c["search_name"]].append(c["pk"])
        for prefix in ("xa ", "phuong ", "thi tran "):
            if c["search_name"].startswith(prefix):
                by_name[c["search_name"][len(prefix):]].append(c["pk"])
    unknown_codes = {r.values["commune"] for r in rows if r.values.get("commune", "").isdigit()} - set(by_code)
    elsewhere = set()
    if unknown_codes:
        elsewhere = {str(code) for code in Commune.objects.filter(code__in=[int(c) for c in unknown_codes]).values_list("code", flat=True)}
    for row in rows:
        value = row.values.get("commune", "")
        if not value:
            continue
        if value.isdigit():
            if value in by_code:
                row.parsed["commune_id"] = by_code[value]
            elif value in elsewhere:
                error(row, "commune", _("Commune %(value)s is outside the area you may change.") % {"value": value})
            else:
                error(row, "commune", _("No commune has the code %(value)s.") % {"value": value})
        else:
            found = by_name.get(fold(value), [])
            if len(found) == 1:
                row.parsed["commune_id"] = found[0]
            elif found:
                error(row, "commune", _("Several communes are called “%(value)s”; give the GSO code.") % {"value": value})
            else:
                error(row, "commune", _("No commune called “%(value)s” in the area you may change.") % {"value": value})

    # Units, by name. One query.
    units = {fold(name): pk for pk, name in _scope(Unit.objects.all(), user).values_list("pk", "name")}
    for row in rows:
        if row.values.get("home_unit"):
            pk = units.get(fold(row.values["home_unit"]))
            if pk is None:
                error(row, "home_unit", _("No unit called “%(value)s”.") % {"value": row.values["home_unit"]})
            row.parsed["home_unit_id"] = pk

    # Officers already recorded, by service number. Two queries.
    numbers = {r.parsed["service_number"] for r in rows if r.parsed["service_number"]}
    recorded = {o["service_number"]: o for o in Officer.objects.filter(service_number__in=numbers).values("pk", "service_number", "full_name")}
    visible = set(_scope(Officer.objects.filter(pk__in=[o["pk"] for o in recorded.values()]), user).values_list("pk", flat=True)) if recorded else set()

    # New officers come from the first row naming them; later rows must agree on the name.
    new_officers: dict[str, Officer] = {}
    first_row: dict[str, _Row] = {}
    for row in rows:
        number = row.parsed["service_number"]
        if not number:
            continue
        if number in recorded:
            officer = recorded[number]
            if officer["pk"] not in visible:
                error(row, "service_number", _("This service number belongs to an officer outside the area you may change."))
            elif row.parsed["full_name"] and fold(row.parsed["full_name"]) != fold(officer["full_name"]):
                error(row, "full_name", _("Service number %(number)s belongs to %(name)s.") % {"number": number, "name": officer["full_name"]})
            continue
        if number in first_row:
            if row.parsed["full_name"] and fold(row.parsed["full_name"]) != fold(first_row[number].parsed["full_name"]):
                error(row, "full_name", _("Row %(row)d gives service number %(number)s to another name.") % {
                    "row": first_row[number].number, "number": number})
            continue
        first_row[number] = row
        for key in ("gender", "rank"):
            if not row.values.get(key) and key not in row.refused:
                error(row, key, _("A new officer needs this column."))
        new_officers[number] = Officer(
            full_name=row.parsed["full_name"], service_number=number, gender=row.parsed.get("gender", ""),
            rank=row.parsed.get("rank", ""), birth_date=row.parsed.get("birth_date"),
            ethnicity=row.values.get("ethnicity", ""), party_member_since=row.parsed.get("party_member_since"),
            home_unit_id=row.parsed.get("home_unit_id"), status=OfficerStatus.SERVING,
        )

    # Overlaps, against the recorded postings and between rows. Two queries.
    periods = defaultdict(list)  # service number -> [(start, end, row or None)]
    recorded_ids = {o["pk"]: n for n, o in recorded.items()}
    for posting in Posting.objects.filter(officer_id__in=list(recorded_ids)).values("officer_id", "start_date", "end_date"):
        periods[recorded_ids[posting["officer_id"]]].append((posting["start_date"], posting["end_date"], None))
    chiefs = defaultdict(list)  # commune id -> [(start, end, row or None)]
    commune_ids = {r.parsed["commune_id"] for r in rows if "commune_id" in r.parsed}
    for posting in Posting.objects.filter(commune_id__in=list(commune_ids), position=Position.CHIEF).values(
            "commune_id", "start_date", "end_date"):
        chiefs[posting["commune_id"]].append((posting["start_date"], posting["end_date"], None))
    for row in rows:
        p = row.parsed
        if not p.get("start_date") or (p.get("end_date") and p["end_date"] < p["start_date"]):
            continue
        if p["service_number"]:
            periods[p["service_number"]].append((p["start_date"], p.get("end_date"), row))
        if p.get("position") == Position.CHIEF and "commune_id" in p:
            chiefs[p["commune_id"]].append((p["start_date"], p.get("end_date"), row))
    for row, other in _overlaps(periods):
        error(row, "start_date", _overlap_message(
            other, _("This officer already holds a commune police position in that period; postings of one officer never overlap.")))
    for row, other in _overlaps(chiefs):
        error(row, "position", _overlap_message(other, _("This commune already has a chief in that period.")))

    result.errors.sort(key=lambda e: e.row)
    if result.errors:
        return [], []
    postings = [
        Posting(
            officer=new_officers.get(r.parsed["service_number"]), commune_id=r.parsed["commune_id"],
            position=r.parsed["position"], start_date=r.parsed["start_date"], end_date=r.parsed.get("end_date"),
            end_reason=r.parsed.get("end_reason", ""), decision_number=r.values.get("decision_number", ""),
            decision_date=r.parsed.get("decision_date"),
        )
        for r in rows
    ]
    for posting, r in zip(postings, rows):
        if posting.officer is None:
            posting.officer_id = recorded[r.parsed["service_number"]]["pk"]
    return list(new_officers.values()), postings


def _overlaps(groups: dict):
    """(row, the row or recorded period it overlaps) for each new period that shares a day with an earlier one."""
    far = datetime.date.max
    for items in groups.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda item: (item[0], item[2] is not None))
        latest = None  # the period reaching furthest so far
        for start, end, row in items:
            if latest is not None and start <= (latest[1] or far):
                if row is not None:
                    yield row, latest
                elif latest[2] is not None:
                    yield latest[2], (start, end, None)
            if latest is None or (end or far) > (latest[1] or far):
                latest = (start, end, row)


def _overlap_message(other, rule: str) -> str:
    start, end, row = other
    if row is not None:
        return _("%(rule)s (row %(row)d)") % {"rule": rule, "row": row.number}
    period = f"{start:%d/%m/%Y}–{end:%d/%m/%Y}" if end else _("%(start)s, still open") % {"start": f"{start:%d/%m/%Y}"}
    return _("%(rule)s (recorded posting %(period)s)") % {"rule": rule, "period": period}
