"""The facilities import: a CSV or XLSX file of headquarters states and equipment counts, checked row by
row and written all or none, as the postings import (personnel.importing) is: the same reading, bounds,
cell hygiene, preview and confirm. One row records a headquarters state, a count of an item, or both,
for a commune (its GSO code) from a day. Every bad row is listed; one bad row imports nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from communes.models import Commune
from communes.periods import UNIT_LIFE
from communes.rules import check_all
from facilities import rules
from facilities.choices import Funding, HeadquartersState
from facilities.models import EquipmentCount, EquipmentItem, HeadquartersRecord
from facilities.services import facilities_write
from kontum_posts.lib.clean import clean_text, date_in_range
from kontum_posts.lib.params import is_ascii_int
from kontum_posts.lib.vntext import fold
from personnel.access import scope_for
from personnel.importing.columns import Column, RowError, _FileError
from personnel.importing.read import FORMULA, parse_date, read_rows, read_upload

COLUMNS = [
    Column("commune", "Mã xã", True, "23287"),
    Column("effective_on", "Từ ngày", True, "01/03/2019"),
    Column("state", "Trụ sở", False, "Mượn"),
    Column("construction_start", "Ngày khởi công", False, ""),
    Column("completion_date", "Ngày hoàn thành", False, ""),
    Column("completion_actual", "Đã hoàn thành", False, ""),
    Column("floor_area", "Diện tích (m²)", False, ""),
    Column("cost", "Kinh phí (đồng)", False, ""),
    Column("funding", "Nguồn vốn", False, ""),
    Column("item", "Trang bị", False, "Máy vi tính"),
    Column("quantity", "Số lượng", False, "1"),
    Column("note", "Ghi chú", False, ""),
]
STATE_WORDS = {
    HeadquartersState.NONE: ["Chưa có", "Không có"],
    HeadquartersState.BORROWED: ["Mượn", "Mượn nhà", "Nhờ trụ sở"],
    HeadquartersState.TEMPORARY: ["Tạm", "Trụ sở tạm"],
    HeadquartersState.UNDER_CONSTRUCTION: ["Đang xây dựng", "Đang xây"],
    HeadquartersState.OWN: ["Riêng", "Trụ sở riêng", "Có trụ sở riêng"],
}
FUNDING_WORDS = {
    Funding.CENTRAL: ["Trung ương", "Bộ Công an"], Funding.PROVINCE: ["Tỉnh", "Ngân sách tỉnh"],
    Funding.DISTRICT: ["Huyện", "Xã", "Ngân sách huyện"], Funding.SOCIAL: ["Xã hội hóa", "Tài trợ"],
    Funding.MIXED: ["Nhiều nguồn", "Lồng ghép"],
}
YES = {fold(w) for w in ("có", "x", "yes", "1", "đã hoàn thành")}
NO = {fold(w) for w in ("", "không", "no", "0", "dự kiến")}


def _words(choices, words: dict) -> dict[str, str]:
    found = {}
    for value, label in choices:
        for text in [value, str(label), *words.get(value, [])]:
            found[fold(text)] = value
    return found


_STATES = _words(HeadquartersState.choices, STATE_WORDS)
_FUNDING = _words(Funding.choices, FUNDING_WORDS)
_HEADERS = {fold(c.header): c.key for c in COLUMNS} | {fold(c.key): c.key for c in COLUMNS} | {fold("Xã"): "commune"}


@dataclass
class FacilitiesImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    headquarters: int = 0
    counts: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def facilities_import(*, file, filename: str, user, dry_run: bool, change_reason: str = "") -> FacilitiesImportResult:
    """Check every row; unless `dry_run` and if no row is bad, write them all in one transaction. `user`
    limits the communes to those they may change (None: the command line, the whole country)."""
    result = FacilitiesImportResult(dry_run=dry_run)
    try:
        table = read_rows(read_upload(file), filename)
        change_reason = clean_text(change_reason.strip())[:100]
    except _FileError as error:
        result.errors.append(RowError(0, "", str(error)))
        return result
    except ValidationError as error:
        result.errors.append(RowError(0, _("Reason for the change"), " ".join(error.messages)))
        return result
    while table and not any(table[-1]):
        table.pop()
    if not table:
        result.errors.append(RowError(0, "", _("The file is empty.")))
        return result
    columns, labels = {}, {c.key: c.header for c in COLUMNS}
    for index, title in enumerate(table[0]):
        key = _HEADERS.get(fold(title))
        if key and key not in columns:
            columns[key], labels[key] = index, title
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        result.errors.append(RowError(1, ", ".join(missing), _("Required columns are missing; download the template.")))
        return result
    rows = [(number, {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()})
            for number, cells in enumerate(table[1:], start=2) if any(cells)]
    result.rows = len(rows)
    if not rows:
        result.errors.append(RowError(0, "", _("The file has no rows under its header.")))
        return result
    headquarters, counts = _check(rows, user, result, labels)
    if result.errors:
        return result
    result.headquarters, result.counts = len(headquarters), len(counts)
    if not dry_run:
        try:
            facilities_write(headquarters=headquarters, counts=counts, user=user, change_reason=change_reason)
        except IntegrityError:  # another administrator recorded a clashing row meanwhile
            result.errors.append(RowError(0, "", _("Another user recorded some of these rows meanwhile; nothing was "
                                                   "written. Check the file again.")))
            result.headquarters = result.counts = 0
    return result


def _check(rows, user, result: FacilitiesImportResult, labels: dict):
    """Every row against the rules, in memory: four queries (communes, items, the stored days of each)."""
    scope = scope_for(user) if user is not None else None
    codes = {int(v["commune"]) for _n, v in rows if is_ascii_int(v.get("commune", "").strip())}
    communes_qs = Commune.objects.filter(code__in=codes)
    if scope is not None:
        communes_qs = communes_qs.filter(scope.commune_q()) if scope.can_edit else communes_qs.none()
    by_code: dict[int, list[Commune]] = {}
    for commune in communes_qs:
        by_code.setdefault(commune.code, []).append(commune)
    items = {fold(item.name): item for item in EquipmentItem.objects.all()}
    ids = [c.pk for group in by_code.values() for c in group]
    stored_hq = set(HeadquartersRecord.objects.filter(commune_id__in=ids).values_list("commune_id", "effective_on"))
    stored_counts = set(EquipmentCount.objects.filter(commune_id__in=ids).values_list("commune_id", "item_id", "effective_on"))
    headquarters, counts = [], []
    for number, values in rows:
        errors_before = len(result.errors)

        def error(key: str, message: str, number=number) -> None:
            result.errors.append(RowError(number, labels.get(key, ""), message))

        cells = {}
        for key, text in values.items():
            if text is FORMULA:
                error(key, _("A formula without a saved value; save the file in Excel first."))
                continue
            try:
                cells[key] = clean_text(text)
            except ValidationError as refusal:
                error(key, " ".join(refusal.messages))
        dates = {}
        for key in ("effective_on", "construction_start", "completion_date"):
            text = cells.get(key, "")
            if text:
                try:
                    dates[key] = parse_date(text)
                    date_in_range(dates[key])
                except ValueError:
                    error(key, _("Enter a date as dd/mm/yyyy, e.g. 23/04/2019."))
                except ValidationError as refusal:
                    error(key, " ".join(refusal.messages))
        day = dates.get("effective_on")
        if not cells.get("effective_on"):
            error("effective_on", _("Required."))
        commune = _commune(cells.get("commune", ""), day, by_code, error)
        state = _choice(cells.get("state", ""), _STATES, "state", error)
        item_text, quantity_text = cells.get("item", ""), cells.get("quantity", "")
        if not cells.get("state") and not item_text:
            error("state", _("Give a headquarters state, an item of equipment with its quantity, or both."))
        # The equipment cells are read whatever else is wrong, so the row's every problem is listed at once.
        item = items.get(fold(item_text)) if item_text else None
        quantity = _number(quantity_text, int, "quantity", error) if item_text else None
        if item_text and item is None:
            error("item", _("No item of the norm list is named “%(name)s”.") % {"name": item_text})
        elif item_text and quantity is None and not quantity_text:
            error("quantity", _("Give the quantity of the item."))
        elif quantity is not None and quantity < 0:
            error("quantity", str(rules.COUNT_NOT_NEGATIVE.message))
        if len(result.errors) > errors_before or commune is None or day is None:
            continue
        if state:
            hq = HeadquartersRecord(
                commune=commune, effective_on=day, state=state, construction_start=dates.get("construction_start"),
                completion_date=dates.get("completion_date"),
                completion_actual=_yes(cells.get("completion_actual", ""), "completion_actual", error),
                floor_area=_number(cells.get("floor_area", ""), Decimal, "floor_area", error),
                cost=_number(cells.get("cost", ""), int, "cost", error),
                funding=_choice(cells.get("funding", ""), _FUNDING, "funding", error), note=cells.get("note", "")[:500])
            if (commune.pk, day) in stored_hq:
                error("effective_on", rules.HQ_ONE_A_DAY.text(hq))
            stored_hq.add((commune.pk, day))
            _rules(hq, [r for r in rules.HEADQUARTERS_RULES if r is not rules.HQ_ONE_A_DAY], labels, error)
            headquarters.append(hq)
        if item is not None and quantity is not None:
            count = EquipmentCount(commune=commune, item=item, effective_on=day, quantity=quantity,
                                   note=cells.get("note", "")[:500])
            if (commune.pk, item.pk, day) in stored_counts:
                error("effective_on", rules.COUNT_ONE_A_DAY.text(count))
            stored_counts.add((commune.pk, item.pk, day))
            _rules(count, [r for r in rules.COUNT_RULES if r is not rules.COUNT_ONE_A_DAY], labels, error)
            counts.append(count)
    return headquarters, counts


def _commune(text: str, day: datetime.date | None, by_code: dict, error) -> Commune | None:
    if not text:
        error("commune", _("Required."))
        return None
    if not is_ascii_int(text) or int(text) not in by_code:
        error("commune", _("No commune with code %(code)s that you may change.") % {"code": text})
        return None
    units = by_code[int(text)]
    if day is None:
        return units[0]
    for unit in units:  # a code names different units on different days: the one of the row's day
        if UNIT_LIFE.is_open_on(unit, day):
            return unit
    error("commune", _("No commune bore code %(code)s on %(day)s.") % {"code": text, "day": f"{day:%d/%m/%Y}"})
    return None


def _choice(text: str, words: dict, key: str, error) -> str:
    if not text:
        return ""
    value = words.get(fold(text))
    if value is None:
        error(key, _("“%(value)s” is not one of the accepted words (see the template's guide).") % {"value": text})
        return ""
    return value


def _yes(text: str, key: str, error) -> bool:
    if fold(text) in YES:
        return True
    if fold(text) not in NO:
        error(key, _("Write “có” or leave it empty."))
    return False


def _number(text: str, kind, key: str, error):
    if not text:
        return None
    plain = text.replace(" ", "").replace(".", "") if kind is int else text.replace(",", ".")
    try:
        return kind(plain)
    except (ValueError, InvalidOperation):
        error(key, _("“%(value)s” is not a number.") % {"value": text})
        return None


def _rules(obj, rule_set, labels: dict, error) -> None:
    """The fields' own bounds (a cost, an area or a count too large for its column would be a database error),
    then the model's rules on the row (the same-day rule is asked of the file and the stored rows above)."""
    try:
        obj.clean_fields(exclude=["commune", "item"])
    except ValidationError as refusal:
        for key, messages in refusal.message_dict.items():
            for message in messages:
                error(key if key in labels else "", message)
        return
    try:
        check_all(obj, rule_set)
    except ValidationError as refusal:
        for key, messages in refusal.message_dict.items():
            for message in messages:
                error(key if key in labels else "", message)


def template_rows() -> list[list[str]]:
    return [[c.header for c in COLUMNS], [c.example for c in COLUMNS]]


GUIDE = {
    "commune": "Mã xã (mã GSO) của đơn vị hành chính ngày đó",
    "effective_on": "dd/mm/yyyy: ngày tình trạng hoặc số lượng bắt đầu",
    "state": "; ".join(words[0] for words in STATE_WORDS.values()),
    "completion_actual": "“có”: ngày hoàn thành thực tế; để trống: dự kiến",
    "funding": "; ".join(words[0] for words in FUNDING_WORDS.values()),
    "item": "Tên trang bị trong danh mục định mức",
}
