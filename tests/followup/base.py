"""A small province with a department, its leadership and a few follow-up entries."""

from __future__ import annotations

from followup.choices import EntryKind
from followup.services import entry_record
from personnel.choices import UnitKind
from personnel.models import Unit
from tests.base import D, SmallProvinceTestCase

FIRST_VISIT = D(2019, 2, 1)


class FollowupTestCase(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(province=cls.province, name="Phòng Tham mưu", short_name="PV01",
                                             kind=UnitKind.DEPARTMENT)
        cls.leadership = Unit.objects.create(province=cls.province, name="Ban Giám đốc Công an tỉnh", short_name="BGĐ",
                                             kind=UnitKind.DEPARTMENT)

    @classmethod
    def record(cls, commune, day=FIRST_VISIT, **fields):
        defaults = {"kind": EntryKind.VISIT, "visitor": "Đại tá Lê Văn Thanh, Giám đốc", "unit": cls.leadership,
                    "findings": "Trụ sở tạm mượn nhà văn hóa thôn.", "requests": "Bố trí đất xây trụ sở.",
                    "action": "Báo cáo UBND huyện", "due_on": D(2019, 3, 1), "responsible": "Công an huyện"}
        return entry_record(commune=commune, day=day, **{**defaults, **fields})
