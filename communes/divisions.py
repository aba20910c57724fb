"""Reading the official administrative units shipped by the `vietnam-provinces` package: the one
place that knows its layout.

The package holds the units before the 2025 reorganisation (its `legacy` module: 63 provinces,
696 districts, 10,051 communes as of early 2025), the units since 01/07/2025 (34 provinces,
3,321 communes, no districts) and the official conversion table (10,033 old codes -> 3,316 new).
This module turns them into plain records with lives and lineage; communes/services.py writes them.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import vietnam_provinces
from vietnam_provinces import _province_conversion_2025 as province_conversion
from vietnam_provinces import _ward_conversion_2025 as ward_conversion
from vietnam_provinces import legacy

from communes.choices import CommuneKind, DistrictKind, ProvinceKind
from communes.models import NEW_TIER_FROM

# Nghị quyết 202/2025/QH15 (provinces) and the Standing Committee's resolutions of 16/06/2025 (communes).
REFORM_DAY = NEW_TIER_FROM
PROVINCE_ACT = "Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh (hiệu lực 01/07/2025)"
COMMUNE_ACTS = {
    51: "Nghị quyết 1677/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã "
        "của tỉnh Quảng Ngãi năm 2025 (hiệu lực 01/07/2025)",
}
COMMUNE_ACT = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của %(province)s năm 2025 (hiệu lực 01/07/2025)"

# Between the package's old data and the conversion table, 28 communes were merged away and 10 codes
# appeared (the rearrangement of 2023-2025). Their exact days are not in the package: the approximate
# day below stands for them, and docs/units.md says so.
EARLY_2025_DAY = datetime.date(2025, 1, 1)

# Đặc khu with no commune police unit (Hoàng Sa, Trường Sa): the police of their province serve them.
NO_POLICE_POST = frozenset({20333, 22736})

# The package spells a few names loosely ("Huyện Ia H' Drai", "Thành Phố Bắc Kạn").
_APOSTROPHE_SPACE = re.compile(r"(\w)['’] (\w)")


def clean_name(name: str) -> str:
    name = _APOSTROPHE_SPACE.sub(r"\1'\2", name.strip())
    if name.startswith("Thành Phố "):
        name = "Thành phố " + name[len("Thành Phố "):]
    return name


def province_kind(name: str) -> str:
    return ProvinceKind.CITY if name.startswith("Thành phố") else ProvinceKind.PROVINCE


def district_kind(name: str) -> str:
    for prefix, kind in (
        ("Quận ", DistrictKind.URBAN_DISTRICT),
        ("Thị xã ", DistrictKind.TOWN),
        ("Thành phố ", DistrictKind.CITY),
    ):
        if name.startswith(prefix):
            return kind
    return DistrictKind.RURAL_DISTRICT


def commune_kind(name: str) -> str:
    for prefix, kind in (
        ("Phường ", CommuneKind.WARD),
        ("Thị trấn ", CommuneKind.TOWNSHIP),
        ("Đặc khu ", CommuneKind.SPECIAL_ZONE),
    ):
        if name.startswith(prefix):
            return kind
    return CommuneKind.COMMUNE


@dataclass(frozen=True)
class UnitRecord:
    """One unit with its life: (code, established_on) is its key in the package's terms."""

    code: int
    name: str
    kind: str
    established_on: datetime.date | None
    abolished_on: datetime.date | None
    parent: int | None = None  # a district's province; an old commune's district; a new commune's province
    former_district: int | None = None
    has_police_post: bool = True


@dataclass(frozen=True)
class LineageRecord:
    predecessor: int  # old code
    successor: int  # new code
    whole: bool
    legal_basis: str


@dataclass(frozen=True)
class KnownChange:
    commune_code: int
    effective_on: datetime.date
    previous_name: str
    previous_kind: str
    legal_basis: str


KNOWN_CHANGES = [
    # Kon Plông, Kon Tum: the pilot's 86 communes are the 86 xã of April 2019, Đắk Long among them.
    KnownChange(
        commune_code=23473,
        effective_on=datetime.date(2019, 9, 1),
        previous_name="Xã Đắk Long",
        previous_kind=CommuneKind.COMMUNE,
        legal_basis="Thành lập thị trấn Măng Đen trên cơ sở toàn bộ xã Đắk Long (Nghị quyết của Ủy ban Thường vụ Quốc hội, hiệu lực 01/09/2019)",
    ),
]


# ---- the units before 01/07/2025 ------------------------------------------------------------------

def continuing_provinces() -> frozenset[int]:
    """Provinces the reform left whole and alone (Hà Nội, Huế, ...): one row goes on through it."""
    return frozenset(
        new for new, entry in province_conversion.NEW_TO_OLD.items()
        if [o.code for o in entry.old_provinces] == [new]
    )


