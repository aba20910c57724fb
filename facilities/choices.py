from django.db import models
from django.utils.translation import gettext_lazy as _


class HeadquartersState(models.TextChoices):
    """Where a commune police post works from (trụ sở)."""

    NONE = "none", _("no headquarters")
    BORROWED = "borrowed", _("borrowed premises")
    TEMPORARY = "temporary", _("temporary headquarters")
    UNDER_CONSTRUCTION = "under_construction", _("headquarters under construction")
    OWN = "own", _("own headquarters")


class EquipmentKind(models.TextChoices):
    VEHICLE = "vehicle", _("vehicle")
    COMPUTER = "computer", _("computer and office equipment")
    RADIO = "radio", _("radio and communications")
    OTHER = "other", _("other equipment")


class Funding(models.TextChoices):
    """Who pays for the construction of a headquarters."""

    CENTRAL = "central", _("central budget (Ministry of Public Security)")
    PROVINCE = "province", _("provincial budget")
    DISTRICT = "district", _("district or commune budget")
    SOCIAL = "social", _("contributions and sponsorship")
    MIXED = "mixed", _("several sources")
