from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

import datacache
from communes import divisions
from communes.models import Commune, CommuneChange, CommuneLineage, District, Place, Province, ProvinceLineage


@dataclass
class ImportCounts:
    provinces: int = 0
    districts: int = 0
    communes: int = 0
    changes: int = 0
    lineage: int = 0


def divisions_import(*, province_codes: list[int] | None = None) -> ImportCounts:
    """Insert or update the old units, the new units and the official lineage from the package, for the
    whole country or for some provinces together with what their lineage reaches; in bulk, idempotently.

    A row is the unit with its life, keyed by (code, established_on): running it again changes nothing.
    """
    old_codes = new_codes = None
    if province_codes:
        known = {r.code for r in divisions.old_provinces()} | {p["code"] for p in divisions.new_data()}
        unknown = set(province_codes) - known
        if unknown:
            raise ValueError(f"unknown province code(s): {', '.join(map(str, sorted(unknown)))}")
        old_codes, new_codes = divisions.provinces_leading_to(set(province_codes))

    def wanted(codes, code):
        return codes is None or code in codes

    counts = ImportCounts()
    with transaction.atomic():
        datacache.bump()  # bulk writes send no signals
        provinces = [r for r in divisions.old_provinces() if wanted(old_codes, r.code)]
        provinces += [r for r in divisions.new_provinces() if wanted(new_codes, r.code)]
        province_ids = _upsert(Province, provinces, {})
        counts.provinces = len(provinces)
        old_province = {code: pk for (code, start), pk in province_ids.items() if start is None}
        new_province = {code: pk for (code, start), pk in province_ids.items() if start == divisions.REFORM_DAY}
        new_province = {**{c: old_province[c] for c in divisions.continuing_provinces() if c in old_province}, **new_province}

        districts = [r for r in divisions.old_districts() if r.parent in old_province]
        district_ids = _upsert(District, districts, {"province_id": lambda r: old_province[r.parent]})
        counts.districts = len(districts)
        district_pk = {code: pk for (code, _start), pk in district_ids.items()}
        district_province = {r.code: old_province[r.parent] for r in districts}

        old = [r for r in divisions.old_communes() if r.parent in district_pk]
        new = [r for r in divisions.new_communes() if r.parent in new_province]
        commune_ids = _upsert(Commune, old, {
            "district_id": lambda r: district_pk[r.parent], "province_id": lambda r: district_province[r.parent],
            "former_district_id": lambda r: None,
        })
        commune_ids.update(_upsert(Commune, new, {
            "district_id": lambda r: None, "province_id": lambda r: new_province[r.parent],
            "former_district_id": lambda r: district_pk.get(r.former_district),
        }))
        counts.communes = len(old) + len(new)

        old_commune = {code: pk for (code, start), pk in commune_ids.items() if start != divisions.REFORM_DAY}
        new_commune = {code: pk for (code, start), pk in commune_ids.items() if start == divisions.REFORM_DAY}
        counts.lineage = _link(CommuneLineage, divisions.commune_lineage(), old_commune, new_commune)
        counts.lineage += _link(ProvinceLineage, divisions.province_lineage(), old_province, new_province)

        for change in divisions.KNOWN_CHANGES:
            if change.commune_code not in old_commune:
                continue
            CommuneChange.objects.update_or_create(
                commune_id=old_commune[change.commune_code],
                effective_on=change.effective_on,
                defaults={
                    "previous_name": change.previous_name,
                    "previous_kind": change.previous_kind,
                    "legal_basis": change.legal_basis,
                },
            )
            counts.changes += 1
    return counts


_UNIT_FIELDS = ("name", "kind", "established_on", "abolished_on", "search_name", "sort_key")


def _upsert(model, records: list[divisions.UnitRecord], links: dict) -> dict[tuple, int]:
    """Write the records as rows of `model` keyed by (code, established_on); returns that key -> pk."""
    fields = list(_UNIT_FIELDS) + list(links)
    if model is Commune:
        fields.append("has_police_post")
    existing = {
        (row.code, row.established_on): row
        for row in model.objects.filter(code__in={r.code for r in records})
    }
    # What a change recorded in the app (communes/changes.py) set stays: a later name or kind, an end.
    renamed = ended = set()
    if model is Commune:
        renamed = set(CommuneChange.objects.filter(recorded=True).values_list("commune_id", flat=True))
        ended = set(CommuneLineage.objects.filter(recorded=True).values_list("predecessor_id", flat=True))
    creating, updating = [], []
    for record in records:
        row = existing.get((record.code, record.established_on)) or model(code=record.code)
        before = {f: getattr(row, f) for f in fields} if row.pk else None
        if row.pk not in renamed:
            row.name, row.kind = record.name, record.kind
        row.established_on = record.established_on
        if row.pk not in ended:
            row.abolished_on = record.abolished_on
        for attribute, value in links.items():
            setattr(row, attribute, value(record))
        if model is Commune:
            row.has_police_post = record.has_police_post
        Place.fill_derived(row)  # Place's, not Commune's: the province is set here, with no query per row
        if row.pk is None:
            creating.append(row)
        elif before != {f: getattr(row, f) for f in fields}:
            updating.append(row)
    # Abolish first, then open: one open row per code at every moment.
    model.objects.bulk_update(updating, fields, batch_size=1000)
    model.objects.bulk_create(creating, batch_size=1000)
    wanted = {(r.code, r.established_on) for r in records}
    return {
        (code, start): pk
        for pk, code, start in model.objects.filter(code__in={r.code for r in records}).values_list("pk", "code", "established_on")
        if (code, start) in wanted
    }


def _link(model, records, old: dict[int, int], new: dict[int, int]) -> int:
    rows = [
        model(predecessor_id=old[r.predecessor], successor_id=new[r.successor], effective_on=divisions.REFORM_DAY,
              whole=r.whole, legal_basis=r.legal_basis)
        for r in records
        if r.predecessor in old and r.successor in new and old[r.predecessor] != new[r.successor]
    ]
    model.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["predecessor", "successor"],
        update_fields=["effective_on", "whole", "legal_basis"],
    )
    return len(rows)
