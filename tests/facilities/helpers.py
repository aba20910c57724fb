"""A small world for the facilities tests: the shared small province, an item list and a norm."""

from __future__ import annotations

from facilities import services
from facilities.choices import EquipmentKind
from tests.base import D, SmallProvinceTestCase


class FacilitiesTestCase(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.motorbike = services.equipment_item_add(name="Xe mô tô", kind=EquipmentKind.VEHICLE, unit="chiếc", order=1)
        cls.computer = services.equipment_item_add(name="Máy vi tính", kind=EquipmentKind.COMPUTER, order=2)
        services.equipment_norm_set(province=cls.province, item=cls.motorbike, on=D(2019, 1, 1), quantity=2)
        services.equipment_norm_set(province=cls.province, item=cls.computer, on=D(2019, 1, 1), quantity=1)