def old_provinces() -> Iterator[UnitRecord]:
    going_on = continuing_provinces()
    for p in legacy.Province.iter_all():
        name = clean_name(p.name)
        code = int(p.code)
        yield UnitRecord(code, name, province_kind(name), None, None if code in going_on else REFORM_DAY)


def old_districts() -> Iterator[UnitRecord]:
    for d in legacy.District.iter_all():
        name = clean_name(d.name)
        yield UnitRecord(int(d.code), name, district_kind(name), None, REFORM_DAY, parent=int(d.province_code))


def old_communes() -> Iterator[UnitRecord]:
    converted = ward_conversion.OLD_TO_NEW
    known = set()
    for w in legacy.Ward.iter_all():
        code = int(w.code)
        known.add(code)
        name = clean_name(w.name)
        ends = REFORM_DAY if code in converted else EARLY_2025_DAY
        yield UnitRecord(code, name, commune_kind(name), None, ends, parent=int(w.district_code))
    new_names = {w["code"]: w["name"] for p in new_data() for w in p["wards"]}
    for code, entry in converted.items():
        if code in known:
            continue
        # A unit of early 2025 the old data lacks: named as its successor when it gave its code, else by code.
        district = entry.old_ward.district_code
        kind = CommuneKind.WARD if _district_is_urban(district) else CommuneKind.COMMUNE
        prefix = "Phường" if kind == CommuneKind.WARD else "Xã"
        name = new_names.get(code) if code in new_names and entry.new_wards[0].code == code else f"{prefix} (mã {code})"
        name = clean_name(name)
        yield UnitRecord(code, name, commune_kind(name), EARLY_2025_DAY, REFORM_DAY, parent=district)


@cache
def _urban_districts() -> frozenset[int]:
    return frozenset(int(d.code) for d in legacy.District.iter_all() if not d.name.startswith("Huyện "))


def _district_is_urban(code: int) -> bool:
    return code in _urban_districts()


# ---- the units since 01/07/2025 -------------------------------------------------------------------

@cache
def new_data() -> tuple[dict, ...]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        return tuple(json.load(f))


def new_provinces() -> Iterator[UnitRecord]:
    going_on = continuing_provinces()
    for p in new_data():
        if p["code"] in going_on:
            continue  # the old row goes on
        name = clean_name(p["name"])
        yield UnitRecord(p["code"], name, province_kind(name), REFORM_DAY, None)


def new_communes() -> Iterator[UnitRecord]:
    new_to_old = ward_conversion.NEW_TO_OLD
    for p in new_data():
        for w in p["wards"]:
            name = clean_name(w["name"])
            entry = new_to_old.get(w["code"])
            former = None
            if entry is not None:
                same = [o for o in entry.old_wards if o.code == w["code"]] or list(entry.old_wards)
                former = same[0].district_code
            yield UnitRecord(
                w["code"], name, commune_kind(name), REFORM_DAY, None, parent=p["code"], former_district=former,
                has_police_post=w["code"] not in NO_POLICE_POST,
            )


def commune_lineage() -> Iterator[LineageRecord]:
    """The official table: each new unit's predecessors; `whole` when the old unit went into one unit only."""
    old_to_new = ward_conversion.OLD_TO_NEW
    province_names = {p["code"]: clean_name(p["name"]) for p in new_data()}
    for new_code, entry in ward_conversion.NEW_TO_OLD.items():
        act = COMMUNE_ACTS.get(entry.new_ward.province_code) or COMMUNE_ACT % {
            "province": province_names.get(entry.new_ward.province_code, "")
        }
        for old in entry.old_wards:
            yield LineageRecord(old.code, new_code, whole=len(old_to_new[old.code].new_wards) == 1, legal_basis=act)


def province_lineage() -> Iterator[LineageRecord]:
    going_on = continuing_provinces()
    for new_code, entry in province_conversion.NEW_TO_OLD.items():
        if new_code in going_on:
            continue
        for old in entry.old_provinces:
            yield LineageRecord(old.code, new_code, whole=True, legal_basis=PROVINCE_ACT)


def provinces_leading_to(codes: set[int]) -> tuple[set[int], set[int]]:
    """For old province codes, the old and new province codes their lineage reaches (Kon Tum -> old
    Quảng Ngãi, Kon Tum and new Quảng Ngãi): what an import of some provinces must hold together."""
    new = {n.code for c in codes if c in province_conversion.OLD_TO_NEW for n in province_conversion.OLD_TO_NEW[c].new_provinces}
    new |= codes & set(province_conversion.NEW_TO_OLD)
    old = set(codes) | {o.code for n in new for o in province_conversion.NEW_TO_OLD[n].old_provinces}
    return old, new
