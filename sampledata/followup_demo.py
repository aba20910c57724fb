"""The demo's follow-up of each commune (followup app) and the departments' dated support assignments.

Written through the services (personnel/support.py, followup/services.py), seeded, idempotent: each part is
written once (a second run finds it there and changes nothing), and none of it changes a figure of the
dashboards (349 officers, 86/86, 61 cells… on 23/04/2019).

- 2019: the pilot's assignments run from the plan's day (12/10/2018) to the last day of their commune
  (30/06/2025: communes that ended on 01/07/2025 end their assignments; they are not carried, see
  personnel/support.py); visits of the province's leadership and departments to pilot communes in
  January–April 2019, some follow-ups done by 23/04/2019, some still open then.
- Today: Kon Tum's departments (which go on under Quảng Ngãi) support the 40 units that came from Kon Tum's
  communes from the new plan's day (15/07/2025), and visits of the months before today.
"""

from __future__ import annotations

import datetime
import random

from communes.models import Commune, Province
from communes.periods import UNIT_LIFE
from datacache import writing
from followup.choices import EntryKind, FollowUpState
from followup.models import LogEntry
from followup.services import entry_change_state, entry_record
from personnel.choices import UnitKind
from personnel.models import Unit
from personnel.support import SupportAssignment, support_assign

KON_TUM, QUANG_NGAI = 62, 51
NEW_TIER_FROM = datetime.date(2025, 7, 1)
NEW_PLAN_DAY = datetime.date(2025, 7, 15)  # sampledata/today.PLAN_ISSUED
SEED = 1704
LEADERSHIP = ("Ban Giám đốc Công an tỉnh", "BGĐ")

VISITORS_2019 = [
    ("Đại tá Lê Văn Thanh, Giám đốc Công an tỉnh", "BGĐ"),
    ("Thượng tá Trần Đình Hòa, Phó Giám đốc Công an tỉnh", "BGĐ"),
    ("Thượng tá Nguyễn Hữu Phúc, Trưởng phòng Tổ chức cán bộ", "PX01"),
    ("Trung tá A Blưk, Phó Trưởng phòng Tham mưu", "PV01"),
    ("Trung tá Y Thoan, Phó Trưởng phòng Cảnh sát quản lý hành chính", "PC06"),
]
FINDINGS = [
    ("Trụ sở tạm mượn nhà văn hóa thôn; 3 đồng chí Công an chính quy đã đến nhận nhiệm vụ, ăn ở tập trung tại trụ sở.",
     "Đề nghị Ủy ban nhân dân xã bố trí đất để xây dựng trụ sở Công an xã.",
     "Báo cáo Ủy ban nhân dân huyện bố trí quỹ đất xây dựng trụ sở", "Công an huyện"),
    ("Lực lượng đã nắm địa bàn 6/8 thôn; chưa có máy tính, phương tiện đi lại là xe máy cá nhân.",
     "Trang bị máy tính và bộ đàm cho Công an xã trước mùa mưa.",
     "Cấp 01 máy tính, 02 bộ đàm", "Phòng Hậu cần"),
    ("Chi bộ Công an xã chưa được thành lập; 2 đồng chí là đảng viên sinh hoạt ghép với Chi bộ Quân sự.",
     "Hoàn thiện hồ sơ thành lập Chi bộ Công an xã.",
     "Trình Đảng ủy xã quyết định thành lập Chi bộ", "Trưởng Công an xã"),
    ("Công an xã phối hợp tốt với Công an viên bán chuyên trách; tình hình an ninh trật tự ổn định.",
     "Tiếp tục tổ chức tuần tra ban đêm tại các thôn giáp ranh.", "", ""),
    ("Sổ sách quản lý nhân khẩu, hộ khẩu chưa cập nhật đầy đủ sau khi tiếp nhận từ Công an xã bán chuyên trách.",
     "Rà soát, cập nhật toàn bộ sổ hộ khẩu, nhân khẩu.",
     "Hoàn thành rà soát sổ hộ khẩu, nhân khẩu", "Phó Trưởng Công an xã"),
]
FINDINGS_TODAY = [
    ("Công an xã mới sau sắp xếp làm việc tại hai điểm (trụ sở hai xã cũ); đủ 6 đồng chí, có Trưởng Công an xã.",
     "Bố trí một trụ sở chính và một điểm tiếp dân.", "Đề xuất phương án sử dụng trụ sở sau sắp xếp", "Trưởng Công an xã"),
    ("Dữ liệu dân cư của ba xã cũ đã được hợp nhất; còn sai lệch địa chỉ ở hai thôn.",
     "Hoàn thành làm sạch dữ liệu dân cư.", "Làm sạch dữ liệu dân cư các thôn còn sai lệch", "Phòng Cảnh sát QLHC về TTXH"),
    ("Chi bộ Công an xã đã kiện toàn; sinh hoạt chi bộ định kỳ đúng quy định.", "Duy trì nền nếp sinh hoạt.", "", ""),
]
KINDS = [EntryKind.VISIT, EntryKind.WORKING_SESSION, EntryKind.INSPECTION, EntryKind.REPORT]


def pilot_support(*, departments: list[Unit], communes: list[Commune], start: datetime.date) -> None:
    """Each department supports a share of the pilot's communes from `start` to its commune's last day."""
    for i, commune in enumerate(sorted(communes, key=lambda c: c.code)):
        support_assign(unit=departments[i % len(departments)], commune=commune, start=start, end=commune.last_day)


