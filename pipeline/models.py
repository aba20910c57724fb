"""The pipeline of officers (lộ trình): candidates selected for commune police work, the training courses
they follow and their results, and their readiness for a post. Being posted is not stored here: it is the
officer's postings (personnel.Posting), read on the day (pipeline/stages.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import District, Province
from communes.rules import check_all, without_rule_constraints
from personnel.models import Officer, Unit
from pipeline.choices import Result
from pipeline.rules import CANDIDATE_RULES, COURSE_RULES, ENROLMENT_RULES


class Candidate(models.Model):
    """An officer selected for commune police work (tuyển chọn), by a unit, on a day, by a decision."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("officer"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("district"), help_text=_("the district of the day, while there are districts"))
    selected_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("selected by"))
    selected_on = models.DateField(_("selected on"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    ready_on = models.DateField(_("ready for posting from"), null=True, blank=True,
                                help_text=_("declared ready without a course (a course passed makes a candidate ready too)"))
    ready_note = models.CharField(_("basis for readiness"), max_length=200, blank=True)
    dropped_on = models.DateField(_("dropped out on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping out"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["officer__sort_key", "pk"]
        indexes = [models.Index(fields=["province", "selected_on"], name="candidate_province_day")]
        constraints = [
            models.UniqueConstraint(fields=["officer"], name="one_candidacy_per_officer"),
            models.CheckConstraint(condition=Q(ready_on__isnull=True) | Q(ready_on__gte=F("selected_on")),
                                   name="candidate_ready_after_selection"),
            models.CheckConstraint(condition=Q(dropped_on__isnull=True) | Q(dropped_on__gte=F("selected_on")),
                                   name="candidate_dropped_after_selection"),
        ]

    def __str__(self) -> str:
        return f"{self.officer.full_name} ({self.selected_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.officer_id and self.selected_by_id:
            check_all(self, CANDIDATE_RULES)

    def get_constraints(self):
        # Constraints that restate a rule are validated by clean(), through the rule that names the clash.
        return without_rule_constraints(super().get_constraints(), CANDIDATE_RULES)


class Course(models.Model):
    """A training course candidates follow before a commune post (lớp tập huấn, bồi dưỡng)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    name = models.CharField(_("course name"), max_length=200)
    place = models.CharField(_("venue"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_date", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="course_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date:
            check_all(self, COURSE_RULES)

    def get_constraints(self):
        # Constraints that restate a rule are validated by clean(), through the rule that names the clash.
        return without_rule_constraints(super().get_constraints(), COURSE_RULES)


class Enrolment(models.Model):
    """A candidate's place in a course, and how it ended (passed, failed, withdrawn) on which day."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("candidate"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "course"], name="one_enrolment_per_course"),
            models.CheckConstraint(condition=(Q(result="") & Q(result_on__isnull=True)) | (~Q(result="") & Q(result_on__isnull=False)),
                                   name="enrolment_result_dated"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} @ {self.course_id}: {self.result or '—'}"

    def clean(self):
        super().clean()
        if self.candidate_id and self.course_id:
            check_all(self, ENROLMENT_RULES)

    def get_constraints(self):
        # Constraints that restate a rule are validated by clean(), through the rule that names the clash.
        return without_rule_constraints(super().get_constraints(), ENROLMENT_RULES)
