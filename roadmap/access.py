"""Who sees and changes a plan's roadmap: the scope of personnel/access.py, applied to plans and milestones."""

from __future__ import annotations

from django.db.models import QuerySet

from communes.models import District
from personnel.access import scope_for
from personnel.models import Plan


def plans_for(user) -> QuerySet[Plan]:
    """The plans of the provinces the user sees (a merged province's users see the plans of those it came from)."""
    scope = scope_for(user)
    plans = Plan.objects.select_related("province")
    if scope.national:
        return plans
    return plans.filter(province_id__in=scope.provinces) if scope.sees_anything else plans.none()


def may_edit(user, plan: Plan, district) -> bool:
    """Milestones for the whole province: its administrators (not limited to districts); for a district: the
    editors and administrators whose scope holds it."""
    scope = scope_for(user)
    if not scope.can_edit or not (scope.national or plan.province_id in scope.provinces):
        return False
    if district is None:
        return scope.is_admin and not scope.district_ids
    return district.province_id == plan.province_id and scope.allows_district(district)


def may_edit_any(user, plan: Plan) -> bool:
    """May set some milestone of the plan: for the whole province, or for a district of its time in their scope."""
    if may_edit(user, plan, None):
        return True
    scope = scope_for(user)
    if not scope.can_edit or not (scope.national or plan.province_id in scope.provinces):
        return False
    return District.objects.filter(province=plan.province_id).existing_on(plan.issued_on).filter(scope.district_q()).exists()