def followup_demo_ensure(*, seed: int = SEED) -> None:
    kon_tum = Province.objects.filter(code=KON_TUM).order_by("pk").first()
    if kon_tum is None:
        return
    units = _units(kon_tum)
    rng = random.Random(seed)
    if not LogEntry.objects.filter(commune__province=kon_tum).exists():
        _pilot_log(kon_tum, units, rng)
    quang_ngai = Province.objects.of_code(QUANG_NGAI, NEW_TIER_FROM)
    if quang_ngai is None:
        return
    communes = list(Commune.objects.filter(province=quang_ngai, former_district__province=kon_tum)
                    .existing_on(NEW_TIER_FROM).exclude(has_police_post=False).order_by("code"))
    if communes and not SupportAssignment.objects.filter(commune__in=communes).exists():
        departments = [u for code, u in sorted(units.items()) if code != LEADERSHIP[1]]
        pilot_support(departments=departments, communes=communes, start=NEW_PLAN_DAY)
    if communes and not LogEntry.objects.filter(commune__in=communes).exists():
        _today_log(communes, units, rng)


def _units(kon_tum: Province) -> dict[str, Unit]:
    """The departments by short name, with the province's leadership (Ban Giám đốc) as a unit of its own."""
    with writing():
        Unit.objects.get_or_create(province=kon_tum, name=LEADERSHIP[0],
                                   defaults={"short_name": LEADERSHIP[1], "kind": UnitKind.DEPARTMENT})
    return {u.short_name: u for u in Unit.objects.filter(province=kon_tum, kind=UnitKind.DEPARTMENT) if u.short_name}


def _pilot_log(kon_tum: Province, units: dict[str, Unit], rng: random.Random) -> None:
    review = datetime.date(2019, 4, 23)
    communes = list(SupportAssignment.objects.filter(commune__province=kon_tum, start_date__lte=review)
                    .values_list("commune_id", flat=True).order_by("commune__code"))
    chosen = Commune.objects.filter(pk__in=sorted(rng.sample(communes, min(14, len(communes)))) if communes else [])
    for i, commune in enumerate(chosen.order_by("code")):
        day = datetime.date(2019, 1, 8) + datetime.timedelta(days=7 * i + rng.randint(0, 3))
        visitor, unit_code = VISITORS_2019[i % len(VISITORS_2019)]
        found, asked, action, by = FINDINGS[i % len(FINDINGS)]
        due = day + datetime.timedelta(days=rng.choice([30, 45, 60])) if action else None
        entry = entry_record(commune=commune, day=day, kind=KINDS[i % len(KINDS)], visitor=visitor,
                             unit=units.get(unit_code) or next(iter(units.values())), findings=found, requests=asked,
                             action=action, due_on=due, responsible=by)
        if not action:
            continue
        # Some done by the review, some in progress on it, some done after it, some still open today.
        fate = i % 4
        if fate in (0, 1):
            entry_change_state(entry=entry, state=FollowUpState.IN_PROGRESS, on=day + datetime.timedelta(days=10))
        if fate == 0:
            entry_change_state(entry=entry, state=FollowUpState.DONE, on=min(due, review - datetime.timedelta(days=2)),
                               note="Đã hoàn thành theo yêu cầu.")
        elif fate == 1:
            entry_change_state(entry=entry, state=FollowUpState.DONE, on=datetime.date(2019, 6, 14),
                               note="Hoàn thành sau đợt sơ kết.")
        elif fate == 3 and i % 8 == 7:
            entry_change_state(entry=entry, state=FollowUpState.DROPPED, on=datetime.date(2019, 9, 3),
                               note="Không còn phù hợp sau khi điều chỉnh địa giới thôn.")


def _today_log(communes: list[Commune], units: dict[str, Unit], rng: random.Random) -> None:
    today = datetime.date.today()
    visitors = ["Đại tá Phạm Quốc Bảo, Phó Giám đốc Công an tỉnh", "Thượng tá Hồ Thị Mai, Trưởng phòng Tham mưu",
                "Trung tá Đinh Văn Kiên, Phó Trưởng phòng Tổ chức cán bộ"]
    unit_codes = ["BGĐ", "PV01", "PX01"]
    for i, commune in enumerate(sorted(rng.sample(communes, min(9, len(communes))), key=lambda c: c.code)):
        day = max(today - datetime.timedelta(days=12 * (9 - i) + rng.randint(0, 4)), NEW_PLAN_DAY)
        if not UNIT_LIFE.is_open_on(commune, day):
            continue
        found, asked, action, by = FINDINGS_TODAY[i % len(FINDINGS_TODAY)]
        due = day + datetime.timedelta(days=45) if action else None
        entry = entry_record(commune=commune, day=day, kind=KINDS[i % len(KINDS)], visitor=visitors[i % 3],
                             unit=units.get(unit_codes[i % 3]) or next(iter(units.values())), findings=found,
                             requests=asked, action=action, due_on=due, responsible=by)
        if action and i % 3 == 0 and day + datetime.timedelta(days=7) <= today:
            entry_change_state(entry=entry, state=FollowUpState.IN_PROGRESS, on=day + datetime.timedelta(days=7))
