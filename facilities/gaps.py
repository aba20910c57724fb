"""The facilities gaps, the one home of their rule and labels: the dashboard, the facilities table, the
commune page and the pilot review's PDF all call facility_gaps().

They join the plan's staffing gaps (personnel.coverage.commune_gaps) on the dashboard without
changing them: the coverage figures (communes covered, officers, cells) never read these.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _


class FacilityGap:
    NO_OWN_HEADQUARTERS = "no_own_headquarters"
    BELOW_EQUIPMENT_NORM = "below_equipment_norm"


FACILITY_GAP_LABELS = {
    FacilityGap.NO_OWN_HEADQUARTERS: _("no own headquarters"),
    FacilityGap.BELOW_EQUIPMENT_NORM: _("below the equipment norm"),
}


def facility_gaps(row) -> list[str]:
    """The facilities norms a commune's row (selectors.CommuneFacilities) misses on its day.

    Only a commune whose facilities are recorded by that day is judged: once anything is recorded, a
    headquarters not recorded is no own headquarters and an item not counted is none of it. A commune
    with nothing recorded is listed as "not recorded", not as a gap (a gap is a fact, not missing data).
    """
    if not row.recorded:
        return []
    gaps = []
    if row.headquarters is None or not row.headquarters.is_own:
        gaps.append(FacilityGap.NO_OWN_HEADQUARTERS)
    if any(line.short for line in row.equipment):
        gaps.append(FacilityGap.BELOW_EQUIPMENT_NORM)
    return gaps


def facility_gap_labels(gaps: Iterable[str]) -> list[str]:
    return [str(FACILITY_GAP_LABELS[g]) for g in gaps]
