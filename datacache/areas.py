"""Which provinces a written row belongs to: the version rows its write raises (datacache/__init__.py).

A row belongs to the province of what it is about: a posting, a Party role, a cell, a follow-up to its
commune's province; a unit, a plan, a district to their own; an officer to their home unit's province and
to the provinces of every commune they were posted to (their name and rank are shown there). When a row
is moved (a correction gives a posting another commune, an officer another home unit), the write raises
the province it leaves as well as the one it goes to. A unit belongs to its province and to those of its
officers (their lists name it). What belongs to no single province (a province
itself, whose code and name every page may show; lineage between provinces; a row of a kind with no
way to a province) raises AREA_ALL, which every cached result is filed under too. An officer in no province
yet (no unit, no posting, no role) raises AREA_NONE instead: no province's pages show them (every province's
scope leaves them out, personnel.access._officers), so only national results, filed under the sum of all
numbers, are recomputed.

Reads are few: a related row the instance already holds costs nothing; otherwise one small query.
"""

from __future__ import annotations

from django.apps import apps as registry

AREA_ALL = 0  # the version row of data that belongs to no single province
AREA_NONE = -1  # the version row of officers in no province yet: read by national results only

# Models whose writes change what every province's pages may show.
EVERYWHERE = frozenset({"communes.province", "communes.provincelineage"})
# The foreign keys that lead to a province, tried in this order on models without a rule of their own.
PATHS = ("province", "commune", "district", "plan", "unit", "home_unit", "cell", "officer", "reorganisation")


def _model(label: str):
    return registry.get_model(label)


def _communes(pks) -> set[int]:
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return set()
    return set(_model("communes.commune").objects.filter(pk__in=pks).values_list("province_id", flat=True))


def officer_provinces(officer_pks) -> set[int]:
    """An officer's home units' provinces (every unit they were ever in) and their communes' provinces: one query."""
    pks = {pk for pk in officer_pks if pk is not None}
    if not pks:
        return set()
    officer = _model("personnel.officer")
    rows = officer.objects.filter(pk__in=pks).order_by().values_list("home_unit__province_id").union(
        _model("personnel.officerchange").objects.filter(officer__in=pks, home_unit__isnull=False).order_by()
        .values_list("home_unit__province_id"),
        _model("personnel.posting").objects.filter(officer__in=pks).order_by().values_list("commune__province_id"),
        _model("personnel.partyrole").objects.filter(officer__in=pks).order_by().values_list("commune__province_id"),
    )
    return {province for (province,) in rows}


def unit_officers_provinces(unit_pks) -> set[int]:
    """The provinces of the officers whose home unit these units are or were (officer_provinces()): two queries."""
    pks = {pk for pk in unit_pks if pk is not None}
    if not pks:
        return set()
    officers = set(_model("personnel.officer").objects.filter(home_unit__in=pks).values_list("pk", flat=True))
    officers |= set(_model("personnel.officerchange").objects.filter(home_unit__in=pks)
                    .values_list("officer_id", flat=True))
    return officer_provinces(officers)


def _via(model, field_name: str, pks) -> set[int]:
    """The provinces of the rows `pks` of `model`'s relation `field_name` points at."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return set()
    target = model._meta.get_field(field_name).related_model
    label = target._meta.label_lower
    if label == "communes.province":
        return pks
    if label == "communes.commune":
        return _communes(pks)
    if label == "personnel.officer":
        return officer_provinces(pks)
    return rows_provinces(target, pks)


def _paths(model) -> list[str]:
    """The relations that lead to a province: those of PATHS, then any other to a watched model (an enrolment's
    candidate, a follow-up state's entry)."""
    from datacache import WATCHED_APPS

    relations = {f.name: f for f in model._meta.concrete_fields if f.is_relation}
    found = [name for name in PATHS if name in relations]
    found += [name for name, f in relations.items()
              if name not in found and f.related_model._meta.app_label in WATCHED_APPS]
    return found


def _first_set(model, values: dict) -> tuple[str, int] | None:
    """The first relation of PATHS that is set on a row (values: field name -> pk or None)."""
    for name in _paths(model):
        if values.get(name) is not None:
            return name, values[name]
    return None


def rows_provinces(model, pks) -> set[int]:
    """The provinces of rows of `model` as stored."""
    label = model._meta.label_lower
    pks = [pk for pk in pks if pk is not None]
    if label in EVERYWHERE:
        return {AREA_ALL}
    if not pks:
        return set()
    if label == "personnel.officer":
        return officer_provinces(pks)
    if label == "personnel.officerchange":
        rows = list(model._default_manager.filter(pk__in=pks).values_list("officer_id", "home_unit_id"))
        return officer_provinces({o for o, _u in rows}) | _via(model, "home_unit", {u for _o, u in rows})
    paths = _paths(model)
    if not paths:
        return {AREA_ALL}
    found: set[int] = set()
    for row in model._default_manager.filter(pk__in=pks).values(*(f"{name}_id" for name in paths)):
        first = _first_set(model, {name: row[f"{name}_id"] for name in paths})
        found |= _via(model, first[0], [first[1]]) if first else {AREA_ALL}
    return found


def instance_provinces(instance) -> set[int]:
    """The provinces a save or delete of `instance` changes: as it is about to be written and as it was stored."""
    model = type(instance)
    label = model._meta.label_lower
    if label in EVERYWHERE:
        return {AREA_ALL}
    if label == "personnel.officer":  # as stored, with every unit and commune it was ever in, and its new unit
        return officer_provinces([instance.pk]) | _via(model, "home_unit", [instance.home_unit_id])
    stored = rows_provinces(model, [instance.pk]) if instance.pk is not None and not instance._state.adding else set()
    if label == "personnel.officerchange":
        return stored | officer_provinces([instance.officer_id]) | _via(model, "home_unit", [instance.home_unit_id])
    if label == "personnel.unit" and instance.pk is not None:
        # Its name is shown with its officers wherever they serve: another province's lists name it too.
        stored |= unit_officers_provinces([instance.pk])
    first = _first_set(model, {name: getattr(instance, f"{name}_id") for name in _paths(model)})
    if first is None:
        return stored | {AREA_ALL}
    name, pk = first
    if name == "province":
        return stored | {pk}
    related = model._meta.get_field(name).get_cached_value(instance, None)
    if related is not None and getattr(related, "province_id", None) is not None:
        return stored | {related.province_id}
    return stored | _via(model, name, [pk])


def fallback_area(model) -> int:
    """The version row a written row that reaches no province raises (see the module's docstring)."""
    return AREA_NONE if model._meta.label_lower == "personnel.officer" else AREA_ALL
