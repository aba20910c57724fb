"""Reading the official administrative units shipped by the `vietnam-provinces` package.

The package's data are of 2025-01 (before the 2025 reorganisation); the dated changes between
then and the 2019 pilot that the app needs are listed in KNOWN_CHANGES and applied on import.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

import vietnam_provinces

from communes.choices import CommuneKind, DistrictKind, ProvinceKind

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
    # The package marks every district-level unit "huyện"; the name says what it is.
    for prefix, kind in (
        ("Quận ", DistrictKind.URBAN_DISTRICT),
        ("Thị xã ", DistrictKind.TOWN),
        ("Thành phố ", DistrictKind.CITY),
    ):
        if name.startswith(prefix):
            return kind
    return DistrictKind.RURAL_DISTRICT


def commune_kind(name: str) -> str:
    # Likewise every commune-level unit is marked "xã" in the package's nested data.
    if name.startswith("Phường "):
        return CommuneKind.WARD
    if name.startswith("Thị trấn "):
        return CommuneKind.TOWNSHIP
    return CommuneKind.COMMUNE


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


def load_nested() -> list[dict]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        return json.load(f)
