"""The rules a roadmap milestone keeps, each with its one message: asked by Milestone.clean(), the forms and
the services (the database holds the one-a-day and has-a-target rules too)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communes.models import area_q


def area_name(milestone) -> str:
    """The area a milestone is for: its district's name, or the plan's province."""
    return milestone.district.name if milestone.district_id else milestone.plan.province.name


def plan_communes_in(plan, district=None) -> int:
    """How many communes the plan lists in the area (the district's, as the plan's units of its time had them)."""
    communes = plan.communes.all()
    if district is not None:
        communes = communes.filter(area_q(district=district, until=plan.issued_on))
    return communes.count()


def milestone_errors(milestone) -> dict[str, list[str]]:
    """What is wrong with a milestone, by field ("__all__" for the whole), in the rule's words."""
    errors: dict[str, list[str]] = {}
    plan = milestone.plan
    district = milestone.district if milestone.district_id else None

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if milestone.due_on is not None and milestone.due_on < plan.issued_on:
        add("due_on", _("The due date is before the plan was issued (%(day)s).") % {"day": f"{plan.issued_on:%d/%m/%Y}"})
    if district is not None and (district.province_id != plan.province_id or not district.exists_on(plan.issued_on)):
        add("district", _("%(district)s is not a district of %(province)s on %(day)s, when plan %(plan)s was issued: "
                          "a plan's milestones are for the units of its time (since 01/07/2025 there are no districts: "
                          "leave the district empty for the whole province).") % {
            "district": district.name, "province": plan.province.name, "day": f"{plan.issued_on:%d/%m/%Y}",
            "plan": plan.number})
    if not milestone.communes_target and not milestone.officers_target:
        add("__all__", _("Give a target: communes covered, officers in post, or both."))
    if "district" not in errors and milestone.communes_target:
        available = plan_communes_in(plan, district)
        if milestone.communes_target > available:
            add("communes_target", _("The target of %(target)s communes is more than the %(n)s communes plan %(plan)s "
                                     "lists in %(area)s.") % {
                "target": milestone.communes_target, "n": available, "plan": plan.number, "area": area_name(milestone)})
    if milestone.due_on is not None and "district" not in errors:
        same = type(milestone).objects.filter(plan=plan, due_on=milestone.due_on, district=district)
        if milestone.pk is not None:
            same = same.exclude(pk=milestone.pk)
        if same.exists():
            add("due_on", _("Plan %(plan)s already has a milestone for %(area)s on %(day)s: correct that one instead.") % {
                "plan": plan.number, "area": area_name(milestone), "day": f"{milestone.due_on:%d/%m/%Y}"})
    return errors


def check_milestone(milestone) -> None:
    """ValidationError with every problem of the milestone, or nothing."""
    if errors := milestone_errors(milestone):
        raise ValidationError(errors)
