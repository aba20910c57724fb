"""The register of issued reports: what a leader issued for signature, kept as it was printed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PILOT_REVIEW = "pilot_review", _("Pilot review")
    DISTRICT_ROSTER = "district_roster", _("District roster")


class IssuedReport(models.Model):
    """An issued report: its number (Số: N/BC-CAT, counted per province and year of issue), the day it
    describes, who issued it and when, the PDF itself with its SHA-256, and what it printed (figures and
    lines), to compare with the data of today."""

    province = models.ForeignKey("communes.Province", on_delete=models.PROTECT, related_name="issued_reports",
                                 verbose_name=_("province"))
    district = models.ForeignKey("communes.District", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="issued_reports", verbose_name=_("district"))
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    as_of = models.DateField(_("as of"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    figures = models.JSONField(default=dict)  # {label: value}
    lines = models.JSONField(default=list)    # the printed text, line by line

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["province", "year", "number"], name="issued_number_unique")]

    def __str__(self) -> str:
        return f"{self.number_text} ({self.get_kind_display()}, {self.as_of:%d/%m/%Y})"

    @property
    def number_text(self) -> str:
        return f"{self.number}/{self.abbreviation}"

    @property
    def abbreviation(self) -> str:
        from reports.data import Issuer  # the issuer's abbreviation: BC-CAT, BC-CATP

        return "BC-" + Issuer.for_province(self.province).abbreviation
