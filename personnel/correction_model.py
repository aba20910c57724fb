"""A correction: a record changed or deleted because it was entered wrong (not an event such as a transfer or a
promotion), with who, when, why, and the values before and after. Written by personnel/corrections.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTED = "corrected", _("corrected")
        DELETED = "deleted", _("deleted")
        UNDONE = "undone", _("correction undone")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    model = models.CharField(_("record kind"), max_length=20)  # "posting", "partyrole", "partycell", "officer"
    object_id = models.BigIntegerField()
    label = models.CharField(_("record"), max_length=400)
    # Where it was, for scopes and the register of issued reports: the commune (before, or after when moved).
    commune = models.ForeignKey("communes.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    officer = models.ForeignKey("personnel.Officer", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="corrections")
    before = models.JSONField(default=dict)   # raw values of the fields it changed (attnames), to undo
    after = models.JSONField(default=dict)
    shown = models.JSONField(default=list)    # [[field label, before, after], ...] as shown to people
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    undoes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by")

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="correction_record"),
                   models.Index(fields=["-at"], name="correction_newest_first")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def undone(self) -> bool:
        try:
            return self.undone_by is not None
        except Correction.undone_by.RelatedObjectDoesNotExist:
            return False
