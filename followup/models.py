"""The follow-up log: leaders' and departments' visits to and reports on each commune police post, and what
they asked to be done, with the dated states of that follow-up."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from followup.choices import EntryKind, FollowUpState
from personnel.models import Unit


def state_on(day: datetime.date, prefix: str = "") -> Subquery:
    """The follow-up's state on the day, as an expression on entries (through `prefix`): the latest change
    dated on or before it (the later recorded of one day). None: no follow-up, or not yet recorded then.
    The one definition of "the state on a day"; `LogEntry.state_at()` is the same in Python."""
    changes = StateChange.objects.filter(entry=OuterRef(f"{prefix}pk"), on__lte=day).order_by("-on", "-pk")
    return Subquery(changes.values("state")[:1])


class LogEntry(models.Model):
    """A visit, working session, inspection or report about a commune police post, by the province's leaders
    or a department: what was found, what was asked, and the follow-up (what, by when, by whom)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="followup_entries",
                                verbose_name=_("commune"))
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    visitor = models.CharField(_("led or reported by"), max_length=200, help_text=_("name and title, e.g. Đại tá Nguyễn Văn A, Phó Giám đốc"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="followup_entries", verbose_name=_("unit"))
    findings = models.TextField(_("what was found"))
    requests = models.TextField(_("what was asked"), blank=True)
    action = models.TextField(_("follow-up"), blank=True, help_text=_("what is to be done; empty: nothing to follow up"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    responsible = models.CharField(_("by whom"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up log entry")
        verbose_name_plural = _("follow-up log entries")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["commune", "day"], name="followup_entry_commune_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__isnull=True) | models.Q(due_on__gte=models.F("day")),
                                   name="followup_due_after_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}: {self.commune}"

    @property
    def has_followup(self) -> bool:
        return bool(self.action.strip())

    def state_at(self, day: datetime.date, changes=None) -> str | None:
        """state_on() in Python, on the entry's changes (given, or read)."""
        rows = [c for c in (changes if changes is not None else self.states.all()) if c.on <= day]
        return max(rows, key=lambda c: (c.on, c.pk)).state if rows else None

    @property
    def state_on_label(self) -> str:
        """The label of the `state_on` annotation (followup.selectors.entry_rows)."""
        value = getattr(self, "state_on", None)
        return FollowUpState(value).label if value else ""

    def clean(self):
        from communes.rules import check_all
        from followup.rules import ENTRY_RULES

        check_all(self, ENTRY_RULES)


class StateChange(models.Model):
    """A follow-up's state from a day on (open when the entry is recorded, then in progress, done or dropped)."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="states", verbose_name=_("entry"))
    state = models.CharField(_("state"), max_length=20, choices=FollowUpState.choices)
    on = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up state change")
        verbose_name_plural = _("follow-up state changes")
        ordering = ["entry", "on", "pk"]
        indexes = [models.Index(fields=["entry", "on"], name="followup_state_entry_on")]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.on:%d/%m/%Y}"
