from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities of commune police posts")
    default_auto_field = "django.db.models.BigAutoField"
