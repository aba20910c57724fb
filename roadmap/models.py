"""The roadmap (lộ trình) of a posting plan: its milestones, each a day by which so many communes are covered
and so many officers posted, for the whole province or for one district of the plan's time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import District
from personnel.models import Plan


class Milestone(models.Model):
    """A milestone of a plan's roadmap: by `due_on`, so many communes covered and officers in post."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("plan"))
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="milestones",
        verbose_name=_("district"), help_text=_("empty: the whole province"),
    )
    due_on = models.DateField(_("due date"))
    communes_target = models.PositiveIntegerField(_("communes covered (target)"))
    officers_target = models.PositiveIntegerField(_("officers in post (target)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roadmap milestone")
        verbose_name_plural = _("roadmap milestones")
        ordering = ["plan", "due_on", "district__sort_key"]
        constraints = [
            # Two rules, because NULL districts never collide in a unique index (both databases).
            models.UniqueConstraint(fields=["plan", "due_on"], condition=models.Q(district__isnull=True),
                                    name="milestone_one_a_day_for_the_province"),
            models.UniqueConstraint(fields=["plan", "district", "due_on"], name="milestone_one_a_day_for_a_district"),
            models.CheckConstraint(condition=models.Q(communes_target__gt=0) | models.Q(officers_target__gt=0),
                                   name="milestone_has_a_target"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.due_on:%d/%m/%Y}"

    def clean(self) -> None:
        from roadmap.rules import check_milestone

        if self.plan_id is not None:
            check_milestone(self)
