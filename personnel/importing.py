"""Bulk import of officers and their postings from the spreadsheets people keep today (CSV or XLSX).

One row is one posting; the officer is named by service number, added on first sight (from that
row's officer columns) or found among those already recorded. Everything is checked in memory
with a handful of queries, every bad row is reported (row number as the spreadsheet shows it,
column, reason), and then either every row is written with bulk_create or none is.

Every cell gets the forms' hygiene (kontum_posts/lib/clean.py): a control character, an HTML tag
or a spreadsheet formula is that cell's error, and dates stay between 1900 and 2100.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from communes.models import Commune
from kontum_posts import datacache
from kontum_posts.lib.clean import clean_text, date_in_range
from kontum_posts.lib.vntext import fold, normalize_name
from personnel.access import scoped
from personnel.choices import EndReason, Gender, OfficerStatus, Position, Rank
from personnel.models import Officer, Posting, Unit
from personnel.services import integrity_message


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header the template uses (Vietnamese, as the spreadsheets are)
    required: bool = False
    example: str = ""


COLUMNS = [
    Column("service_number", "Số hiệu", True, "123-456"),
    Column("full_name", "Họ và tên", True, "Nguyễn Văn An"),
    Column("gender", "Giới tính", False, "Nam"),
    Column("birth_date", "Ngày sinh", False, "15/08/1990"),
    Column("ethnicity", "Dân tộc", False, "Kinh"),
    Column("rank", "Cấp bậc", False, "Trung úy"),
    Column("party_member_since", "Ngày vào Đảng", False, "03/02/2015"),
    Column("home_unit", "Đơn vị", False, "Công an huyện Đắk Glei"),
    Column("commune", "Xã", True, "23287"),
    Column("position", "Chức vụ", True, "Công an viên thường trực"),
    Column("start_date", "Ngày bắt đầu", True, "02/01/2019"),
    Column("end_date", "Ngày kết thúc", False, ""),
    Column("end_reason", "Lý do kết thúc", False, ""),
    Column("decision_number", "Số quyết định", False, "12/QĐ-CAT"),
    Column("decision_date", "Ngày quyết định", False, "28/12/2018"),
]
_BY_KEY = {c.key: c for c in COLUMNS}
MAX_LENGTHS = {"service_number": 20, "full_name": 100, "ethnicity": 50, "decision_number": 100}
REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason
_DATE_KEYS = ("birth_date", "party_member_since", "start_date", "end_date", "decision_date")

# Values people type, folded (accent-free, lower case), to the stored choice.
_GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "nu": Gender.FEMALE, "f": Gender.FEMALE,
            "female": Gender.FEMALE}
_RANKS_VI = {
    Rank.SUB_LIEUTENANT: "Thiếu úy", Rank.LIEUTENANT: "Trung úy", Rank.SENIOR_LIEUTENANT: "Thượng úy",
    Rank.CAPTAIN: "Đại úy", Rank.MAJOR: "Thiếu tá", Rank.LIEUTENANT_COLONEL: "Trung tá",
    Rank.SENIOR_LIEUTENANT_COLONEL: "Thượng tá", Rank.COLONEL: "Đại tá",
}
_POSITIONS_VI = {
    Position.CHIEF: ["Trưởng Công an xã", "Trưởng", "Trưởng CAX"],
    Position.DEPUTY_CHIEF: ["Phó Trưởng Công an xã", "Phó trưởng", "Phó Trưởng CAX", "Phó"],
    Position.STANDING_OFFICER: ["Công an viên thường trực", "Công an xã thường trực", "CAV thường trực", "Thường trực"],
}
_END_REASONS_VI = {
    EndReason.TRANSFERRED: ["Điều động", "Chuyển công tác", "Điều chuyển"],
    EndReason.RETIRED: ["Nghỉ hưu"],
    EndReason.TRAINING: ["Đi học", "Đi đào tạo", "Cử đi học"],
    EndReason.DISCIPLINE: ["Kỷ luật"],
    EndReason.OTHER: ["Khác"],
}


def _choice_map(choices, vietnamese: dict) -> dict[str, str]:
    mapping = {}
    for value, label in choices:
        mapping[fold(value)] = value
        mapping[fold(str(label))] = value
        names = vietnamese.get(value, [])
        for name in [names] if isinstance(names, str) else names:
            mapping[fold(name)] = value
    return mapping


_RANK_MAP = _choice_map(Rank.choices, _RANKS_VI)
_POSITION_MAP = _choice_map(Position.choices, _POSITIONS_VI)
_END_REASON_MAP = _choice_map(EndReason.choices, _END_REASONS_VI)
_HEADER_MAP = {}
for _c in COLUMNS:
    _HEADER_MAP[fold(_c.header)] = _c.key
    _HEADER_MAP[fold(_c.key)] = _c.key
    _HEADER_MAP[fold(_c.key.replace("_", " "))] = _c.key
_HEADER_MAP.update({fold("Mã xã"): "commune", fold("Họ tên"): "full_name", fold("Chức danh"): "position"})


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1; 0 for the file as a whole
    column: str  # the header as written in the file, or "" for the whole row or file
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created_officers: int = 0
    created_postings: int = 0
    rows: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileError(Exception):
    pass


# ---------------------------------------------------------------- reading

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFC whatever the keyboard or the spreadsheet produced (macOS and some IMEs write NFD).
    return unicodedata.normalize("NFC", str(value)).strip()


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """The file's rows (the header first) as lists of NFC strings."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith((".csv", ".txt")):
        return _read_csv(content)
    raise _FileError(_("Upload a .csv or .xlsx file."))


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise _FileError(_("The CSV file is not UTF-8 text; save it from Excel as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale writes semicolons.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:  # e.g. a cell longer than the csv module's limit (128 KiB): was an uncaught exception
        raise _FileError(_("The CSV file cannot be read as a table (for example, a cell is far too long).")) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a damaged or foreign file
        raise _FileError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> datetime.date:
    match = _DATE.match(text)
    if not match:
        raise ValueError
    day, month, year = (int(g) for g in match.groups())
    return datetime.date(year, month, day)


# ---------------------------------------------------------------- checking

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


def _write(officers: list[Officer], postings: list[Posting], user, change_reason: str) -> None:
    datacache.bump()  # bulk_create sends no signals
    for officer in officers:
        officer.fill_derived()
    reason = change_reason or _("bulk import")
    history_user = user if user is not None and user.is_authenticated else None
    if not connection.features.can_return_rows_from_bulk_insert:
        bulk_create_with_history(officers, Officer, batch_size=BATCH, default_user=history_user, default_change_reason=reason)
        for posting in postings:
            posting.officer_id = posting.officer_id or posting.officer.pk
        bulk_create_with_history(postings, Posting, batch_size=BATCH, default_user=history_user, default_change_reason=reason)
        return
    when = timezone.now()
    Officer.objects.bulk_create(officers, batch_size=BATCH)
    for posting in postings:
        posting.officer_id = posting.officer_id or posting.officer.pk
    Posting.objects.bulk_create(postings, batch_size=BATCH)
    for model, rows in ((Officer, officers), (Posting, postings)):
        _copy_into_history(model, [row.pk for row in rows], user=history_user, reason=reason, when=when)


BATCH = 1000


def _copy_into_history(model, ids: list[int], *, user, reason: str, when) -> None:
    """One "created" history row per new row, copied by the database (INSERT … SELECT).

    django-simple-history's bulk_history_create builds a Python object per row and costs as
    much again as the import itself; copying the columns in SQL writes the same rows (same
    columns, user, reason, date, type "+") for a fraction of that.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    own = {f.column for f in model._meta.concrete_fields}
    columns = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.column in own)
    extra = ", ".join(quote(c) for c in ("history_date", "history_type", "history_user_id", "history_change_reason"))
    stamp = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):  # under SQLite's 999 parameters
            chunk = ids[start:start + 900]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {extra}) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, "+", user.pk if user else None, reason, *chunk],
            )


# ---------------------------------------------------------------- the template

def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    return "\ufeff".encode() + out.getvalue().encode()  # a BOM, so Excel reads it as UTF-8


def template_xlsx(examples: dict[str, str] | None = None) -> bytes:
    """The import workbook: an empty sheet to fill and a guide. `examples` replaces some columns'
    examples (the view names a commune and a unit the user may write to)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bố trí"
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(index)].width = max(14, len(column.header) + 4)
        # Dates and codes as text, so Excel does not turn 02/01/2019 into 1 February or drop leading zeros.
        for row in range(2, 1001):
            sheet.cell(row=row, column=index).number_format = "@"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Ví dụ", "Ghi chú"])
    notes = {
        "service_number": "Số hiệu CAND; cán bộ đã có trong hệ thống được nhận theo số hiệu",
        "gender": "Nam / Nữ (bắt buộc với cán bộ mới)",
        "rank": ", ".join(_RANKS_VI.values()) + " (bắt buộc với cán bộ mới)",
        "commune": "Mã xã (mã GSO) hoặc tên xã",
        "position": "; ".join(names[0] for names in _POSITIONS_VI.values()),
        "end_reason": "; ".join(names[0] for names in _END_REASONS_VI.values()),
    }
    for c in COLUMNS:
        date_note = "dd/mm/yyyy" if "date" in c.key or c.key == "party_member_since" else ""
        example = (examples or {}).get(c.key, c.example)
        guide.append([c.header, "x" if c.required else "", example, notes.get(c.key, date_note)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 10, 26, 90)):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
