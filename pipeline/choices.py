from django.db import models
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    """How a candidate's enrolment in a course ended (empty while it has not)."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Stage(models.TextChoices):
    """Where a candidate stands on a day (pipeline/stages.py derives it from the dated facts)."""

    SELECTED = "selected", _("Selected, not yet trained")
    IN_TRAINING = "training", _("Being trained")
    READY = "ready", _("Trained, waiting for a post")
    POSTED = "posted", _("Posted")
    DROPPED = "dropped", _("Dropped out")


STAGE_ORDER = (Stage.SELECTED, Stage.IN_TRAINING, Stage.READY, Stage.POSTED, Stage.DROPPED)
