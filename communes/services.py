from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

import datacache
from communes.divisions import (
    KNOWN_CHANGES,
    clean_name,
    commune_kind,
    district_kind,
    load_nested,
    province_kind,
)
from communes.models import Commune, CommuneChange, District, Province


@dataclass
class ImportCounts:
    provinces: int = 0
    districts: int = 0
    communes: int = 0
    changes: int = 0


def divisions_import(*, province_codes: list[int] | None = None) -> ImportCounts:
    """Insert or update provinces, districts and communes from the package, in bulk and idempotently."""
    wanted = set(province_codes or [])
    data = [p for p in load_nested() if not wanted or p["code"] in wanted]
    unknown = wanted - {p["code"] for p in data}
    if unknown:
        raise ValueError(f"unknown province code(s): {', '.join(map(str, sorted(unknown)))}")

    counts = ImportCounts()
    with transaction.atomic():
        provinces = []
        for p in data:
            name = clean_name(p["name"])
            row = Province(code=p["code"], name=name, kind=province_kind(name))
            row.fill_derived()
            provinces.append(row)
        _upsert(Province, provinces, ["name", "kind", "search_name", "sort_key"])
        province_ids = dict(Province.objects.filter(code__in=[p.code for p in provinces]).values_list("code", "id"))
        counts.provinces = len(provinces)

        districts = []
        for p in data:
            for d in p["districts"]:
                name = clean_name(d["name"])
                row = District(code=d["code"], name=name, kind=district_kind(name), province_id=province_ids[p["code"]])
                row.fill_derived()
                districts.append(row)
        _upsert(District, districts, ["name", "kind", "search_name", "sort_key", "province"])
        district_ids = dict(District.objects.filter(code__in=[d.code for d in districts]).values_list("code", "id"))
        counts.districts = len(districts)

        communes = []
        for p in data:
            for d in p["districts"]:
                for w in d["wards"]:
                    name = clean_name(w["name"])
                    row = Commune(code=w["code"], name=name, kind=commune_kind(name), district_id=district_ids[d["code"]])
                    row.fill_derived()
                    communes.append(row)
        _upsert(Commune, communes, ["name", "kind", "search_name", "sort_key", "district"])
        counts.communes = len(communes)

        commune_ids = dict(
            Commune.objects.filter(code__in=[c.commune_code for c in KNOWN_CHANGES]).values_list("code", "id")
        )
        for change in KNOWN_CHANGES:
            if change.commune_code not in commune_ids:
                continue
            CommuneChange.objects.update_or_create(
                commune_id=commune_ids[change.commune_code],
                effective_on=change.effective_on,
                defaults={
                    "previous_name": change.previous_name,
                    "previous_kind": change.previous_kind,
                    "legal_basis": change.legal_basis,
                },
            )
            counts.changes += 1
    return counts


def _upsert(model, rows: list, update_fields: list[str]) -> None:
    datacache.bump()  # bulk_create sends no signals
    model.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["code"], update_fields=update_fields
    )
