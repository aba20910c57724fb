from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    VISIT = "visit", _("Visit")                          # Thăm, kiểm tra thực tế
    WORKING_SESSION = "session", _("Working session")    # Làm việc
    INSPECTION = "inspection", _("Inspection")           # Kiểm tra
    REPORT = "report", _("Report")                       # Báo cáo


class FollowUpState(models.TextChoices):
    """A follow-up's state; each change is dated (StateChange), so the state on a day is known."""

    OPEN = "open", _("To be done")  # not "Open": that word is already "Mở" elsewhere
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")
