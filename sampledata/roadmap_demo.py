"""The demo roadmaps, written through roadmap.services: the 2019 pilot's (Kon Tum, per district and for the
province) and today's plan's (Quảng Ngãi, province-wide: no districts since 01/07/2025). Idempotent: a milestone
already there (its plan, area and day) is left as it is.

The targets are read from the plans (each district's communes of the pilot, the plan's norm), so that against
the demo's real roll-out some milestones are met and some missed: the pilot reached its 86 xã by the review of
23/04/2019, three weeks after its roadmap's 31/03/2019."""

from __future__ import annotations

import datetime
import math

from communes.models import District
from personnel.models import Plan
from roadmap import services
from roadmap.models import Milestone
from roadmap.rules import plan_communes_in

D = datetime.date
PILOT_PLAN, TODAY_PLAN = "223/KH-BCA-V05", "125/KH-CAT"
# (due date, share of the plan's communes covered, officers per commune covered): the province's own milestones.
PILOT_PROVINCE = [(D(2018, 12, 31), 0.35, 3), (D(2019, 1, 31), 0.7, 3), (D(2019, 3, 31), 1.0, 3), (D(2019, 4, 30), 1.0, 3.5)]
# Each district's: seven in ten of its communes by the end of January, all of them by the end of March.
PILOT_DISTRICTS = [(D(2019, 1, 31), 0.7), (D(2019, 3, 31), 1.0)]
# Today's plan: every unit covered by the end of August 2025, then officers up to and beyond the norm.
TODAY = [(D(2025, 8, 31), 1.0, 0, "Tất cả đơn vị cấp xã có Công an chính quy"),
         (D(2025, 12, 31), 1.0, None, "Đủ định mức của Kế hoạch"),
         (D(2026, 6, 30), 1.0, 380, "Tăng cường cho các xã biên giới"),
         (D(2027, 6, 30), 1.0, 400, "Kiện toàn sau sơ kết 2 năm")]


def load_roadmaps() -> int:
    """Write the demo milestones that are not there yet; how many were written."""
    written = 0
    pilot = Plan.objects.filter(number=PILOT_PLAN).select_related("province").first()
    if pilot is not None:
        total = plan_communes_in(pilot)
        for due, share, per_commune in PILOT_PROVINCE:
            communes = math.ceil(total * share)
            written += _add(pilot, None, due, communes, round(communes * per_commune), "")
        districts = District.objects.filter(province=pilot.province).existing_on(pilot.issued_on).order_by("code")
        for district in districts:
            total = plan_communes_in(pilot, district)
            for due, share in PILOT_DISTRICTS:
                communes = round(total * share)
                written += _add(pilot, district, due, communes, communes * pilot.min_officers, "")
    today = Plan.objects.filter(number=TODAY_PLAN).select_related("province").first()
    if today is not None:
        total = plan_communes_in(today)
        for due, share, officers, note in TODAY:
            communes = round(total * share)
            written += _add(today, None, due, communes, today.min_officers * communes if officers is None else officers, note)
    return written


def _add(plan: Plan, district, due: datetime.date, communes: int, officers: int, note: str) -> int:
    if Milestone.objects.filter(plan=plan, district=district, due_on=due).exists():
        return 0
    services.milestone_add(plan=plan, district=district, due_on=due, communes_target=communes,
                           officers_target=officers, note=note)
    return 1
