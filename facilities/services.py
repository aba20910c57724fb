"""Writes of facilities records: each in one transaction entered through datacache.writing() (the data
version first, so cached dashboards never show a stale state), full_clean() before save(), and a database
refusal explained by the rule that names the clash."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from communes.models import Commune, Province
from communes.rules import refusal_message
from datacache import writing
from datacache.areas import rows_provinces
from datacache.topics import FACILITIES
from facilities import rules
from facilities.models import EquipmentCount, EquipmentItem, EquipmentNorm, HeadquartersRecord


def _save(obj, rule_set, change_reason: str = "") -> None:
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj._change_reason = change_reason.strip()[:100] or None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(refusal_message(obj, rule_set)) from None


def headquarters_record(
    *, commune: Commune, on: datetime.date, state: str, construction_start: datetime.date | None = None,
    completion_date: datetime.date | None = None, completion_actual: bool = False, floor_area: Decimal | None = None,
    cost: int | None = None, funding: str = "", note: str = "", change_reason: str = "",
) -> HeadquartersRecord:
    """Record the commune's headquarters state from `on` (a move, works starting, a completion)."""
    with writing():
        record = HeadquartersRecord(
            commune=commune, effective_on=on, state=state, construction_start=construction_start,
            completion_date=completion_date, completion_actual=completion_actual, floor_area=floor_area, cost=cost,
            funding=funding, note=note)
        _save(record, rules.HEADQUARTERS_RULES, change_reason)
    return record


def equipment_count_record(*, commune: Commune, item: EquipmentItem, on: datetime.date, quantity: int, note: str = "",
                           change_reason: str = "") -> EquipmentCount:
    """Record that the commune has `quantity` of the item from `on`."""
    with writing():
        count = EquipmentCount(commune=commune, item=item, effective_on=on, quantity=quantity, note=note)
        _save(count, rules.COUNT_RULES, change_reason)
    return count


def equipment_norm_set(*, province: Province, item: EquipmentItem, on: datetime.date, quantity: int,
                       decision: str = "") -> EquipmentNorm:
    """Set how many of the item each commune police post of the province should have from `on`."""
    with writing():
        norm = EquipmentNorm(province=province, item=item, effective_on=on, quantity=quantity, decision=decision)
        _save(norm, rules.NORM_RULES)
    return norm


def equipment_item_add(*, name: str, kind: str, unit: str = "", order: int = 0) -> EquipmentItem:
    """A new item of the norm list (the list is data: province administrators add to it)."""
    with writing():
        item = EquipmentItem(name=name.strip(), kind=kind, unit=unit.strip(), order=order)
        item.full_clean()
        item.save()
    return item


def facilities_write(*, headquarters: list[HeadquartersRecord], counts: list[EquipmentCount], user=None,
                     change_reason: str = "") -> None:
    """Write an import's rows, all or none: facilities.importing has checked every one against the rules
    and the stored rows first; a clash committed meanwhile makes the database refuse them all."""
    reason = change_reason.strip()[:100] or str(_("bulk import"))
    history_user = user if user is not None and user.is_authenticated else None
    # bulk_create sends no signals: the provinces of the communes written raised here (one query), so that no
    # cached dashboard keeps showing the gaps from before the import.
    with writing(*rows_provinces(Commune, {row.commune_id for row in [*headquarters, *counts]}), topics=(FACILITIES,)):
        bulk_create_with_history(headquarters, HeadquartersRecord, default_user=history_user, default_change_reason=reason)
        bulk_create_with_history(counts, EquipmentCount, default_user=history_user, default_change_reason=reason)
